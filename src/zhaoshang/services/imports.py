"""`zs import`: a clerk's workbook or CSV into the ledger, in the caller's one transaction.

    import_file(ctx, path, options=None, progress=None) -> ImportResult

Sheets are recognised by name or by their header (project ledgers, 责任单位, 产业链, 外出招商, 会战目标,
项目节点, 联审, 联审标准, 问题协调, 阶段词, 账本设置) and imported in dependency order whatever their
order in the workbook.
Project rows stream through in batches: one lookup query per batch for the projects they match (by
code, else name + investor), Core/DBAPI bulk inserts with ids handed out up front, one audit event per
inserted project holding the row and its milestones as JSON, one event per changed field on update.
A later row for the same project in one file wins; the earlier is reported. A project sheet with a
存在问题 column records its problems a batch at a time (services.problems.record_problems); the
summary lists the file's projects that are signed or later without a complete review. Nothing here
commits or prints: the caller's unit of work commits (or rolls back for --dry-run/--strict) and renders the result.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import select as orm_select

from zhaoshang.db.bulk import DEFER_INDEXES_MIN_ROWS, ROWS_PER_STATEMENT, Bulk
from zhaoshang.errors import BadValue, Conflict
from zhaoshang.importers import district as dparse
from zhaoshang.importers.ledger import CellError, ProjectParser, ProjectRow, name_investor_key, text_of
from zhaoshang.importers.reading import Book, SheetData, SheetInfo, cell_ref, column_letter, open_book
from zhaoshang.importers.rows import DATA, SECTION, classify, is_figure
from zhaoshang.importers.table import HEAD_ROWS, KINDS, Banner, Header, find_header, read_banner, sheet_hint
from zhaoshang.models import (
    Campaign,
    Chain,
    Event,
    ImportBatch,
    Milestone,
    Problem,
    Project,
    Setting,
    StageWord,
    Target,
    Trip,
    Unit,
    UserUnit,
)
from zhaoshang.services import audit, users
from zhaoshang.services.context import Ctx
from zhaoshang.services.problems import ProblemRow, RecordCounts, record_problems
from zhaoshang.vocabulary.labels import FIELD_ZH
from zhaoshang.vocabulary.problems import problem_key, split_problems
from zhaoshang.vocabulary.stages import STAGE_RANK, STAGE_ZH, STAGES, TERMINATED
from zhaoshang.vocabulary.text import name_key, normalize_text
from zhaoshang.vocabulary.verdicts import verdict_of

ORDER = ("setting", "stage_word", "unit", "chain", "criterion", "project", "milestone", "review", "problem", "trip",
         "target")
KIND_ZH = {"project": "项目", "milestone": "项目节点", "unit": "责任单位", "chain": "产业链", "trip": "外出招商",
           "target": "会战目标", "stage_word": "阶段词", "setting": "账本设置", "review": "联审",
           "problem": "问题协调", "criterion": "联审标准"}
SIGNED_OR_LATER = frozenset(s for s in STAGES if STAGE_RANK[s] >= STAGE_RANK["signed"])
SHEET_STAGE = (("线索", "lead"), ("谋划", "planned"), ("在谈", "negotiating"), ("洽谈", "negotiating"),
               ("签约", "signed"), ("开工", "started"), ("在建", "started"), ("投产", "producing"))
BATCH = 2000


def sheet_stage_of(name: str) -> str | None:
    """The stage a sheet's name (or title) gives its rows: 在谈项目 → negotiating; 计划开工, 拟开工,
    待开工, 未开工 … name plans, not a stage reached."""
    text = normalize_text(name)
    for word, stage in SHEET_STAGE:
        at = text.find(word)
        if at >= 0 and not re.search(r"(计划|拟|待|未|预计|准备)$", text[:at]):
            return stage
    return None
PROJECT_COLS = ("id", "code", "name", "investor", "investment_wan", "investment_usd_wan", "chain_id", "unit_id",
                "source_region", "marshal", "stage", "sector", "progress", "note", "created_at", "updated_at")
MILESTONE_COLS = ("id", "project_id", "kind", "planned_on", "planned_precision", "done", "done_on", "precision",
                  "note")
PROJECT_FIELDS = ("code", "name", "investor", "investment_wan", "investment_usd_wan", "chain_id", "unit_id",
                  "source_region", "marshal", "sector", "progress", "note")
MAX_WARNINGS = 2000
UNREVIEWED_LISTED = 1000  # projects signed without a complete review that the summary names

Progress = Callable[[int, int], None]


# --------------------------------------------------------------------------- results


@dataclass
class ImportOptions:
    sheet: str | None = None  # only this sheet (hidden sheets too)
    year: int | None = None  # year of year-less dates (wins over the title's)
    create: bool = True  # create units and chains the ledger does not know (--no-create: row errors)
    column_map: dict[str, str] = field(default_factory=dict)  # header text (normalised) -> field
    stage_words: dict[str, str] = field(default_factory=dict)  # this import's own stage words
    file_name: str | None = None  # the name errors and audit events show (default: the file's name)
    batch_size: int = BATCH


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
    warnings: list[str] = field(default_factory=list)
    warnings_dropped: int = 0
    errors: list[RowError] = field(default_factory=list)
    new_units: list[str] = field(default_factory=list)
    new_chains: list[str] = field(default_factory=list)
    sheets: list[SheetResult] = field(default_factory=list)
    rejected_sheets: list[RejectedSheet] = field(default_factory=list)
    problems: RecordCounts = field(default_factory=RecordCounts)  # from project sheets' 存在问题 columns
    unreviewed: list[dict] = field(default_factory=list)  # the file's signed-or-later projects, review incomplete
    unreviewed_count: int = 0  # all of them (the list holds the first UNREVIEWED_LISTED)

    def as_json(self) -> dict:
        return {
            "file": self.file,
            "inserted": self.inserted, "updated": self.updated, "unchanged": self.unchanged,
            "rejected": self.rejected,
            "warnings": self.warnings + ([f"…另有 {self.warnings_dropped} 条注意事项"]
                                         if self.warnings_dropped else []),
            "errors": [e.as_dict() for e in self.errors],
            "new_units": self.new_units, "new_chains": self.new_chains,
            "sheets": [vars(s) for s in self.sheets],
            "problems": vars(self.problems),
            "unreviewed": self.unreviewed, "unreviewed_count": self.unreviewed_count,
        }


# --------------------------------------------------------------------------- names


class Names:
    """Units and chains by name: exact first, then the normalised name (with a warning), else created
    (kind other, next order) or, with --no-create, refused."""

    def __init__(self, imp: Importer) -> None:
        self.imp = imp
        session = imp.ctx.session
        self.ids: dict[str, dict[str, int]] = {
            "unit": dict(session.exec(orm_select(Unit.name, Unit.id)).all()),
            "chain": dict(session.exec(orm_select(Chain.name, Chain.id)).all()),
        }
        self.keys: dict[str, dict[str, list[str]]] = {"unit": {}, "chain": {}}
        for kind, names in self.ids.items():
            for name in names:
                self.keys[kind].setdefault(name_key(name), []).append(name)
        self.cache: dict[tuple[str, str], int | str] = {}
        self.implicit: list[tuple[str, str]] = []  # units and chains rows named into being

    def prune(self) -> None:
        """Units and chains created for rows that were then rejected (a misspelt 税郭真 beside a bad
        amount): nothing refers to them, so they go, with their insert events — a rejected row
        leaves nothing behind."""
        from sqlalchemy import delete, exists

        conn = self.imp.conn
        E = Event.__table__  # type: ignore[attr-defined]
        refs = {
            "unit": [(Project.__table__.c.unit_id), (Problem.__table__.c.owner_unit_id),  # type: ignore[attr-defined]
                     (Trip.__table__.c.unit_id), (Target.__table__.c.unit_id),  # type: ignore[attr-defined]
                     (Chain.__table__.c.lead_unit_id), (UserUnit.__table__.c.unit_id)],  # type: ignore[attr-defined]
            "chain": [Project.__table__.c.chain_id],  # type: ignore[attr-defined]
        }
        for what, name in self.implicit:
            ident = self.ids[what][name]
            if any(conn.execute(select(exists().where(column == ident))).scalar() for column in refs[what]):
                continue
            table = (Unit if what == "unit" else Chain).__table__  # type: ignore[attr-defined]
            conn.execute(delete(E).where(E.c.entity == what, E.c.entity_id == ident))
            conn.execute(delete(table).where(table.c.id == ident))
            listed = self.imp.result.new_units if what == "unit" else self.imp.result.new_chains
            listed.remove(name)

    def find(self, kind: str, text: str) -> str | None:
        """The existing name `text` means, or None."""
        if text in self.ids[kind]:
            return text
        key = name_key(text)
        close = self.keys[kind].get(key, []) if key else []  # 区 alone is no name to match loosely
        if len(close) == 1:
            return close[0]
        if len(close) > 1:
            raise ValueError(f"{KIND_ZH[kind]}“{text}”可能是{'、'.join(close)}，请写全称")
        return None

    def __call__(self, kind: str, text: str) -> int:
        hit = self.cache.get((kind, text))
        if isinstance(hit, int):
            return hit
        if isinstance(hit, str):
            raise ValueError(hit)
        try:
            name = self.find(kind, text)
        except ValueError as exc:
            self.cache[(kind, text)] = str(exc)
            raise
        if name is None:
            if not self.imp.options.create:
                reason = f"{KIND_ZH[kind]}“{text}”不存在（--no-create）"
                self.cache[(kind, text)] = reason
                raise ValueError(reason)
            ident = self.create(kind, text)
        else:
            ident = self.ids[kind][name]
            if name != text:
                self.imp.warn(f"{KIND_ZH[kind]}“{text}”按“{name}”处理")
        self.cache[(kind, text)] = ident
        return ident

    def create(self, what: str, name: str, *, implicit: bool = True, **values: Any) -> int:
        """Add a unit or chain; an implicit one (named by a project, trip or target row) is listed
        as new in the summary."""
        from zhaoshang.services.directory import add_chain, add_unit

        ctx = self.imp.ctx
        saved, ctx.source = ctx.source, self.imp.source
        try:
            if what == "unit":
                row: Unit | Chain = add_unit(ctx, name, values.get("kind") or "other", values.get("leader"),
                                             values.get("order"), values.get("class"))
                if implicit:
                    self.imp.result.new_units.append(name)
                    self.implicit.append(("unit", name))
            else:
                row = add_chain(ctx, name, values.get("chief"), values.get("anchor_firm"), None, values.get("order"))
                if values.get("lead_unit_id") is not None:
                    row.lead_unit_id = values["lead_unit_id"]
                if implicit:
                    self.imp.result.new_chains.append(name)
                    self.implicit.append(("chain", name))
        finally:
            ctx.source = saved
        assert row.id is not None
        self.ids[what][name] = row.id
        self.keys[what].setdefault(name_key(name), []).append(name)
        return row.id


# --------------------------------------------------------------------------- the import


@dataclass
class _Sheet:
    info: SheetInfo
    data: SheetData
    header: Header
    banner: Banner
    index: int
    # Rows that continue the row above (its project name merged down over them) -> that row.
    continued: dict[int, int] = field(default_factory=dict)


def _merged_below(merged: list, bottom: int,
                  offset: int) -> tuple[dict[int, list[int]], dict[int, list[tuple[int, int]]]]:
    """The data area's ranges merged down over several rows: the cells at their tops (row -> columns)
    and the cells under them (row -> (column, top row)). Only the first column of a range is filled
    in: what a clerk sees there is one value for every row the range covers."""
    tops: dict[int, list[int]] = {}
    below: dict[int, list[tuple[int, int]]] = {}
    for (r0, c0), (r1, _c1) in merged:
        j = c0 - offset
        if r1 <= r0 or r0 <= bottom or j < 0:
            continue
        tops.setdefault(r0, []).append(j)
        for r in range(r0 + 1, r1 + 1):
            below.setdefault(r, []).append((j, r0))
    return tops, below


class Importer:
    def __init__(self, ctx: Ctx, path: Path, options: ImportOptions, progress: Progress | None) -> None:
        self.ctx = ctx
        self.path = path
        self.options = options
        self.progress = progress
        self.file = options.file_name or path.name
        self.result = ImportResult(self.file, _sha256(path))
        self.conn = ctx.session.connection()
        self.bulk = Bulk(self.conn)
        self.source = f"zs import {self.file}"
        self.at = self.bulk.stamp(ctx.now)
        self.saved_source = ctx.source
        self.now_iso = ctx.now.isoformat()
        self.events: list[tuple] = []
        self.latest: dict[int, tuple[int, int]] = {}  # hash of a duplicated project key -> (sheet, row)
        self.sheet_names: dict[int, str] = {}
        self.pcodes: set[str] | None = None
        self.signed = array("q")  # projects of this file at signed or later (8 bytes each)
        self.claimed_projects: set[int] = set()  # ledger projects a row of this file has matched
        self._name_index: dict[tuple, list[int]] | None = None
        self.stated_problems: dict[int, set[str]] = {}  # project -> the problems this file states
        self._name_only: dict[str, list[tuple[int, str | None]]] = {}
        self.claimed_milestones: set[int] = set()
        self.claimed_reviews: set[int] = set()
        self.had_projects: bool | None = None  # known at the first project batch
        self.read = 0
        self.total = 0

    # ----------------------------------------------------------------- plumbing

    def warn(self, message: str) -> None:
        if len(self.result.warnings) < MAX_WARNINGS:
            self.result.warnings.append(message)
        else:
            self.result.warnings_dropped += 1

    def where(self, sheet: str, row: int, col: int | None = None, offset: int = 0) -> str:
        if col is None:
            return f"{self.file}:{sheet}!row {row + 1}"
        return f"{self.file}:{sheet}!{cell_ref(row, col + offset)}"

    def flush_events(self) -> None:
        self.bulk.insert(Event.__table__, audit.EVENT_COLUMNS, self.events)  # type: ignore[attr-defined]
        self.events = []

    def event(self, entity: str, entity_id: int, project_id: int | None, source: str, fld: str | None,
              old: Any, new: Any) -> None:
        self.events.append((entity, entity_id, project_id, self.at, self.ctx.actor, source, fld,
                            audit.as_text(old), audit.as_text(new)))

    def reject(self, sheet: _Sheet, rej: RejectedSheet, row_no: int, row: list[Any], errors: list[CellError],
               counts: SheetResult, context: dict[str, str] | None = None) -> None:
        offset = sheet.data.col_offset
        errors = sorted(errors, key=lambda e: e.col)
        for e in errors:
            self.result.errors.append(RowError(
                self.file, sheet.info.name, cell_ref(row_no, e.col + offset), row_no + 1,
                column_letter(e.col + offset), "" if e.value is None else (text_of(e.value) or ""), e.reason))
        counts.rejected += 1
        rej.rows.append((row_no, [_plain(v) for v in row], "；".join(e.reason for e in errors)))
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

    # ----------------------------------------------------------------- run

    def run(self) -> ImportResult:
        with open_book(self.path) as book:
            sheets = self.pick_sheets(book)
            self.total = sum(s.data.height for s in sheets)
            projects = [s for s in sheets if s.header.kind == "project"]
            self.prescan(projects)
            deferred = self.defer_indexes(sum(s.data.height for s in projects))
            for sheet in sorted(sheets, key=lambda s: (ORDER.index(s.header.kind), s.index)):
                self.process(sheet)
                sheet.data = SheetData(sheet.data.name, lambda: iter(()), 0)  # let the reader free it
                if deferred and sheet is projects[-1]:  # before anything reads the projects back
                    self.flush_events()
                    self.bulk.build_indexes(deferred)
                    deferred = []
        self.flush_events()
        if self.stated_problems:
            self.dropped_problems()
        if hasattr(self, "_names") and self.result.errors:
            self.ctx.session.flush()
            self._names.prune()
        self.ctx.source = self.saved_source
        r = self.result
        if self.signed:
            from zhaoshang.services.pending import unreviewed

            r.unreviewed, r.unreviewed_count = unreviewed(self.ctx.session, self.signed, self.ctx.today,
                                                          UNREVIEWED_LISTED)
        for s in r.sheets:
            r.inserted += s.inserted
            r.updated += s.updated
            r.unchanged += s.unchanged
            r.rejected += s.rejected
            r.rows_read += s.rows
        if self.progress is not None:
            self.progress(self.total, self.total)
        batch = ImportBatch(at=self.ctx.now, actor=self.ctx.actor, file_name=self.file, sha256=r.sha256,
                            sheet=",".join(s.sheet for s in r.sheets) or None, rows_read=r.rows_read,
                            inserted=r.inserted, updated=r.updated, unchanged=r.unchanged, rejected=r.rejected,
                            status="done")
        self.ctx.session.add(batch)
        self.ctx.session.flush()
        return r

    def defer_indexes(self, rows: int) -> list[Any]:
        """A large file into a ledger without projects: its project, milestone and event indexes are
        built after the rows are in (the milestone index by project stays: the audit JSON reads it)."""
        if rows < DEFER_INDEXES_MIN_ROWS or not self.fresh():
            return []
        return self.bulk.defer_indexes([Project.__table__, Milestone.__table__, Event.__table__],  # type: ignore[attr-defined]
                                       keep=("ix_milestone_project_id_kind",))

    def pick_sheets(self, book: Book) -> list[_Sheet]:
        wanted = self.options.sheet
        infos = book.sheets
        if wanted is not None:
            infos = [s for s in book.sheets if s.name == wanted] or \
                [s for s in book.sheets if normalize_text(s.name) == normalize_text(wanted)]
            if not infos:
                names = "、".join(s.name for s in book.sheets)
                raise BadValue(f"{self.file} 中没有工作表“{wanted}”。", f"有：{names}。")
        picked: list[_Sheet] = []
        for info in infos:
            if not info.visible and wanted is None:
                continue
            hint = sheet_hint(info.name)
            if hint == "notes" and wanted is None:
                continue
            data = book.sheet(info.name)
            head: list[tuple[int, list[Any]]] = []
            for row_no, row in data.rows():
                head.append((row_no, row))
                if row_no >= HEAD_ROWS + 1:
                    break
            if not any(any(v != "" and v is not None for v in r) for _, r in head):
                if wanted is not None:
                    raise BadValue(f"{self.file}:{info.name} 是空表。")
                continue
            # A sheet named for reviews or problems may still be a project ledger: the better header wins.
            kinds = ([hint, "project"] if hint in ("review", "problem") else [hint]) if hint in KINDS else list(KINDS)
            header = find_header(head, kinds, merged=data.merged, col_offset=data.col_offset,
                                 user_map=self.options.column_map, hidden=data.hidden_cols)
            if header is None and hint in KINDS:
                header = find_header(head, KINDS, merged=data.merged, col_offset=data.col_offset,
                                     user_map=self.options.column_map, hidden=data.hidden_cols)
            if header is None:
                if wanted is not None:
                    raise BadValue(f"{self.file}:{info.name} 找不到表头（需要“项目名称”等列）。",
                                   "表头要在前 30 行内；不认识的列名可以用 --map 文件指定。")
                self.warn(f"{self.file}:{info.name} 没有可识别的表头，已跳过")
                continue
            if header.kind == "target" and hint != "target" and "campaign" not in header.fields:
                # 责任单位 and figures but no 会战 and a sheet not named for targets: a summary
                # (汇总表) of what the units did, beside the ledger it sums.
                self.warn(f"{self.file}:{info.name} 是按单位的汇总表（没有项目名称，也没有会战名称），已跳过")
                continue
            for w in header.warnings:
                self.warn(f"{self.file}:{info.name} {w}")
            banner = read_banner(r for n, r in head if n < header.top)
            picked.append(_Sheet(info, data, header, banner, info.index))
        if not picked:
            raise BadValue(f"{self.file} 中没有可导入的台账。",
                           "需要一行表头（如 项目名称、投资方、总投资、签约时间），在前 30 行内；"
                           "不认识的列名可以用 --map 文件指定。")
        return picked

    def body(self, sheet: _Sheet) -> Iterator[tuple[int, list[Any]]]:
        """The rows under the header, each cell of a range merged down over several rows holding
        the range's value. A row whose project name comes from such a range (and that states no
        other code) continues the row above: `sheet.continued` names it as each row is reached."""
        bottom = sheet.header.bottom
        tops, below = _merged_below(sheet.data.merged, bottom, sheet.data.col_offset)
        if not below:
            for row_no, row in sheet.data.rows():
                if row_no > bottom:
                    yield row_no, row
            return
        name_col, code_col = sheet.header.fields.get("name"), sheet.header.fields.get("code")
        values: dict[tuple[int, int], Any] = {}
        for row_no, row in sheet.data.rows():
            if row_no <= bottom:
                continue
            for j in tops.get(row_no, ()):
                values[(row_no, j)] = row[j] if j < len(row) else None
            filled: dict[int, int] = {}
            for j, r0 in below.get(row_no, ()):
                value = values.get((r0, j))
                if value is None or value == "":
                    continue
                if j >= len(row):
                    row = [*row, *([""] * (j + 1 - len(row)))]
                if row[j] == "" or row[j] is None:
                    row[j] = value
                    filled[j] = r0
            if name_col in filled:
                top = filled[name_col]
                code_blank = code_col is None or code_col >= len(row) or row[code_col] in ("", None)
                if code_col in filled or code_blank:
                    sheet.continued[row_no] = top
            yield row_no, row

    # ----------------------------------------------------------------- duplicates

    def prescan(self, sheets: list[_Sheet]) -> None:
        """Which rows name the same project as a later row (in any sheet): only the last one counts.
        Keys are kept as 64-bit hashes, so memory stays small for a million rows."""
        seen: set[int] = set()
        latest: dict[int, tuple[int, int]] = {}
        pcodes: set[str] = set()
        codeless = False
        self.sheet_names = {sheet.index: sheet.info.name for sheet in sheets}
        for sheet in sheets:
            f = sheet.header.fields
            code_col, name_col, inv_col = f.get("code"), f["name"], f.get("investor")
            cells = sheet.header.cells
            for row_no, row in self.body(sheet):
                if row_no in sheet.continued:
                    continue
                kind, _ = classify(row, key_col=code_col, name_col=name_col, header_labels=cells)
                if kind != DATA:
                    continue
                key = _row_key(row, code_col, name_col, inv_col, f.get("unit"))
                if key is None:
                    continue
                if key[0] == "code":
                    if key[1].startswith("P-"):
                        pcodes.add(key[1])
                else:
                    codeless = True
                h = hash(key)
                if h in seen:
                    latest[h] = (sheet.index, row_no)
                else:
                    seen.add(h)
        self.latest = latest
        self.pcodes = pcodes if codeless else None

    # ----------------------------------------------------------------- sheets

    def process(self, sheet: _Sheet) -> None:
        counts = SheetResult(sheet.info.name, sheet.header.kind)
        self.result.sheets.append(counts)
        rej = RejectedSheet(sheet.info.name, sheet.header.kind, sheet.header.labels, sheet.banner)
        kind = sheet.header.kind
        if kind == "project":
            self.project_sheet(sheet, counts, rej)
        elif kind == "milestone":
            self.milestone_sheet(sheet, counts, rej)
        elif kind == "review":
            self.review_sheet(sheet, counts, rej)
        elif kind == "problem":
            self.problem_sheet(sheet, counts, rej)
        else:
            self.district_sheet(sheet, counts, rej)
        if rej.rows:
            self.result.rejected_sheets.append(rej)

    def project_sheet(self, sheet: _Sheet, counts: SheetResult, rej: RejectedSheet) -> None:
        from zhaoshang.services.stages import word_map

        words = word_map(self.ctx.session) | self.options.stage_words
        sheet_stage = sheet_stage_of(sheet.info.name) or sheet_stage_of(sheet.banner.title or "")
        parser = ProjectParser(sheet.header, sheet.banner, year=self.options.year, stage_words=words,
                               resolve=self.names(), sheet_stage=sheet_stage, today=self.ctx.today)
        if "unit" not in sheet.header.fields and parser.reporting_unit is None:
            # One sheet per unit (税郭镇, 孟庄镇 …) and no 责任单位 column: a sheet named for a unit of the
            # ledger is that unit's. Any other sheet name is not taken for a unit.
            try:
                unit = self.names().find("unit", sheet.info.name.strip())
            except ValueError:
                unit = None
            if unit is not None:
                parser.reporting_unit = unit
                self.warn(f"{self.file}:{sheet.info.name} 没有责任单位列：按工作表名记为“{unit}”的项目")
        if parser.unit_assumed and "amount" in sheet.header.fields:
            label = sheet.header.labels[sheet.header.fields["amount"]]
            self.warn(f"{self.file}:{sheet.info.name} “{label}”列没有注明单位，不带单位的数按亿元读")
        self._project_rows(sheet, counts, rej, parser)
        if parser.no_stage_rows:
            self.warn(f"{self.file}:{sheet.info.name} 有 {parser.no_stage_rows} 行没有阶段和日期，按“线索”录入")

    def _project_rows(self, sheet: _Sheet, counts: SheetResult, rej: RejectedSheet, parser: ProjectParser) -> None:
        f = sheet.header.fields
        code_col, name_col = f.get("code"), f["name"]
        prose = frozenset(f[k] for k in ("progress", "note", "investor", "problem", "problem_extra",
                                         "problem_resolution") if k in f)
        cells = sheet.header.cells
        batch: list[ProjectRow] = []
        size = self.options.batch_size
        offset = sheet.data.col_offset
        latest = self.latest
        previous: ProjectRow | None = None  # the last row taken, while rows below may continue it
        raw: dict[int, list[Any]] = {}  # the batch's rows as read, for a row the matching refuses
        for row_no, row in self.body(sheet):
            top = sheet.continued.get(row_no)
            if top is not None:
                if previous is not None and previous.row == top:
                    self.continue_row(sheet, previous, row, row_no, parser, counts, rej)
                continue
            previous = None
            if len(batch) >= size:
                self.apply_projects(sheet, batch, counts, rej, raw)
                batch, raw = [], {}
            kind, label = classify(row, key_col=code_col, name_col=name_col, prose=prose, header_labels=cells)
            if kind == DATA and (known := self.known_heading(row, name_col)) is not None:
                kind, label = SECTION, known
            if kind != DATA:
                if kind == SECTION and label is not None:
                    parser.section(label)
                continue
            self.tick()
            self.source = f"{self.file}:{sheet.info.name}!row {row_no + 1}"
            counts.rows += 1
            parsed, errors = parser.parse(row, row_no)
            if latest:
                key = _row_key(row, code_col, name_col, f.get("investor"), f.get("unit"))
                last = latest.get(hash(key)) if key is not None else None
                if last is not None and last != (sheet.index, row_no):
                    later = f"第 {last[1] + 1} 行" if last[0] == sheet.index else \
                        f"{self.sheet_names.get(last[0], '')}!row {last[1] + 1}"
                    self.warn(f"{self.where(sheet.info.name, row_no)}：与后面的{later}"
                              f"是同一项目（{_key_text(key)}），以后者为准")
                    continue
            if errors or parsed is None:
                # What the sections above the row gave it, so that the fixed row imports alike.
                ctx = {k: v for k, v, field_ in (("所属产业链", parser.section_chain, "chain"),
                                                  ("责任单位", parser.section_unit, "unit"),
                                                  ("项目阶段", STAGE_ZH.get(parser.section_stage or ""), "stage"))
                       if v and field_ not in f} or None
                self.reject(sheet, rej, row_no, row, errors, counts, ctx)
                continue
            for col_, message in parsed.warnings:
                self.warn(f"{self.where(sheet.info.name, row_no, col_, offset)}：{message}")
            batch.append(parsed)
            raw[row_no] = row
            previous = parsed
        self.apply_projects(sheet, batch, counts, rej, raw)

    def known_heading(self, row: list[Any], name_col: int) -> str | None:
        """A row whose only words are, in or before the name column, the name of a unit or chain the
        ledger has (区城市建设投资集团, 锂电新能源产业链): that unit's or chain's block heading, even
        with its subtotal beside it."""
        words = [(j, v.strip()) for j, v in enumerate(row)
                 if isinstance(v, str) and v.strip() and not is_figure(v.strip())]
        if len(words) != 1 or words[0][0] > name_col:
            return None
        text = words[0][1]
        names = self.names()
        for kind in ("unit", "chain"):
            try:
                if text in names.ids[kind] or names.find(kind, text) is not None:
                    return text
            except ValueError:
                continue
        return None

    def continue_row(self, sheet: _Sheet, previous: ProjectRow, row: list[Any], row_no: int,
                     parser: ProjectParser, counts: SheetResult, rej: RejectedSheet) -> None:
        """A row under a project whose name is merged down over it: it adds its 存在问题 to the
        project; what else it states differently from the project's first row is not taken."""
        self.source = f"{self.file}:{sheet.info.name}!row {row_no + 1}"
        parsed, errors = parser.parse(row, row_no)
        if errors or parsed is None:
            counts.rows += 1
            self.reject(sheet, rej, row_no, row, errors, counts, None)
            return
        if parsed.problem is not None:
            previous.more_problems.append((row_no, parsed.problem))
        differs = [k for k, v in parsed.values.items() if k in previous.values and previous.values[k] != v
                   and k not in ("progress", "note")]
        if differs:
            labels = "、".join(FIELD_ZH.get(k, k) for k in differs)
            first = previous.row + 1
            self.warn(f"{self.where(sheet.info.name, row_no)}：与第 {first} 行是同一项目（项目名称为合并单元格），"
                      f"只取其存在问题；{labels}以第 {first} 行为准")

    def names(self) -> Names:
        if not hasattr(self, "_names"):
            self._names = Names(self)
        return self._names

    # ----------------------------------------------------------------- projects

    def apply_projects(self, sheet: _Sheet, batch: list[ProjectRow], counts: SheetResult, rej: RejectedSheet,
                       raw: dict[int, list[Any]]) -> None:
        if not batch:
            return
        matched, new, ambiguous = self.match(batch)
        for r, pids in ambiguous:
            codes = "、".join(self.conn.execute(select(Project.code).where(  # type: ignore[arg-type]
                Project.id.in_(pids)).order_by(Project.code)).scalars())
            reason = f"账本中有 {len(pids)} 个同名同投资方的项目（{codes}），请填项目编号"
            self.reject(sheet, rej, r.row, raw.get(r.row, []), [CellError(sheet.header.fields["name"], r.name, reason)],
                        counts)
        matched, new = self.only_own_units(sheet, matched, new, counts, rej, raw)
        # Bulk writes pass by the session's checks: a declared clerk imports only their units' rows.
        users.require_units(self.ctx, {r.values.get("unit_id") for r in new}
                            | {r.values["unit_id"] for r, _ in matched if "unit_id" in r.values})
        users.require_projects(self.ctx, {pid for _, pid in matched})
        if new:
            pids = self.insert_projects(sheet, new, counts)
            matched_new = list(zip(new, pids, strict=True))
        else:
            matched_new = []
        if matched:
            self.update_projects(sheet, matched, counts)
        if "problem" in sheet.header.fields:
            self.row_problems(sheet, [*matched_new, *matched])
        self.flush_events()

    def only_own_units(self, sheet: _Sheet, matched: list[tuple[ProjectRow, int]], new: list[ProjectRow],
                       counts: SheetResult, rej: RejectedSheet, raw: dict[int, list[Any]],
                       ) -> tuple[list[tuple[ProjectRow, int]], list[ProjectRow]]:
        """A clerk imports the city's workbook with their rows filled in: the other units' rows that
        change nothing are passed over (unchanged), those that would change something are row errors
        naming the unit, and the clerk's own rows land. Admins and names that are no user are not
        restricted; a viewer's import is refused as a whole (by the checks after this)."""
        if not hasattr(self, "_rights"):
            self._rights = users.rights_of(self.ctx.session, self.ctx.actor)
        rights = self._rights
        if rights is None or rights.role != "clerk":
            return matched, new
        own = rights.unit_ids
        unit_col = sheet.header.fields.get("unit", sheet.header.fields["name"])
        names = self.names().ids["unit"]  # the import's own map of units, kept as it creates them
        names = {i: n for n, i in names.items()}

        def refuse(r: ProjectRow, unit_id: int | None, verb: str) -> None:
            whose = f"{names.get(unit_id, '')}的" if unit_id is not None else "未指定责任单位的"
            self.reject(sheet, rej, r.row, raw.get(r.row, []), [CellError(
                unit_col, names.get(unit_id, ""), f"{rights.user}（填报员）无权{verb}{whose}项目")], counts)

        kept_new = []
        for r in new:
            if r.values.get("unit_id") in own:
                kept_new.append(r)
            else:
                refuse(r, r.values.get("unit_id"), "新增")
        if not matched:
            return matched, kept_new
        P = Project.__table__  # type: ignore[attr-defined]
        units = {i: u for i, u in self.conn.execute(
            select(P.c.id, P.c.unit_id).where(P.c.id.in_([pid for _, pid in matched])))}
        foreign = [(r, pid) for r, pid in matched
                   if units.get(pid) not in own or r.values.get("unit_id", units.get(pid)) not in own]
        if not foreign:
            return matched, kept_new
        changing = self.update_projects(sheet, foreign, counts, probe=True)
        for r, pid in foreign:
            if pid in changing:
                refuse(r, units.get(pid) if units.get(pid) not in own else r.values.get("unit_id"), "修改")
            else:
                counts.unchanged += 1
        skip = {id(r) for r, _ in foreign}
        return [(r, pid) for r, pid in matched if id(r) not in skip], kept_new

    def row_problems(self, sheet: _Sheet, rows: list[tuple[ProjectRow, int]]) -> None:
        """The batch's 存在问题 cells, recorded in one pass."""
        file_sheet = f"{self.file}:{sheet.info.name}!row "
        problems = [ProblemRow(pid, c.text, c.owner_unit_id, c.due_on, c.raised_on, file_sheet + str(row + 1),
                               c.resolved_on, c.resolution)
                    for r, pid in rows
                    for row, c in ([(r.row, r.problem)] if r.problem is not None else []) + r.more_problems]
        if problems:
            self.result.problems.add(record_problems(self.ctx, problems, self.bulk))
        if not self.fresh():
            for r, pid in rows:
                stated = self.stated_problems.setdefault(pid, set())
                for _row, c in ([(r.row, r.problem)] if r.problem is not None else []) + r.more_problems:
                    stated.update(problem_key(t) for t in split_problems(c.text))

    def dropped_problems(self) -> None:
        """Open problems of this file's projects that their rows no longer state (a clerk edits or
        clears the 存在问题 cell once it is solved): said, never resolved by guess."""

        table = Problem.__table__  # type: ignore[attr-defined]
        pids = sorted(self.stated_problems)
        dropped = []
        for i in range(0, len(pids), 900):
            query = (select(table.c.id, table.c.project_id, table.c.text, Project.__table__.c.code)  # type: ignore[attr-defined]
                     .join(Project.__table__, Project.__table__.c.id == table.c.project_id)  # type: ignore[attr-defined]
                     .where(table.c.project_id.in_(pids[i:i + 900]), table.c.resolved_on.is_(None))
                     .order_by(table.c.id))
            dropped += [(pid_, code, ident, text) for ident, pid_, text, code in self.conn.execute(query)
                        if problem_key(text) not in self.stated_problems[pid_]]
        for _pid, code, ident, text in dropped[:20]:
            self.warn(f"{code} 的问题 #{ident}“{text}”本表已不再列出，账本中仍未解决"
                      f"（已解决请用 zs problems resolve {ident} --note …）")
        if len(dropped) > 20:
            self.warn(f"另有 {len(dropped) - 20} 个未解决问题本表已不再列出（zs problems list --open 查看）")

    def match(self, batch: list[ProjectRow]) -> tuple[list[tuple[ProjectRow, int]], list[ProjectRow],
                                                      list[tuple[ProjectRow, list[int]]]]:
        """Existing projects by code, else by name + investor (else by name alone where one side
        names no investor): one query each per batch. A row without a code that fits several
        projects matches none of them: it is returned as ambiguous (the clerk must give the code)."""
        if self.fresh():
            return [], batch, []
        P = Project.__table__  # type: ignore[attr-defined]
        codes = [r.code for r in batch if r.code]
        by_code: dict[str, int] = {}
        for i in range(0, len(codes), 5000):
            by_code.update(dict(self.conn.execute(  # type: ignore[arg-type]
                select(P.c.code, P.c.id).where(P.c.code.in_(codes[i:i + 5000]))).all()))
        rest = [r for r in batch if not r.code or r.code not in by_code]
        by_name: dict[tuple[str, str | None], list[int]] = {}
        if rest:
            wanted = list({r.name for r in rest})
            for i in range(0, len(wanted), 5000):
                for pid, name, investor in self.conn.execute(
                        select(P.c.id, P.c.name, P.c.investor).where(P.c.name.in_(wanted[i:i + 5000]))):
                    by_name.setdefault((name, investor), []).append(pid)
        matched, new, ambiguous = [], [], []
        for r in batch:
            pid = by_code.get(r.code) if r.code else None
            if pid is None:
                candidates = by_name.get((r.name, r.values.get("investor"))) or \
                    self.name_index().get(name_investor_key(r.name, r.values.get("investor"))) or \
                    self.blank_investor_match(r)
                free = [p for p in candidates if p not in self.claimed_projects]
                if len(free) > 1:  # same name, told apart by unit
                    free = self.of_unit(free, r.values.get("unit_id")) or free
                if len(free) == 1:
                    pid = free[0]
                    if r.code:
                        r.values["code"] = r.code
                elif len(free) > 1 and not r.code:
                    ambiguous.append((r, free))
                    continue
            if pid is None:
                new.append(r)
            else:
                self.claimed_projects.add(pid)
                matched.append((r, pid))
        return matched, new, ambiguous

    def blank_investor_match(self, r: ProjectRow) -> list[int]:
        """The ledger's projects of the row's name where the row or the ledger leaves the investor
        blank (a clerk filling it in next week, or leaving it out): a match only if it is the one."""
        self.name_index()
        found = self._name_only.get(normalize_text(r.name), [])
        if r.values.get("investor"):
            found = [(pid, investor) for pid, investor in found if not investor]
        pids = [pid for pid, _ in found]
        if len(pids) > 1:  # told apart by their unit
            pids = self.of_unit(pids, r.values.get("unit_id"))
        return pids if len(pids) == 1 else []

    def of_unit(self, pids: list[int], unit_id: int | None) -> list[int]:
        """Those of the projects that belong to the unit (none when the row names no unit)."""
        if unit_id is None:
            return []
        P = Project.__table__  # type: ignore[attr-defined]
        return [p for p, u in self.conn.execute(select(P.c.id, P.c.unit_id).where(P.c.id.in_(pids))) if u == unit_id]

    def name_index(self) -> dict[tuple, list[int]]:
        """The ledger's projects by name and investor as a row without a code is matched (see
        name_investor_key); read once, when a row does not match any name exactly."""
        if self._name_index is None:
            P = Project.__table__  # type: ignore[attr-defined]
            self._name_index = {}
            for pid, name, investor in self.conn.execute(select(P.c.id, P.c.name, P.c.investor)):
                self._name_index.setdefault(name_investor_key(name, investor), []).append(pid)
                self._name_only.setdefault(normalize_text(name), []).append((pid, investor))
        return self._name_index

    def auto_codes(self, ids: list[int]) -> list[str]:
        """Codes for rows that have none: P-0042 from the new id (as add-project does), never one the
        ledger or this file already uses."""
        codes = [f"P-{pid:04d}" for pid in ids]
        P = Project.__table__  # type: ignore[attr-defined]
        for _ in range(20):
            taken = {c for c in codes if self.pcodes and c in self.pcodes}
            if not self.fresh():  # in a fresh ledger only this file's codes can clash, and ids are new
                taken |= set(self.conn.execute(select(P.c.code).where(P.c.code.in_(codes))).scalars().all())
            if len(set(codes)) < len(codes):
                taken |= {c for c in codes if codes.count(c) > 1}
            if not taken:
                return codes
            codes = [c if c not in taken else f"{c}-{n}" for n, c in enumerate(codes, 2)]
        raise Conflict("无法为没有编号的项目生成编号。")  # pragma: no cover

    def insert_projects(self, sheet: _Sheet, rows: list[ProjectRow], counts: SheetResult) -> list[int]:
        """New projects and their milestones in bulk, then one audit event per project whose JSON the
        database builds from the rows just written (the project, its milestones, the amount's text)."""
        bulk = self.bulk
        day = bulk.day
        pids = bulk.ids(Project.__table__, len(rows))  # type: ignore[attr-defined]
        n_ms = sum(len(r.dates) + sum(1 for k in r.plans if k not in r.dates) for r in rows)
        mids = iter(bulk.ids(Milestone.__table__, n_ms))  # type: ignore[attr-defined]
        codeless = [i for i, r in enumerate(rows) if not r.code]
        auto = dict(zip(codeless, self.auto_codes([pids[i] for i in codeless]), strict=True)) if codeless else {}
        stamp = self.at
        file_sheet = f"{self.file}:{sheet.info.name}!row "
        projects, milestones, events = [], [], []
        blank_warn = "amount" in sheet.header.fields
        for i, r in enumerate(rows):
            pid = pids[i]
            v = r.values
            get = v.get
            projects.append((pid, r.code or auto[i], r.name, get("investor"), get("investment_wan"),
                             get("investment_usd_wan"), get("chain_id"), get("unit_id"), get("source_region"),
                             get("marshal", False), r.stage, get("sector"), get("progress"), get("note"), stamp, stamp))
            plans = r.plans
            for kind, when in r.dates.items():
                plan = plans.get(kind) if plans else None
                milestones.append((next(mids), pid, kind, day(plan[0]) if plan else None, plan[1] if plan else None,
                                   True, day(when[0]) if when else None, when[1] if when else None, None))
            for kind, plan in plans.items():
                if kind not in r.dates:
                    milestones.append((next(mids), pid, kind, day(plan[0]), plan[1], False, None, None, None))
            events.append((pid, file_sheet + str(r.row + 1), r.amount_text))
            if r.stage in SIGNED_OR_LATER:
                self.signed.append(pid)
            if blank_warn and r.amount_blank:
                self.warn(f"{self.where(sheet.info.name, r.row, sheet.header.fields['amount'], sheet.data.col_offset)}"
                          f"：“{r.name}”总投资空白，按未知录入")
        bulk.insert(Project.__table__, PROJECT_COLS, projects)  # type: ignore[attr-defined]
        bulk.insert(Milestone.__table__, MILESTONE_COLS, milestones)  # type: ignore[attr-defined]
        self.project_events(events)
        counts.inserted += len(rows)
        return pids

    def project_events(self, rows: list[tuple[int, str, str | None]]) -> None:
        """One event per inserted project: (project id, source, the amount cell's text)."""
        if self.bulk.sqlite:
            per = max(1, min(ROWS_PER_STATEMENT, (self.bulk.max_vars - 4) // 3))
            for start in range(0, len(rows), per):
                chunk = rows[start:start + per]
                sql = _SQLITE_PROJECT_EVENTS.replace("{values}", ", ".join(["(?, ?, ?)"] * len(chunk)))
                params = [self.at, self.ctx.actor, self.now_iso, self.now_iso]
                params.extend(itertools.chain.from_iterable(chunk))
                self.conn.exec_driver_sql(sql, tuple(params))
        else:
            from sqlalchemy import text as sql

            self.conn.execute(sql(_PG_PROJECT_EVENT), [
                {"at": self.ctx.now, "actor": self.ctx.actor, "source": source, "now": self.now_iso,
                 "amount_text": text, "pid": pid} for pid, source, text in rows])

    def update_projects(self, sheet: _Sheet, rows: list[tuple[ProjectRow, int]], counts: SheetResult, *,
                        probe: bool = False) -> set[int]:
        """Apply the rows to their projects and milestones; returns the projects that change. With
        `probe`, only find which would change: nothing is written, counted or recorded."""
        P = Project.__table__  # type: ignore[attr-defined]
        M = Milestone.__table__  # type: ignore[attr-defined]
        ids = [pid for _, pid in rows]
        current = {row.id: dict(row._mapping) for row in self.conn.execute(select(P).where(P.c.id.in_(ids)))}
        stones: dict[int, list[dict]] = {}
        for m in self.conn.execute(select(M).where(M.c.project_id.in_(ids)).order_by(M.c.id)):
            stones.setdefault(m.project_id, []).append(dict(m._mapping))
        project_updates: list[dict] = []
        milestone_updates: list[dict] = []
        new_milestones: list[dict] = []
        changing: set[int] = set()
        start = len(self.events)
        for r, pid in rows:
            source = f"{self.file}:{sheet.info.name}!row {r.row + 1}"
            cur = current[pid]
            changes: dict[str, Any] = {}
            for key, value in r.values.items():
                if key in PROJECT_FIELDS and cur[key] != value:
                    changes[key] = value
            ms = stones.get(pid, [])
            stage = self.next_stage(cur, r, source)
            if stage != cur["stage"]:
                changes["stage"] = stage
            if stage in SIGNED_OR_LATER and not probe:
                self.signed.append(pid)
            before = len(self.events)
            for key, value in changes.items():
                self.event("project", pid, pid, source, key, cur[key], value)
            dates = dict(r.dates)
            for kind, when in dates.items():
                if when is None and not (kind == stage and kind != cur["stage"]):
                    continue
                self.set_done(pid, ms, kind, when, source, milestone_updates, new_milestones)
            for kind, plan in r.plans.items():
                self.set_plan(pid, ms, kind, plan, source, milestone_updates, new_milestones)
            if len(self.events) > before or (new_milestones and new_milestones[-1]["project_id"] == pid):
                changing.add(pid)
            if probe:
                continue
            if changes:
                project_updates.append({"id": pid, **changes, "updated_at": self.ctx.now})
            if len(self.events) > before:
                counts.updated += 1
                if not changes:
                    project_updates.append({"id": pid, "updated_at": self.ctx.now})
            else:
                counts.unchanged += 1
        if probe:
            del self.events[start:]
            return changing
        self.bulk.update(P, project_updates)
        self.bulk.update(M, milestone_updates)
        if new_milestones:
            mids = self.bulk.ids(M, len(new_milestones))
            rows_ = []
            for mid, m in zip(mids, new_milestones, strict=True):
                m["id"] = mid
                rows_.append(tuple(self.bulk.day(m[c]) if c in ("planned_on", "done_on") else m[c]
                                   for c in MILESTONE_COLS))
                self.event("milestone", mid, m["project_id"], m.pop("_source"), None, None, _milestone_json(m))
            self.bulk.insert(M, MILESTONE_COLS, rows_)
        return changing

    def next_stage(self, cur: dict, r: ProjectRow, source: str) -> str:
        """Forward moves (and termination) apply; a row behind the ledger keeps the ledger's stage."""
        old, new = cur["stage"], r.stage
        if new == old or not r.stage_stated:
            if not r.stage_stated and old != TERMINATED and new in STAGE_RANK and STAGE_RANK[new] > STAGE_RANK[old]:
                return new  # a section's or sheet's stage moving it forward
            return old
        if new == TERMINATED:
            return new
        if old == TERMINATED or STAGE_RANK[new] < STAGE_RANK[old]:
            self.warn(f"{source}：台账中“{cur['code']}”为{STAGE_ZH[old]}，文件为{STAGE_ZH[new]}：保留{STAGE_ZH[old]}"
                      "（退回请用 zs projects advance --force）")
            return old
        if r.dates.get(new) is None:
            self.warn(f"{source}：“{cur['code']}”推进到{STAGE_ZH[new]}，但没有{STAGE_ZH[new]}日期：不计入任何统计期")
        return new

    def set_done(self, pid: int, ms: list[dict], kind: str, when: tuple[dt.date, str] | None, source: str,
                 updates: list[dict], inserts: list[dict]) -> None:
        found = _stage_milestone(ms, kind)
        day, precision = (when if when else (None, None))
        if found is None:
            m = {"project_id": pid, "kind": kind, "planned_on": None, "planned_precision": None, "done": True,
                 "done_on": day, "precision": precision, "note": None, "_source": source}
            ms.append(m)
            inserts.append(m)
            return
        changes: dict[str, Any] = {}
        if not found["done"]:
            changes["done"] = True
        if when is not None:  # only what differs: an unchanged precision is not a change
            changes.update({k: v for k, v in (("done_on", day), ("precision", precision)) if found[k] != v})
        self._milestone_changes(pid, found, changes, source, updates)

    def set_plan(self, pid: int, ms: list[dict], kind: str, plan: tuple[dt.date, str], source: str,
                 updates: list[dict], inserts: list[dict]) -> None:
        found = _stage_milestone(ms, kind)
        if found is None:
            m = {"project_id": pid, "kind": kind, "planned_on": plan[0], "planned_precision": plan[1], "done": False,
                 "done_on": None, "precision": None, "note": None, "_source": source}
            ms.append(m)
            inserts.append(m)
            return
        changes = {k: v for k, v in (("planned_on", plan[0]), ("planned_precision", plan[1])) if found[k] != v}
        self._milestone_changes(pid, found, changes, source, updates)

    def _milestone_changes(self, pid: int, m: dict, changes: dict, source: str, updates: list[dict]) -> None:
        if not changes:
            return
        for key, value in changes.items():
            if "id" in m:
                self.event("milestone", m["id"], pid, source, key, m[key], value)
            m[key] = value
        if "id" in m:
            updates.append({"id": m["id"], **changes})

    # ----------------------------------------------------------------- milestones sheet

    def milestone_sheet(self, sheet: _Sheet, counts: SheetResult, rej: RejectedSheet) -> None:
        from zhaoshang.services.milestones import parse_kind

        p = dparse.RowParser(sheet.header, sheet.banner, self.options.year)
        f = sheet.header.fields
        batch: list[tuple[int, list[Any], dict]] = []
        for row_no, row in self.body(sheet):
            kind, _ = classify(row, key_col=f.get("code"), name_col=f.get("name"), header_labels=sheet.header.cells)
            if kind != DATA:
                continue
            self.tick()
            counts.rows += 1
            parsed, errors = dparse.parse_milestone(p, row)
            if parsed is not None:
                try:
                    parsed["kind"] = parse_kind(parsed["kind"])
                except BadValue as exc:
                    parsed, errors = None, [CellError(p.col("kind"), row[p.col("kind")], exc.message)]
            if parsed is None:
                self.reject(sheet, rej, row_no, row, errors, counts)
                continue
            batch.append((row_no, row, parsed))
            if len(batch) >= self.options.batch_size:
                self.apply_milestones(sheet, rej, p, batch, counts)
                batch = []
        self.apply_milestones(sheet, rej, p, batch, counts)

    def lookup_projects(self, items: list[dict]) -> tuple[dict[str, int], dict[str, list[int]]]:
        """The projects rows name (by code, else by name): one query each for a batch."""
        P = Project.__table__  # type: ignore[attr-defined]
        codes = list({m["code"] for m in items if m["code"]})
        names = list({m["name"] for m in items if not m["code"] and m["name"]})
        by_code: dict[str, int] = {}
        for i in range(0, len(codes), 5000):
            by_code.update(dict(self.conn.execute(  # type: ignore[arg-type]
                select(P.c.code, P.c.id).where(P.c.code.in_(codes[i:i + 5000]))).all()))
        by_name: dict[str, list[int]] = {}
        for i in range(0, len(names), 5000):
            for pid, name in self.conn.execute(select(P.c.id, P.c.name).where(P.c.name.in_(names[i:i + 5000]))):
                by_name.setdefault(name, []).append(pid)
        return by_code, by_name

    def project_of(self, m: dict, by_code: dict[str, int], by_name: dict[str, list[int]], sheet: _Sheet,
                   rej: RejectedSheet, p: dparse.RowParser, row_no: int, row: list[Any],
                   counts: SheetResult) -> int | None:
        """The project a row of a 项目节点, 联审 or 问题协调 sheet belongs to (by code, else a unique
        name); None after rejecting the row."""
        if m["code"]:
            pid = by_code.get(m["code"])
            if pid is None:
                self.reject(sheet, rej, row_no, row, [CellError(p.col("code"), m["code"],
                                                                f"项目编号“{m['code']}”不存在")], counts)
            return pid
        found = by_name.get(m["name"], [])
        if len(found) != 1:
            why = "不存在" if not found else "有重名，请填项目编号"
            self.reject(sheet, rej, row_no, row, [CellError(p.col("name"), m["name"], f"项目“{m['name']}”{why}")],
                        counts)
            return None
        return found[0]

    def linked(self, sheet: _Sheet, rej: RejectedSheet, p: dparse.RowParser,
               batch: list[tuple[int, list[Any], dict]], counts: SheetResult) -> Iterator[tuple[int, dict, str]]:
        """Each row of a batch whose project is found, with that project and where the row stands."""
        by_code, by_name = self.lookup_projects([m for _, _, m in batch])
        for row_no, row, m in batch:
            pid = self.project_of(m, by_code, by_name, sheet, rej, p, row_no, row, counts)
            if pid is not None:
                yield pid, m, self.where(sheet.info.name, row_no)

    # ----------------------------------------------------------------- review and problem sheets

    def linked_rows(self, sheet: _Sheet, counts: SheetResult, rej: RejectedSheet, parse: Callable,
                    check: Callable, apply: Callable) -> None:
        """Rows that belong to a project, parsed and checked row by row, applied a batch at a time."""
        p = dparse.RowParser(sheet.header, sheet.banner, self.options.year)
        f = sheet.header.fields
        prose = frozenset(f[k] for k in ("text", "note", "resolution") if k in f)
        first_error, first_rejected = len(self.result.errors), len(rej.rows)
        batch: list[tuple[int, list[Any], dict]] = []
        for row_no, row in self.body(sheet):
            kind, _ = classify(row, key_col=f.get("code"), name_col=f.get("name"), prose=prose,
                               header_labels=sheet.header.cells)
            if kind != DATA:
                continue
            self.tick()
            counts.rows += 1
            parsed, errors = parse(p, row)
            if parsed is not None:
                try:
                    check(parsed)
                except CellError as exc:
                    parsed, errors = None, [exc]
            if parsed is None:
                self.reject(sheet, rej, row_no, row, errors, counts)
                continue
            batch.append((row_no, row, parsed))
            if len(batch) >= self.options.batch_size:
                apply(sheet, rej, p, batch, counts)
                batch = []
        if batch:
            apply(sheet, rej, p, batch, counts)
        # Rows rejected while parsing and rows whose project was not found: in row order.
        self.result.errors[first_error:] = sorted(self.result.errors[first_error:], key=lambda e: e.row)
        rej.rows[first_rejected:] = sorted(rej.rows[first_rejected:], key=lambda r: r[0])

    def review_sheet(self, sheet: _Sheet, counts: SheetResult, rej: RejectedSheet) -> None:
        from zhaoshang.services.criteria import CriteriaIndex

        index = CriteriaIndex(self.ctx.session, self.ctx.today)
        f = sheet.header.fields

        def check(m: dict) -> None:
            verdict = verdict_of(m["verdict"])
            if verdict is None:
                raise CellError(f["verdict"], m["verdict"],
                                f"联审结论“{m['verdict']}”无法识别（可用：通过、有条件通过、不通过）")
            m["verdict"] = verdict
            try:
                m["criterion"] = index.match(m["criterion"], m["reviewed_on"])
            except ValueError as exc:
                raise CellError(f["criterion"], m["criterion"], str(exc)) from None

        self.linked_rows(sheet, counts, rej, dparse.parse_review, check, self.apply_reviews)

    def apply_reviews(self, sheet: _Sheet, rej: RejectedSheet, p: dparse.RowParser,
                      batch: list[tuple[int, list[Any], dict]], counts: SheetResult) -> None:
        from zhaoshang.services.review import ReviewRow, record_reviews

        rows = [ReviewRow(pid, m["criterion"], m["verdict"], m["reviewed_on"], m["reviewer"], m["note"], source)
                for pid, m, source in self.linked(sheet, rej, p, batch, counts)]
        for outcome in record_reviews(self.ctx, rows, self.claimed_reviews, self.bulk):
            setattr(counts, outcome, getattr(counts, outcome) + 1)

    def problem_sheet(self, sheet: _Sheet, counts: SheetResult, rej: RejectedSheet) -> None:
        f = sheet.header.fields
        names = self.names()

        def check(m: dict) -> None:
            m["owner_unit_id"] = None
            if m["owner"]:
                try:
                    m["owner_unit_id"] = names("unit", m["owner"])
                except ValueError as exc:
                    raise CellError(f["owner"], m["owner"], str(exc)) from None

        self.linked_rows(sheet, counts, rej, dparse.parse_problem, check, self.apply_problems)

    def apply_problems(self, sheet: _Sheet, rej: RejectedSheet, p: dparse.RowParser,
                       batch: list[tuple[int, list[Any], dict]], counts: SheetResult) -> None:
        rows = [ProblemRow(pid, m["text"], m["owner_unit_id"], m["due_on"], m["raised_on"], source, m["resolved_on"],
                           m["resolution"])
                for pid, m, source in self.linked(sheet, rej, p, batch, counts)]
        done = record_problems(self.ctx, rows, self.bulk, split=False)
        counts.inserted += done.inserted
        counts.updated += done.updated
        counts.unchanged += done.unchanged

    def apply_milestones(self, sheet: _Sheet, rej: RejectedSheet, p: dparse.RowParser,
                         batch: list[tuple[int, list[Any], dict]], counts: SheetResult) -> None:
        """Each row is one milestone of a project (by code, else a unique name): an identical one is
        left alone, one of the same kind and state takes the row's values, else it is added."""
        if not batch:
            return
        M = Milestone.__table__  # type: ignore[attr-defined]
        by_code, by_name = self.lookup_projects([m for _, _, m in batch])
        pids = set(by_code.values()) | {i for ids in by_name.values() for i in ids}
        users.require_projects(self.ctx, pids)
        stones: dict[int, list[dict]] = {}
        for m in self.conn.execute(select(M).where(M.c.project_id.in_(pids)).order_by(M.c.id)):
            stones.setdefault(m.project_id, []).append(dict(m._mapping))
        updates: list[dict] = []
        inserts: list[dict] = []
        for row_no, row, m in batch:
            source = self.where(sheet.info.name, row_no)
            pid = self.project_of(m, by_code, by_name, sheet, rej, p, row_no, row, counts)
            if pid is None:
                continue
            want = {"kind": m["kind"], "done": m["done"],
                    "done_on": m["done_on"][0] if m["done_on"] else None,
                    "precision": m["done_on"][1] if m["done_on"] else None,
                    "planned_on": m["planned"][0] if m["planned"] else None,
                    "planned_precision": m["planned"][1] if m["planned"] else None, "note": m["note"]}
            ms = stones.setdefault(pid, [])
            claimed = self.claimed_milestones
            free = [x for x in ms if not x.get("_taken") and x.get("id") not in claimed and x["kind"] == want["kind"]]
            same = next((x for x in free if all(x[k] == want[k] for k in want)), None) or \
                next((x for x in free if (x["done"], x["done_on"], x["precision"]) ==
                      (want["done"], want["done_on"], want["precision"])), None) or \
                next((x for x in free if x["done"] == want["done"] and (x["kind"] in STAGE_RANK or not x["done"])),
                     None)
            if same is None:
                new = {"project_id": pid, **want, "_source": source, "_taken": True}
                ms.append(new)
                inserts.append(new)
                counts.inserted += 1
                continue
            same["_taken"] = True
            if "id" in same:
                claimed.add(same["id"])
            changes = {k: v for k, v in want.items() if same[k] != v}
            if changes:
                self._milestone_changes(pid, same, changes, source, updates)
                counts.updated += 1
            else:
                counts.unchanged += 1
        self.bulk.update(M, updates)
        if inserts:
            mids = self.bulk.ids(M, len(inserts))
            rows_ = []
            for mid, new in zip(mids, inserts, strict=True):
                new["id"] = mid
                self.claimed_milestones.add(mid)
                rows_.append(tuple(self.bulk.day(new[c]) if c in ("planned_on", "done_on") else new[c]
                                   for c in MILESTONE_COLS))
                self.event("milestone", mid, pid_of(new), new.pop("_source"), None, None, _milestone_json(new))
            self.bulk.insert(M, MILESTONE_COLS, rows_)
        self.flush_events()

    # ----------------------------------------------------------------- district sheets

    def district_sheet(self, sheet: _Sheet, counts: SheetResult, rej: RejectedSheet) -> None:
        kind = sheet.header.kind
        p = dparse.RowParser(sheet.header, sheet.banner, self.options.year)
        f = sheet.header.fields
        parse = {
            "unit": dparse.parse_unit, "chain": dparse.parse_chain, "trip": dparse.parse_trip,
            "target": dparse.parse_target, "criterion": dparse.parse_criterion,
            "stage_word": lambda p, row: dparse.parse_pair(p, row, "word", "stage"),
            "setting": lambda p, row: dparse.parse_pair(p, row, "key", "value"),
        }[kind]
        apply = getattr(self, f"apply_{kind}")
        key_col = f.get("name") if kind in ("unit", "chain") else None
        for row_no, row in self.body(sheet):
            k, _ = classify(row, key_col=None, name_col=key_col, header_labels=sheet.header.cells)
            if k != DATA:
                continue
            self.tick()
            counts.rows += 1
            self.source = f"{self.file}:{sheet.info.name}!row {row_no + 1}"
            parsed, errors = parse(p, row)
            if parsed is not None:
                try:
                    outcome = apply(parsed, p)
                except CellError as exc:
                    parsed, errors = None, [exc]
                except ValueError as exc:
                    parsed, errors = None, [CellError(0, "", str(exc))]
                else:
                    setattr(counts, outcome, getattr(counts, outcome) + 1)
            if parsed is None:
                self.reject(sheet, rej, row_no, row, errors, counts)
        self.ctx.session.flush()

    def _ctx_source(self) -> Ctx:
        self.ctx.source = self.source
        return self.ctx

    def _changes(self, entity: str, obj: Any, values: dict[str, Any]) -> str:
        changed = audit.apply_changes(self._ctx_source(), entity, obj, values)
        return "updated" if changed else "unchanged"

    def apply_unit(self, row: dict, p: dparse.RowParser) -> str:
        from zhaoshang.services.directory import parse_unit_kind

        values: dict[str, Any] = {}
        if "kind" in row:
            try:
                values["kind"] = parse_unit_kind(row["kind"]) if row["kind"] else "other"
            except BadValue as exc:
                raise CellError(p.col("kind"), row["kind"], exc.message) from None
        for key, attr in (("leader", "leader"), ("class", "unit_class"), ("order", "sort_order")):
            if key in row:
                values[attr] = row[key]
        names = self.names()
        name = names.find("unit", row["name"])
        if name is None:
            names.create("unit", row["name"], implicit=False, kind=values.get("kind"), leader=values.get("leader"),
                         order=values.get("sort_order"), **{"class": values.get("unit_class")})
            return "inserted"
        if name != row["name"]:
            self.warn(f"{self.source}：责任单位“{row['name']}”按“{name}”处理")
        unit = self.ctx.session.get(Unit, names.ids["unit"][name])
        return self._changes("unit", unit, values)

    def apply_chain(self, row: dict, p: dparse.RowParser) -> str:
        names = self.names()
        values: dict[str, Any] = {k: row[k] for k in ("chief", "anchor_firm") if k in row}
        if "order" in row:
            values["sort_order"] = row["order"]
        if "lead_unit" in row:
            try:
                values["lead_unit_id"] = names("unit", row["lead_unit"]) if row["lead_unit"] else None
            except ValueError as exc:
                raise CellError(p.col("lead_unit"), row["lead_unit"], str(exc)) from None
        name = names.find("chain", row["name"])
        if name is None:
            names.create("chain", row["name"], implicit=False, order=values.get("sort_order"),
                         chief=values.get("chief"), anchor_firm=values.get("anchor_firm"),
                         lead_unit_id=values.get("lead_unit_id"))
            return "inserted"
        if name != row["name"]:
            self.warn(f"{self.source}：产业链“{row['name']}”按“{name}”处理")
        chain = self.ctx.session.get(Chain, names.ids["chain"][name])
        return self._changes("chain", chain, values)

    def apply_trip(self, row: dict, p: dparse.RowParser) -> str:
        """A trip is the same trip when unit, date, leader and destination agree."""
        try:
            unit_id = self.names()("unit", row["unit"])
        except ValueError as exc:
            raise CellError(p.col("unit"), row["unit"], str(exc)) from None
        if not hasattr(self, "_trips"):
            self._trips: dict[tuple, list[Trip]] = {}
            for t in self.ctx.session.exec(orm_select(Trip).order_by(Trip.id)).all():
                self._trips.setdefault((t.unit_id, t.date, t.leader, t.destination), []).append(t)
        key = (unit_id, row["date"], row["leader"], row["destination"])
        values = {"is_main_leader": row["main"], "region": row["region"], "visits": row["visits"],
                  "negotiations": row["negotiations"], "note": row["note"]}
        existing = self._trips.get(key, [])
        if existing:
            trip = existing.pop(0)
            return self._changes("trip", trip, values)
        trip = Trip(unit_id=unit_id, date=row["date"], leader=row["leader"], destination=row["destination"], **values)
        self.ctx.session.add(trip)
        self.ctx.session.flush()
        audit.record_insert(self._ctx_source(), "trip", trip)
        return "inserted"

    def apply_target(self, row: dict, p: dparse.RowParser) -> str:
        from zhaoshang.services.campaigns import parse_metric

        if not row["campaign"]:
            raise CellError(p.col("campaign"), "", "缺少会战名称")
        start, end = row["start"], row["end"]
        if end is None and start is not None and row.get("days"):
            end = start + dt.timedelta(days=row["days"] - 1)
        campaign = self.ctx.session.exec(orm_select(Campaign).where(Campaign.name == row["campaign"])).first()
        outcome = "unchanged"
        if campaign is None:
            if start is None or end is None:
                raise CellError(p.col("start"), "", f"会战“{row['campaign']}”需要开始和结束日期")
            if end < start:
                raise CellError(p.col("end"), end.isoformat(), f"结束日期 {end} 早于开始日期 {start}")
            campaign = Campaign(name=row["campaign"], start_on=start, end_on=end)
            self.ctx.session.add(campaign)
            self.ctx.session.flush()
            audit.record_insert(self._ctx_source(), "campaign", campaign)
            outcome = "inserted"
        else:
            values = {k: v for k, v in (("start_on", start), ("end_on", end)) if v is not None}
            if self._changes("campaign", campaign, values) == "updated":
                outcome = "updated"
        if not row["unit"]:
            if row["targets"]:
                raise CellError(p.col("unit"), "", "缺少责任单位")
            return outcome
        try:
            unit_id = self.names()("unit", row["unit"])
        except ValueError as exc:
            raise CellError(p.col("unit"), row["unit"], str(exc)) from None
        for col_, word, value in row["targets"]:
            try:
                metric = word if word in _metrics() else parse_metric(word)
            except BadValue as exc:
                raise CellError(col_, word, exc.message) from None
            target = self.ctx.session.exec(orm_select(Target).where(
                Target.campaign_id == campaign.id, Target.unit_id == unit_id, Target.metric == metric)).first()
            if target is None:
                target = Target(campaign_id=campaign.id, unit_id=unit_id, metric=metric, value=value)  # type: ignore[arg-type]
                self.ctx.session.add(target)
                self.ctx.session.flush()
                audit.record_insert(self._ctx_source(), "target", target)
                outcome = "inserted" if outcome != "updated" else outcome
            elif self._changes("target", target, {"value": value}) == "updated" and outcome == "unchanged":
                outcome = "updated"
        return outcome

    def apply_criterion(self, row: dict, p: dparse.RowParser) -> str:
        from zhaoshang.services.criteria import record_criterion

        try:
            return record_criterion(self._ctx_source(), row["name"], row["order"], row["valid_from"],
                                    row["valid_until"])
        except BadValue as exc:
            raise CellError(p.col("valid_until"), row["valid_until"], exc.message) from None

    def apply_stage_word(self, row: dict, p: dparse.RowParser) -> str:
        from zhaoshang.services.stages import map_word

        existed = self.ctx.session.get(StageWord, normalize_text(row["word"]))
        try:
            changed = map_word(self._ctx_source(), row["word"], row["stage"])
        except BadValue as exc:
            raise CellError(p.col("stage"), row["stage"], exc.message) from None
        return "unchanged" if not changed else ("updated" if existed else "inserted")

    def apply_setting(self, row: dict, p: dparse.RowParser) -> str:
        key, value = row["key"], row["value"]
        current = self.ctx.session.get(Setting, key)
        if current is None:
            self.ctx.session.add(Setting(key=key, value=value))
            audit.record(self._ctx_source(), "setting", 0, key, None, value)
            return "inserted"
        if current.value == value:
            return "unchanged"
        audit.record(self._ctx_source(), "setting", 0, key, current.value, value)
        current.value = value
        return "updated"


# The insert event of a project: the row as JSON with its milestones (ids included, so past states
# can be rebuilt) and the amount cell's text, built by the database from the rows just inserted.
_PROJECT_KEYS = ("id", "code", "name", "investor", "investment_wan", "investment_usd_wan", "chain_id", "unit_id",
                 "source_region", "marshal", "stage", "sector", "progress", "note")
_MILESTONE_KEYS = ("id", "kind", "done", "done_on", "precision", "planned_on", "planned_precision", "note")


def _json_pairs(alias: str, keys: tuple[str, ...], boolean: str, sqlite: bool) -> str:
    def value(key: str) -> str:
        if key == boolean and sqlite:
            return f"json(CASE WHEN {alias}.{key} THEN 'true' ELSE 'false' END)"
        return f"{alias}.{key}"

    return ", ".join(f"'{k}', {value(k)}" for k in keys)


_SQLITE_PROJECT_EVENTS = (
    "INSERT INTO event (entity, entity_id, project_id, at, actor, source, field, old, new) "
    "SELECT 'project', p.id, p.id, ?1, ?2, v.column2, NULL, NULL, json_object("
    + _json_pairs("p", _PROJECT_KEYS, "marshal", True)
    + ", 'created_at', ?3, 'updated_at', ?4, 'milestones', (SELECT json_group_array(json(j)) FROM (SELECT json_object("
    + _json_pairs("m", _MILESTONE_KEYS, "done", True)
    + ") AS j FROM milestone m WHERE m.project_id = p.id ORDER BY m.id)), 'amount_text', v.column3) "
    "FROM (VALUES {values}) AS v JOIN project p ON p.id = v.column1 ORDER BY v.column1"
)
_PG_PROJECT_EVENT = (
    "INSERT INTO event (entity, entity_id, project_id, at, actor, source, field, old, new) "
    "SELECT 'project', p.id, p.id, :at, :actor, :source, NULL, NULL, json_build_object("
    + _json_pairs("p", _PROJECT_KEYS, "marshal", False)
    + ", 'created_at', CAST(:now AS text), 'updated_at', CAST(:now AS text), 'milestones', COALESCE((SELECT "
    "json_agg(json_build_object(" + _json_pairs("m", _MILESTONE_KEYS, "done", False)
    + ") ORDER BY m.id) FROM milestone m WHERE m.project_id = p.id), '[]'::json), "
    "'amount_text', CAST(:amount_text AS text))::text FROM project p WHERE p.id = :pid"
)


def _metrics() -> set[str]:
    from zhaoshang.vocabulary.labels import METRIC_ZH

    return set(METRIC_ZH)


def pid_of(m: dict) -> int:
    return m["project_id"]


def _stage_milestone(ms: list[dict], kind: str) -> dict | None:
    """As projects.mark_done finds it: the done one first, then the oldest."""
    done = [m for m in ms if m["kind"] == kind and m["done"]]
    if done:
        return done[0]
    return next((m for m in ms if m["kind"] == kind), None)


def _milestone_json(m: dict) -> str:
    return audit.dict_json({k: m[k] for k in MILESTONE_COLS})


def _row_key(row: list[Any], code_col: int | None, name_col: int, inv_col: int | None,
             unit_col: int | None = None) -> tuple | None:
    """What makes two rows of one file the same project: the code, else name and investor — and,
    when the investor is blank, the unit (标准化厂房项目 of 税郭镇 is not that of 孟庄镇)."""
    from zhaoshang.importers.ledger import cleared

    n = len(row)
    if code_col is not None and code_col < n:
        code = text_of(row[code_col])
        if code is not None and not cleared(code):
            return ("code", code)
    name = text_of(row[name_col]) if name_col < n else None
    if name is None:
        return None
    investor = text_of(row[inv_col]) if inv_col is not None and inv_col < n else None
    if investor is not None and cleared(investor):
        investor = None
    key = name_investor_key(name, investor)
    if investor is None and unit_col is not None and unit_col < n and (unit := text_of(row[unit_col])):
        key = (*key, normalize_text(unit))
    return key


def _key_text(key: tuple) -> str:
    return f"编号 {key[1]}" if key[0] == "code" else f"{key[1]}/{key[2] or '无投资方'}"


def _plain(value: Any) -> Any:
    return value if value != "" else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()


# --------------------------------------------------------------------------- entry points


def import_file(ctx: Ctx, path: str | Path, options: ImportOptions | None = None,
                progress: Progress | None = None) -> ImportResult:
    """Import one workbook or CSV file inside the caller's transaction. Raises BadFile/BadValue for a
    file that cannot be imported at all; row errors are in the result (the caller decides whether
    --strict rolls back)."""
    from zhaoshang.db.engine import is_sqlite

    path = Path(path)
    options = options or ImportOptions()
    conn = ctx.session.connection()
    ctx.session.flush()
    sqlite = is_sqlite(str(conn.engine.url))
    if sqlite:
        cache = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        conn.exec_driver_sql("PRAGMA cache_size=-65536")
    try:
        return Importer(ctx, path, options, progress).run()
    finally:
        if sqlite:
            conn.exec_driver_sql(f"PRAGMA cache_size={int(cache)}")


def record_failure(ctx: Ctx, path: str | Path, message: str, *, file_name: str | None = None,
                   result: ImportResult | None = None) -> None:
    """A failed import leaves the ledger as it was, apart from this one import_batch row."""
    path = Path(path)
    batch = ImportBatch(at=ctx.now, actor=ctx.actor, file_name=file_name or path.name,
                        sha256=result.sha256 if result else _sha256(path), status="failed", message=message[:500])
    if result is not None:
        batch.rows_read, batch.rejected = result.rows_read, result.rejected
    ctx.session.add(batch)
