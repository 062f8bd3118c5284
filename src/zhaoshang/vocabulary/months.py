"""Month arithmetic, written once: a ledger's month-only dates are kept as the 1st of their month and
count once the whole month is over (DESIGN §10)."""

from __future__ import annotations

import datetime as dt


def next_month(day: dt.date) -> dt.date:
    """The 1st of the month after `day`'s."""
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_end(day: dt.date) -> dt.date:
    """The last day of `day`'s month."""
    return next_month(day) - dt.timedelta(days=1)


def month_after(day: dt.date) -> dt.date:
    """The 1st of the first month that is not over by `day`: a month-only date (stored as the 1st) has
    come by `day` when it is earlier than this, i.e. when its whole month is over."""
    return (day + dt.timedelta(days=1)).replace(day=1)


def months_within(start: dt.date, end: dt.date) -> list[dt.date]:
    """The 1st of every month lying wholly inside [start, end]: a month-precision date counts there."""
    months = []
    day = start.replace(day=1)
    if day < start:
        day = next_month(day)
    while month_end(day) <= end:
        months.append(day)
        day = next_month(day)
    return months
