"""进展: a project's progress note per ISO week — 本周进展 (what happened) and 下步计划 (what comes next).

One note per project and week (vocabulary/weeks.py): a unit's return, a ledger's 本周进展/进展情况
column and `zs projects note` all write the week's note; a later statement for the same week replaces
what it states (a blank cell states nothing), every change audited. The project's own `progress`
field keeps the latest text, as a ledger's 进展情况 column shows it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from zhaoshang.errors import BadValue
from zhaoshang.models import ProgressNote, Project
from zhaoshang.services import audit, users
from zhaoshang.services.context import Ctx
from zhaoshang.services.problems import RecordCounts
from zhaoshang.vocabulary.weeks import week_of, week_stem

N = ProgressNote.__table__  # type: ignore[attr-defined]
P = Project.__table__  # type: ignore[attr-defined]
COLUMNS = ("project_id", "week", "progress", "next_step", "source", "created_at")
MAX_LENGTH = 2000


@dataclass
class NoteRow:
    """What a row states about a project's week (None: not stated)."""

    project_id: int
    week: dt.date  # the Monday of the week
    progress: str | None
    next_step: str | None
    source: str


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.replace("\r\n", "\n").strip()
    return text or None


def record_notes(ctx: Ctx, rows: Iterable[NoteRow], bulk: Any = None) -> RecordCounts:
    """The rows' notes in one pass: a new week's note is inserted, a known one takes what the row
    states; words the project's latest earlier note already says are no new note. A few queries per
    900 projects, bulk inserts and grouped updates with their events."""
    from zhaoshang.db.bulk import Bulk

    items = [r for r in rows if _clean(r.progress) or _clean(r.next_step)]
    counts = RecordCounts()
    if not items:
        return counts
    ctx.session.flush()
    users.require_projects(ctx, {r.project_id for r in items})  # bulk writes pass by the flush checks
    conn = ctx.session.connection()
    bulk = bulk or Bulk(conn)
    writes = audit.BulkWrite(ctx, bulk)
    known: dict[tuple[int, dt.date], dict] = {}
    ids = sorted({r.project_id for r in items})
    weeks = sorted({r.week for r in items})
    earlier: dict[tuple[int, dt.date], dict] = {}  # (project, week) -> its latest note of an earlier week
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        for row in conn.execute(select(N).where(N.c.project_id.in_(chunk), N.c.week.in_(weeks))):
            known[(row.project_id, row.week)] = dict(row._mapping)
        for week in weeks:
            latest = (select(N.c.project_id, func.max(N.c.week).label("week"))
                      .where(N.c.project_id.in_(chunk), N.c.week < week).group_by(N.c.project_id).subquery())
            for row in conn.execute(select(N).join(latest, (N.c.project_id == latest.c.project_id)
                                                   & (N.c.week == latest.c.week))):
                earlier[(row.project_id, week)] = dict(row._mapping)
    for r in items:
        stated = {k: v for k, v in (("progress", _clean(r.progress)), ("next_step", _clean(r.next_step)))
                  if v is not None}
        found = known.get((r.project_id, r.week))
        before = earlier.get((r.project_id, r.week))
        if found is None and before is not None and all(before[k] == v for k, v in stated.items()):
            counts.unchanged += 1  # a ledger imported again a week later: the same words are no new progress
            continue
        if found is None:
            record = {"project_id": r.project_id, "week": r.week, "progress": None, "next_step": None,
                      "source": r.source, "created_at": writes.at} | stated
            known[(r.project_id, r.week)] = record
            writes.insert("progress_note", N, COLUMNS, record, r.source)
            counts.inserted += 1
            continue
        changes = {k: v for k, v in stated.items() if found[k] != v}
        writes.change("progress_note", N, found, changes, r.source)
        if changes and found.get("id") is not None:
            counts.updated += 1
        else:
            counts.unchanged += 1
    writes.write()
    return counts


def add_note(ctx: Ctx, project: Project, progress: str | None, next_step: str | None, day: dt.date) -> str:
    """`zs projects note`: the week's note of one project; the project's progress takes the text when
    the week is its latest. Returns "inserted", "updated" or "unchanged"."""
    progress, next_step = _clean(progress), _clean(next_step)
    if progress is None and next_step is None:
        raise BadValue("进展不能为空。", "例如 zs projects note ZD-001 \"完成土地摘牌\" --next \"办理施工许可\"。")
    for text in (progress, next_step):
        if text is not None and len(text) > MAX_LENGTH:
            raise BadValue(f"进展太长（{len(text)} 字，最多 {MAX_LENGTH} 字）。")
    assert project.id is not None
    counts = record_notes(ctx, [NoteRow(project.id, week_of(day), progress, next_step, ctx.source)])
    if progress is not None:
        latest = ctx.session.connection().execute(
            select(func.max(N.c.week)).where(N.c.project_id == project.id)).scalar()
        if latest is not None and week_of(day) >= _day(latest):
            audit.apply_changes(ctx, "project", project, {"progress": progress}, project_id=project.id)
    return "inserted" if counts.inserted else "updated" if counts.updated else "unchanged"


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def note_json(row: Any) -> dict:
    week = _day(row.week)
    return {"week": week_stem(week), "week_start": week.isoformat(), "progress": row.progress,
            "next_step": row.next_step}


def notes_of(session: Session, project_id: int, limit: int = 5) -> list[dict]:
    """The project's latest notes, newest first."""
    query = select(N).where(N.c.project_id == project_id).order_by(N.c.week.desc()).limit(limit)
    return [note_json(r) for r in session.connection().execute(query)]


def latest_notes(session: Session, project_ids: Iterable[int], as_of: dt.date) -> dict[int, dict]:
    """Each project's latest note with progress, in the week of `as_of` or before."""
    out: dict[int, dict] = {}
    ids = sorted(set(project_ids))
    until = week_of(as_of)
    conn = session.connection()
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        latest = (select(N.c.project_id, func.max(N.c.week).label("week"))
                  .where(N.c.project_id.in_(chunk), N.c.week <= until, N.c.progress.is_not(None))
                  .group_by(N.c.project_id).subquery())
        query = select(N).join(latest, (N.c.project_id == latest.c.project_id) & (N.c.week == latest.c.week))
        for row in conn.execute(query):
            out[row.project_id] = note_json(row)
    return out
