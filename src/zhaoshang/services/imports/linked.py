"""Sheets whose rows belong to a project, named by code or by a name only one project has: 项目节点
(milestones), 联审 (reviews) and 问题协调 (problems). Rows are parsed and checked one by one, matched
and written a batch at a time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from zhaoshang.errors import BadValue
from zhaoshang.importers import district as dparse
from zhaoshang.importers.cells import CellError
from zhaoshang.importers.classify import DATA, classify
from zhaoshang.importers.locate import LocatedSheet
from zhaoshang.models import Milestone
from zhaoshang.services import users
from zhaoshang.services.imports.result import RejectedSheet, SheetResult
from zhaoshang.services.imports.run import Run
from zhaoshang.services.imports.write import MILESTONE_COLS
from zhaoshang.services.problems import ProblemRow, record_problems
from zhaoshang.vocabulary.stages import STAGE_RANK
from zhaoshang.vocabulary.verdicts import verdict_of

Batch = list[tuple[int, list[Any], dict]]
M = Milestone.__table__  # type: ignore[attr-defined]


def milestone_sheet(run: Run, sheet: LocatedSheet, counts: SheetResult, rej: RejectedSheet) -> None:
    from zhaoshang.services.milestones import parse_kind

    p = dparse.RowParser(sheet.header, sheet.banner, run.options.year)
    f = sheet.header.fields
    batch: Batch = []
    for row_no, row in sheet.rows():
        kind, _ = classify(row, key_col=f.get("code"), name_col=f.get("name"), header_labels=sheet.header.cells)
        if kind != DATA:
            continue
        run.tick()
        counts.rows += 1
        parsed, errors = dparse.parse_milestone(p, row)
        if parsed is not None:
            try:
                parsed["kind"] = parse_kind(parsed["kind"])
            except BadValue as exc:
                parsed, errors = None, [CellError(p.col("kind"), row[p.col("kind")], exc.message)]
        if parsed is None:
            run.reject(sheet, rej, row_no, row, errors, counts)
            continue
        batch.append((row_no, row, parsed))
        if len(batch) >= run.options.batch_size:
            apply_milestones(run, sheet, rej, p, batch, counts)
            batch = []
    apply_milestones(run, sheet, rej, p, batch, counts)


def apply_milestones(run: Run, sheet: LocatedSheet, rej: RejectedSheet, p: dparse.RowParser, batch: Batch,
                     counts: SheetResult) -> None:
    """Each row is one milestone of a project (by code, else a unique name): an identical one is
    left alone, one of the same kind and state takes the row's values, else it is added."""
    if not batch:
        return
    by_code, by_name = run.matcher.lookup([m for _, _, m in batch])
    pids = set(by_code.values()) | {i for ids in by_name.values() for i in ids}
    users.require_projects(run.ctx, pids)
    stones: dict[int, list[dict]] = {}
    for m in run.conn.execute(select(M).where(M.c.project_id.in_(pids)).order_by(M.c.id)):
        stones.setdefault(m.project_id, []).append(dict(m._mapping))
    writes = run.writes
    claimed = run.claimed_milestones
    inserted: list[dict] = []
    for row_no, row, m in batch:
        source = run.where(sheet.info.name, row_no)
        pid = run.matcher.project_of(m, by_code, by_name, sheet, rej, p, row_no, row, counts)
        if pid is None:
            continue
        want = {"kind": m["kind"], "done": m["done"],
                "done_on": m["done_on"][0] if m["done_on"] else None,
                "precision": m["done_on"][1] if m["done_on"] else None,
                "planned_on": m["planned"][0] if m["planned"] else None,
                "planned_precision": m["planned"][1] if m["planned"] else None, "note": m["note"]}
        ms = stones.setdefault(pid, [])
        free = [x for x in ms if not x.get("_taken") and x.get("id") not in claimed and x["kind"] == want["kind"]]
        same = next((x for x in free if all(x[k] == want[k] for k in want)), None) or \
            next((x for x in free if (x["done"], x["done_on"], x["precision"]) ==
                  (want["done"], want["done_on"], want["precision"])), None) or \
            next((x for x in free if x["done"] == want["done"] and (x["kind"] in STAGE_RANK or not x["done"])),
                 None)
        if same is None:
            new = {"project_id": pid, **want, "_taken": True}
            ms.append(new)
            writes.insert("milestone", M, MILESTONE_COLS, new, source)
            inserted.append(new)
            counts.inserted += 1
            continue
        same["_taken"] = True
        if "id" in same:
            claimed.add(same["id"])
        changes = {k: v for k, v in want.items() if same[k] != v}
        if changes:
            writes.change("milestone", M, same, changes, source, pid)
            counts.updated += 1
        else:
            counts.unchanged += 1
    writes.write_rows()
    claimed.update(new["id"] for new in inserted)
    writes.flush()


def linked_rows(run: Run, sheet: LocatedSheet, counts: SheetResult, rej: RejectedSheet, parse: Callable,
                check: Callable, apply: Callable) -> None:
    """Rows that belong to a project, parsed and checked row by row, applied a batch at a time."""
    p = dparse.RowParser(sheet.header, sheet.banner, run.options.year)
    f = sheet.header.fields
    prose = frozenset(f[k] for k in ("text", "note", "resolution") if k in f)
    first_error, first_rejected = len(run.result.errors), len(rej.rows)
    batch: Batch = []
    for row_no, row in sheet.rows():
        kind, _ = classify(row, key_col=f.get("code"), name_col=f.get("name"), prose=prose,
                           header_labels=sheet.header.cells)
        if kind != DATA:
            continue
        run.tick()
        counts.rows += 1
        parsed, errors = parse(p, row)
        if parsed is not None:
            try:
                check(parsed)
            except CellError as exc:
                parsed, errors = None, [exc]
        if parsed is None:
            run.reject(sheet, rej, row_no, row, errors, counts)
            continue
        batch.append((row_no, row, parsed))
        if len(batch) >= run.options.batch_size:
            apply(run, sheet, rej, p, batch, counts)
            batch = []
    if batch:
        apply(run, sheet, rej, p, batch, counts)
    # Rows rejected while parsing and rows whose project was not found: in row order.
    run.result.errors[first_error:] = sorted(run.result.errors[first_error:], key=lambda e: e.row)
    rej.rows[first_rejected:] = sorted(rej.rows[first_rejected:], key=lambda r: r[0])


def review_sheet(run: Run, sheet: LocatedSheet, counts: SheetResult, rej: RejectedSheet) -> None:
    from zhaoshang.services.criteria import CriteriaIndex

    index = CriteriaIndex(run.ctx.session, run.ctx.today)
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

    linked_rows(run, sheet, counts, rej, dparse.parse_review, check, apply_reviews)


def apply_reviews(run: Run, sheet: LocatedSheet, rej: RejectedSheet, p: dparse.RowParser, batch: Batch,
                  counts: SheetResult) -> None:
    from zhaoshang.services.review import ReviewRow, record_reviews

    rows = [ReviewRow(pid, m["criterion"], m["verdict"], m["reviewed_on"], m["reviewer"], m["note"], source)
            for pid, m, source in run.matcher.linked(sheet, rej, p, batch, counts)]
    for outcome in record_reviews(run.ctx, rows, run.claimed_reviews, run.bulk):
        setattr(counts, outcome, getattr(counts, outcome) + 1)


def problem_sheet(run: Run, sheet: LocatedSheet, counts: SheetResult, rej: RejectedSheet) -> None:
    f = sheet.header.fields
    names = run.names

    def check(m: dict) -> None:
        m["owner_unit_id"] = None
        if m["owner"]:
            try:
                m["owner_unit_id"] = names("unit", m["owner"])
            except ValueError as exc:
                raise CellError(f["owner"], m["owner"], str(exc)) from None

    linked_rows(run, sheet, counts, rej, dparse.parse_problem, check, apply_problems)


def apply_problems(run: Run, sheet: LocatedSheet, rej: RejectedSheet, p: dparse.RowParser, batch: Batch,
                   counts: SheetResult) -> None:
    rows = [ProblemRow(pid, m["text"], m["owner_unit_id"], m["due_on"], m["raised_on"], source, m["resolved_on"],
                       m["resolution"])
            for pid, m, source in run.matcher.linked(sheet, rej, p, batch, counts)]
    done = record_problems(run.ctx, rows, run.bulk, split=False)
    counts.inserted += done.inserted
    counts.updated += done.updated
    counts.unchanged += done.unchanged
