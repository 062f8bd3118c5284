"""When a milestone counts: done, dated by a day, known by a day, and a project's stage dates.

A project's stage date is its earliest dated done milestone of that stage; a day date is earlier
than a month-only date of the same month (DESIGN §10). A month-only date (stored as the 1st) has come
by a day once its whole month is over; a done milestone without a date is known, not dated. These are
SQL conditions over a milestone table (or an alias of it), shared by the reports, the overdue
milestones, the funnel and the joint-review lists.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, and_, bindparam, case, extract, false, func, literal, or_, select, true
from sqlmodel import Session, col

from zhaoshang.models import Milestone
from zhaoshang.vocabulary.dates import LedgerDate
from zhaoshang.vocabulary.months import month_after
from zhaoshang.vocabulary.stages import STAGE_DATE_KEY

M = Milestone.__table__  # type: ignore[attr-defined]

# A window's bounds as bound parameters (see window_params), so that each query is built once per shape.
START = bindparam("start", type_=Date)
CUTOFF = bindparam("cutoff", type_=Date)
MONTH_START = bindparam("month_start", type_=Date)
MONTH_CUTOFF = bindparam("month_cutoff", type_=Date)


def window_params(start: dt.date, cutoff: dt.date) -> dict[str, dt.date]:
    """The parameters of a window query: its first and last counted days, and for month-only dates
    (stored as the 1st) the bounds that put a month in the window when its last day is in it."""
    return {"start": start, "cutoff": cutoff, "month_start": start.replace(day=1), "month_cutoff": month_after(cutoff)}


def done(m: Any) -> Any:
    """The milestone is done — written so that no index is chosen for it: without statistics
    (no ANALYZE) SQLite would otherwise walk the (done, planned_on) index over every done milestone
    instead of the (kind, done_on) range of the window."""
    return func.coalesce(m.c.done, false()) == true()


def sort_key(m: Any) -> Any:
    """A date's order as an integer: yyyymmdd, with day 32 for a month-precision date, so that a day
    date in the same month comes first (DESIGN §10)."""
    day = case((m.c.precision == "month", literal(32)), else_=extract("day", m.c.done_on))
    return extract("year", m.c.done_on) * 10000 + extract("month", m.c.done_on) * 100 + day


def dated_by(m: Any, cutoff: Any = CUTOFF, month_cutoff: Any = MONTH_CUTOFF) -> Any:
    """The milestone's date has come by the cut-off: a day date on or before it, a month-only date
    once its month is over (DESIGN §10: a month date is later than any day of its month). Pass dates
    (cutoff, month_after(cutoff)) or bound parameters."""
    return or_(and_(or_(m.c.precision.is_(None), m.c.precision != "month"), m.c.done_on <= cutoff),
               and_(m.c.precision == "month", m.c.done_on < month_cutoff))


def known_by(m: Any, cutoff: Any = CUTOFF, month_cutoff: Any = MONTH_CUTOFF) -> Any:
    """Done by the cut-off: dated by it, or undated (the stage is known, not when)."""
    return or_(m.c.done_on.is_(None), dated_by(m, cutoff, month_cutoff))


def stalled_params(as_of: dt.date, stall_days: int, since: dt.date | None = None) -> dict[str, Any]:
    """The bounds of "stalled at as-of": the signing's last day (a month-only date: its month's last
    day) is at least `stall_days` days before as-of; with `since`, it became stalled on or after that
    day. Each bound is given for day dates and for month dates (stored as the 1st), so that SQL
    decides alone, on any database."""
    signed_by = as_of - dt.timedelta(days=stall_days)
    params: dict[str, Any] = {"as_of": as_of, "signed_by": signed_by,
                              "month_before": month_after(signed_by),
                              "month_after_as_of": month_after(as_of), "as_of_month": as_of.replace(day=1)}
    if since is not None:
        signed_from = since - dt.timedelta(days=stall_days)
        params.update(signed_from=signed_from, month_from=signed_from.replace(day=1))
    return params


# --------------------------------------------------------------------------- stage dates


def keep_earliest(row: dict[str, Any], kind: str, day: dt.date | None, precision: str | None) -> None:
    """Put a done stage milestone's date in `row` under its key (signed_on …), unless an earlier one
    of that stage is there already."""
    key = STAGE_DATE_KEY[kind]
    value = LedgerDate.stored(day, precision)
    current = row.get(key)
    if value is not None and (current is None or value.sort_key() < current.sort_key()):
        row[key] = value


def stage_dates(session: Session, project_ids: Any) -> dict[int, dict[str, LedgerDate]]:
    """Done stage milestones' dates per project (the earliest when a stage was recorded twice), of the
    projects `project_ids` names (a list of ids or a subquery). The milestones are reached through
    the projects: the kind is compared as text and `done` through done(), so that SQLite, without
    statistics, does not walk every done milestone."""
    session.flush()  # a Core statement does not autoflush: pending milestone changes must be seen
    query = select(M.c.project_id, M.c.kind, M.c.done_on, M.c.precision).where(
        col(M.c.project_id).in_(project_ids), done(M), M.c.done_on.is_not(None),
        (M.c.kind + "").in_(list(STAGE_DATE_KEY)))
    out: dict[int, dict[str, LedgerDate]] = {}
    for pid, kind, day, precision in session.connection().execute(query):
        keep_earliest(out.setdefault(pid, {}), kind, day, precision)
    return out
