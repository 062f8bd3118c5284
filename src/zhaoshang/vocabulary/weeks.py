"""ISO weeks, written once: a weekly return's period and a progress note's week are the ISO week (Monday
to Sunday) holding a day, kept as its Monday and named 2023-W26 (the ISO year: 2023-01-01 is in
2022-W52) or 2023年第26周（6月26日至7月2日）."""

from __future__ import annotations

import datetime as dt
import re

_STEM = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def week_of(day: dt.date) -> dt.date:
    """The Monday of the ISO week holding `day`."""
    return day - dt.timedelta(days=day.weekday())


def week_end(week: dt.date) -> dt.date:
    """The Sunday of the week starting `week`."""
    return week + dt.timedelta(days=6)


def week_stem(day: dt.date) -> str:
    """2023-W26: the ISO week holding `day`."""
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"


def week_zh(day: dt.date) -> str:
    """2023年第26周（6月26日至7月2日）"""
    start = week_of(day)
    end = week_end(start)
    year, number, _ = start.isocalendar()
    return f"{year}年第{number}周（{start.month}月{start.day}日至{end.month}月{end.day}日）"


def week_short_zh(day: dt.date) -> str:
    """2023年第26周"""
    year, number, _ = day.isocalendar()
    return f"{year}年第{number}周"


def parse_week_stem(text: str) -> dt.date | None:
    """The Monday of the week a stem names (2023-W26, 2023W26), or None when `text` is none."""
    m = _STEM.match(text.strip())
    if not m:
        return None
    try:
        return dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    except ValueError:
        return None
