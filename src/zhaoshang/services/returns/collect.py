"""收表: a received file recognised as a unit's weekly return, imported through the import scoped to
that unit, and recorded — unit, week, when it was received, the file's digest, what it changed.

    recognise  importers/returns.py   the template's hidden metadata, else the file's name or the unit
                                      it names; the week and the ledger it was written for; the locked
                                      cells as written
    import     services/imports       the same stages as `zs import`: only the unit's projects, new rows
                                      become its projects, unknown chains are row errors, 本周进展 and
                                      下步计划 become the week's progress notes
    record     unit_return            accepted (a corrected return for the same week supersedes the
                                      earlier one and says what changed), or refused with the reason

The same file twice records nothing. A return for another week is refused unless --as-of names that
week; a template from another ledger is refused naming both ledgers. Nothing is lost: a refused file
stays where it was and its refusal is recorded under its unit, row errors are listed cell by cell.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from zhaoshang.errors import ZsError
from zhaoshang.importers.read import open_book
from zhaoshang.importers.returns import Meta, check_locked, named_return, read_meta, units_named
from zhaoshang.models import Project, Unit, UnitReturn
from zhaoshang.services import audit
from zhaoshang.services.context import Ctx
from zhaoshang.services.imports import ImportOptions, ImportResult, import_file
from zhaoshang.services.imports.run import sha256
from zhaoshang.services.projects import listing_query, listing_row
from zhaoshang.services.settings import get_setting, ledger_id, returns_deadline
from zhaoshang.vocabulary.amounts import format_yi
from zhaoshang.vocabulary.columns import ledger_column
from zhaoshang.vocabulary.milestones import stage_dates
from zhaoshang.vocabulary.returns import META_SHEET, VERSION, timing
from zhaoshang.vocabulary.stages import STAGE_ZH
from zhaoshang.vocabulary.text import normalize_text
from zhaoshang.vocabulary.weeks import week_end, week_short_zh

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
SHOWN_FIELDS = ("name", "investor", "investment_wan", "chain", "stage", "signed_on", "ready_on", "started_on",
                "produced_on")
LINES_KEPT = 200
R = UnitReturn.__table__  # type: ignore[attr-defined]


@dataclass
class Options:
    week: dt.date  # the Monday of the week being collected
    received_at: dt.datetime  # aware, UTC
    zone: tzinfo
    plain: bool = False  # a workbook that is no return is imported as a plain ledger


@dataclass
class Received:
    """What became of one file."""

    path: Path
    outcome: str  # accepted | duplicate | refused | skipped | plain
    unit: str | None = None
    week: dt.date | None = None
    timing: str | None = None  # on_time | late | after_report
    reason: str | None = None  # why refused or skipped; for a duplicate, what the first became
    result: ImportResult | None = None
    counts: dict[str, int] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)  # what it changed, a line per project
    superseded: dt.datetime | None = None  # when the return it corrects was received
    warnings: list[str] = field(default_factory=list)
    received_at: dt.datetime | None = None
    unit_id: int | None = None
    sha: str = ""

    @property
    def file(self) -> str:
        return self.path.name

    @property
    def changed(self) -> bool:
        return any(v for k, v in self.counts.items() if k != "rejected")

    def json(self) -> dict:
        r = self.result
        return {"file": str(self.path), "outcome": self.outcome, "unit": self.unit,
                "week": self.week.isoformat() if self.week else None,
                "received_at": self.received_at.isoformat() if self.received_at else None,
                "timing": self.timing, "reason": self.reason, "changes": self.counts or None, "lines": self.lines,
                "supersedes": self.superseded.isoformat() if self.superseded else None,
                "warnings": self.warnings + (r.warnings if r else []),
                "errors": [e.as_dict() for e in r.errors] if r else []}


def return_files(paths: list[Path]) -> tuple[list[Path], list[Received]]:
    """The files to collect: each FILE as given, each DIR's spreadsheets (by name); a DIR's other
    files are listed as skipped, its hidden files and Excel's ~$ lock files passed over."""
    files: list[Path] = []
    skipped: list[Received] = []
    for path in paths:
        if not path.is_dir():
            files.append(path)
            continue
        for child in sorted(path.iterdir(), key=lambda p: p.name):
            if child.name.startswith((".", "~$")) or child.is_dir():
                continue
            if child.suffix.lower() in SPREADSHEETS:
                files.append(child)
            else:
                skipped.append(Received(child, "skipped", reason=f"{child.name}：不是表格文件（xlsx、xls、ods、csv）"))
    return files, skipped


def ledger_name(district: str | None, ident: str) -> str:
    return f"{district or '（未设区名）'}（账本 {ident[:8]}）"


@dataclass
class _Found:
    """A file recognised as a unit's return."""

    unit: Unit
    week: dt.date
    meta: Meta | None


def collect(ctx: Ctx, path: Path, opts: Options) -> Received:
    """Recognise, import and record one file, in the caller's unit of work. A file that is refused
    is recorded here when nothing was written for it; if the import itself fails (ZsError), the
    caller rolls back and records the refusal with `refuse` in a unit of its own."""
    got = Received(path, "refused", week=opts.week, received_at=opts.received_at, sha=sha256(path))
    try:
        book = open_book(path)
    except ZsError as exc:  # not a workbook we can read: said, and recorded under the unit its name gives
        got.reason = f"{path.name}：{exc.message}"
        _, unit_text = named_return(path.stem)
        unit = _unit_named(list(ctx.session.exec(select(Unit)).scalars()), unit_text) if unit_text else None  # type: ignore[call-overload]
        if unit is not None:
            got.unit, got.unit_id = unit.name, unit.id
            if _known(ctx.session, got) is None:
                _record(ctx, got, "refused")
        return got
    with book:
        found = _recognise(ctx, book, path, opts, got)
        if found is None:
            if got.outcome == "refused" and got.unit_id is not None:
                if _known(ctx.session, got) is None:
                    _record(ctx, got, "refused")
                else:
                    got.reason = f"{got.reason}（此前已退回过，未重复记录）"
            if got.outcome == "plain":  # --plain: a workbook that is no return, imported as a ledger
                book.close()
                try:
                    got.result = import_file(ctx, path, ImportOptions(file_name=path.name))
                except ZsError as exc:
                    raise ImportFailed(got, exc) from None
            return got
        got.unit, got.unit_id, got.week = found.unit.name, found.unit.id, found.week
        earlier = _known(ctx.session, got)
        if earlier is not None and earlier.status == "refused":  # refused before: still refused, said once
            got.reason = f"{earlier.message or path.name}（此前已退回过，未重复记录）"
            return got
        if earlier is not None:
            got.outcome = "duplicate"
            got.reason = f"已收过（{_local(earlier.received_at)}）"
            return got
        refused: dict = {}
        if found.meta is not None:
            check = check_locked(book, path.name, found.meta)
            refused = check.refused
            got.warnings += [f"{path.name}:{check.sheet} 模板第 {row} 行的 {code}“{name}”不在回报中：删除行不会删除项目"
                             "（已终止的项目请把阶段改为“终止”）" for code, name, row in check.missing]
    before = _snapshot(ctx.session, found.unit.id)  # type: ignore[arg-type]
    day = min(max(opts.received_at.astimezone(opts.zone).date(), found.week), week_end(found.week))
    options = ImportOptions(create=False, unit_id=found.unit.id, refused=refused, note_week=found.week,
                            problems_raised_on=day, file_name=path.name)
    try:
        got.result = import_file(ctx, path, options)
    except ZsError as exc:
        raise ImportFailed(got, exc) from None
    got.outcome = "accepted"
    got.timing = timing(opts.received_at, found.week, returns_deadline(ctx.session), opts.zone)
    got.lines, got.counts = _changes(before, _snapshot(ctx.session, found.unit.id), got.result)  # type: ignore[arg-type]
    _record(ctx, got, "accepted")
    return got


class ImportFailed(ZsError):
    """A return whose import failed as a whole: the caller rolls back, then records it with `refuse`."""

    def __init__(self, received: Received, cause: ZsError) -> None:
        named = cause.message if received.file in cause.message else f"{received.file}：{cause.message}"
        super().__init__(named, cause.hint)
        self.received = received
        self.cause = cause
        self.exit_code = cause.exit_code


def refuse(ctx: Ctx, got: Received, reason: str) -> None:
    """Record a return whose import failed as a whole (after the caller rolled it back)."""
    got.outcome, got.reason = "refused", reason
    if got.unit_id is not None and _known(ctx.session, got) is None:
        _record(ctx, got, "refused")


def _recognise(ctx: Ctx, book: Any, path: Path, opts: Options, got: Received) -> _Found | None:
    session = ctx.session
    name = path.name
    units = list(session.exec(select(Unit).order_by(Unit.sort_order, Unit.id)).scalars())  # type: ignore[call-overload]
    by_name = {u.name: u for u in units}
    meta = read_meta(book)
    if meta is not None:
        unit = by_name.get(meta["unit"])
        got.unit, got.unit_id = meta["unit"] or None, unit.id if unit else None
        here = ledger_id(session)
        if meta["ledger"] != here:
            got.reason = (f"{name}:{META_SHEET}!{meta.cells.get('ledger', 'B3')} 这是账本 "
                          f"{ledger_name(meta['district'] or None, meta['ledger'])} 的报表模板，不是本账本 "
                          f"{ledger_name(get_setting(session, 'district'), here)} 的：未导入。"
                          "请用本账本重新下发模板（zs returns template）")
            return None
        if meta["version"] != VERSION:
            got.reason = (f"{name}:{META_SHEET}!{meta.cells.get('version', 'B2')} 模板版本 {meta['version']} "
                          f"本程序不认识（只认 {VERSION}）：未导入")
            return None
        if unit is None:
            got.reason = f"{name}:{META_SHEET}!{meta.cells.get('unit', 'B5')} 单位“{meta['unit']}”不在本账本中：未导入"
            return None
        if not meta.intact:
            got.reason = (f"{name}:{META_SHEET}!{meta.cells.get('checksum', 'B8')} 隐藏的模板信息被改动，"
                          "无法核对锁定的单元格：未导入。请用原模板重新填报")
            return None
        return _this_week(meta.week, unit, meta, got, f"{name}:{META_SHEET}!{meta.cells.get('week', 'B6')}", opts)
    week, unit_text = named_return(path.stem)
    unit = _unit_named(units, unit_text) if unit_text else None
    if unit is None:
        named = units_named(book, name, path.stem, [u.name for u in units])
        if len(named) == 1:
            unit = by_name[named.pop()]
        elif len(named) > 1:
            got.outcome = "skipped"
            got.reason = f"{name}：不是报表模板，且写了几个单位（{'、'.join(sorted(named))}），无法确定是哪个单位的报表"
            return None
    if unit is None:
        got.outcome = "plain" if opts.plain else "skipped"
        got.reason = f"{name}：不是报表模板，也看不出是哪个单位的报表"
        if not opts.plain:
            got.reason += "（要按普通台账导入请加 --plain）"
        return None
    got.unit, got.unit_id = unit.name, unit.id
    return _this_week(week or opts.week, unit, None, got, f"{name}（文件名）", opts)


def _this_week(week: dt.date | None, unit: Unit, meta: Meta | None, got: Received, where: str,
               opts: Options) -> _Found | None:
    if unit.kind == "leadership":
        got.reason = f"{where} {unit.name}不报周报表：未导入"
        return None
    if week != opts.week:
        shown = week_short_zh(week) if week else "（周次无法识别）"
        hint = f"。补收那一周的报表请加 --as-of {(week + dt.timedelta(days=4)).isoformat()}" if week else ""
        got.reason = f"{where} 这是{shown}的报表，本次收取{week_short_zh(opts.week)}的报表：未导入{hint}"
        return None
    return _Found(unit, week, meta)


def _unit_named(units: list[Unit], text: str) -> Unit | None:
    key = normalize_text(text)
    return next((u for u in units if u.name == text), None) or \
        next((u for u in units if normalize_text(u.name) == key), None)


def _known(session: Session, got: Received) -> Any:
    """This very file's record for this unit and week (status, received_at, message), or None."""
    return session.connection().execute(
        select(R.c.status, R.c.received_at, R.c.message).where(
            R.c.unit_id == got.unit_id, R.c.week == got.week, R.c.sha256 == got.sha).order_by(R.c.id)).first()


def _local(at: Any) -> str:
    from zhaoshang.config import zone

    value = at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(str(at))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return f"{value.astimezone(zone()):%m-%d %H:%M}"


def _record(ctx: Ctx, got: Received, status: str) -> None:
    """The unit_return row (audited); an accepted return supersedes the unit's earlier one this week."""
    session = ctx.session
    previous = None
    if status == "accepted":
        previous = session.exec(select(UnitReturn).where(  # type: ignore[call-overload]
            UnitReturn.unit_id == got.unit_id, UnitReturn.week == got.week, UnitReturn.status == "accepted")
            .order_by(UnitReturn.id.desc())).scalars().first()  # type: ignore[attr-defined]
    row = UnitReturn(unit_id=got.unit_id, week=got.week, received_at=got.received_at, file_name=got.file,  # type: ignore[arg-type]
                     sha256=got.sha, status=status, supersedes_id=previous.id if previous else None,
                     import_batch_id=got.result.batch_id if got.result else None,
                     changes=json.dumps({"counts": got.counts, "lines": got.lines[:LINES_KEPT]}, ensure_ascii=False)
                     if status == "accepted" else None,
                     message=got.reason[:1000] if got.reason else None, actor=ctx.actor)
    session.add(row)
    session.flush()
    source = ctx.source
    ctx.source = f"{ctx.source} {got.file}"
    audit.record_insert(ctx, "unit_return", row)
    if previous is not None:
        got.superseded = previous.received_at
        audit.apply_changes(ctx, "unit_return", previous, {"status": "superseded"})
    ctx.source = source


# --------------------------------------------------------------------------- what a return changed


def _snapshot(session: Session, unit_id: int) -> dict[str, dict]:
    """The unit's projects as listings show them, by code."""
    P = Project.__table__  # type: ignore[attr-defined]
    session.flush()
    rows = list(session.connection().execute(listing_query().where(P.c.unit_id == unit_id)))
    dates = stage_dates(session, [r.id for r in rows]) if rows else {}
    return {r.code: listing_row(r, r.unit, r.chain, dates.get(r.id, {})) for r in rows}


def _shown(key: str, value: Any) -> str:
    if value is None:
        return "（空）"
    if key == "investment_wan":
        return f"{format_yi(value)}亿元"
    if key == "stage":
        return STAGE_ZH.get(value, value)
    return str(value)


def _changes(before: dict[str, dict], after: dict[str, dict], r: ImportResult) -> tuple[list[str], dict[str, int]]:
    lines = []
    changed = 0
    for code, row in after.items():
        old = before.get(code)
        if old is None:
            lines.append(f"新增 {code}“{row['name']}”（{_shown('stage', row['stage'])}）")
            continue
        parts = [f"{ledger_column('project', k).zh} {_shown(k, old[k])} → {_shown(k, row[k])}"
                 for k in SHOWN_FIELDS if old[k] != row[k]]
        if parts:
            changed += 1
            lines.append(f"{code}“{row['name']}”：" + "，".join(parts))
    trips = [s for s in r.sheets if s.kind == "trip"]
    counts = {"projects_new": sum(1 for c in after if c not in before), "projects_changed": changed,
              "notes": r.notes.inserted + r.notes.updated, "problems": r.problems.inserted + r.problems.updated,
              "trips": sum(s.inserted + s.updated for s in trips), "rejected": r.rejected}
    return lines, counts
