"""联审 (joint review): the criteria in force, the verdicts, and the gate before signing."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, or_, select

from zhaoshang.errors import Conflict
from zhaoshang.models import Project, Review, ReviewCriterion, Setting
from zhaoshang.parsing import STAGE_RANK, TERMINATED
from zhaoshang.services.context import Ctx

GATE_SETTINGS = ("warn", "require")


def setting(session: Session, key: str, default: str) -> str:
    row = session.get(Setting, key)
    return row.value if row is not None else default


def criteria_in_force(session: Session, on: dt.date) -> list[str]:
    rows = session.exec(
        select(ReviewCriterion)
        .where(or_(col(ReviewCriterion.valid_from).is_(None), col(ReviewCriterion.valid_from) <= on))
        .where(or_(col(ReviewCriterion.valid_until).is_(None), col(ReviewCriterion.valid_until) >= on))
        .order_by(ReviewCriterion.sort_order, ReviewCriterion.id)
    ).all()
    return [r.name for r in rows]


def latest_verdicts(session: Session, project_id: int) -> dict[str, str]:
    """The latest verdict per criterion (a later review of the same criterion replaces the earlier)."""
    rows = session.exec(
        select(Review).where(Review.project_id == project_id).order_by(
            col(Review.reviewed_on).asc().nulls_first(), Review.id)
    ).all()
    return {r.criterion: r.verdict for r in rows}


def gate(ctx: Ctx, project: Project, stage: str, *, force: bool, reason: str | None) -> None:
    """Before a project reaches signed: every criterion passed or conditional.

    A failed criterion always blocks (unless --force --reason); a missing one blocks only when the
    ledger's review_gate setting is `require`, else it is a warning."""
    signed = STAGE_RANK["signed"]
    if stage == TERMINATED or STAGE_RANK[stage] < signed:
        return
    if project.stage != TERMINATED and STAGE_RANK[project.stage] >= signed:
        return
    assert project.id is not None
    verdicts = latest_verdicts(ctx.session, project.id)
    criteria = criteria_in_force(ctx.session, ctx.today)
    failed = [c for c in criteria if verdicts.get(c) == "fail"]
    missing = [c for c in criteria if c not in verdicts]
    require = setting(ctx.session, "review_gate", "warn") == "require"
    blocking = failed + (missing if require else [])
    if blocking and force:
        if not reason:
            raise Conflict("强制推进需要说明原因。", "加 --reason \"…\"。")
        ctx.warn(f"项目“{project.code}”联审未通过（{'、'.join(blocking)}），已按 --force 推进：{reason}")
        return
    if failed:
        raise Conflict(f"项目“{project.code}”联审未通过：{'、'.join(failed)}，不能签约。",
                       "复审通过后再推进，或用 --force --reason 说明原因。")
    if missing and require:
        raise Conflict(f"项目“{project.code}”联审未完成：缺少{'、'.join(missing)}，不能签约。",
                       "用 zs review add 补齐，或用 --force --reason 说明原因。")
    if missing:
        ctx.warn(f"项目“{project.code}”未完成联审（缺少{'、'.join(missing)}）。")
