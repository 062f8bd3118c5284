"""One entry point for `zs report`: the report of a kind, built from plain values."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from zhaoshang.reports.model import Report
from zhaoshang.reports.rules import Rules, default_rules
from zhaoshang.vocabulary.dates import LedgerDate

KINDS = ("week", "month", "quarter", "year", "funnel", "cohort")


def report(session: Session, kind: str, as_of: dt.date, *, unit: str | None = None, chain: str | None = None,
           stall_days: int | None = None, campaign: str | None = None, rules: Rules | None = None,
           signed_on: LedgerDate | None = None, backlog: bool = False, chart: bool = True) -> Report:
    stall = stall_days or (rules or default_rules()).stall_days
    if kind == "week":
        from zhaoshang.reports import week

        return week.build(session, as_of, unit=unit, chain=chain, stall_days=stall, backlog=backlog, chart=chart)
    if kind == "month":
        from zhaoshang.reports import month

        return month.build(session, as_of, unit=unit, chain=chain, stall_days=stall, campaign=campaign, rules=rules,
                           backlog=backlog)
    if kind == "quarter":
        from zhaoshang.reports import quarter

        return quarter.build(session, as_of, unit=unit, chain=chain, stall_days=stall, campaign=campaign,
                             rules=rules, backlog=backlog)
    if kind == "year":
        from zhaoshang.reports import year

        return year.build(session, as_of, unit=unit, chain=chain, stall_days=stall, backlog=backlog)
    if kind == "funnel":
        from zhaoshang.reports import funnel

        return funnel.build(session, as_of, unit=unit, chain=chain)
    if kind == "cohort":
        from zhaoshang.reports import cohort

        assert signed_on is not None
        return cohort.build(session, signed_on, as_of, unit=unit, chain=chain)
    raise ValueError(kind)
