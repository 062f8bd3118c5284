"""The report numbers, aggregated in SQL: counts and sums per unit and per chain over a window.

A stage counts in a window when the date of its done milestone falls in it (DESIGN §5). A project's
stage date is its earliest dated done milestone of that stage (a day date is earlier than a month
date of the same month), so a stage recorded twice still counts once; a done milestone without a
date counts in no window. "Started" (已开工或具备开工条件) counts a project once, on the earlier of its
ready and started dates. Every query is driven by the (kind, done_on) index over the window, so the
cost grows with what the window holds, not with the ledger. A long window (a quarter, a year, the
year so far, a campaign) is read as a set difference — the projects with a milestone of the stage
in it, less those with one before it; a short one (a week, a month) reads its milestones once in
project order and checks each for an earlier one of its stage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    and_,
    bindparam,
    case,
    except_,
    exists,
    func,
    literal,
    not_,
    or_,
    select,
    true,
    union,
)
from sqlmodel import Session, col

from zhaoshang.models import Funds, Milestone, Project, Trip
from zhaoshang.reports.periods import Period
from zhaoshang.vocabulary.milestones import (
    CUTOFF,
    MONTH_CUTOFF,
    MONTH_START,
    START,
    dated_by,
    done,
    known_by,
    sort_key,
    window_params,
)

# Buckets: the report's stage counts and the milestone kinds behind each.
BUCKETS: dict[str, tuple[str, ...]] = {
    "planned": ("planned",),
    "lead": ("lead",),
    "signed": ("signed",),
    "started": ("ready", "started"),
    "producing": ("producing",),
    "registered": ("registered",),
}
COUNT_KEY = {"planned": "new_planned", "lead": "new_leads", "signed": "new_signed", "started": "new_started",
             "producing": "new_producing", "registered": "new_registered"}
# Money sums kept for these buckets: new_signed_wan, new_signed_usd_wan, new_started_wan, new_started_usd_wan.
MONEY_BUCKETS = ("signed", "started")
BANDS: dict[str, int] = {"1": 10_000, "10": 100_000, "50": 500_000, "100": 1_000_000}  # ≥ N 亿元, in 万元

PROJECT_METRICS = (
    "new_planned", "new_leads", "new_signed", "new_signed_wan", "new_signed_usd_wan",
    "new_started", "new_started_wan", "new_started_usd_wan", "new_producing", "new_registered",
    "funds_wan", "funds_usd_wan",
)
TRIP_METRICS = ("trips", "main_leader_trips", "trip_visits", "trip_negotiations", "main_leader_visits",
                "main_leader_negotiations")
STOCK_METRICS = ("marshal_projects",)
METRICS = (*PROJECT_METRICS, *TRIP_METRICS, *STOCK_METRICS)
# The metrics a campaign target can name and a score can weigh (band counts are not targets).
SCORABLE = (*PROJECT_METRICS, *TRIP_METRICS)

M = Milestone.__table__  # type: ignore[attr-defined]
P = Project.__table__  # type: ignore[attr-defined]
T = Trip.__table__  # type: ignore[attr-defined]
F = Funds.__table__  # type: ignore[attr-defined]
# The ledger's rate for counting a project known only in 万美元 in the 亿元 bands (zs settings usd-rate),
# as 元 per 美元 × 10 000, so that SQL compares whole numbers; NULL leaves such projects out.
USD_RATE = bindparam("usd_rate_e4", type_=Integer)


def empty(trips: bool = True) -> dict[str, Any]:
    """A zeroed metrics dict (trip metrics None where trips do not apply, e.g. per chain)."""
    values: dict[str, Any] = dict.fromkeys(PROJECT_METRICS, 0)
    values.update(dict.fromkeys(TRIP_METRICS, 0 if trips else None))
    values["marshal_projects"] = 0
    values["band_counts"] = dict.fromkeys(BANDS, 0)
    values["band_wan"] = dict.fromkeys(BANDS, 0)
    values["band_usd_left_out"] = 0
    return values


@dataclass(frozen=True)
class Scope:
    """An optional filter: one unit and/or one chain (ids)."""

    unit_id: int | None = None
    chain_id: int | None = None

    @property
    def trips_apply(self) -> bool:
        """Trips belong to units, not chains: a chain-filtered report has no trip figures."""
        return self.chain_id is None

    def project_conditions(self, p: Any = P) -> list[Any]:
        conds = []
        if self.unit_id is not None:
            conds.append(p.c.unit_id == self.unit_id)
        if self.chain_id is not None:
            conds.append(p.c.chain_id == self.chain_id)
        return conds


@dataclass
class Breakdown:
    """One window's numbers: the district total, per unit id and per chain id (None = not filled)."""

    total: dict[str, Any]
    units: dict[int | None, dict[str, Any]] = field(default_factory=dict)
    chains: dict[int | None, dict[str, Any]] = field(default_factory=dict)

    def unit(self, unit_id: int | None) -> dict[str, Any]:
        return self.units.get(unit_id) or empty()

    def chain(self, chain_id: int | None) -> dict[str, Any]:
        return self.chains.get(chain_id) or empty(trips=False)


# --------------------------------------------------------------------------- SQL pieces


def bucket_of(m: Any) -> Any:
    return case((m.c.kind == "ready", literal("started")), else_=m.c.kind)


# Each kind's partner in a two-kind bucket (ready ↔ started).
PARTNER = {a: b for kinds in BUCKETS.values() if len(kinds) == 2 for a, b in (kinds, kinds[::-1])}
assert all(len(kinds) <= 2 for kinds in BUCKETS.values())


def _same_bucket(e: Any, m: Any) -> Any:
    """e's kind is m's or its bucket partner — an IN list of two values, so that the (project_id, kind)
    index finds the few candidates instead of every milestone of the project."""
    partner = case(*((m.c.kind == a, literal(b)) for a, b in PARTNER.items()), else_=m.c.kind)
    return col(e.c.kind).in_([m.c.kind, partner])


def _first_of_its_stage(m: Any) -> Any:
    """No earlier dated done milestone of the same stage (bucket) for the same project."""
    e = M.alias("earlier")
    return not_(exists().where(
        e.c.project_id == m.c.project_id, done(e), e.c.done_on.is_not(None), e.c.id != m.c.id,
        _same_bucket(e, m),
        or_(sort_key(e) < sort_key(m), and_(sort_key(e) == sort_key(m), e.c.id < m.c.id)),
    ))


def window(period: Period) -> dict[str, dt.date]:
    """The parameters of a window query (see vocabulary.milestones.window_params)."""
    return window_params(period.start, period.cutoff)


def dated_in_window(m: Any, months: bool, kinds: Iterable[str]) -> list[Any]:
    """Done milestones of `kinds` dated in the window. A month-only date counts (when `months`) as
    its month's last day: in a window as of the 7th, "2024年4月" is not yet known to have happened,
    and a report as of a day counts nothing after it."""
    day = or_(m.c.precision.is_(None), m.c.precision != "month")
    conds = [col(m.c.kind).in_(list(kinds)), m.c.done_on >= (MONTH_START if months else START),
             m.c.done_on <= CUTOFF, done(m)]
    if months:
        conds.append(or_(and_(day, m.c.done_on >= START),
                         and_(m.c.precision == "month", m.c.done_on < MONTH_CUTOFF)))
    else:
        conds.append(day)
    return conds


def in_window(m: Any, months: bool, kinds: Iterable[str]) -> list[Any]:
    """Done milestones of `kinds` dated in the window, first of their stage."""
    return [*dated_in_window(m, months, kinds), _first_of_its_stage(m)]


def window_milestones(months: bool, kinds: Iterable[str]) -> Any:
    """The window's dated done milestones of `kinds`, read once from the (kind, done_on) index and
    held in project order (a materialized CTE), so that the first-of-its-stage checks and the
    project look-ups that follow walk their indexes in order instead of jumping about them; the
    first-of-its-stage condition is the caller's (`_first_of_its_stage` on the alias returned)."""
    m = M.alias("w")
    rows = (select(m.c.id, m.c.project_id, m.c.kind, m.c.done_on, m.c.precision)
            .where(*dated_in_window(m, months, kinds)).order_by(m.c.project_id))
    return rows.cte("m").prefix_with("MATERIALIZED")


def as_set(period: Period) -> bool:
    """Whether a window is read as a set difference (`first_reached`): it must hold whole months or
    lie within one month — so that every dated milestone is before it (a day before its start, a
    month before its first month), in it, or after all of it — and be long enough (from 60 days)
    that reading what came before it once costs less than a look-up per milestone in it."""
    within = period.months_count or (period.start.year, period.start.month) == (period.cutoff.year,
                                                                                period.cutoff.month)
    return within and (period.cutoff - period.start).days >= 59


def first_reached(months: bool, kinds: list[str]) -> Any:
    """(project_id, bucket) of the projects whose stage's first milestone falls in a window that
    `as_set` admits: those with one in the window, less those with one before it — two reads of the
    (kind, done_on) index and a set difference, no look-up per milestone."""
    def pairs(m: Any, *conds: Any) -> Any:
        return select(m.c.project_id.label("project_id"), bucket_of(m).label("bucket")).where(*conds)

    inside, before = M.alias("inside"), M.alias("before")
    day = or_(before.c.precision.is_(None), before.c.precision != "month")
    return except_(pairs(inside, *dated_in_window(inside, months, kinds)),
                   pairs(before, col(before.c.kind).in_(kinds), before.c.done_on < START, done(before),
                         or_(day, before.c.done_on < MONTH_START))).subquery("m")


@lru_cache(maxsize=64)
def stage_query(months: bool, scope: Scope, buckets: tuple[str, ...] = tuple(BUCKETS),
                as_set: bool = False) -> Any:
    """The main query: per unit, chain and stage, how many projects reached the stage in the window,
    with their 内资 and 外资 sums and the amount bands. Parameters: start, cutoff. `as_set`
    (a window that `as_set` admits) reads it as a set difference; any other window checks each of
    its milestones for an earlier one of its stage."""
    kinds = [k for b in buckets for k in BUCKETS[b]]
    if as_set:
        m = first_reached(months, kinds)
        bucket = m.c.bucket
        first = []
    else:
        m = window_milestones(months, kinds)
        bucket = bucket_of(m)
        first = [_first_of_its_stage(m)]
    usd_only = and_(P.c.investment_wan.is_(None), P.c.investment_usd_wan.is_not(None))
    # 外资 only: converted at the ledger's rate of the year, half up to whole 万元; left out without one
    inv = func.coalesce(P.c.investment_wan, (P.c.investment_usd_wan * USD_RATE + 5000) // 10000)
    band_cols = [func.sum(case((and_(usd_only, USD_RATE.is_(None)), 1), else_=0)).label("left_out")]
    for key, floor in BANDS.items():
        band_cols.append(func.sum(case((inv >= floor, 1), else_=0)).label(f"n{key}"))
        band_cols.append(func.sum(case((inv >= floor, inv), else_=0)).label(f"w{key}"))
    return (
        select(P.c.unit_id, P.c.chain_id, bucket.label("bucket"), func.count().label("n"),
               func.coalesce(func.sum(P.c.investment_wan), 0).label("wan"),
               func.coalesce(func.sum(P.c.investment_usd_wan), 0).label("usd"), *band_cols)
        .select_from(m.join(P, P.c.id == m.c.project_id))
        .where(*first, *scope.project_conditions())
        .group_by(P.c.unit_id, P.c.chain_id, bucket)
    )


@lru_cache(maxsize=64)
def window_project_query(months: bool, scope: Scope, buckets: tuple[str, ...] = tuple(BUCKETS)) -> Any:
    """The projects behind stage_query: (project id, bucket, date, precision)."""
    kinds = [k for b in buckets for k in BUCKETS[b]]
    m = window_milestones(months, kinds)
    return (
        select(m.c.project_id, bucket_of(m).label("bucket"), m.c.done_on, m.c.precision)
        .select_from(m.join(P, P.c.id == m.c.project_id))
        .where(_first_of_its_stage(m), *scope.project_conditions())
    )


@lru_cache(maxsize=16)
def funds_query(scope: Scope) -> Any:
    """实际到位资金 of the months in the window (a month counts as its last day, as month-only dates
    do), per unit and chain: 万元 (省外 and 省内) and 万美元 (外资) apart."""
    foreign = F.c.source == "foreign"
    return (
        select(P.c.unit_id, P.c.chain_id,
               func.coalesce(func.sum(case((foreign, 0), else_=F.c.amount)), 0).label("wan"),
               func.coalesce(func.sum(case((foreign, F.c.amount), else_=0)), 0).label("usd"))
        .select_from(F.join(P, P.c.id == F.c.project_id))
        .where(F.c.month >= MONTH_START, F.c.month < MONTH_CUTOFF, *scope.project_conditions())
        .group_by(P.c.unit_id, P.c.chain_id)
    )


@lru_cache(maxsize=16)
def trip_query(scope: Scope) -> Any:
    conds = [T.c.date >= START, T.c.date <= CUTOFF]
    if scope.unit_id is not None:
        conds.append(T.c.unit_id == scope.unit_id)
    return (
        select(T.c.unit_id, func.count().label("trips"),
               func.sum(case((T.c.is_main_leader, 1), else_=0)).label("main"),
               func.coalesce(func.sum(T.c.visits), 0).label("visits"),
               func.coalesce(func.sum(T.c.negotiations), 0).label("negotiations"),
               func.sum(case((T.c.is_main_leader, T.c.visits), else_=0)).label("main_visits"),
               func.sum(case((T.c.is_main_leader, T.c.negotiations), else_=0)).label("main_negotiations"))
        .where(*conds).group_by(T.c.unit_id)
    )


@lru_cache(maxsize=16)
def marshal_query(scope: Scope) -> Any:
    """挂帅项目 at the window's cut-off (a stock): flagged, in the pipeline by then (a done milestone
    dated by then, or undated) and not terminated by then. Parameter: cutoff."""
    seen = M.alias("seen")
    ended = M.alias("ended")
    return (
        select(P.c.unit_id, P.c.chain_id, func.count().label("n"))
        .where(P.c.marshal, *scope.project_conditions(),
               exists().where(seen.c.project_id == P.c.id, seen.c.done == true(), known_by(seen)),
               not_(exists().where(ended.c.project_id == P.c.id, ended.c.kind == "terminated",
                                   ended.c.done == true(), known_by(ended))))
        .group_by(P.c.unit_id, P.c.chain_id)
    )


# --------------------------------------------------------------------------- aggregation


def _add(target: dict[str, Any], values: dict[str, Any]) -> None:
    for key, value in values.items():
        if isinstance(value, dict):
            _add(target.setdefault(key, {}), value)
        elif value is not None:
            target[key] = (target.get(key) or 0) + value


def usd_rate_e4(session: Session, year: int) -> int | None:
    """The ledger's 美元 rate for `year` (zs settings usd-rate), as 元 per 美元 × 10 000, or None."""
    from zhaoshang.services.settings import usd_rate

    rate = usd_rate(session, year)
    return None if rate is None else int(rate * 10000)


def measure(session: Session, period: Period, scope: Scope | None = None, *, stock: bool = True,
            rate: int | bool | None = True) -> Breakdown:
    """Every metric of a window, for the district, per unit and per chain. `stock=False` leaves out
    the stock (挂帅项目, the same in every window) for a caller that has it already; `rate` is the
    美元 rate (× 10 000) of the band counts, by default the ledger's for the window's year."""
    scope = scope or Scope()
    if rate is True:
        rate = usd_rate_e4(session, period.cutoff.year)
    conn = session.connection()
    trips = scope.trips_apply
    total = empty(trips)
    units: dict[int | None, dict[str, Any]] = {}
    chains: dict[int | None, dict[str, Any]] = {}

    def targets(unit_id: int | None, chain_id: int | None, with_chain: bool = True) -> list[dict[str, Any]]:
        unit = units.get(unit_id)
        if unit is None:
            unit = units[unit_id] = empty(trips)
        if not with_chain:
            return [total, unit]
        chain = chains.get(chain_id)
        if chain is None:
            chain = chains[chain_id] = empty(trips=False)
        return [total, unit, chain]

    params: dict[str, Any] = {**window(period), "usd_rate_e4": rate}
    bands = list(BANDS)
    for unit_id, chain_id, bucket, n, wan, usd, left_out, *band_values in conn.execute(
            stage_query(period.months_count, scope, as_set=as_set(period)), params):
        values = [(COUNT_KEY[bucket], n)]
        if bucket in MONEY_BUCKETS:
            values += [(f"new_{bucket}_wan", int(wan)), (f"new_{bucket}_usd_wan", int(usd))]
        for target in targets(unit_id, chain_id):
            for key, value in values:
                target[key] += value
            if bucket == "signed":
                target["band_usd_left_out"] += int(left_out or 0)
                for i, band in enumerate(bands):
                    target["band_counts"][band] += int(band_values[2 * i] or 0)
                    target["band_wan"][band] += int(band_values[2 * i + 1] or 0)
    if period.months_count:
        for unit_id, chain_id, wan, usd in conn.execute(funds_query(scope), params):
            for target in targets(unit_id, chain_id):
                target["funds_wan"] += int(wan)
                target["funds_usd_wan"] += int(usd)
    if trips:
        for unit_id, n, main, visits, negotiations, main_visits, main_negotiations in conn.execute(
                trip_query(scope), params):
            values = [("trips", n), ("main_leader_trips", int(main or 0)), ("trip_visits", int(visits)),
                      ("trip_negotiations", int(negotiations)), ("main_leader_visits", int(main_visits or 0)),
                      ("main_leader_negotiations", int(main_negotiations or 0))]
            for target in targets(unit_id, None, with_chain=False):
                for key, value in values:
                    target[key] += value
    if stock:
        for unit_id, chain_id, n in conn.execute(marshal_query(scope), params):
            for target in targets(unit_id, chain_id):
                target["marshal_projects"] += n
    return Breakdown(total, units, chains)


def copy_stock(source: Breakdown, target: Breakdown) -> None:
    """Give `target` (measured with stock=False) the stock metrics of `source`."""
    for key in STOCK_METRICS:
        target.total[key] = source.total.get(key, 0)
        for mine, theirs, trips in ((target.units, source.units, True), (target.chains, source.chains, False)):
            for group_id, values in theirs.items():
                mine.setdefault(group_id, empty(trips))[key] = values.get(key, 0)


@dataclass(frozen=True)
class Dated:
    project_id: int
    bucket: str
    day: dt.date
    precision: str | None


def window_projects(session: Session, period: Period, scope: Scope | None = None,
                    buckets: Iterable[str] = BUCKETS) -> dict[str, list[Dated]]:
    """The projects each stage count of a window stands for, by bucket."""
    out: dict[str, list[Dated]] = {b: [] for b in buckets}
    query = window_project_query(period.months_count, scope or Scope(), tuple(buckets))
    for pid, bucket, day, precision in session.connection().execute(query, window(period)).all():
        out[bucket].append(Dated(pid, bucket, day, precision))
    return out


@lru_cache(maxsize=16)
def reached_query(months: bool, scope: Scope, buckets: tuple[str, ...]) -> Any:
    """(project id, bucket) of an `as_set` window's stage counts."""
    m = first_reached(months, [k for b in buckets for k in BUCKETS[b]])
    conditions = scope.project_conditions()
    source = m.join(P, P.c.id == m.c.project_id) if conditions else m  # the project only to filter
    return select(m.c.project_id, m.c.bucket).select_from(source).where(*conditions)


def window_project_ids(session: Session, period: Period, scope: Scope | None = None,
                       buckets: Iterable[str] = BUCKETS) -> dict[str, list[int]]:
    """The ids of the projects each stage count of a window stands for, by bucket."""
    if not as_set(period):
        dated = window_projects(session, period, scope, buckets)
        return {b: [x.project_id for x in found] for b, found in dated.items()}
    out: dict[str, list[int]] = {b: [] for b in buckets}
    query = reached_query(period.months_count, scope or Scope(), tuple(buckets))
    for pid, bucket in session.connection().execute(query, window(period)):
        out[bucket].append(pid)
    return out


MOVED_ON = ("ready", "started", "producing", "terminated")


def overdue_count(session: Any, scope: Scope, as_of: dt.date) -> int:
    """Planned milestones overdue at as-of (as `zs milestones overdue` counts them)."""
    from zhaoshang.services.milestones import late

    conditions = scope.project_conditions()
    source = M.join(P, P.c.id == M.c.project_id) if conditions else M  # the project only to filter
    query = select(func.count()).select_from(source).where(late(as_of), *conditions)
    return int(session.connection().execute(query).scalar() or 0)


@lru_cache(maxsize=16)
def stalled_query(scope: Scope, windowed: bool = False, count: bool = False) -> Any:
    """Signed long enough before :as_of (see stalled_params) and, by :as_of, neither started nor
    ready nor terminated; `windowed` keeps those that became stalled from :signed_from on, `count`
    asks only how many.

    Only two kinds of project can qualify: those still at stage signed, and those that moved on after
    as-of (a dated ready/started/producing/terminated milestone later than as-of); the query starts
    from these few instead of every old signing."""
    m = M.alias("m")
    later = M.alias("later")
    after = M.alias("after")
    as_of = bindparam("as_of", type_=Date)
    candidates = union(
        select(P.c.id.label("id")).where(P.c.stage == "signed"),
        select(after.c.project_id.label("id")).where(col(after.c.kind).in_(MOVED_ON), done(after),
                                                     after.c.done_on >= bindparam("as_of_month", type_=Date)),
    ).subquery("candidates")
    moved_on = exists().where(
        later.c.project_id == m.c.project_id, done(later), col(later.c.kind).in_(MOVED_ON),
        known_by(later, as_of, bindparam("month_after_as_of", type_=Date)),
    )
    month = m.c.precision == "month"
    day = or_(m.c.precision.is_(None), m.c.precision != "month")
    month_bounds = [m.c.done_on < bindparam("month_before", type_=Date)]
    day_bounds = [m.c.done_on <= bindparam("signed_by", type_=Date)]
    if windowed:
        month_bounds.append(m.c.done_on >= bindparam("month_from", type_=Date))
        day_bounds.append(m.c.done_on >= bindparam("signed_from", type_=Date))
    columns = [func.count()] if count else [m.c.project_id, m.c.done_on, m.c.precision]
    return (
        select(*columns)
        .select_from(candidates.join(m, m.c.project_id == candidates.c.id).join(P, P.c.id == m.c.project_id))
        # The kind is compared as text (kind || '') so that no index on kind drives the query: it
        # starts from the candidates and reaches their milestones by project.
        .where((m.c.kind + "") == "signed", done(m), m.c.done_on.is_not(None),
               or_(and_(month, *month_bounds), and_(day, *day_bounds)),
               _first_of_its_stage(m), not_(moved_on), *scope.project_conditions())
    )


def certified_conditions(m: Any, scope: Scope) -> list[Any]:
    """年认定: signed in the year with at least 1 亿元, and started (not merely ready) in the same year."""
    s = M.alias("s")
    before = M.alias("before")
    started_in_year = exists().where(
        s.c.project_id == m.c.project_id, s.c.kind == "started", done(s), s.c.done_on >= START, dated_by(s))
    started_before = exists().where(
        before.c.project_id == m.c.project_id, before.c.kind == "started", done(before),
        before.c.done_on < START)
    return [*in_window(m, True, ["signed"]), P.c.investment_wan >= BANDS["1"], started_in_year,
            not_(started_before), *scope.project_conditions()]


def certified_query(scope: Scope) -> Any:
    m = M.alias("m")
    inv = P.c.investment_wan
    return (
        select(P.c.unit_id, P.c.chain_id, func.count().label("n"), func.coalesce(func.sum(inv), 0).label("wan"),
               *(func.sum(case((inv >= floor, 1), else_=0)).label(f"n{key}") for key, floor in BANDS.items()))
        .select_from(m.join(P, P.c.id == m.c.project_id))
        .where(*certified_conditions(m, scope))
        .group_by(P.c.unit_id, P.c.chain_id)
    )


def certified_ids(session: Session, period: Period, scope: Scope | None = None) -> list[int]:
    m = M.alias("m")
    query = (select(m.c.project_id).select_from(m.join(P, P.c.id == m.c.project_id))
             .where(*certified_conditions(m, scope or Scope())))
    return [pid for (pid,) in session.connection().execute(query, window(period))]


def certified(session: Session, period: Period, scope: Scope | None = None) -> Breakdown:
    """Counts, sums and bands of the certified projects, district / per unit / per chain."""
    def zero() -> dict[str, Any]:
        return {"certified": 0, "certified_wan": 0, "band_counts": dict.fromkeys(BANDS, 0)}

    total = zero()
    units: dict[int | None, dict[str, Any]] = {}
    chains: dict[int | None, dict[str, Any]] = {}
    for row in session.connection().execute(certified_query(scope or Scope()), window(period)).mappings():
        values = {"certified": row["n"], "certified_wan": int(row["wan"]),
                  "band_counts": {k: int(row[f"n{k}"] or 0) for k in BANDS}}
        for target in (total, units.setdefault(row["unit_id"], zero()), chains.setdefault(row["chain_id"], zero())):
            _add(target, values)
    return Breakdown(total, units, chains)
