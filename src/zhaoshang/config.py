"""Settings resolved when a command runs (never at import): database URL, time zone, busy timeout."""

from __future__ import annotations

import datetime as dt
import os
from datetime import tzinfo
from pathlib import Path

DEFAULT_DB = "zhaoshang.db"
DEFAULT_TZ = "Asia/Shanghai"
DEFAULT_BUSY_TIMEOUT = 60.0


def database_url(db: str | None = None) -> str:
    """`--db` wins over `ZS_DB`, which wins over ./zhaoshang.db. Paths become sqlite URLs."""
    value = db or os.environ.get("ZS_DB") or DEFAULT_DB
    if "://" in value:
        from sqlalchemy.engine.url import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            url = make_url(value)
        except (ArgumentError, ValueError) as exc:
            from zhaoshang.errors import BadValue

            raise BadValue(f"账本地址“{value}”无效：{exc}",
                           "例如 ./zhaoshang.db 或 postgresql+psycopg://user@host/db。") from None
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)
    return "sqlite:///" + str(Path(value).expanduser().resolve())


def busy_timeout() -> float:
    raw = os.environ.get("ZS_BUSY_TIMEOUT")
    try:
        return float(raw) if raw else DEFAULT_BUSY_TIMEOUT
    except ValueError:
        return DEFAULT_BUSY_TIMEOUT


def timezone_name() -> str:
    return os.environ.get("ZS_TZ") or DEFAULT_TZ


def zone(name: str | None = None) -> tzinfo:
    """The ledger's time zone (ZS_TZ); a name that is none gets one line, not a traceback."""
    from zoneinfo import ZoneInfo

    name = name or timezone_name()
    try:
        return ZoneInfo(name)
    except (ValueError, OSError, LookupError):  # ZoneInfoNotFoundError is a KeyError
        from zhaoshang.errors import BadValue

        raise BadValue(f"ZS_TZ“{name}”不是时区。", "例如 ZS_TZ=Asia/Shanghai（不设则用 Asia/Shanghai）。") from None


def today() -> dt.date:
    """Today in the ledger's time zone (cron often runs in UTC)."""
    return dt.datetime.now(zone()).date()


def utcnow() -> dt.datetime:
    """An aware UTC timestamp, the form every `at` column stores."""
    return dt.datetime.now(dt.UTC)


def actor(by: str | None = None) -> str:
    """Who makes a change: `--by`, else ZS_USER, else the OS user."""
    if by:
        return by
    if env := os.environ.get("ZS_USER"):
        return env
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no passwd entry in some containers
        return "unknown"
