"""One import under way: its context and options, the result it builds, and what every sheet's rows
share — warnings, rejected rows, where a row stands, progress, the units and chains by name, and
the bulk writer with its queue of audit events."""

from __future__ import annotations

from array import array
from pathlib import Path
from typing import Any

from sqlalchemy import select

from zhaoshang.db.bulk import Bulk
from zhaoshang.importers.cells import CellError, text_of
from zhaoshang.importers.duplicates import Duplicates
from zhaoshang.importers.guards import file_digest
from zhaoshang.importers.locate import LocatedSheet
from zhaoshang.importers.read import cell_ref, column_letter
from zhaoshang.models import Project, Trip
from zhaoshang.services import audit, users
from zhaoshang.services.context import Ctx
from zhaoshang.services.imports.match import Matcher
from zhaoshang.services.imports.names import Names
from zhaoshang.services.imports.result import (
    ImportOptions,
    ImportResult,
    Progress,
    RejectedSheet,
    RowError,
    SheetResult,
)

MAX_WARNINGS = 2000


class Run:
    def __init__(self, ctx: Ctx, path: Path, options: ImportOptions, progress: Progress | None) -> None:
        self.ctx = ctx
        self.options = options
        self.progress = progress
        self.file = options.file_name or path.name
        self.result = ImportResult(self.file, options.sha256 or sha256(path))
        self.conn = ctx.session.connection()
        self.bulk = Bulk(self.conn)
        self.writes = audit.BulkWrite(ctx, self.bulk)
        self._at: tuple[str, int] | None = None  # the sheet and row at hand (run.source says it)
        self.duplicates = Duplicates()  # rows of this file that a later row of it overrides
        self.signed = array("q")  # projects of this file at signed or later (8 bytes each)
        self.stated_problems: dict[int, set[str]] = {}  # project -> the problems this file states
        self.claimed_milestones: set[int] = set()  # ledger milestones a row of this file has matched
        self.claimed_reviews: set[int] = set()
        self.had_projects: bool | None = None  # known at the first project batch
        self.read = 0
        self.total = 0
        self._names: Names | None = None
        self._rights: Any = False
        self.matcher = Matcher(self)
        self.trips: dict[tuple, list[Trip]] | None = None  # the ledger's trips by (unit, date, leader, place)
        self.undated: dict[str, list[tuple[int, str]]] = {}  # sheet -> (row, stage) entered without a date

    @property
    def names(self) -> Names:
        if self._names is None:
            self._names = Names(self)
        return self._names

    @property
    def rights(self) -> Any:
        """What the actor may change (services.users.rights_of), read once."""
        if self._rights is False:
            self._rights = users.rights_of(self.ctx.session, self.ctx.actor)
        return self._rights

    def warn(self, message: str) -> None:
        """A warning that set, dropped or changed a value: always kept and always shown."""
        self.result.warnings.append(message)

    def note(self, message: str, group: tuple[str, ...]) -> None:
        """An informational note, shown grouped with the others of its kind (`group`: the kind and
        what the grouped line names), kept up to MAX_WARNINGS."""
        if len(self.result.info) < MAX_WARNINGS:
            self.result.info.append((group, message))
        else:
            self.result.warnings_dropped += 1

    def where(self, sheet: str, row: int, col: int | None = None, offset: int = 0) -> str:
        if col is None:
            return f"{self.file}:{sheet}!row {row + 1}"
        return f"{self.file}:{sheet}!{cell_ref(row, col + offset)}"

    def at_row(self, sheet: LocatedSheet, row: int) -> None:
        """The row at hand, for the audit events its changes write (said only when one asks)."""
        self._at = (sheet.info.name, row)

    @property
    def source(self) -> str:
        """Where the row at hand stands, for audit events."""
        if self._at is None:
            return f"zs import {self.file}"
        return f"{self.file}:{self._at[0]}!row {self._at[1] + 1}"

    def reject(self, sheet: LocatedSheet, rej: RejectedSheet, row_no: int, row: list[Any], errors: list[CellError],
               counts: SheetResult, context: dict[str, str] | None = None) -> None:
        offset = sheet.data.col_offset
        errors = sorted(errors, key=lambda e: e.col)
        for e in errors:
            self.result.errors.append(RowError(
                self.file, sheet.info.name, cell_ref(row_no, e.col + offset), row_no + 1,
                column_letter(e.col + offset), "" if e.value is None else (text_of(e.value) or ""), e.reason))
        counts.rejected += 1
        rej.rows.append((row_no, [value if value != "" else None for value in row],
                         "；".join(e.reason for e in errors)))
        if context:
            rej.context[row_no] = context

    def fresh(self) -> bool:
        """The ledger had no project when this import began: nothing to match, nothing to update."""
        if self.had_projects is None:
            self.had_projects = self.conn.execute(select(Project.id).limit(1)).first() is not None  # type: ignore[arg-type]
        return not self.had_projects

    def tick(self, n: int = 1) -> None:
        self.read += n
        if self.progress is not None and self.read % 1000 < n:
            self.progress(self.read, self.total)


def sha256(path: Path) -> str:
    """The file's digest ("" for a path that is not a regular file: a FIFO would never end)."""
    return file_digest(path)
