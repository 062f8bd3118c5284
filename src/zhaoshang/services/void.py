"""作废: taking a project entered by mistake out of the ledger, and when a report forbids it.

A voided project leaves the ledger with everything that belongs to it (milestones, reviews, problems,
the trips' links to it); each row's delete is an audit event, so `--as-known-at` still shows the
ledger as it was before and `zs projects history` still shows the project's trail. A project that a
report already issued has counted — a done stage dated in a week (or, for a month-only date, a month)
that is over — stays unless `--force --reason`: the printed bulletin would no longer add up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import col, select

from zhaoshang.errors import Conflict
from zhaoshang.models import (
    InvestmentDone,
    InvestmentPlan,
    Milestone,
    Problem,
    ProgressNote,
    Project,
    ProjectLeader,
    ProjectSupport,
    Review,
    TripProject,
)
from zhaoshang.services import audit
from zhaoshang.services.context import Ctx
from zhaoshang.vocabulary.dates import LedgerDate
from zhaoshang.vocabulary.months import month_end
from zhaoshang.vocabulary.stages import STAGE_DATE_KEY, STAGE_ZH


@dataclass
class Voided:
    code: str
    name: str
    milestones: int
    reviews: int
    problems: int
    trips: int
    forced: bool


def issued_end(day: LedgerDate) -> dt.date:
    """The day the first report counting a stage date is issued: the end of its ISO week, or of its
    month for a month-only date (which counts in no week)."""
    if day.precision == "month":
        return month_end(day.first)
    return day.first + dt.timedelta(days=6 - day.first.weekday())


def counted_in_issued_reports(ctx: Ctx, project: Project) -> list[tuple[str, LedgerDate]]:
    """The project's done stage dates that a report issued before today has counted."""
    rows = ctx.session.exec(
        select(Milestone.kind, Milestone.done_on, Milestone.precision)
        .where(Milestone.project_id == project.id, Milestone.done, col(Milestone.done_on).is_not(None),
               col(Milestone.kind).in_(list(STAGE_DATE_KEY)))
        .order_by(Milestone.done_on)
    ).all()
    out = []
    for kind, day, precision in rows:
        when = LedgerDate.stored(day, precision)
        if when is not None and issued_end(when) < ctx.today:
            out.append((kind, when))
    return out


def void_project(ctx: Ctx, project: Project, *, force: bool = False, reason: str | None = None) -> Voided:
    """Delete `project` and what belongs to it, every row audited. Refused when an issued report
    counted it, unless forced with a reason (kept in the events' source)."""
    reason = (reason or "").strip() or None
    if force and reason is None:
        raise Conflict(f"作废项目“{project.code}”需要说明原因。", "加 --reason \"…\"（记入变更记录）。")
    counted = counted_in_issued_reports(ctx, project)
    if counted and not force:
        stages = "、".join(f"{STAGE_ZH.get(kind, kind)} {when}" for kind, when in counted)
        raise Conflict(f"项目“{project.code}”已计入已发出的报表（{stages}），不能作废。",
                       f"确属误录，用 --force --reason 说明原因（记入变更记录）；项目不再推进，用 zs projects advance "
                       f"{project.code} 终止 --reason …。")
    source = f"{ctx.source} --force（{reason}）" if force else (f"{ctx.source}（{reason}）" if reason else ctx.source)
    counts = remove_project(ctx, project, source)
    return Voided(project.code, project.name, counts["milestones"], counts["reviews"], counts["problems"],
                  counts["trips"], bool(counted))


def remove_project(ctx: Ctx, project: Project, source: str) -> dict[str, int]:
    """Delete a project and the rows that belong to it (trip links, problems, reviews, milestones),
    each with its audit event; returns how many of each went."""
    session = ctx.session
    assert project.id is not None
    counts = {}
    for model, label in ((TripProject, "trips"), (Problem, "problems"), (Review, "reviews"),
                         (Milestone, "milestones"), (ProjectLeader, "leaders"), (ProjectSupport, "support_units"),
                         (InvestmentPlan, "plans"), (InvestmentDone, "completed"), (ProgressNote, "notes")):
        rows = session.exec(select(model).where(model.project_id == project.id).order_by(model.id)).all()
        table = model.__tablename__  # type: ignore[attr-defined]
        for row in rows:
            audit.record_delete(ctx, str(table), row, project_id=project.id, source=source)
            session.delete(row)
        counts[label] = len(rows)
        session.flush()
    audit.record_delete(ctx, "project", project, project_id=project.id, source=source)
    session.delete(project)
    session.flush()
    return counts
