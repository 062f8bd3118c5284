"""The error family: every failure a user can cause is a ZsError with one clear line and a hint."""

from __future__ import annotations


class ZsError(Exception):
    """A domain error: the command fails with exit code 1 and the ledger unchanged."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} {self.hint}"


class BadValue(ZsError):
    """A value the user typed or a file holds cannot be read."""


class NotFound(ZsError):
    """A project, unit, chain, campaign … named by the user does not exist."""


class Conflict(ZsError):
    """The change contradicts the ledger (duplicate code, backward move without --force, …)."""


class SchemaError(ZsError):
    """The ledger file is missing, not initialised, or at another schema revision."""


class Busy(ZsError):
    """Another process holds the ledger's write lock for longer than the busy timeout."""


class Forbidden(ZsError):
    """The acting user may not change this."""
