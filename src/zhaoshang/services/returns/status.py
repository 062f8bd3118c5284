"""报送情况: who has returned the week's sheet, when, and what it changed.

Per owing unit (services/returns/template.py), in the official order: 按时 (on_time), 迟报 (late: after
the deadline, before the week's report), 无变化 (unchanged: returned, nothing changed), 退回
(refused: only returns that were refused — another week, another ledger — and it still owes one) or
未报 (missing: nothing, or only a return received after the week's report, whose contents were
imported all the same). A unit that corrected its return has reported when its first return came.
For the reports a return is on time or late by when it came (an unchanged one too), and a refused
one is missing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from zhaoshang.models import UnitReturn
from zhaoshang.services.returns.template import owing_units
from zhaoshang.services.settings import returns_deadline
from zhaoshang.vocabulary.returns import Deadline, report_at, timing
from zhaoshang.vocabulary.weeks import week_of

R = UnitReturn.__table__  # type: ignore[attr-defined]
COUNT_KEYS = ("projects_new", "projects_changed", "notes", "problems", "trips", "rejected")


@dataclass
class UnitStatus:
    unit: str
    unit_id: int
    status: str  # on_time | late | unchanged | refused | missing
    received_at: dt.datetime | None = None  # the first return that was taken (or the refused one)
    corrected_at: dt.datetime | None = None  # the latest, when it corrected the first
    file: str | None = None  # the return that stands (or the refused one)
    changes: dict[str, int] | None = None  # summed over the week's returns
    timing: str | None = None  # on_time | late | after_report, for a return that was taken
    note: str | None = None  # why refused; a return after the week's report

    @property
    def reported(self) -> str:
        """on_time, late or missing, as the reports count it."""
        if self.status in ("on_time", "late"):
            return self.status
        if self.status == "unchanged":
            return "on_time" if self.timing == "on_time" else "late"
        return "missing"

    def json(self) -> dict[str, Any]:
        return {"unit": self.unit, "status": self.status,
                "received_at": self.received_at.isoformat() if self.received_at else None,
                "file": self.file, "changes": self.changes,
                "corrected_at": self.corrected_at.isoformat() if self.corrected_at else None,
                "note": self.note}


@dataclass
class WeekStatus:
    week: dt.date  # its Monday
    due: Deadline
    due_at: dt.datetime  # UTC
    report_at: dt.datetime  # UTC: the week's report is issued
    units: list[UnitStatus] = field(default_factory=list)

    def of(self, status: str) -> list[UnitStatus]:
        return [u for u in self.units if u.status == status]

    def reported(self, kind: str) -> list[UnitStatus]:
        return [u for u in self.units if u.reported == kind]


def _aware(value: Any) -> dt.datetime:
    at = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


def week_status(session: Session, day: dt.date, zone: tzinfo) -> WeekStatus:
    """The status of every owing unit for the week holding `day`."""
    return weeks_status(session, [week_of(day)], zone)[week_of(day)]


def weeks_status(session: Session, weeks: list[dt.date], zone: tzinfo) -> dict[dt.date, WeekStatus]:
    """The status of several weeks (their Mondays), read in one query."""
    due = returns_deadline(session)
    units = owing_units(session)
    found: dict[tuple[dt.date, int], list[Any]] = {}
    if weeks:
        query = select(R).where(R.c.week.in_(weeks)).order_by(R.c.received_at, R.c.id)
        for row in session.connection().execute(query):
            week = row.week if isinstance(row.week, dt.date) else dt.date.fromisoformat(str(row.week))
            found.setdefault((week, row.unit_id), []).append(row)
    out = {}
    for week in weeks:
        ws = WeekStatus(week, due, due.due_at(week, zone), report_at(week, zone))
        ws.units = [_unit(u.name, u.id, found.get((week, u.id), []), week, due, zone) for u in units]  # type: ignore[arg-type]
        out[week] = ws
    return out


def _unit(name: str, unit_id: int, rows: list[Any], week: dt.date, due: Deadline, zone: tzinfo) -> UnitStatus:
    taken = [r for r in rows if r.status in ("accepted", "superseded")]
    if not taken:
        refused = [r for r in rows if r.status == "refused"]
        if not refused:
            return UnitStatus(name, unit_id, "missing")
        last = refused[-1]
        return UnitStatus(name, unit_id, "refused", _aware(last.received_at), file=last.file_name, note=last.message)
    first = taken[0]
    standing = next((r for r in reversed(taken) if r.status == "accepted"), taken[-1])
    changes = dict.fromkeys(COUNT_KEYS, 0)
    for r in taken:
        counts = (json.loads(r.changes) if r.changes else {}).get("counts", {})
        for key in COUNT_KEYS:
            changes[key] += int(counts.get(key, 0))
    received = _aware(first.received_at)
    when = timing(received, week, due, zone)
    s = UnitStatus(name, unit_id, "missing", received, _aware(standing.received_at) if standing is not first else None,
                   standing.file_name, changes, when)
    if when == "after_report":
        s.note = "周报之后才收到（内容已导入）"
    elif not any(v for k, v in changes.items() if k != "rejected"):
        s.status = "unchanged"
    else:
        s.status = when
    return s
