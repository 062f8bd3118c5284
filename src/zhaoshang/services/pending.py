"""Incomplete joint reviews: the projects in negotiation or later whose review is incomplete or
failed (zs review pending), the signed ones an import lists, and those that signed in a window
without a complete review (the bulletin's list).

Each list is one aggregate query: the latest review per (project, criterion) by a window function,
pivoted into one status column per criterion in force (null: no verdict, 1: passed or conditional,
2: failed) by conditional aggregation, so the failed and missing names come out of the same query as
the projects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, case, exists, func, literal, or_
from sqlmodel import Session, col, select

from zhaoshang.models import Chain, Milestone, Project, Review, ReviewCriterion, Unit
from zhaoshang.services.criteria import criteria_in_force, criteria_on, criteria_versions
from zhaoshang.services.gate import gaps
from zhaoshang.services.projects import listing_row
from zhaoshang.vocabulary.dates import LedgerDate, parse_date
from zhaoshang.vocabulary.milestones import stage_dates
from zhaoshang.vocabulary.months import month_end, months_within
from zhaoshang.vocabulary.stages import STAGE_RANK, STAGES


def _ranked(reviews: Any, bound: Any = None, *joins: Any) -> Any:
    """Each review ranked within its (project, criterion), latest first; reviews dated after `bound`
    (a date or a column) are left out. Undated reviews rank as the oldest."""
    rank = func.row_number().over(
        partition_by=(reviews.c.project_id, reviews.c.criterion),
        order_by=(case((reviews.c.reviewed_on.is_(None), 0), else_=1).desc(),
                  reviews.c.reviewed_on.desc(), reviews.c.id.desc()),
    ).label("rank")
    query = select(reviews.c.project_id, reviews.c.criterion, reviews.c.verdict, rank)
    for target, on in joins:
        query = query.join(target, on)
    if bound is not None:
        query = query.where(or_(reviews.c.reviewed_on.is_(None), reviews.c.reviewed_on <= bound))
    return query.subquery("ranked")


def _pivot(ranked: Any, criteria: list[str]) -> Any:
    """One row per reviewed project: status column c0, c1, … per criterion (1 passed, 2 failed)."""
    columns = [
        func.max(case((ranked.c.criterion == name, case((ranked.c.verdict == "fail", 2), else_=1)))).label(f"c{i}")
        for i, name in enumerate(criteria)
    ]
    return (select(ranked.c.project_id, *columns).where(ranked.c.rank == 1)
            .group_by(ranked.c.project_id).subquery("verdicts"))


def _incomplete(pivot: Any, n: int) -> Any:
    return or_(*(func.coalesce(pivot.c[f"c{i}"], 0) != 1 for i in range(n)))


def _with_gaps(row: dict, statuses: Any, criteria: list[str]) -> dict:
    failed = [c for c, s in zip(criteria, statuses, strict=True) if s == 2]
    missing = [c for c, s in zip(criteria, statuses, strict=True) if s is None]
    return {**row, "reviewed": len(criteria) - len(missing), "criteria": len(criteria),
            "failed": failed, "missing": missing}


def _project_columns() -> list[Any]:
    """The project columns a listing row needs, and its unit's and chain's names (no ORM objects)."""
    P = Project.__table__  # type: ignore[attr-defined]
    return [P.c.id, P.c.code, P.c.name, P.c.investor, P.c.investment_wan, P.c.investment_usd_wan, P.c.stage,
            P.c.marshal, col(Unit.name).label("unit_name"), col(Chain.name).label("chain_name")]


def _listing(session: Session, found: list[Any], ids_query: Any, criteria: list[str]) -> list[dict]:

    if not found:
        return []
    ids = [r.id for r in found]
    dates = stage_dates(session, ids if len(ids) <= 900 else ids_query)
    n = len(_project_columns())
    return [_with_gaps(listing_row(r, r.unit_name, r.chain_name, dates.get(r.id, {})), r[n:], criteria)
            for r in found]


def pending(session: Session, as_of: dt.date, *, unit_id: int | None = None, min_stage: str = "negotiating",
            project_ids: list[int] | None = None) -> list[dict]:
    """Projects in negotiation or later (or from `min_stage` on) whose review, as of `as_of`, is
    incomplete or failed against the criteria in force that day. Terminated projects are left out;
    a project counts once it reached the stage by `as_of` (or at an unknown date).

    Rows are the listing's keys plus reviewed (criteria with a verdict), criteria (how many are in
    force), failed and missing (criterion names), in the units' official order."""
    criteria = criteria_in_force(session, as_of)
    stages = [s for s in STAGES if STAGE_RANK[s] >= STAGE_RANK[min_stage]]
    pivot = _pivot(_ranked(Review.__table__, as_of), criteria)  # type: ignore[attr-defined]
    reached = exists().where(
        Milestone.project_id == Project.id, Milestone.done, col(Milestone.kind).in_(stages),
        or_(col(Milestone.done_on).is_(None), col(Milestone.done_on) <= as_of))
    conditions = [col(Project.stage).in_(stages), reached]
    if criteria:
        conditions.append(_incomplete(pivot, len(criteria)))
    else:
        conditions.append(literal(False))
    if unit_id is not None:
        conditions.append(Project.unit_id == unit_id)
    if project_ids is not None and len(project_ids) <= 900:
        conditions.append(col(Project.id).in_(project_ids))
    query = (
        select(*_project_columns(), *(pivot.c[f"c{i}"] for i in range(len(criteria))))
        .select_from(Project)
        .outerjoin(Unit, col(Unit.id) == Project.unit_id)
        .outerjoin(Chain, col(Chain.id) == Project.chain_id)
        .outerjoin(pivot, pivot.c.project_id == Project.id)
        .where(*conditions)
        .order_by(func.coalesce(Unit.sort_order, 1_000_000), Project.id)
    )
    found = list(session.connection().execute(query).all())
    if project_ids is not None and len(project_ids) > 900:  # filter the result, not the ledger
        wanted = set(project_ids)
        found = [r for r in found if r.id in wanted]
    ids_query = select(Project.id).outerjoin(pivot, pivot.c.project_id == Project.id).where(*conditions)
    return _as_signed(session, _listing(session, found, ids_query, criteria), as_of, criteria)


def _as_signed(session: Session, rows: list[dict], as_of: dt.date, criteria: list[str]) -> list[dict]:
    """A project that signed is judged by the criteria in force on its signing day (a criterion added
    since does not reopen its review): its row is re-judged when that list differs from as-of's."""
    out = []
    lists: dict[dt.date, list[str]] = {}
    for row in rows:
        signed = parse_date(row["signed_on"]) if row.get("signed_on") else None
        if signed is None or signed.last > as_of:
            out.append(row)
            continue
        then = criteria_on(session, signed.last, lists)
        if then == criteria:
            out.append(row)
            continue
        pid = session.exec(select(Project.id).where(Project.code == row["code"])).one()
        failed, missing = gaps(session, pid, then, as_of)
        if failed or missing:
            out.append({**row, "reviewed": len(then) - len(missing), "criteria": len(then),
                        "failed": failed, "missing": missing})
    return out


def signed_unreviewed(session: Session, project_ids: Sequence[int] | None, as_of: dt.date) -> list[dict]:
    """Projects at signed or later (of `project_ids`, else all) whose review is incomplete or failed on
    `as_of`: the ones that passed the gate without a complete review, as an import
    lists them — {code, name, unit, stage, failed, missing}, by project id."""
    return unreviewed(session, project_ids, as_of)[0]


def unreviewed(session: Session, project_ids: Sequence[int] | None, as_of: dt.date,
               limit: int | None = None) -> tuple[list[dict], int]:
    """signed_unreviewed's rows (the first `limit` of them) and how many there are in all. One
    aggregate query, no stage dates, the ids matched by a merge walk (no set of them), so that
    importing a large ledger that never used 联审 pays little for the list."""
    criteria = criteria_in_force(session, as_of)
    if not criteria or (project_ids is not None and len(project_ids) == 0):
        return [], 0
    stages = [s for s in STAGES if STAGE_RANK[s] >= STAGE_RANK["signed"]]
    pivot = _pivot(_ranked(Review.__table__, as_of), criteria)  # type: ignore[attr-defined]
    P, U = Project.__table__, Unit.__table__  # type: ignore[attr-defined]
    query = (
        select(P.c.id, P.c.code, P.c.name, U.c.name.label("unit"), P.c.stage,
               *(pivot.c[f"c{i}"] for i in range(len(criteria))))
        .select_from(P.outerjoin(U, U.c.id == P.c.unit_id).outerjoin(pivot, pivot.c.project_id == P.c.id))
        .where(P.c.stage.in_(stages), _incomplete(pivot, len(criteria)))
        .order_by(P.c.id)
    )
    ids: list[int] | None = None
    if project_ids is not None:
        if len(project_ids) <= 900:
            query = query.where(P.c.id.in_(list(project_ids)))
        else:  # filter the result, not the ledger
            ids = sorted(project_ids)
    out: list[dict] = []
    count = 0
    at = 0
    none: list[str] = []
    all_missing = list(criteria)  # shared by the (many) rows never reviewed
    if _versioned(session):  # the list changed over time: judge each by its signing day's (slower)
        return _by_signing_day(session, query, ids, as_of, limit)
    for pid, code, name, unit, stage, *statuses in session.connection().execute(query):
        if ids is not None:
            while at < len(ids) and ids[at] < pid:
                at += 1
            if at == len(ids) or ids[at] != pid:
                continue
        count += 1
        if limit is not None and len(out) >= limit:
            continue
        if all(v is None for v in statuses):
            failed, missing = none, all_missing
        else:
            failed = [c for c, v in zip(criteria, statuses, strict=True) if v == 2]
            missing = [c for c, v in zip(criteria, statuses, strict=True) if v is None]
        out.append({"code": code, "name": name, "unit": unit, "stage": stage, "failed": failed, "missing": missing})
    return out, count


def _versioned(session: Session) -> bool:
    dated = or_(col(ReviewCriterion.valid_from).is_not(None), col(ReviewCriterion.valid_until).is_not(None))
    return session.exec(select(ReviewCriterion.id).where(dated)).first() is not None


def _by_signing_day(session: Session, query: Any, ids: list[int] | None, as_of: dt.date,
                    limit: int | None) -> tuple[list[dict], int]:
    """unreviewed() when the criteria list has changed: each project against the criteria in force on
    its signing day, with the verdicts given by as-of."""
    wanted = set(ids) if ids is not None else None
    rows = [r for r in session.connection().execute(query) if wanted is None or r[0] in wanted]
    signed: dict[int, dt.date] = {}
    for start in range(0, len(rows), 900):
        chunk = [r[0] for r in rows[start:start + 900]]
        for pid, day, precision in session.exec(
                select(Milestone.project_id, Milestone.done_on, Milestone.precision)
                .where(col(Milestone.project_id).in_(chunk), Milestone.kind == "signed", Milestone.done,
                       col(Milestone.done_on).is_not(None))):
            last = LedgerDate.stored(day, precision).last  # type: ignore[union-attr]
            signed[pid] = min(signed.get(pid, last), last)
    lists: dict[dt.date, list[str]] = {}
    out: list[dict] = []
    for pid, code, name, unit, stage, *_ in rows:
        then = criteria_on(session, min(signed.get(pid, as_of), as_of), lists)
        failed, missing = gaps(session, pid, then, as_of)
        if failed or missing:
            out.append({"code": code, "name": name, "unit": unit, "stage": stage, "failed": failed, "missing": missing})
    return (out[:limit] if limit is not None else out), len(out)


def signed_without_complete_review(session: Session, start: dt.date, end: dt.date) -> list[dict]:
    """Projects signed in [start, end] whose review was not complete when they signed: some criterion
    in force on the signing day had no verdict dated on or before it, or its latest verdict by then
    was fail.

    A month-precision signing date counts when its whole month lies in the window, and a review made
    in that month counts as made before it. Rows (ordered by signing date) are the listing's keys
    plus reviewed, criteria, failed and missing as of the signing day. One aggregate query per
    version of the criteria list in the window (usually one)."""
    months = months_within(start, end)
    in_window = and_(col(Milestone.precision) != "month", col(Milestone.done_on) >= start,
                     col(Milestone.done_on) <= end)
    if months:
        in_window = or_(in_window, and_(col(Milestone.precision) == "month", col(Milestone.done_on).in_(months)))
    # The last day a review may carry to count as made before signing.
    bound: Any = col(Milestone.done_on)
    if months:
        ends = {m: month_end(m) for m in months}
        bound = case((col(Milestone.precision) == "month", case(ends, value=col(Milestone.done_on))),
                     else_=col(Milestone.done_on))
    signed = (
        select(Milestone.project_id, func.min(Milestone.done_on).label("done_on"), func.max(bound).label("bound"))
        .where(Milestone.done, Milestone.kind == "signed", in_window)
        .group_by(Milestone.project_id).subquery("signed")
    )
    reviews = Review.__table__  # type: ignore[attr-defined]
    found: list[dict] = []
    for (v_from, v_to), criteria in criteria_versions(session, start, end):
        if not criteria:
            continue
        span = and_(signed.c.done_on >= v_from, signed.c.done_on <= v_to)
        ranked = _ranked(reviews, signed.c.bound, (signed, and_(signed.c.project_id == reviews.c.project_id, span)))
        pivot = _pivot(ranked, criteria)
        conditions = [span, _incomplete(pivot, len(criteria))]
        query = (
            select(*_project_columns(), *(pivot.c[f"c{i}"] for i in range(len(criteria))))
            .select_from(Project)
            .join(signed, signed.c.project_id == Project.id)
            .outerjoin(Unit, col(Unit.id) == Project.unit_id)
            .outerjoin(Chain, col(Chain.id) == Project.chain_id)
            .outerjoin(pivot, pivot.c.project_id == Project.id)
            .where(*conditions)
            .order_by(signed.c.done_on, Project.id)
        )
        ids_query = (select(Project.id).join(signed, signed.c.project_id == Project.id)
                     .outerjoin(pivot, pivot.c.project_id == Project.id).where(*conditions))
        rows = _listing(session, list(session.connection().execute(query).all()), ids_query, criteria)
        found += rows
    return found
