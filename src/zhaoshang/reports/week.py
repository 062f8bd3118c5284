"""周调度: the weekly dispatch — the seed's four figures per unit (main leaders' trips, new leads, new
planned projects, new signings) plus starts and productions, stalled projects, overdue milestones."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from zhaoshang.reports import base, common
from zhaoshang.reports.model import Report


def build(session: Session, as_of: dt.date, *, unit: str | None = None, chain: str | None = None,
          stall_days: int = 90, backlog: bool = False, chart: bool = True) -> Report:
    """The weekly dispatch; `chart` adds the running campaign's progress chart (only html shows it)."""
    d = common.directory(session, unit, chain)
    report, _, _ = base.cadence(session, d, "week", as_of, stall_days, backlog)
    report.meta["stall_days"] = stall_days
    assert report.period is not None
    if chart:
        base.campaign_chart(session, common.directory(session), report, report.period.cutoff)
    return base.finish(session, d, report, report.period)
