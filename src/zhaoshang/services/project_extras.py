"""What `zs projects list/show` adds to a project's listing row from the 推进表: leaders in charge,
supporting units, construction scope, the remark, planned and actual completion, the plan per year
and completed investment per month (cumulative for its year)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from zhaoshang.models import Milestone, Project
from zhaoshang.services.investment import completed_json, months_of, plans_of
from zhaoshang.services.leaders import leaders_of
from zhaoshang.services.support import support_of
from zhaoshang.vocabulary.dates import LedgerDate, iso

P = Project.__table__  # type: ignore[attr-defined]
M = Milestone.__table__  # type: ignore[attr-defined]
KEYS = ("leaders", "support_units", "scope", "remark", "planned_completion_on", "completed_on", "plan_wan",
        "completed_wan")


def _completion(conn: Connection, ids: list[int]) -> dict[int, dict[str, str | None]]:
    out: dict[int, dict[str, str | None]] = {}
    for i in range(0, len(ids), 900):
        for pid, planned, planned_precision, done, done_on, precision in conn.execute(
                select(M.c.project_id, M.c.planned_on, M.c.planned_precision, M.c.done, M.c.done_on, M.c.precision)
                .where(M.c.project_id.in_(ids[i:i + 900]), M.c.kind == "completion").order_by(M.c.id)):
            mine = out.setdefault(pid, {})
            if planned is not None:
                mine.setdefault("planned_completion_on", iso(LedgerDate.stored(planned, planned_precision)))
            if done and done_on is not None:
                mine.setdefault("completed_on", iso(LedgerDate.stored(done_on, precision)))
    return out


def add_extras(conn: Connection, rows: list[dict[str, Any]], ids: list[int]) -> list[dict[str, Any]]:
    """The listing rows (in the order of `ids`) with the 推进表's keys added."""
    if not rows:
        return rows
    texts = {}
    for i in range(0, len(ids), 900):
        texts.update({pid: (scope, note) for pid, scope, note in
                      conn.execute(select(P.c.id, P.c.scope, P.c.note).where(P.c.id.in_(ids[i:i + 900])))})
    leaders, support = leaders_of(conn, ids), support_of(conn, ids)
    plans, months, completion = plans_of(conn, ids), months_of(conn, ids), _completion(conn, ids)
    for pid, row in zip(ids, rows, strict=True):
        scope, note = texts.get(pid, (None, None))
        done = completion.get(pid, {})
        row.update(leaders=leaders.get(pid, []), support_units=support.get(pid, []), scope=scope, remark=note,
                   planned_completion_on=done.get("planned_completion_on"), completed_on=done.get("completed_on"),
                   plan_wan={str(y): v for y, v in plans.get(pid, {}).items()},
                   completed_wan=completed_json(months.get(pid, {})))
    return rows
