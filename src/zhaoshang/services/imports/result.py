"""The import's options and its result: counts per sheet, warnings, every rejected cell (FILE:SHEET!CELL)
and the rejected rows as they were, for render/ to print and --errors OUT.xlsx to write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from zhaoshang.importers.header import Banner
from zhaoshang.services.problems import RecordCounts

BATCH = 2000

Progress = Callable[[int, int], None]


@dataclass
class ImportOptions:
    sheet: str | None = None  # only this sheet (hidden sheets too)
    year: int | None = None  # year of year-less dates (wins over the title's)
    create: bool = True  # create units and chains the ledger does not know (--no-create: row errors)
    column_map: dict[str, str] = field(default_factory=dict)  # header text (normalised) -> field
    stage_words: dict[str, str] = field(default_factory=dict)  # this import's own stage words
    file_name: str | None = None  # the name errors and audit events show (default: the file's name)
    batch_size: int = BATCH
    kinds: frozenset[str] | None = None  # only sheets of these kinds (zs campaign targets: {"target"})
    campaign: str | None = None  # the campaign a targets sheet's rows belong to (zs campaign targets NAME)
    # A unit's weekly return: only that unit's projects, new rows become its projects; rows a check
    # before the import refused, by (sheet, row) with their cell errors; the week progress notes are for.
    unit_id: int | None = None
    refused: dict[tuple[str, int], list[Any]] = field(default_factory=dict)
    note_week: dt.date | None = None  # default: the week holding today
    problems_raised_on: dt.date | None = None  # the day a new 存在问题 without 提出时间 was raised
    sha256: str | None = None  # the file's digest, taken before the ledger is locked


@dataclass
class RowError:
    file: str
    sheet: str
    cell: str
    row: int
    column: str
    value: str
    reason: str

    def line(self) -> str:
        value = f"{self.value} " if self.value else ""
        return f"{self.file}:{self.sheet}!{self.cell} {value}— {self.reason}"

    def as_dict(self) -> dict:
        return {"file": self.file, "sheet": self.sheet, "cell": self.cell, "row": self.row,
                "column": self.column, "value": self.value, "reason": self.reason}


@dataclass
class SheetResult:
    sheet: str
    kind: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    lines: int = 0  # lines under the header: inserted + updated + unchanged + rejected + skipped
    skipped: int = 0  # blank, a section, a subtotal, a note, or a row a later row of the file overrides


@dataclass
class RejectedSheet:
    """Rejected rows of one sheet, as they were, for --errors OUT.xlsx."""

    sheet: str
    kind: str
    labels: list[str]
    banner: Banner
    rows: list[tuple[int, list[Any], str]] = field(default_factory=list)  # (row, cells, reasons)
    context: dict[int, dict[str, str]] = field(default_factory=dict)  # row -> {label: value} from sections


@dataclass
class ImportResult:
    file: str
    sha256: str
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rows_read: int = 0
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)  # each set, dropped or changed a value: never cut
    info: list[tuple[tuple[str, ...], str]] = field(default_factory=list)  # (group, message): grouped, capped
    warnings_dropped: int = 0  # informational notes beyond the ones kept
    errors: list[RowError] = field(default_factory=list)
    new_units: list[str] = field(default_factory=list)
    new_chains: list[str] = field(default_factory=list)
    sheets: list[SheetResult] = field(default_factory=list)
    rejected_sheets: list[RejectedSheet] = field(default_factory=list)
    problems: RecordCounts = field(default_factory=RecordCounts)  # from project sheets' 存在问题 columns
    notes: RecordCounts = field(default_factory=RecordCounts)  # progress notes from 本周进展/下步计划 columns
    funds_months: int = 0  # months of 到位资金 stored or corrected (services/imports/funds.py)
    unreviewed: list[dict] = field(default_factory=list)  # the file's signed-or-later projects, review incomplete
    unreviewed_count: int = 0  # all of them (the list holds the first UNREVIEWED_LISTED)
    batch_id: int | None = None  # the import_batch row it wrote

    def as_json(self) -> dict:
        return {
            "file": self.file,
            "inserted": self.inserted, "updated": self.updated, "unchanged": self.unchanged,
            "rejected": self.rejected, "skipped": self.skipped,
            "warnings": self.warnings + [m for _, m in self.info]
                        + ([f"…另有 {self.warnings_dropped} 条注意事项"] if self.warnings_dropped else []),
            "errors": [e.as_dict() for e in self.errors],
            "new_units": self.new_units, "new_chains": self.new_chains,
            "sheets": [vars(s) for s in self.sheets],
            "problems": vars(self.problems),
            "notes": vars(self.notes),
            "unreviewed": self.unreviewed, "unreviewed_count": self.unreviewed_count,
        }
