"""The year's investment plan (年度计划投资) and completed investment (完成投资) of projects.

Plans are kept per project and year; completed investment as MONTHLY amounts per project and month
(whole 万元), as funds in place are: a cumulative figure (1-8月完成投资, 累计) gives its month the
difference from what the months before already hold, a monthly one (本月) is the month's own amount —
vocabulary/cumulative.py does that arithmetic for both. Cumulative figures are derived from the months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Connection

from zhaoshang.db.bulk import Bulk
from zhaoshang.errors import BadValue
from zhaoshang.models import InvestmentDone, InvestmentPlan
from zhaoshang.services import audit
from zhaoshang.services.context import Ctx
from zhaoshang.vocabulary.cumulative import CUMULATIVE, MONTHLY, cumulative, to_monthly

IP = InvestmentPlan.__table__  # type: ignore[attr-defined]
ID = InvestmentDone.__table__  # type: ignore[attr-defined]
PLAN_COLS = ("id", "project_id", "year", "plan_wan")
DONE_COLS = ("id", "project_id", "month", "amount_wan")

Point = tuple[int, int, str, int, int | None]  # (year, month, kind, 万元, the cell's column or None)


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(set(ids))
    for i in range(0, len(ordered), 900):
        yield ordered[i:i + 900]


def plans_of(conn: Connection, pids: Iterable[int]) -> dict[int, dict[int, int | None]]:
    out: dict[int, dict[int, int | None]] = {}
    for chunk in _chunks(pids):
        for pid, year, plan in conn.execute(select(IP.c.project_id, IP.c.year, IP.c.plan_wan)
                                            .where(IP.c.project_id.in_(chunk)).order_by(IP.c.year)):
            out.setdefault(pid, {})[year] = plan
    return out


def months_of(conn: Connection, pids: Iterable[int]) -> dict[int, dict[tuple[int, int], int]]:
    """Each project's monthly completed amounts by (year, month)."""
    out: dict[int, dict[tuple[int, int], int]] = {}
    for chunk in _chunks(pids):
        for pid, month, amount in conn.execute(select(ID.c.project_id, ID.c.month, ID.c.amount_wan)
                                               .where(ID.c.project_id.in_(chunk)).order_by(ID.c.month)):
            day = month if isinstance(month, dt.date) else dt.date.fromisoformat(str(month)[:10])
            out.setdefault(pid, {})[(day.year, day.month)] = amount
    return out


def completed_json(months: Mapping[tuple[int, int], int]) -> dict[str, int]:
    """"YYYY-MM" → the year's cumulative completed investment to the end of that month, for every
    month that holds an amount."""
    out: dict[str, int] = {}
    for year, month in sorted(months):
        per_year = {m: a for (y, m), a in months.items() if y == year}
        out[f"{year}-{month:02d}"] = cumulative(per_year, month)
    return out


def latest_cumulative(months: Mapping[tuple[int, int], int]) -> dict[int, tuple[int, int]]:
    """Per year: (the last month with an amount, the cumulative to it)."""
    out: dict[int, tuple[int, int]] = {}
    for year in sorted({y for y, _ in months}):
        per_year = {m: a for (y, m), a in months.items() if y == year}
        last = max(per_year)
        out[year] = (last, cumulative(per_year, last))
    return out


def set_plans(writes: audit.BulkWrite, conn: Connection,
              wanted: Mapping[int, tuple[Mapping[int, int | None], str]]) -> set[int]:
    """Each project's plan for the years given (None: unknown); returns the projects changed."""
    current: dict[tuple[int, int], dict] = {}
    for chunk in _chunks(wanted):
        for row in conn.execute(select(IP).where(IP.c.project_id.in_(chunk))):
            current[(row.project_id, row.year)] = dict(row._mapping)
    changed = set()
    for pid, (plans, source) in wanted.items():
        for year, plan in plans.items():
            row = current.get((pid, year))
            if row is None:
                record = {"project_id": pid, "year": year, "plan_wan": plan}
                writes.insert("investment_plan", IP, PLAN_COLS, record, source)
                current[(pid, year)] = record
                changed.add(pid)
            elif row["plan_wan"] != plan:
                writes.change("investment_plan", IP, row, {"plan_wan": plan}, source, pid)
                changed.add(pid)
    return changed


def add_completed(writes: audit.BulkWrite, conn: Connection, wanted: Mapping[int, tuple[list[Point], str]],
                  ) -> tuple[set[int], list[tuple[int, int | None, str]]]:
    """Completed investment figures of each project into monthly amounts; returns the projects
    changed and the figures refused as (project, column, reason) — a cumulative below the one
    already known stores nothing for that project and year."""
    stored: dict[int, dict[tuple[int, int], dict]] = {}  # project -> (year, month) -> row
    for chunk in _chunks(wanted):
        for row in conn.execute(select(ID).where(ID.c.project_id.in_(chunk))):
            day = row.month if isinstance(row.month, dt.date) else dt.date.fromisoformat(str(row.month)[:10])
            stored.setdefault(row.project_id, {})[(day.year, day.month)] = dict(row._mapping)
    changed: set[int] = set()
    errors: list[tuple[int, int | None, str]] = []
    for pid, (points, source) in wanted.items():
        rows = stored.setdefault(pid, {})
        for year in sorted({p[0] for p in points}):
            mine = [p for p in points if p[0] == year]
            before = {m: r["amount_wan"] for (y, m), r in rows.items() if y == year}
            months, refused = to_monthly([(m, kind, amount) for _, m, kind, amount, _ in mine], before)
            if refused:
                cols = {m: col for _, m, _, _, col in mine}
                errors += [(pid, cols.get(month), f"{year}年{reason}") for month, reason in refused]
                continue
            for month, amount in months.items():
                row = rows.get((year, month))
                if row is None:
                    record = {"project_id": pid, "month": dt.date(year, month, 1), "amount_wan": amount}
                    writes.insert("investment_done", ID, DONE_COLS, record, source)
                    rows[(year, month)] = record
                else:
                    writes.change("investment_done", ID, row, {"amount_wan": amount}, source, pid)
                changed.add(pid)
    return changed, errors


def set_investment(ctx: Ctx, project_id: int, *, year: int | None = None, plan: int | None = None,
                   month: tuple[int, int] | None = None, completed: int | None = None,
                   monthly: bool = False) -> bool:
    """`zs investment set`: a year's plan and/or completed investment to the end of a month (or, with
    `monthly`, that month's own amount); audited. Returns whether anything changed."""
    if plan is None and completed is None:
        raise BadValue("没有要设置的内容。", "用 --plan 万元 和/或 --month YYYY-MM --completed 万元。")
    for value, what in ((plan, "--plan"), (completed, "--completed")):
        if value is not None and value < 0:
            raise BadValue(f"{what} {value} 不能为负数。")
    conn = ctx.session.connection()
    writes = audit.BulkWrite(ctx, Bulk(conn))
    changed = set()
    if plan is not None:
        if year is None:
            raise BadValue("--plan 需要 --year。")
        changed |= set_plans(writes, conn, {project_id: ({year: plan}, ctx.source)})
    if completed is not None:
        if month is None:
            raise BadValue("--completed 需要 --month YYYY-MM。")
        point: Point = (month[0], month[1], MONTHLY if monthly else CUMULATIVE, completed, None)
        done, errors = add_completed(writes, conn, {project_id: ([point], ctx.source)})
        if errors:
            raise BadValue(f"完成投资 {completed} 万元：{errors[0][2]}。",
                           "累计数不能低于已记录的累计；更正前几个月请用 --monthly 逐月设置。")
        changed |= done
    writes.write()
    return bool(changed)


@dataclass
class ProjectInvestment:
    """One project's plan for a year and its completed investment to a month of that year."""

    id: int
    code: str
    name: str
    unit_id: int | None
    chain_id: int | None
    plan_wan: int | None
    completed_wan: int


def year_to_month(conn: Connection, year: int, month: int, *, unit_id: int | None = None,
                  chain_id: int | None = None) -> list[ProjectInvestment]:
    """Every live project (not terminated) with a plan for `year` or completed investment in it, with
    its completed investment up to `month`, aggregated in SQL; narrowed to a unit and/or chain."""
    from sqlalchemy import case, func

    from zhaoshang.models import Project
    from zhaoshang.vocabulary.stages import TERMINATED

    P = Project.__table__  # type: ignore[attr-defined]
    to_month = case((ID.c.month <= dt.date(year, month, 1), ID.c.amount_wan), else_=0)
    done = (select(ID.c.project_id, func.sum(to_month).label("done"))
            .where(ID.c.month >= dt.date(year, 1, 1), ID.c.month <= dt.date(year, 12, 1))
            .group_by(ID.c.project_id).subquery())
    plan = select(IP.c.project_id, IP.c.plan_wan).where(IP.c.year == year).subquery()
    query = (select(P.c.id, P.c.code, P.c.name, P.c.unit_id, P.c.chain_id, plan.c.plan_wan, done.c.done)
             .select_from(P.outerjoin(plan, plan.c.project_id == P.c.id).outerjoin(done, done.c.project_id == P.c.id))
             .where(P.c.stage != TERMINATED, (plan.c.project_id.is_not(None)) | (done.c.project_id.is_not(None))))
    if unit_id is not None:
        query = query.where(P.c.unit_id == unit_id)
    if chain_id is not None:
        query = query.where(P.c.chain_id == chain_id)
    return [ProjectInvestment(r.id, r.code, r.name, r.unit_id, r.chain_id, r.plan_wan, int(r.done or 0))
            for r in conn.execute(query.order_by(P.c.id))]
