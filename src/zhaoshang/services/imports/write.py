"""Write: project rows into the ledger in bulk, with their audit events.

New projects and their milestones go in with ids handed out up front, and one insert event each
that the database builds from the rows just written (db/imports.py). A matched project takes what its
row states: a field that differs is changed with one event; a stage moves forward (termination
included), never back; a stage date or plan is set on the stage's milestone, or a new milestone is
added. Nothing is written row by row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from zhaoshang.db import bulk as bulk_module
from zhaoshang.db.imports import PROJECT_AT, as_stored, project_events, stored_milestones, stored_projects
from zhaoshang.errors import Conflict
from zhaoshang.importers.locate import LocatedSheet
from zhaoshang.importers.parse import DateValue, ProjectRow
from zhaoshang.models import Event, Milestone, Project
from zhaoshang.services import audit
from zhaoshang.services.imports.result import SheetResult
from zhaoshang.vocabulary.identity import alike
from zhaoshang.vocabulary.stages import COUNTED_STAGES, SIGNED_OR_LATER, STAGE_RANK, STAGE_ZH, TERMINATED

if TYPE_CHECKING:
    from zhaoshang.services.imports.run import Run

P = Project.__table__  # type: ignore[attr-defined]
M = Milestone.__table__  # type: ignore[attr-defined]
PROJECT_COLS = ("id", "code", "name", "investor", "investment_wan", "investment_usd_wan", "chain_id", "unit_id",
                "source_region", "marshal", "stage", "sector", "progress", "note", "scope", "created_at", "updated_at")
MILESTONE_COLS = ("id", "project_id", "kind", "planned_on", "planned_precision", "done", "done_on", "precision",
                  "note")
PROJECT_FIELDS = ("code", "name", "investor", "investment_wan", "investment_usd_wan", "chain_id", "unit_id",
                  "source_region", "marshal", "sector", "progress", "note", "scope")
MATCHED_ALIKE = ("name", "investor")  # matched after normalisation: another spelling of them is no change


def auto_codes(run: Run, ids: list[int]) -> list[str]:
    """Codes for rows that have none: P-0042 from the new id (as add-project does), never one the
    ledger or this file already uses."""
    codes = [f"P-{pid:04d}" for pid in ids]
    pcodes = run.duplicates.pcodes
    for _ in range(20):
        taken = {c for c in codes if pcodes and c in pcodes}
        if not run.fresh():  # in a fresh ledger only this file's codes can clash, and ids are new
            taken |= set(run.conn.execute(select(P.c.code).where(P.c.code.in_(codes))).scalars().all())
        if len(set(codes)) < len(codes):
            taken |= {c for c in codes if codes.count(c) > 1}
        if not taken:
            return codes
        codes = [c if c not in taken else f"{c}-{n}" for n, c in enumerate(codes, 2)]
    raise Conflict("无法为没有编号的项目生成编号。")  # pragma: no cover


def insert_projects(run: Run, sheet: LocatedSheet, rows: list[ProjectRow], counts: SheetResult) -> list[int]:
    """New projects and their milestones in bulk, then one audit event per project whose JSON the
    database builds from the rows just written (the project, its milestones, the amount's text)."""
    bulk = run.bulk
    day = bulk.day
    pids = bulk.ids(P, len(rows))
    n_ms = sum(len(r.dates) + sum(1 for k in r.plans if k not in r.dates) for r in rows)
    mids = iter(bulk.ids(M, n_ms))
    codeless = [i for i, r in enumerate(rows) if not r.code]
    auto = dict(zip(codeless, auto_codes(run, [pids[i] for i in codeless]), strict=True)) if codeless else {}
    stamp = run.writes.at
    file_sheet = f"{run.file}:{sheet.info.name}!row "
    projects, milestones, events = [], [], []
    blank_warn = "amount" in sheet.header.fields
    for i, r in enumerate(rows):
        pid = pids[i]
        v = r.values
        get = v.get
        projects.append((pid, r.code or auto[i], r.name, get("investor"), get("investment_wan"),
                         get("investment_usd_wan"), get("chain_id"), get("unit_id"), get("source_region"),
                         get("marshal", False), r.stage, get("sector"), get("progress"), get("note"), get("scope"),
                         stamp, stamp))
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
            run.signed.append(pid)
        if blank_warn and r.amount_blank:
            run.warn(f"{run.where(sheet.info.name, r.row, sheet.header.fields['amount'], sheet.data.col_offset)}"
                     f"：“{r.name}”总投资空白，按未知录入")
    bulk.insert(P, PROJECT_COLS, projects)
    bulk.insert(M, MILESTONE_COLS, milestones)
    project_events(bulk, run.ctx.now, run.ctx.actor, events)
    counts.inserted += len(rows)
    return pids


def update_projects(run: Run, sheet: LocatedSheet, rows: list[tuple[ProjectRow, int]], counts: SheetResult, *,
                    probe: bool = False) -> set[int]:
    """Apply the rows to their projects and milestones; returns the projects that change. With
    `probe`, only find which would change: nothing is written, counted or recorded."""
    ids = [pid for _, pid in rows]
    current = stored_projects(run.conn, ids)
    stones = stored_milestones(run.conn, ids)
    writes = audit.BulkWrite(run.ctx, run.bulk) if probe else run.writes
    project_updates: list[dict] = []
    changing: set[int] = set()
    now = run.ctx.now
    at = PROJECT_AT
    at_stage, at_code = at["stage"], at["code"]
    prefix = f"{run.file}:{sheet.info.name}!row "
    for r, pid in rows:
        source = prefix + str(r.row + 1)
        cur = current[pid]
        changes: dict[str, Any] = {}
        for key, value in r.values.items():
            if key in PROJECT_FIELDS:
                old = cur[at[key]]  # as stored: 0/1 for a boolean (equal to False/True), ISO text for a date
                if old != value and (old := as_stored(key, old)) != value and \
                        not (key in MATCHED_ALIKE and alike(old, value)):
                    changes[key] = value
        ms = stones.get(pid, [])
        old_stage = cur[at_stage]
        stage = next_stage(run, old_stage, cur[at_code], r, source)
        if stage != old_stage:
            changes["stage"] = stage
        if stage in SIGNED_OR_LATER and not probe:
            run.signed.append(pid)
        before = len(writes.events)
        for key, value in changes.items():
            writes.event("project", pid, pid, source, key, as_stored(key, cur[at[key]]), value)
        added = False
        for kind, when in r.dates.items():
            if when is None and not (kind == stage and kind != old_stage):
                continue
            added |= set_done(writes, pid, ms, kind, when, source)
        for kind, plan in r.plans.items():
            added |= set_plan(writes, pid, ms, kind, plan, source)
        if len(writes.events) > before or added:
            changing.add(pid)
        if probe:
            continue
        if changes:
            project_updates.append({"id": pid, **changes, "updated_at": now})
        if len(writes.events) > before:
            counts.updated += 1
            if not changes:
                project_updates.append({"id": pid, "updated_at": now})
        else:
            counts.unchanged += 1
    if not probe:
        run.bulk.update(P, project_updates)
        writes.write_rows()
    return changing


def next_stage(run: Run, old: str, code: str, r: ProjectRow, source: str) -> str:
    """Forward moves (and termination) apply; a row behind the ledger keeps the ledger's stage."""
    new = r.stage
    if new == old or not r.stage_stated:
        if not r.stage_stated and old != TERMINATED and new in STAGE_RANK and STAGE_RANK[new] > STAGE_RANK[old]:
            return new  # a section's or sheet's stage moving it forward
        return old
    if new == TERMINATED:
        return new
    if old == TERMINATED or STAGE_RANK[new] < STAGE_RANK[old]:
        run.warn(f"{source}：台账中“{code}”为{STAGE_ZH[old]}，文件为{STAGE_ZH[new]}：保留{STAGE_ZH[old]}"
                 "（退回请用 zs projects advance --force）")
        return old
    if r.dates.get(new) is None and new in COUNTED_STAGES:
        run.warn(f"{source}：“{code}”推进到{STAGE_ZH[new]}，但没有{STAGE_ZH[new]}日期：不计入任何统计期")
    return new


def set_done(writes: audit.BulkWrite, pid: int, ms: list[dict], kind: str, when: DateValue | None,
             source: str) -> bool:
    """The stage milestone `kind` done (on `when`, when given); returns whether one is added."""
    found = stage_milestone(ms, kind)
    day, precision = (when if when else (None, None))
    if found is None:
        m = {"project_id": pid, "kind": kind, "planned_on": None, "planned_precision": None, "done": True,
             "done_on": day, "precision": precision, "note": None}
        ms.append(m)
        writes.insert("milestone", M, MILESTONE_COLS, m, source)
        return True
    changes: dict[str, Any] = {}
    if not found["done"]:
        changes["done"] = True
    if when is not None:  # only what differs: an unchanged precision is not a change
        changes.update({k: v for k, v in (("done_on", day), ("precision", precision)) if found[k] != v})
    writes.change("milestone", M, found, changes, source, pid)
    return False


def set_plan(writes: audit.BulkWrite, pid: int, ms: list[dict], kind: str, plan: DateValue, source: str) -> bool:
    """The stage milestone `kind` planned for `plan`; returns whether one is added."""
    found = stage_milestone(ms, kind)
    if found is None:
        m = {"project_id": pid, "kind": kind, "planned_on": plan[0], "planned_precision": plan[1], "done": False,
             "done_on": None, "precision": None, "note": None}
        ms.append(m)
        writes.insert("milestone", M, MILESTONE_COLS, m, source)
        return True
    changes = {k: v for k, v in (("planned_on", plan[0]), ("planned_precision", plan[1])) if found[k] != v}
    writes.change("milestone", M, found, changes, source, pid)
    return False


def stage_milestone(ms: list[dict], kind: str) -> dict | None:
    """As projects.mark_done finds it: the done one first, then the oldest."""
    done = [m for m in ms if m["kind"] == kind and m["done"]]
    if done:
        return done[0]
    return next((m for m in ms if m["kind"] == kind), None)


def defer_indexes(run: Run, rows: int) -> list[Any]:
    """A large file into a ledger without projects: its project, milestone and event indexes are
    built after the rows are in (the milestone index by project stays: the audit JSON reads it)."""
    if rows < bulk_module.DEFER_INDEXES_MIN_ROWS or not run.fresh():
        return []
    return run.bulk.defer_indexes([P, M, Event.__table__],  # type: ignore[attr-defined]
                                  keep=("ix_milestone_project_id_kind",))
