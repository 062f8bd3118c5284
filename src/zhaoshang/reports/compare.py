"""同比 and 环比: every window against the same window a year earlier and the window just before.

`last_year` is the same ISO week of the previous ISO year for a week, the same calendar month, quarter
or year a year earlier otherwise, and the same dates a year earlier for a campaign; each is counted to
the same point (as-of a year earlier, or the same weekday of the week). `previous` is the window just
before, of the same kind, counted to its end (a campaign's: as many days as it has run, just before
its start).
Percentages have one decimal, half up; against a zero base there is none (the prose says 去年同期为零).

Storage: the comparison windows are the same indexed window queries as the report's own (metrics.py,
driven by the (kind, done_on) index over the window and the funds' (month, project) index), so each
costs what its window holds; no second copy of the stage dates has to be kept in step. The long
windows (the year so far, last year whole, a campaign's) are set differences, not a look-up per
milestone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlmodel import Session

from zhaoshang.reports import metrics, periods
from zhaoshang.reports.metrics import Breakdown, Scope
from zhaoshang.reports.periods import Period

# The figures compared (counts and sums; trips where they apply).
KEYS = (*metrics.PROJECT_METRICS, *metrics.TRIP_METRICS)


def minus_year(day: dt.date) -> dt.date:
    """The same date a year earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def last_year(period: Period) -> Period:
    """The window a year earlier, counted to the same point."""
    if period.kind == "week":
        iso_year, week, _ = period.start.isocalendar()
        try:
            start = dt.date.fromisocalendar(iso_year - 1, week, 1)
        except ValueError:  # week 53 of a year whose year before has 52
            start = dt.date.fromisocalendar(iso_year - 1, 52, 1)
        return Period("week", start, start + dt.timedelta(days=6), start + (period.as_of - period.start))
    if period.kind in ("month", "quarter", "year"):
        return replace(periods.of_kind(period.kind, minus_year(period.cutoff)), as_of=minus_year(period.as_of))
    return Period(period.kind, minus_year(period.start), minus_year(period.end), minus_year(period.as_of))


def previous(period: Period) -> Period:
    """The window just before, of the same kind, counted to its end."""
    if period.kind in periods.KINDS:
        return periods.previous(period)
    end = period.start - dt.timedelta(days=1)  # a campaign: as many days as have passed, just before it
    return Period(period.kind, end - dt.timedelta(days=(period.cutoff - period.start).days), end, end)


def pct(now: int | None, before: int | None) -> float | None:
    """(now − before) / before in percent, one decimal half up; None against a zero base."""
    if not before or now is None:
        return None
    value = (Decimal(now - before) * 100 / Decimal(before)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return float(value)


def growth(now: dict[str, Any], before: dict[str, Any]) -> dict[str, float | None]:
    return {k: pct(now.get(k), before.get(k)) for k in KEYS if now.get(k) is not None}


@dataclass
class Compared:
    """A window's comparison windows and their breakdowns."""

    last_year_period: Period
    previous_period: Period
    last_year: Breakdown
    previous: Breakdown

    def extra(self) -> dict[str, Breakdown]:
        return {"last_year": self.last_year, "previous": self.previous}

    def json(self, totals: dict[str, Any], ytd: dict[str, Any]) -> dict[str, Any]:
        """The top-level keys beside `totals`."""
        return {
            "last_year": self.last_year.total,
            "previous": self.previous.total,
            "compared_periods": {"last_year": self.last_year_period.json(), "previous": self.previous_period.json()},
            "growth": {"last_year": growth(totals, self.last_year.total),
                       "previous": growth(totals, self.previous.total)},
        }


def compare(session: Session, period: Period, scope: Scope | None = None) -> Compared:
    ly, prev = last_year(period), previous(period)
    return Compared(ly, prev, metrics.measure(session, ly, scope, stock=False),
                    metrics.measure(session, prev, scope, stock=False))


@dataclass
class YearToDate:
    """The year so far a year earlier, and last year as a whole (已超过去年全年总量)."""

    period: Period
    last_year: Breakdown
    whole_last_year: Breakdown

    def json(self, totals: dict[str, Any], ytd: dict[str, Any]) -> dict[str, Any]:
        """The top-level keys beside `ytd`."""
        return {"ytd_last_year": self.last_year.total, "last_year_whole": self.whole_last_year.total,
                "ytd_growth": growth(ytd, self.last_year.total)}


def year_to_date(session: Session, ytd_period: Period, scope: Scope | None = None) -> YearToDate:
    """Last year to the same day, and last year whole (each a set difference when long enough,
    metrics.as_set, rather than read milestone by milestone)."""
    cutoff = minus_year(ytd_period.cutoff)
    ly = periods.ytd(cutoff)
    so_far = metrics.measure(session, ly, scope, stock=False)
    end = dt.date(cutoff.year, 12, 31)
    whole = metrics.measure(session, periods.year(end), scope, stock=False) if cutoff < end else so_far
    return YearToDate(ly, so_far, whole)
