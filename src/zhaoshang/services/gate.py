"""The joint-review gate before signing, the verdicts it reads, and the ledger's review_gate setting.

Each review is one criterion's verdict on one project on a date; a later review of the same criterion
replaces the earlier one (a re-review after a fail). A project reaching signed is judged by the
criteria in force on its signing day with the verdicts given by then.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_
from sqlmodel import Session, col, func, select

from zhaoshang.errors import BadValue, Conflict
from zhaoshang.models import Project, Review, Setting
from zhaoshang.services import audit
from zhaoshang.services.context import Ctx
from zhaoshang.services.criteria import criteria_in_force
from zhaoshang.vocabulary.stages import STAGE_RANK, STAGE_ZH, TERMINATED
from zhaoshang.vocabulary.text import normalize_text


def setting(session: Session, key: str, default: str) -> str:
    row = session.get(Setting, key)
    return row.value if row is not None else default


def set_gate(ctx: Ctx, value: str) -> bool:
    """Set review_gate to warn or require, audited. Returns whether it changed."""
    words = {"warn": "warn", "提醒": "warn", "require": "require", "必须": "require", "强制": "require"}
    mode = words.get(normalize_text(value).lower())
    if mode is None:
        raise BadValue(f"联审把关“{value}”无效。", "可用：warn（缺审只提醒）或 require（缺审不能签约）。")
    row = ctx.session.get(Setting, "review_gate")
    old = row.value if row is not None else "warn"
    if old == mode and row is not None:
        return False
    if row is None:
        ctx.session.add(Setting(key="review_gate", value=mode))
    else:
        row.value = mode
    audit.record(ctx, "setting", 0, "review_gate", old, mode)
    return True


def latest_verdicts(session: Session, project_id: int, as_of: dt.date | None = None) -> dict[str, str]:
    """The latest verdict per criterion (a later review of the same criterion replaces the earlier)."""
    query = select(Review).where(Review.project_id == project_id)
    if as_of is not None:
        query = query.where(or_(col(Review.reviewed_on).is_(None), col(Review.reviewed_on) <= as_of))
    rows = session.exec(query.order_by(col(Review.reviewed_on).asc().nulls_first(), Review.id)).all()
    return {r.criterion: r.verdict for r in rows}


def gaps(session: Session, project_id: int, criteria: list[str], as_of: dt.date) -> tuple[list[str], list[str]]:
    """(failed, missing) criteria of a project by the verdicts given by as-of."""
    verdicts = latest_verdicts(session, project_id, as_of)
    return [c for c in criteria if verdicts.get(c) == "fail"], [c for c in criteria if c not in verdicts]


def gate(ctx: Ctx, project: Project, stage: str, *, force: bool, reason: str | None,
         on: dt.date | None = None, warn_only: bool = False) -> None:
    """Before a project reaches signed: every criterion in force on the signing day (`on`, default
    today) passed or conditional by the verdicts given up to that day.

    A failed criterion always blocks (unless --force --reason); a missing one blocks only when the
    ledger's review_gate setting is `require`, else it is a warning. A forced override is written to
    the audit log with the criteria it overrode and the reason."""
    signed = STAGE_RANK["signed"]
    if stage == TERMINATED or STAGE_RANK[stage] < signed:
        return
    if project.stage != TERMINATED and STAGE_RANK[project.stage] >= signed and not warn_only:
        return
    assert project.id is not None
    day = on or ctx.today
    verdicts = latest_verdicts(ctx.session, project.id, as_of=day)  # a later review cannot clear a signing
    criteria = criteria_in_force(ctx.session, day)
    failed = [c for c in criteria if verdicts.get(c) == "fail"]
    missing = [c for c in criteria if c not in verdicts]
    late = _dated_after(ctx.session, project, day, missing, len(criteria))
    if warn_only:  # a project entered as already signed: said, never refused
        gaps = "；".join(p for p in (f"不通过：{'、'.join(failed)}" if failed else "",
                                    f"缺少：{'、'.join(missing)}" if missing else "") if p)
        if gaps:
            ctx.warn(f"项目“{project.code}”以{STAGE_ZH.get(stage, stage)}录入，联审未完成（{gaps}）。{late}")
        return
    require = setting(ctx.session, "review_gate", "warn") == "require"
    blocking = failed + (missing if require else [])
    if blocking and force:
        if not reason or not reason.strip():
            raise Conflict(f"项目“{project.code}”联审未通过（{'、'.join(blocking)}），强制推进需要说明原因。",
                           "加 --reason \"…\"。")
        overridden = "；".join(part for part in (
            f"不通过：{'、'.join(failed)}" if failed else "",
            f"缺少：{'、'.join(missing)}" if missing and require else "") if part)
        audit.record(ctx, "project", project.id, "review_gate", overridden, reason.strip(),
                     project_id=project.id, source=f"{ctx.source} --force")
        ctx.warn(f"项目“{project.code}”联审未通过（{overridden}），已按 --force 推进：{reason.strip()}")
        return
    if failed:
        raise Conflict(f"项目“{project.code}”联审未通过：{'、'.join(failed)}，不能签约。",
                       "复审通过后再推进，或用 --force --reason 说明原因。")
    if missing and require:
        raise Conflict(f"项目“{project.code}”联审未完成：缺少{'、'.join(missing)}，不能签约。{late}",
                       "用 zs review add 补齐，或用 --force --reason 说明原因。")
    if missing:
        ctx.warn(f"项目“{project.code}”未完成联审（缺少{'、'.join(missing)}）。{late}")


def _dated_after(session: Session, project: Project, day: dt.date, missing: list[str], in_force: int) -> str:
    """When criteria missing on the signing day have verdicts dated after it (reviews typed today for a
    past signing), say so and how to give their real date; else ""."""
    if not missing:
        return ""
    later = dict(session.exec(
        select(Review.criterion, func.min(Review.reviewed_on))
        .where(Review.project_id == project.id, col(Review.criterion).in_(missing), col(Review.reviewed_on) > day)
        .group_by(Review.criterion)
    ).all())
    if not later:
        return ""
    every = len(later) == in_force  # every criterion: --all gives them their date at once
    names = "这些标准" if every else "、".join(c for c in missing if c in later)
    which = "--all" if every else f"--criterion {names}"
    return (f"{names}的联审结论日期（{min(later.values())}）晚于签约日 {day}，不算签约前的联审；"
            f"若联审在签约前已做，用 zs review add {project.code} {which} --verdict … --on 联审日期 记下当时的日期。")
