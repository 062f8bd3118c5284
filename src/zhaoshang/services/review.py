"""联审 (joint review): the criteria in force, the verdicts, and the gate before signing.

Each review row is one criterion's verdict on one project on a date; a later review of the same
criterion replaces the earlier one (a re-review after a fail). The list of criteria is stored in the
ledger and versioned by date (valid_from / valid_until), so a review keeps the meaning it had when it
was made and a project is judged by the criteria in force when it signed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, exists, func, literal, or_
from sqlmodel import Session, col, select

from zhaoshang.errors import BadValue, Conflict
from zhaoshang.models import Chain, Milestone, Project, Review, ReviewCriterion, Setting, Unit
from zhaoshang.parsing import (
    STAGE_RANK,
    STAGE_ZH,
    STAGES,
    TERMINATED,
    LedgerDate,
    clean_cell,
    iso,
    normalize_text,
    parse_date,
)
from zhaoshang.services import audit, users
from zhaoshang.services.context import Ctx

VERDICT_WORDS = {
    "pass": "pass", "通过": "pass", "同意": "pass", "合格": "pass", "符合": "pass",
    "conditional": "conditional", "有条件通过": "conditional", "有条件": "conditional",
    "附条件通过": "conditional", "原则通过": "conditional", "基本符合": "conditional",
    "fail": "fail", "不通过": "fail", "未通过": "fail", "不同意": "fail", "不合格": "fail", "不符合": "fail",
}


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
             "valid_from": iso(r.valid_from),
             "valid_until": iso(r.valid_until)} for r in rows]


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
    note = " ".join(note.split()) or None if note else None  # as typed: only runs of white space made one
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
            "reviewed_on": iso(r.reviewed_on),
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
    if warn_only:  # a project entered as already signed: said, never refused
        gaps = "；".join(p for p in (f"不通过：{'、'.join(failed)}" if failed else "",
                                    f"缺少：{'、'.join(missing)}" if missing else "") if p)
        if gaps:
            ctx.warn(f"项目“{project.code}”以{STAGE_ZH.get(stage, stage)}录入，联审未完成（{gaps}）。")
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
        raise Conflict(f"项目“{project.code}”联审未完成：缺少{'、'.join(missing)}，不能签约。",
                       "用 zs review add 补齐，或用 --force --reason 说明原因。")
    if missing:
        ctx.warn(f"项目“{project.code}”未完成联审（缺少{'、'.join(missing)}）。")


# --------------------------------------------------------------------------- incomplete reviews
#
# Both lists below are one aggregate query each: the latest review per (project, criterion) by a
# window function, pivoted into one status column per criterion in force (null: no verdict, 1: passed
# or conditional, 2: failed) by conditional aggregation, so the failed and missing names come out of
# the same query as the projects.


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
    from zhaoshang.services.projects import listing_row, stage_dates

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
        then = _criteria_on(session, signed.last, lists)
        if then == criteria:
            out.append(row)
            continue
        pid = session.exec(select(Project.id).where(Project.code == row["code"])).one()
        failed, missing = _gaps(session, pid, then, as_of)
        if failed or missing:
            out.append({**row, "reviewed": len(then) - len(missing), "criteria": len(then),
                        "failed": failed, "missing": missing})
    return out


def _criteria_on(session: Session, day: dt.date, lists: dict[dt.date, list[str]]) -> list[str]:
    """criteria_in_force, read once per day for a run of projects."""
    if day not in lists:
        lists[day] = criteria_in_force(session, day)
    return lists[day]


def _gaps(session: Session, project_id: int, criteria: list[str], as_of: dt.date) -> tuple[list[str], list[str]]:
    """(failed, missing) criteria of a project by the verdicts given by as-of."""
    verdicts = latest_verdicts(session, project_id, as_of)
    return [c for c in criteria if verdicts.get(c) == "fail"], [c for c in criteria if c not in verdicts]


def signed_unreviewed(session: Session, project_ids: Sequence[int] | None = None,
                      as_of: dt.date | None = None) -> list[dict]:
    """Projects at signed or later (of `project_ids`, else all) whose review is incomplete or failed on
    `as_of` (default today): the ones that passed the gate without a complete review, as an import
    lists them — {code, name, unit, stage, failed, missing}, by project id."""
    return unreviewed(session, project_ids, as_of)[0]


def unreviewed(session: Session, project_ids: Sequence[int] | None, as_of: dt.date | None = None,
               limit: int | None = None) -> tuple[list[dict], int]:
    """signed_unreviewed's rows (the first `limit` of them) and how many there are in all. One
    aggregate query, no stage dates, the ids matched by a merge walk (no set of them), so that
    importing a large ledger that never used 联审 pays little for the list."""
    import zhaoshang.config as config

    as_of = as_of or config.today()
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
        then = _criteria_on(session, min(signed.get(pid, as_of), as_of), lists)
        failed, missing = _gaps(session, pid, then, as_of)
        if failed or missing:
            out.append({"code": code, "name": name, "unit": unit, "stage": stage, "failed": failed, "missing": missing})
    return (out[:limit] if limit is not None else out), len(out)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _month_firsts(start: dt.date, end: dt.date) -> list[dt.date]:
    """The 1st of every month lying wholly inside [start, end]: a month-precision date counts there."""
    months = []
    day = dt.date(start.year, start.month, 1)
    if day < start:
        day = _next_month(day)
    while _next_month(day) - dt.timedelta(days=1) <= end:
        months.append(day)
        day = _next_month(day)
    return months


def signed_without_complete_review(session: Session, start: dt.date, end: dt.date) -> list[dict]:
    """Projects signed in [start, end] whose review was not complete when they signed: some criterion
    in force on the signing day had no verdict dated on or before it, or its latest verdict by then
    was fail.

    A month-precision signing date counts when its whole month lies in the window, and a review made
    in that month counts as made before it. Rows (ordered by signing date) are the listing's keys
    plus reviewed, criteria, failed and missing as of the signing day. One aggregate query per
    version of the criteria list in the window (usually one)."""
    months = _month_firsts(start, end)
    in_window = and_(col(Milestone.precision) != "month", col(Milestone.done_on) >= start,
                     col(Milestone.done_on) <= end)
    if months:
        in_window = or_(in_window, and_(col(Milestone.precision) == "month", col(Milestone.done_on).in_(months)))
    # The last day a review may carry to count as made before signing.
    bound: Any = col(Milestone.done_on)
    if months:
        month_end = {m: _next_month(m) - dt.timedelta(days=1) for m in months}
        bound = case((col(Milestone.precision) == "month", case(month_end, value=col(Milestone.done_on))),
                     else_=col(Milestone.done_on))
    signed = (
        select(Milestone.project_id, func.min(Milestone.done_on).label("done_on"), func.max(bound).label("bound"))
        .where(Milestone.done, Milestone.kind == "signed", in_window)
        .group_by(Milestone.project_id).subquery("signed")
    )
    reviews = Review.__table__  # type: ignore[attr-defined]
    found: list[dict] = []
    for (v_from, v_to), criteria in _criteria_versions(session, start, end):
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


# --------------------------------------------------------------------------- ledger rows (import)


class CriteriaIndex:
    """Every version of the criteria list, read once, to check many ledger rows against it."""

    def __init__(self, session: Session) -> None:
        self.rows = [(r.name, normalize_text(r.name), r.valid_from, r.valid_until)
                     for r in session.exec(select(ReviewCriterion).order_by(ReviewCriterion.sort_order,
                                                                            ReviewCriterion.id)).all()]

    def match(self, value: str, on: dt.date | None) -> str:
        """The criterion `value` names (after normalisation) in any version of the list: a review
        keeps the criterion it was made under even when the list changed from an earlier day since.
        Raises ValueError naming the criteria in force on `on` (today's list when undated)."""
        key = normalize_text(value)
        for name, norm, _, _ in self.rows:
            if norm == key:
                return name
        day = on or dt.date.today()
        in_force = [name for name, _, start, end in self.rows
                    if (start is None or start <= day) and (end is None or end >= day)]
        raise ValueError(f"“{value}”不是联审标准（可用：{'、'.join(dict.fromkeys(in_force))}）")


@dataclass
class ReviewRow:
    """One ledger row's review: a verdict already parsed, a criterion already matched."""

    project_id: int
    criterion: str
    verdict: str
    reviewed_on: dt.date | None = None
    reviewer: str | None = None
    note: str | None = None
    source: str | None = None


_REVIEW_COLUMNS = ("id", "project_id", "criterion", "verdict", "reviewer", "reviewed_on", "note")


def record_reviews(ctx: Ctx, rows: list[ReviewRow], claimed: set[int], bulk: Any = None) -> list[str]:
    """Ledger rows' reviews in one pass. A row is the review of its project and criterion on its date:
    an identical review is left alone, another one of that day takes the row's verdict, reviewer and
    note (audited, field by field), else the row is a new review (a re-review on a later day is a new
    review, and the latest one counts). `claimed` holds the reviews earlier rows of the same import
    matched, so two rows never match one review. Returns each row's outcome (inserted, updated or
    unchanged). One query per 900 projects; inserts and audit events in bulk."""
    from sqlalchemy import select as core_select

    from zhaoshang.db.bulk import Bulk
    from zhaoshang.models import Event

    if not rows:
        return []
    ctx.session.flush()
    conn = ctx.session.connection()
    bulk = bulk or Bulk(conn)
    users.require_projects(ctx, {r.project_id for r in rows})  # bulk writes pass by the flush checks
    table = Review.__table__  # type: ignore[attr-defined]
    known: dict[tuple, list[dict]] = {}
    ids = sorted({r.project_id for r in rows})
    for start in range(0, len(ids), 900):
        for row in conn.execute(core_select(table).where(table.c.project_id.in_(ids[start:start + 900]))
                                .order_by(table.c.id)):
            known.setdefault((row.project_id, row.criterion, row.reviewed_on), []).append(dict(row._mapping))
    at = bulk.stamp(ctx.now)
    outcomes: list[str] = []
    new: list[tuple[dict, str]] = []
    updates: list[dict] = []
    events: list[tuple] = []
    for r in rows:
        source = r.source or ctx.source
        want = {"verdict": r.verdict, "reviewer": r.reviewer, "note": r.note}
        free = [x for x in known.get((r.project_id, r.criterion, r.reviewed_on), []) if x["id"] not in claimed]
        same = next((x for x in free if all(x[k] == v for k, v in want.items())), None) or \
            next((x for x in free if x["verdict"] == r.verdict), None) or next(iter(free), None)
        if same is None:
            record = {"id": None, "project_id": r.project_id, "criterion": r.criterion, "reviewed_on": r.reviewed_on,
                      **want}
            new.append((record, source))
            outcomes.append("inserted")
            continue
        claimed.add(same["id"])
        changes = {k: v for k, v in want.items() if same[k] != v}
        for name, value in changes.items():
            events.append(("review", same["id"], same["project_id"], at, ctx.actor, source, name,
                           audit.as_text(same[name]), audit.as_text(value)))
        if changes:
            same.update(changes)
            updates.append({"id": same["id"], **changes})
        outcomes.append("updated" if changes else "unchanged")
    if new:
        rows_ = []
        for rid, (record, source) in zip(bulk.ids(table, len(new)), new, strict=True):
            record["id"] = rid
            claimed.add(rid)
            rows_.append(tuple(bulk.day(record[c]) if c == "reviewed_on" else record[c] for c in _REVIEW_COLUMNS))
            events.append(("review", rid, record["project_id"], at, ctx.actor, source, None, None,
                           audit.dict_json(record)))
        bulk.insert(table, _REVIEW_COLUMNS, rows_)
    bulk.update(table, updates)
    bulk.insert(Event.__table__, audit.EVENT_COLUMNS, events)  # type: ignore[attr-defined]
    return outcomes


def record_criterion(ctx: Ctx, name: str, sort_order: int | None, valid_from: dt.date | None,
                     valid_until: dt.date | None) -> str:
    """A row of an exported 联审标准 sheet: the version of `name` that starts on `valid_from` takes
    the row's order and end date, or is added. Returns inserted, updated or unchanged."""
    name = clean_cell(name)
    if valid_from is not None and valid_until is not None and valid_until < valid_from:
        raise BadValue(f"联审标准“{name}”的停用日期 {valid_until} 早于启用日期 {valid_from}。")
    row = ctx.session.exec(select(ReviewCriterion).where(
        ReviewCriterion.name == name,
        col(ReviewCriterion.valid_from).is_(None) if valid_from is None else ReviewCriterion.valid_from == valid_from,
    )).first()
    if row is None:
        order = sort_order if sort_order is not None else \
            (ctx.session.exec(select(func.max(ReviewCriterion.sort_order))).one() or 0) + 1
        row = ReviewCriterion(name=name, sort_order=order, valid_from=valid_from, valid_until=valid_until)
        ctx.session.add(row)
        ctx.session.flush()
        audit.record_insert(ctx, "review_criterion", row)
        return "inserted"
    changes: dict[str, Any] = {"valid_until": valid_until}
    if sort_order is not None:
        changes["sort_order"] = sort_order
    return "updated" if audit.apply_changes(ctx, "review_criterion", row, changes) else "unchanged"
