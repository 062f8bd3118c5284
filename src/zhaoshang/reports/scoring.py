"""Scores per unit against a campaign's targets, term by term (DESIGN §5, §10).

completion = actual / target; in a pro-rata score (the monthly and quarterly scores against a year's
targets, 序时进度) the target is first scaled by the time progress. A metric with a zero or missing
target, or without a weight in the rules, is left out. score = Σ weight × min(completion, cap) / Σ
weight, plus bonuses, minus deductions, never below 0. Ranks: by score, ties share a rank, the
leadership (区委区政府) stays outside.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from zhaoshang.errors import NotFound
from zhaoshang.models import Campaign, Target
from zhaoshang.reports import metrics
from zhaoshang.reports.common import LEADERSHIP, Directory, Entry, overdue, project_rows, stalled
from zhaoshang.reports.metrics import Breakdown
from zhaoshang.reports.model import Chart
from zhaoshang.reports.periods import Period, span
from zhaoshang.reports.rules import Adjustment, Rules, default_rules, parse_rules

DIGITS = 4


def rnd(value: float | None) -> float | None:
    return None if value is None else round(value, DIGITS)


# --------------------------------------------------------------------------- campaigns


def default_campaign(session: Session, as_of: dt.date) -> Campaign:
    """The campaign whose window holds as-of; else the latest started (DESIGN §10)."""
    campaigns = session.exec(select(Campaign).order_by(col(Campaign.start_on).desc(), col(Campaign.id).desc())).all()
    for c in campaigns:
        if c.start_on <= as_of <= c.end_on:
            return c
    for c in campaigns:
        if c.start_on <= as_of:
            return c
    if not campaigns:
        raise NotFound("账本中还没有会战。",
                       "先用 zs campaign create 创建，例如 zs campaign create 百日会战 --start 2023-04-15 --days 100。")
    raise NotFound(f"截至 {as_of} 还没有已开始的会战。", "用 --campaign 指定，或用 --as-of 选择日期。")


def annual_campaign(session: Session, year: int, as_of: dt.date) -> Campaign | None:
    """A year's targets (年度目标): a campaign spanning the whole year; else the default campaign."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    spanning = session.exec(
        select(Campaign).where(col(Campaign.start_on) <= start, col(Campaign.end_on) >= end)
        .order_by(col(Campaign.start_on).desc(), col(Campaign.id).desc())
    ).first()
    if spanning is not None:
        return spanning
    try:
        return default_campaign(session, as_of)
    except NotFound:
        return None


def campaign_rules(campaign: Campaign | None, override: Rules | None = None) -> Rules:
    """--rules FILE, else the rules the campaign recorded, else the shipped default."""
    if override is not None:
        return override
    if campaign is not None and campaign.rules:
        return parse_rules(campaign.rules, f"会战“{campaign.name}”的评分规则")
    return default_rules()


def targets(session: Session, campaign: Campaign) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    for t in session.exec(select(Target).where(Target.campaign_id == campaign.id)).all():
        out.setdefault(t.unit_id, {})[t.metric] = t.value
    return out


# --------------------------------------------------------------------------- scores


@dataclass
class Term:
    metric: str
    actual: int
    target: float | None  # the target compared against (pro rata when the score is)
    full_target: int | None
    completion: float | None
    weight: float
    value: float | None  # min(completion, cap) through tiers
    contribution: float | None  # weight × value
    ahead: bool | None

    @property
    def scored(self) -> bool:
        return self.completion is not None and self.weight > 0


@dataclass
class Applied:
    rule: Adjustment
    projects: list[dict]
    value: float  # signed points

    @property
    def count(self) -> int:
        return len(self.projects)


@dataclass
class UnitScore:
    unit: Entry
    terms: list[Term]
    adjustments: list[Applied] = field(default_factory=list)
    weighted_mean: float | None = None
    score: float | None = None
    rank: int | None = None
    ahead: bool | None = None
    progress: float | None = None  # weighted mean of min(actual / full target, cap): the task progress

    @property
    def targets(self) -> dict[str, Term]:
        return {t.metric: t for t in self.terms if t.full_target}


@dataclass
class Scoring:
    campaign: Campaign | None
    rules: Rules
    period: Period
    day: int
    days: int
    time_progress: float
    pro_rata: bool
    breakdown: Breakdown
    units: list[UnitScore]

    def chart(self, title_zh: str, title_en: str) -> Chart:
        """Task progress against time per unit, for the html chart."""
        bars = [(s.unit.name, s.progress, s.progress >= self.time_progress if s.progress is not None else None)
                for s in self.units if s.terms]
        return Chart(title_zh, title_en, self.time_progress, bars)


def elapsed(start: dt.date, end: dt.date, as_of: dt.date) -> tuple[int, int]:
    """(day, days): day 1 is the start; the as-of day counts as elapsed (DESIGN §10)."""
    days = (end - start).days + 1
    day = (min(as_of, end) - start).days + 1
    return max(0, min(day, days)), days


def score(session: Session, d: Directory, campaign: Campaign, as_of: dt.date, rules: Rules, *,
          pro_rata: bool = False, include_all: bool = True) -> Scoring:
    """Every unit's score for a campaign as of a day."""
    period = span(campaign.start_on, campaign.end_on, as_of)
    day, days = elapsed(campaign.start_on, campaign.end_on, as_of)
    progress = day / days if days else 0.0
    breakdown = metrics.measure(session, period, d.scope)
    goal = targets(session, campaign)
    threshold = 1.0 if pro_rata else progress
    units: list[UnitScore] = []
    credit = _support_credit(session, d, period, rules.support_share) if rules.support_share > 0 else {}
    for u in d.units:
        unit_targets = goal.get(u.id, {}) if u.id is not None else {}
        if not unit_targets and (u.kind == LEADERSHIP or not include_all):
            continue
        actual = breakdown.unit(u.id)
        terms = []
        for metric in _metric_order(unit_targets):
            full = unit_targets.get(metric)
            effective = full * progress if (pro_rata and full) else full
            done = actual.get(metric)  # None where it does not apply (trips in a chain's scope)
            if done is not None and metric in credit.get(u.id, {}):
                done += credit[u.id][metric]  # type: ignore[index]
            completion = done / effective if (effective and done is not None) else None
            weight = rules.weights.get(metric, 0.0)
            value = rules.term(metric, completion) if completion is not None else None
            terms.append(Term(metric, done or 0, effective, full, completion, weight, value,
                              weight * value if value is not None else None,
                              completion >= threshold if completion is not None else None))
        units.append(UnitScore(u, terms))
    _adjust(session, d, period, as_of, rules, units)
    for s in units:
        scored = [t for t in s.terms if t.scored]
        if not scored:
            continue
        weights = sum(t.weight for t in scored)
        s.weighted_mean = sum(t.contribution or 0 for t in scored) / weights
        s.progress = sum(t.weight * rules.term(t.metric, t.actual / t.full_target) for t in scored
                         if t.full_target) / weights
        # One rule for every report: ahead when the task progress (against the full targets) reaches the
        # time progress. (A pro-rata mean caps each term at 1.2 of the pro-rata target, so comparing it
        # with 1 would call a unit behind whose progress is past the time's.)
        s.ahead = s.progress >= progress
        s.score = max(0.0, s.weighted_mean + sum(a.value for a in s.adjustments))
    rank([s for s in units if s.unit.kind != LEADERSHIP])
    return Scoring(campaign, rules, period, day, days, progress, pro_rata, breakdown, units)


def _support_credit(session: Session, d: Directory, period: Period, share: float) -> dict[int, dict[str, float]]:
    """Per supporting unit, `share` of each window project it supports: of the count of the project's
    stage (new_signed …) and of its amount (new_signed_wan …). The lead unit keeps its whole credit."""
    from sqlalchemy import select as select_core

    from zhaoshang.models import Project, ProjectSupport

    S, P = ProjectSupport.__table__, Project.__table__  # type: ignore[attr-defined]
    dated = metrics.window_projects(session, period, d.scope, list(metrics.COUNT_KEY))
    ids = sorted({x.project_id for xs in dated.values() for x in xs})
    helpers: dict[int, list[int]] = {}
    amounts: dict[int, tuple[int, int]] = {}
    conn = session.connection()
    for i in range(0, len(ids), 900):
        chunk = ids[i:i + 900]
        for pid, unit_id in conn.execute(select_core(S.c.project_id, S.c.unit_id).where(S.c.project_id.in_(chunk))):
            helpers.setdefault(pid, []).append(unit_id)
        for pid, wan, usd in conn.execute(select_core(P.c.id, P.c.investment_wan, P.c.investment_usd_wan)
                                          .where(P.c.id.in_(chunk))):
            amounts[pid] = (wan or 0, usd or 0)
    out: dict[int, dict[str, float]] = {}
    for bucket, found in dated.items():
        for pid in sorted({x.project_id for x in found}):
            for unit_id in helpers.get(pid, []):
                mine = out.setdefault(unit_id, {})
                key = metrics.COUNT_KEY[bucket]
                mine[key] = mine.get(key, 0) + share
                if bucket in metrics.MONEY_BUCKETS:
                    wan, usd = amounts[pid]
                    for k, v in ((f"new_{bucket}_wan", wan), (f"new_{bucket}_usd_wan", usd)):
                        mine[k] = mine.get(k, 0) + round(share * v)  # whole 万元
    return out


def _metric_order(unit_targets: dict[str, int]) -> list[str]:
    """The unit's targeted metrics in the report order (a zero target is shown, not scored)."""
    known = [m for m in metrics.SCORABLE if m in unit_targets]
    return known + sorted(m for m in unit_targets if m not in metrics.SCORABLE)


def rank(units: list[UnitScore]) -> None:
    """Competition ranking by score (1, 2, 2, 4); units without a score get none."""
    scored = sorted((s for s in units if s.score is not None), key=lambda s: -round(s.score or 0, DIGITS))
    previous, position = None, 0
    for i, s in enumerate(scored, 1):
        value = round(s.score or 0, DIGITS)
        if value != previous:
            position, previous = i, value
        s.rank = position


def _adjust(session: Session, d: Directory, period: Period, as_of: dt.date, rules: Rules,
            units: list[UnitScore]) -> None:
    if not rules.adjustments:
        return
    by_name = {s.unit.name: s for s in units}
    cache: dict[Any, list[dict]] = {}
    for rule in rules.adjustments:
        key = (rule.kind, rule.band, rule.days)
        if key not in cache:
            cache[key] = _qualifying(session, d, period, as_of, rules, rule)
        grouped: dict[str, list[dict]] = {}
        for row in cache[key]:
            grouped.setdefault(row["unit"], []).append(row)
        for name, s in by_name.items():
            found = grouped.get(name, [])
            if not found:
                continue
            value = len(found) * rule.per
            if rule.max is not None:
                value = min(value, rule.max)
            s.adjustments.append(Applied(rule, found, rule.sign * value))


def _qualifying(session: Session, d: Directory, period: Period, as_of: dt.date, rules: Rules,
                rule: Adjustment) -> list[dict]:
    # Deductions are taken at the window's cut-off, as the actuals are: an ended campaign's score
    # stays as it was on its last day.
    cutoff = min(as_of, period.cutoff)
    if rule.kind == "overdue_start":
        return [r for r in overdue(session, d, cutoff) if r["milestone"] == "started"]
    if rule.kind == "stalled":
        return stalled(session, d, cutoff, rule.days or rules.stall_days)
    if rule.kind in ("late_return", "missing_return"):
        from zhaoshang.reports.returns import returns_missed

        return returns_missed(session, span(period.start, cutoff, cutoff), rule.kind.removesuffix("_return"))
    signed = metrics.window_projects(session, period, d.scope, ["signed"])["signed"]
    rows = project_rows(session, [x.project_id for x in signed])
    if rule.kind == "band":
        floor = metrics.BANDS[rule.band or "1"]
        return [r for r in rows.values() if (r["investment_wan"] or 0) >= floor]
    return [r for r in rows.values() if r["marshal"]]


def periodic(session: Session, d: Directory, as_of: dt.date, campaign: str | None, rules: Rules | None,
             ) -> Scoring | None:
    """The monthly and quarterly score: against a year's targets (or the named campaign's), pro rata
    to the time gone (序时进度). None when the ledger has no campaign to compare with."""
    from zhaoshang.services.campaigns import get_campaign

    camp = get_campaign(session, campaign) if campaign else annual_campaign(session, as_of.year, as_of)
    if camp is None:
        return None
    return score(session, d, camp, as_of, campaign_rules(camp, rules), pro_rata=True)


def fallback_ranks(rows: list[dict], keys: list[str]) -> dict[str, int]:
    """Without targets: rank by the rules' fallback metrics in turn (ties share a rank)."""
    def key(row: dict) -> tuple:
        return tuple(-(row.get(k) or 0) for k in keys)

    ordered = sorted(rows, key=key)
    ranks: dict[str, int] = {}
    previous, position = None, 0
    for i, row in enumerate(ordered, 1):
        if key(row) != previous:
            position, previous = i, key(row)
        ranks[row["unit"]] = position
    return ranks
