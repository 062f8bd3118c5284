"""Report windows: the ISO week, month, quarter or year holding an as-of day, and year-to-date.

A window is the whole calendar span (`start`..`end`); what it counts stops at `cutoff`, the earlier of
its end and the as-of day, so a report run for a past day never counts what happened after it. Weeks
are ISO weeks (Monday to Sunday) and may straddle two years; months and quarters partition the year.
Month-precision dates (stored as the 1st) count in every window except a week, as the month's last day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zhaoshang.vocabulary.months import month_end

KINDS = ("week", "month", "quarter", "year")


@dataclass(frozen=True)
class Period:
    kind: str  # week | month | quarter | year | ytd | campaign | since
    start: dt.date
    end: dt.date
    as_of: dt.date

    @property
    def cutoff(self) -> dt.date:
        """The last day counted: the window's end, or the as-of day when it comes first."""
        return min(self.end, self.as_of)

    @property
    def months_count(self) -> bool:
        """Whether month-precision dates count here (everywhere but in a week)."""
        return self.kind != "week"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def json(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "as_of": self.as_of.isoformat()}

    def label(self, lang: str = "zh") -> str:
        """How a bulletin names the window: 2023年第26周, 2023年6月, 2023年第二季度, 2023年."""
        y = self.start.year
        if self.kind == "week":
            iso_year, week, _ = self.start.isocalendar()
            if lang == "en":
                return f"week {week} of {iso_year} ({self.start} – {self.end})"
            return f"{iso_year}年第{week}周（{_md(self.start)}至{_md(self.end)}）"
        if self.kind == "month":
            return f"{self.start:%B %Y}" if lang == "en" else f"{y}年{self.start.month}月"
        if self.kind == "quarter":
            q = (self.start.month - 1) // 3 + 1
            return f"Q{q} {y}" if lang == "en" else f"{y}年第{'一二三四'[q - 1]}季度"
        if self.kind == "year":
            return str(y) if lang == "en" else f"{y}年"
        if lang == "en":
            return f"{self.start} – {self.end}"
        return f"{self.start.year}年{_md(self.start)}至{_md(self.end) if self.end.year == y else _ymd(self.end)}"


def _md(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def _ymd(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def zh_day(day: dt.date) -> str:
    """2023年6月30日"""
    return _ymd(day)


def week(as_of: dt.date) -> Period:
    start = as_of - dt.timedelta(days=as_of.weekday())
    return Period("week", start, start + dt.timedelta(days=6), as_of)


def month(as_of: dt.date) -> Period:
    start = as_of.replace(day=1)
    return Period("month", start, month_end(start), as_of)


def quarter(as_of: dt.date) -> Period:
    first = 3 * ((as_of.month - 1) // 3) + 1
    start = dt.date(as_of.year, first, 1)
    end = month_end(dt.date(as_of.year, first + 2, 1))
    return Period("quarter", start, end, as_of)


def year(as_of: dt.date) -> Period:
    return Period("year", dt.date(as_of.year, 1, 1), dt.date(as_of.year, 12, 31), as_of)


def ytd(as_of: dt.date) -> Period:
    """Year to date: 1 January of the as-of year up to the as-of day."""
    return Period("ytd", dt.date(as_of.year, 1, 1), as_of, as_of)


def span(start: dt.date, end: dt.date, as_of: dt.date, kind: str = "campaign") -> Period:
    return Period(kind, start, end, as_of)


def of_kind(kind: str, as_of: dt.date) -> Period:
    return {"week": week, "month": month, "quarter": quarter, "year": year}[kind](as_of)


def previous(period: Period) -> Period:
    """The window just before (the previous week, month, quarter or year), counted to its end."""
    day = period.start - dt.timedelta(days=1)
    return of_kind(period.kind, day)

