"""Milestones (节点): planned and done steps of a project, and the overdue ones."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, case, exists, false, func, not_, or_, true
from sqlmodel import Session, col, select

from zhaoshang.errors import BadValue
from zhaoshang.models import MILESTONE_KINDS, Milestone, Project, Unit
from zhaoshang.services import audit
from zhaoshang.services.context import Ctx
from zhaoshang.services.directory import find_unit
from zhaoshang.services.projects import advance, get_project, milestone_row, not_yet
from zhaoshang.vocabulary.dates import LedgerDate, iso
from zhaoshang.vocabulary.labels import MILESTONE_ZH
from zhaoshang.vocabulary.milestones import dated_by, known_by
from zhaoshang.vocabulary.months import month_after
from zhaoshang.vocabulary.stages import STAGE_RANK, STAGES, TERMINATED
from zhaoshang.vocabulary.text import normalize_text

_KIND_WORDS = {v: k for k, v in MILESTONE_ZH.items()} | {"拜访": "visit", "考察": "visit", "完工": "completion",
                                                          "建成": "completion", "入库": "registered",
                                                          "纳统": "registered"}


def parse_kind(value: str) -> str:
    text = normalize_text(value)
    kind = text.lower() if text.lower() in MILESTONE_KINDS else _KIND_WORDS.get(text)
    if kind is None:
        raise BadValue(f"节点类型“{value}”无效。", f"可用：{', '.join(MILESTONE_KINDS)}。")
    return kind


# A project has one milestone of each of these kinds (visits and others may be many).
ONE_PER_PROJECT = frozenset({*STAGES, TERMINATED, "groundbreaking", "capacity", "completion", "registered"})


def add_milestone(ctx: Ctx, code: str, kind: str, *, planned: LedgerDate | None = None,
                  done: LedgerDate | None = None, note: str | None = None, force: bool = False) -> tuple[dict, str]:
    """Record a planned and/or done milestone; returns its row and what happened: "added",
    "updated" or "unchanged". A done stage beyond the project's stage moves the project forward (as
    `advance` would). A project has one milestone of a stage, 奠基 or 达产: giving it again completes
    the plan (--done), reschedules it (--planned) or corrects a done date, audited, instead of
    adding a second one."""
    project = get_project(ctx.session, code)
    if planned is None and done is None:
        raise BadValue("节点需要 --planned 或 --done 日期。")
    if done is not None:
        not_yet(ctx, kind, done, force=force)
    if done is not None and kind in STAGE_RANK and project.stage in STAGE_RANK \
            and STAGE_RANK[kind] > STAGE_RANK[project.stage]:
        had = ctx.session.exec(select(Milestone.id).where(Milestone.project_id == project.id,
                                                          Milestone.kind == kind)).first() is not None
        advance(ctx, code, kind, done, force=force)
        milestone = _find(ctx.session, project.id, kind)  # type: ignore[arg-type]
        if planned is not None or note:
            audit.apply_changes(ctx, "milestone", milestone, _planned(planned) | ({"note": note} if note else {}),
                                project_id=project.id)
        return milestone_row(milestone), "updated" if had else "added"
    if kind in ONE_PER_PROJECT:
        existing = ctx.session.exec(
            select(Milestone).where(Milestone.project_id == project.id, Milestone.kind == kind)
            .order_by(col(Milestone.done).desc(), Milestone.id)).first()
        if existing is not None:
            changes: dict[str, Any] = _planned(planned) | ({"note": note} if note else {})
            if done is not None:
                changes |= {"done": True, "done_on": done.first, "precision": done.precision}
            changed = audit.apply_changes(ctx, "milestone", existing, changes, project_id=project.id)
            return milestone_row(existing), "updated" if changed else "unchanged"
    milestone = Milestone(project_id=project.id, kind=kind, done=done is not None, note=note,  # type: ignore[arg-type]
                          **_planned(planned))
    if done is not None:
        milestone.done_on, milestone.precision = done.first, done.precision
    same = ctx.session.exec(select(Milestone).where(
        Milestone.project_id == project.id, Milestone.kind == kind, Milestone.done == milestone.done,
        Milestone.planned_on == milestone.planned_on, Milestone.done_on == milestone.done_on)).first()
    if same is not None and same.note == milestone.note:  # the same line typed twice
        return milestone_row(same), "unchanged"
    ctx.session.add(milestone)
    ctx.session.flush()
    audit.record_insert(ctx, "milestone", milestone, project_id=project.id)
    return milestone_row(milestone), "added"


def _planned(planned: LedgerDate | None) -> dict:
    if planned is None:
        return {}
    return {"planned_on": planned.first, "planned_precision": planned.precision}


def _find(session: Session, project_id: int, kind: str) -> Milestone:
    return session.exec(
        select(Milestone).where(Milestone.project_id == project_id, Milestone.kind == kind, Milestone.done)
    ).one()


def _row(m: Milestone, code: str, name: str, unit: str | None) -> dict:
    return {"code": code, "name": name, "unit": unit, **milestone_row(m)}


def _base_query():  # type: ignore[no-untyped-def]
    return (
        select(Milestone, Project.code, Project.name, Unit.name)
        .join(Project, col(Project.id) == Milestone.project_id)
        .outerjoin(Unit, col(Unit.id) == Project.unit_id)
    )


def list_milestones(session: Session, code: str | None = None, kind: str | None = None,
                    unit: str | None = None) -> list[dict]:
    query = _base_query()
    if code:
        query = query.where(Milestone.project_id == get_project(session, code).id)
    if kind:
        query = query.where(Milestone.kind == kind)
    if unit:
        query = query.where(Project.unit_id == find_unit(session, unit).id)
    return [_row(*r) for r in session.exec(query.order_by(Project.id, Milestone.id)).all()]


def late(as_of: dt.date, since: dt.date | None = None) -> Any:
    """SQL: a plan not done by as-of whose date has passed by then — a month plan once its whole
    month has — and, with `since`, that fell overdue on or after that day (its last day on or after
    since - 1); unless by as-of the project was terminated or had reached that stage or a later one
    (a plan for a stage it skipped is moot). As of a past day, what was done later still counts as
    late then. Written so that the (done, planned_on) index gives the range."""
    m = Milestone.__table__  # type: ignore[attr-defined]
    month = [m.c.planned_precision == "month", m.c.planned_on < as_of.replace(day=1)]
    day = [func.coalesce(m.c.planned_precision, "day") != "month"]
    common = [m.c.planned_on < as_of]
    if since is not None:
        eve = since - dt.timedelta(days=1)
        common.append(m.c.planned_on >= eve.replace(day=1))
        day.append(m.c.planned_on >= eve)
    # Not done, or done after as-of: the second is driven by the (kind, done_on) index over the days
    # after as-of (done is compared through coalesce so that the (done, planned_on) index, which would
    # walk every done plan before as-of, is not chosen for it).
    done_later = and_(col(m.c.kind).in_(MILESTONE_KINDS), m.c.done_on >= as_of.replace(day=1),
                      func.coalesce(m.c.done, false()) == true(), not_(dated_by(m, as_of, month_after(as_of))),
                      *common)
    not_done = or_(and_(m.c.done == false(), *common), done_later)
    return and_(not_done, or_(and_(*month), and_(*day)), not_(_moved_past(m, as_of)))


def _moved_past(m: Any, as_of: dt.date) -> Any:
    """By as-of the project was terminated, or (for a stage plan) reached that stage or a later one.
    Two lookups by the (project_id, kind, done_on) index: the termination, one seek for any plan; the
    later stages only for a stage plan."""
    ended = Milestone.__table__.alias("ended")  # type: ignore[attr-defined]
    past = Milestone.__table__.alias("past")  # type: ignore[attr-defined]
    rank = {stage: i for i, stage in enumerate(STAGES)}
    by = month_after(as_of)
    terminated = exists().where(ended.c.project_id == m.c.project_id, ended.c.kind == TERMINATED,
                                known_by(ended, as_of, by), ended.c.done == true())
    reached = exists().where(
        past.c.project_id == m.c.project_id, col(past.c.kind).in_(STAGES),
        case(rank, value=past.c.kind, else_=-1) >= case(rank, value=m.c.kind, else_=99),
        known_by(past, as_of, by), past.c.id != m.c.id, past.c.done == true())
    return or_(terminated, and_(col(m.c.kind).in_(STAGES), reached))


def overdue(session: Session, as_of: dt.date, unit: str | None = None, *, since: dt.date | None = None) -> list[dict]:
    """Planned milestones not done whose planned date has passed by `as_of`, most days late first
    (see `late`); projects terminated are left out."""
    query = (
        select(Milestone.kind, Milestone.planned_on, Milestone.planned_precision, Milestone.done,
               Milestone.done_on, Milestone.precision, Milestone.note, Project.code, Project.name, Unit.name)
        .join(Project, col(Project.id) == Milestone.project_id)
        .outerjoin(Unit, col(Unit.id) == Project.unit_id)
        .where(late(as_of, since))
    )
    if unit:
        query = query.where(Project.unit_id == find_unit(session, unit).id)
    rows = []
    for kind, planned_on, planned_precision, done, done_on, precision, note, code, name, unit_name in (
            session.execute(query.order_by(Milestone.planned_on, Project.id)).all()):
        planned = LedgerDate.stored(planned_on, planned_precision)
        assert planned is not None
        rows.append({"code": code, "name": name, "unit": unit_name, "kind": kind, "planned_on": planned.iso(),
                     "done": bool(done), "done_on": iso(LedgerDate.stored(done_on, precision)), "note": note,
                     "days_late": (as_of - planned.last).days})
    rows.sort(key=lambda r: -r["days_late"])
    return rows
