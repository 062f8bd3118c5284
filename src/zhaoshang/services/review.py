"""联审 (joint review): the criteria in force, the verdicts, and the gate before signing.

Each review row is one criterion's verdict on one project on a date; a later review of the same
criterion replaces the earlier one (a re-review after a fail). The list of criteria is stored in the
ledger and versioned by date (valid_from / valid_until), so a review keeps the meaning it had when it
was made and a project is judged by the criteria in force when it signed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, exists, func, literal, or_
from sqlmodel import Session, col, select

from zhaoshang.errors import BadValue, Conflict
from zhaoshang.models import Chain, Milestone, Project, Review, ReviewCriterion, Setting, Unit
from zhaoshang.parsing import STAGE_RANK, STAGES, TERMINATED, clean_cell, normalize_text
from zhaoshang.services import audit
from zhaoshang.services.context import Ctx

GATE_SETTINGS = ("warn", "require")
PASSING = ("pass", "conditional")
VERDICT_WORDS = {
    "pass": "pass", "通过": "pass", "同意": "pass", "合格": "pass", "符合": "pass",
    "conditional": "conditional", "有条件通过": "conditional", "有条件": "conditional",
    "附条件通过": "conditional", "原则通过": "conditional", "基本符合": "conditional",
    "fail": "fail", "不通过": "fail", "未通过": "fail", "不同意": "fail", "不合格": "fail", "不符合": "fail",
}
# The stages `pending` looks at: negotiating or later.
REVIEWED_STAGES = tuple(s for s in STAGES if STAGE_RANK[s] >= STAGE_RANK["negotiating"])


def parse_verdict(value: str) -> str:
    verdict = VERDICT_WORDS.get(normalize_text(value).lower())
    if verdict is None:
        raise BadValue(f"--verdict “{value}”无效。", "可用：pass|conditional|fail（通过/有条件通过/不通过）。")
    return verdict


# --------------------------------------------------------------------------- settings


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


# --------------------------------------------------------------------------- criteria


def _in_force(on: Any) -> Any:
    return and_(or_(col(ReviewCriterion.valid_from).is_(None), col(ReviewCriterion.valid_from) <= on),
                or_(col(ReviewCriterion.valid_until).is_(None), col(ReviewCriterion.valid_until) >= on))


def criteria_in_force(session: Session, on: dt.date) -> list[str]:
    rows = session.exec(
        select(ReviewCriterion).where(_in_force(on)).order_by(ReviewCriterion.sort_order, ReviewCriterion.id)
    ).all()
    return [r.name for r in rows]


def list_criteria(session: Session, on: dt.date | None = None) -> list[dict]:
    """The criteria in force on a date, or (on=None) every version of the list."""
    query = select(ReviewCriterion)
    if on is not None:
        query = query.where(_in_force(on))
    rows = session.exec(query.order_by(col(ReviewCriterion.valid_from).asc().nulls_first(),
                                       ReviewCriterion.sort_order, ReviewCriterion.id)).all()
    if on is not None:
        rows = sorted(rows, key=lambda r: (r.sort_order, r.id))
    return [{"name": r.name, "sort_order": r.sort_order,
             "valid_from": r.valid_from.isoformat() if r.valid_from else None,
             "valid_until": r.valid_until.isoformat() if r.valid_until else None} for r in rows]


@dataclass
class CriteriaChange:
    on: dt.date
    added: list[str]
    dropped: list[str]
    reordered: list[str]


def set_criteria(ctx: Ctx, names: list[str], on: dt.date) -> CriteriaChange:
    """Make `names` (in this order) the criteria in force from `on`. The rows before `on` are kept, so
    reviews made under the old list keep their meaning; changes are appended in date order."""
    wanted = [clean_cell(n) for n in names]
    if not wanted or not all(wanted):
        raise BadValue("联审标准不能为空。")
    dupes = sorted({n for n in wanted if wanted.count(n) > 1})
    if dupes:
        raise BadValue(f"联审标准重复：{'、'.join(dupes)}。")
    session = ctx.session
    rows = session.exec(select(ReviewCriterion)).all()
    changes = [r.valid_from for r in rows if r.valid_from] + \
              [r.valid_until + dt.timedelta(days=1) for r in rows if r.valid_until]
    latest = max(changes, default=None)
    if latest is not None and on < latest:
        raise Conflict(f"联审标准已有 {latest} 起的版本，不能再改 {on} 起的标准。",
                       f"用 --from {latest} 或更晚的日期。")
    current = [r for r in rows if (r.valid_from is None or r.valid_from <= on)
               and (r.valid_until is None or r.valid_until >= on)]
    by_name = {r.name: r for r in current}
    dropped, added, reordered = [], [], []
    for row in current:
        if row.name in wanted:
            continue
        dropped.append(row.name)
        if row.valid_from == on:  # added and dropped the same day: it was never in force
            audit.record_delete(ctx, "review_criterion", row)
            session.delete(row)
        else:
            audit.apply_changes(ctx, "review_criterion", row, {"valid_until": on - dt.timedelta(days=1)})
    for order, name in enumerate(wanted, 1):
        row = by_name.get(name)
        if row is None:
            row = ReviewCriterion(name=name, sort_order=order, valid_from=on)
            session.add(row)
            session.flush()
            audit.record_insert(ctx, "review_criterion", row)
            added.append(name)
        elif audit.apply_changes(ctx, "review_criterion", row, {"sort_order": order}):
            reordered.append(name)
    session.flush()
    return CriteriaChange(on, added, dropped, reordered)


def add_criterion(ctx: Ctx, name: str, on: dt.date) -> CriteriaChange:
    current = criteria_in_force(ctx.session, on)
    name = clean_cell(name)
    if name in current:
        raise Conflict(f"联审标准“{name}”已在使用。")
    return set_criteria(ctx, [*current, name], on)


def drop_criterion(ctx: Ctx, name: str, on: dt.date) -> CriteriaChange:
    current = criteria_in_force(ctx.session, on)
    name = clean_cell(name)
    if name not in current:
        raise BadValue(f"联审标准“{name}”不在 {on} 使用的标准中。", f"现有：{'、'.join(current)}。")
    return set_criteria(ctx, [c for c in current if c != name], on)


def _criterion(session: Session, value: str, on: dt.date) -> str:
    """The criterion a user names, matched after normalisation against the list in force on `on`."""
    criteria = criteria_in_force(session, on)
    key = normalize_text(value)
    for name in criteria:
        if normalize_text(name) == key:
            return name
    raise BadValue(f"--criterion “{value}”不是 {on} 使用的联审标准。", f"可用：{'、'.join(criteria)}。")


# --------------------------------------------------------------------------- reviews


def latest_verdicts(session: Session, project_id: int, as_of: dt.date | None = None) -> dict[str, str]:
    """The latest verdict per criterion (a later review of the same criterion replaces the earlier)."""
    query = select(Review).where(Review.project_id == project_id)
    if as_of is not None:
        query = query.where(or_(col(Review.reviewed_on).is_(None), col(Review.reviewed_on) <= as_of))
    rows = session.exec(query.order_by(col(Review.reviewed_on).asc().nulls_first(), Review.id)).all()
    return {r.criterion: r.verdict for r in rows}


def add_review(ctx: Ctx, code: str, criterion: str, verdict: str, *, on: dt.date | None = None,
               reviewer: str | None = None, note: str | None = None) -> tuple[Review, bool]:
    """Record one criterion's verdict on a project, audited. The same verdict recorded twice on the
    same day (same reviewer and note) changes nothing. Returns the review and whether it is new."""
    from zhaoshang.services.projects import get_project

    project = get_project(ctx.session, code)
    on = on or ctx.today
    name = _criterion(ctx.session, criterion, on)
    reviewer = clean_cell(reviewer) if reviewer else ctx.actor
    note = clean_cell(note) or None if note else None
    same = ctx.session.exec(
        select(Review).where(Review.project_id == project.id, Review.criterion == name,
                             Review.verdict == verdict, Review.reviewed_on == on,
                             Review.reviewer == reviewer, Review.note == note if note else col(Review.note).is_(None))
    ).first()
    if same is not None:
        return same, False
    review = Review(project_id=project.id, criterion=name, verdict=verdict,  # type: ignore[arg-type]
                    reviewer=reviewer, reviewed_on=on, note=note)
    ctx.session.add(review)
    ctx.session.flush()
    audit.record_insert(ctx, "review", review, project_id=project.id)
    return review, True


def _review_row(r: Review, in_force: bool = True) -> dict:
    return {"criterion": r.criterion, "verdict": r.verdict,
            "reviewed_on": r.reviewed_on.isoformat() if r.reviewed_on else None,
            "reviewer": r.reviewer, "note": r.note, "in_force": in_force}


def show_review(session: Session, code: str, as_of: dt.date) -> dict:
    """A project's review: each criterion in force with its latest verdict, and every review made."""
    from zhaoshang.services.projects import get_project

    project = get_project(session, code)
    reviews = session.exec(
        select(Review).where(Review.project_id == project.id)
        .order_by(col(Review.reviewed_on).asc().nulls_first(), Review.id)
    ).all()
    latest = {r.criterion: r for r in reviews if r.reviewed_on is None or r.reviewed_on <= as_of}
    criteria = criteria_in_force(session, as_of)
    rows = []
    for name in criteria:
        r = latest.get(name)
        rows.append(_review_row(r) if r else {"criterion": name, "verdict": None, "reviewed_on": None,
                                               "reviewer": None, "note": None, "in_force": True})
    rows += [_review_row(r, in_force=False) for name, r in latest.items() if name not in criteria]
    failed = [name for name in criteria if name in latest and latest[name].verdict == "fail"]
    missing = [name for name in criteria if name not in latest]
    return {"code": project.code, "name": project.name, "stage": project.stage, "as_of": as_of.isoformat(),
            "complete": not failed and not missing, "failed": failed, "missing": missing,
            "criteria": rows, "reviews": [_review_row(r, r.criterion in criteria) for r in reviews]}


# --------------------------------------------------------------------------- the gate


def gate(ctx: Ctx, project: Project, stage: str, *, force: bool, reason: str | None,
         on: dt.date | None = None) -> None:
    """Before a project reaches signed: every criterion in force on the signing day (`on`, default
    today) passed or conditional.

    A failed criterion always blocks (unless --force --reason); a missing one blocks only when the
    ledger's review_gate setting is `require`, else it is a warning. A forced override is written to
    the audit log with the criteria it overrode and the reason."""
    signed = STAGE_RANK["signed"]
    if stage == TERMINATED or STAGE_RANK[stage] < signed:
        return
    if project.stage != TERMINATED and STAGE_RANK[project.stage] >= signed:
        return
    assert project.id is not None
    verdicts = latest_verdicts(ctx.session, project.id)
    criteria = criteria_in_force(ctx.session, on or ctx.today)
    failed = [c for c in criteria if verdicts.get(c) == "fail"]
    missing = [c for c in criteria if c not in verdicts]
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
        raise Conflict(f"项目“{project.code}”联审未完成：缺少{'、'.join(missing)}，不能签约。",
                       "用 zs review add 补齐，或用 --force --reason 说明原因。")
    if missing:
        ctx.warn(f"项目“{project.code}”未完成联审（缺少{'、'.join(missing)}）。")


# --------------------------------------------------------------------------- incomplete reviews


def _latest_reviews(as_of: Any = None) -> Any:
    """Subquery: each project's latest review per criterion (reviews dated after `as_of` left out)."""
    rank = func.row_number().over(
        partition_by=(Review.project_id, Review.criterion),
        order_by=(case((col(Review.reviewed_on).is_(None), 0), else_=1).desc(),
                  col(Review.reviewed_on).desc(), col(Review.id).desc()),
    ).label("rank")
    query = select(Review.project_id, Review.criterion, Review.verdict, rank)
    if as_of is not None:
        query = query.where(or_(col(Review.reviewed_on).is_(None), col(Review.reviewed_on) <= as_of))
    return query.subquery("latest_review")


def _gaps(session: Session, project_ids: list[int], criteria: list[str],
          as_of: dt.date | None) -> dict[int, tuple[list[str], list[str]]]:
    """(failed, missing) criteria of the given projects; only called on a result list."""
    latest = _latest_reviews(as_of)
    verdicts: dict[int, dict[str, str]] = {}
    for start in range(0, len(project_ids), 900):
        chunk = project_ids[start:start + 900]
        for pid, criterion, verdict in session.exec(
            select(latest.c.project_id, latest.c.criterion, latest.c.verdict)
            .where(latest.c.rank == 1, latest.c.project_id.in_(chunk))
        ).all():
            verdicts.setdefault(pid, {})[criterion] = verdict
    out = {}
    for pid in project_ids:
        v = verdicts.get(pid, {})
        out[pid] = ([c for c in criteria if v.get(c) == "fail"], [c for c in criteria if c not in v])
    return out


def _rows(session: Session, query: Any, criteria: list[str], as_of: dt.date | None) -> list[dict]:
    from zhaoshang.services.projects import listing_row, stage_dates

    found = session.exec(query).all()
    ids = [p.id for p, _, _ in found]
    if not ids:
        return []
    dates = stage_dates(session, ids if len(ids) <= 900 else select(Project.id))
    gaps = _gaps(session, ids, criteria, as_of)
    rows = []
    for p, unit, chain in found:
        failed, missing = gaps[p.id]
        rows.append({**listing_row(p, unit, chain, dates.get(p.id, {})),
                     "reviewed": len(criteria) - len(missing), "criteria": len(criteria),
                     "failed": failed, "missing": missing, "_id": p.id})
    return rows


def pending(session: Session, as_of: dt.date, *, unit_id: int | None = None, min_stage: str = "negotiating",
            project_ids: list[int] | None = None) -> list[dict]:
    """Projects in negotiation or later (or from `min_stage` on) whose review, as of `as_of`, is
    incomplete or failed against the criteria in force that day. Terminated projects are left out.

    Rows are the listing's keys plus reviewed (criteria passed, conditional or failed), criteria (how
    many are in force), failed and missing (criterion names). The test is one aggregate query; names
    are filled in for the result only."""
    criteria = criteria_in_force(session, as_of)
    stages = [s for s in STAGES if STAGE_RANK[s] >= STAGE_RANK[min_stage]]
    latest = _latest_reviews(as_of)
    passed = (
        select(latest.c.project_id, func.count().label("passed"))
        .where(latest.c.rank == 1, latest.c.verdict.in_(PASSING), latest.c.criterion.in_(criteria))
        .group_by(latest.c.project_id).subquery("passed")
    )
    reached = exists().where(
        Milestone.project_id == Project.id, Milestone.done, col(Milestone.kind).in_(stages),
        or_(col(Milestone.done_on).is_(None), col(Milestone.done_on) <= as_of))
    query = (
        select(Project, Unit.name, Chain.name)
        .outerjoin(Unit, col(Unit.id) == Project.unit_id)
        .outerjoin(Chain, col(Chain.id) == Project.chain_id)
        .outerjoin(passed, passed.c.project_id == Project.id)
        .where(col(Project.stage).in_(stages), reached,
               func.coalesce(passed.c.passed, 0) < literal(len(criteria)))
        .order_by(func.coalesce(Unit.sort_order, 1_000_000), Project.id)
    )
    if unit_id is not None:
        query = query.where(Project.unit_id == unit_id)
    if project_ids is not None and len(project_ids) <= 900:
        query = query.where(col(Project.id).in_(project_ids))
    rows = _rows(session, query, criteria, as_of)
    if project_ids is not None and len(project_ids) > 900:  # filter the (short) result, not the ledger
        wanted = set(project_ids)
        return [r for r in rows if r.pop("_id") in wanted]
    for r in rows:
        r.pop("_id")
    return rows


def signed_unreviewed(session: Session, project_ids: list[int] | None = None,
                      as_of: dt.date | None = None) -> list[dict]:
    """Projects at signed or later whose review is incomplete or failed today: the ones that passed the
    gate without a complete review (what an import lists)."""
    import zhaoshang.config as config

    return pending(session, as_of or config.today(), min_stage="signed", project_ids=project_ids)


def _month_firsts(start: dt.date, end: dt.date) -> list[dt.date]:
    """The 1st of every month lying wholly inside [start, end]: a month-precision date counts there."""
    months = []
    day = dt.date(start.year, start.month, 1)
    if day < start:
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    while True:
        nxt = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        if nxt - dt.timedelta(days=1) > end:
            return months
        months.append(day)
        day = nxt


def signed_without_complete_review(session: Session, start: dt.date, end: dt.date) -> list[dict]:
    """Projects signed in [start, end] whose review was not complete when they signed: some criterion
    in force on the signing day had no verdict dated on or before it, or its latest verdict by then
    was fail.

    A month-precision signing date counts when its whole month lies in the window, and a review made
    in that month counts as made before it. Rows are the listing's keys plus reviewed, criteria,
    failed and missing (as of the signing day). One aggregate query per version of the criteria list
    in the window; names are filled in for the result only."""
    from zhaoshang.services.projects import listing_row, stage_dates

    months = _month_firsts(start, end)
    in_window = and_(col(Milestone.precision) != "month", col(Milestone.done_on) >= start,
                     col(Milestone.done_on) <= end)
    if months:
        in_window = or_(in_window, and_(col(Milestone.precision) == "month", col(Milestone.done_on).in_(months)))
    signed = (
        select(Milestone.project_id, Milestone.done_on, Milestone.precision)
        .where(Milestone.done, Milestone.kind == "signed", in_window).subquery("signed")
    )
    # The last day a review may carry to count as made before signing.
    bound: Any = signed.c.done_on
    if months:
        month_end = {m: dt.date(m.year + m.month // 12, m.month % 12 + 1, 1) - dt.timedelta(days=1)
                     for m in months}
        bound = case((signed.c.precision == "month", case(month_end, value=signed.c.done_on)),
                     else_=signed.c.done_on)
    r = Review.__table__.alias("r")  # type: ignore[attr-defined]
    r2 = Review.__table__.alias("later")  # type: ignore[attr-defined]
    superseded = exists().where(  # a later review of the same criterion, still made by the bound
        r2.c.project_id == r.c.project_id, r2.c.criterion == r.c.criterion,
        or_(r2.c.reviewed_on.is_(None), r2.c.reviewed_on <= bound),
        or_(and_(r.c.reviewed_on.is_(None), r2.c.reviewed_on.is_not(None)),
            r2.c.reviewed_on > r.c.reviewed_on,
            and_(or_(r2.c.reviewed_on == r.c.reviewed_on,
                     and_(r2.c.reviewed_on.is_(None), r.c.reviewed_on.is_(None))), r2.c.id > r.c.id)))
    found: dict[int, tuple[Any, ...]] = {}
    for (v_from, v_to), criteria in _criteria_versions(session, start, end):
        if not criteria:
            continue
        passed = (
            select(func.count(func.distinct(r.c.criterion)))
            .where(r.c.project_id == signed.c.project_id, r.c.criterion.in_(criteria),
                   r.c.verdict.in_(PASSING), or_(r.c.reviewed_on.is_(None), r.c.reviewed_on <= bound),
                   ~superseded)
            .scalar_subquery()
        )
        query = (
            select(Project, Unit.name, Chain.name, signed.c.done_on, bound.label("bound"))
            .join(signed, signed.c.project_id == Project.id)
            .outerjoin(Unit, col(Unit.id) == Project.unit_id)
            .outerjoin(Chain, col(Chain.id) == Project.chain_id)
            .where(signed.c.done_on >= v_from, signed.c.done_on <= v_to, passed < literal(len(criteria)))
        )
        for p, unit, chain, day, last in session.exec(query).all():
            if p.id not in found or _as_date(day) < _as_date(found[p.id][3]):
                found[p.id] = (p, unit, chain, day, last, criteria)
    if not found:
        return []
    ordered = sorted(found.values(), key=lambda f: (_as_date(f[3]), f[0].id))
    dates = stage_dates(session, list(found))
    rows = []
    for p, unit, chain, _, last, criteria in ordered:
        failed, missing = _gaps(session, [p.id], criteria, _as_date(last))[p.id]
        rows.append({**listing_row(p, unit, chain, dates.get(p.id, {})),
                     "reviewed": len(criteria) - len(missing), "criteria": len(criteria),
                     "failed": failed, "missing": missing})
    return rows


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _criteria_versions(session: Session, start: dt.date,
                       end: dt.date) -> list[tuple[tuple[dt.date, dt.date], list[str]]]:
    """The spans of [start, end] over which the list of criteria is constant, with that list."""
    breaks = {start}
    for r in session.exec(select(ReviewCriterion)).all():
        if r.valid_from and start < r.valid_from <= end:
            breaks.add(r.valid_from)
        if r.valid_until and start <= r.valid_until < end:
            breaks.add(r.valid_until + dt.timedelta(days=1))
    points = sorted(breaks)
    spans = []
    for i, a in enumerate(points):
        b = points[i + 1] - dt.timedelta(days=1) if i + 1 < len(points) else end
        spans.append(((a, b), criteria_in_force(session, a)))
    return spans
