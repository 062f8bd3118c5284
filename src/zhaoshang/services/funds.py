"""实际到位资金: funds actually in place, per project, month and source (省外, 省内 in 万元; 外资 in 万美元).

The ledger keeps each month's own amount; a cumulative figure (1-6月累计到位, 累计到位) gives its month
the difference from what is already known for the months before it (vocabulary/cumulative.py), so
entering the same ledger again, or next month's, never counts a month twice. Every change is audited
(entity funds): a new month one insert event, a corrected one an event for its amount.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, and_, select

from zhaoshang.db.bulk import Bulk
from zhaoshang.errors import BadValue
from zhaoshang.models import FUND_SOURCES, Chain, Funds, Project, Unit
from zhaoshang.services import audit
from zhaoshang.services.context import Ctx
from zhaoshang.services.projects import get_project
from zhaoshang.vocabulary.amounts import parse_amount
from zhaoshang.vocabulary.cumulative import CUMULATIVE, MONTHLY, cumulative, to_monthly
from zhaoshang.vocabulary.text import normalize_text

F = Funds.__table__  # type: ignore[attr-defined]
P = Project.__table__  # type: ignore[attr-defined]
COLUMNS = ("project_id", "month", "source", "amount", "as_of")
SOURCE_ZH = {"outside": "省外", "inside": "省内", "foreign": "外资"}
_SOURCE_WORDS = {"省外": "outside", "省外资金": "outside", "省内": "inside", "省内资金": "inside", "外资": "foreign",
                 "外资资金": "foreign", "境外": "foreign", "美元": "foreign"}


def parse_source(value: str) -> str:
    """省外 / 省内 / 外资 (or the keys outside, inside, foreign)."""
    text = normalize_text(value).lower()
    source = text if text in FUND_SOURCES else _SOURCE_WORDS.get(text)
    if source is None:
        raise BadValue(f"资金来源“{value}”无效。", "可用：省外、省内、外资（outside, inside, foreign）。")
    return source


@dataclass(frozen=True)
class Point:
    """A figure a ledger or a clerk gives: the project's funds of `month` (its own, or the year's
    running total to it) from one source."""

    project_id: int
    year: int
    month: int
    kind: str  # monthly | cumulative
    source: str
    amount: int  # 万元, or 万美元 for 外资
    where: str  # the file, sheet and row, or the command


def stored(conn: Connection, project_ids: Iterable[int], years: Iterable[int]) -> dict[tuple, dict[int, dict]]:
    """What the ledger holds: (project id, year, source) → month → its row."""
    out: dict[tuple, dict[int, dict]] = {}
    ids = sorted(set(project_ids))
    spans = sorted(set(years))
    for i in range(0, len(ids), 900):
        for year in spans:
            query = select(F).where(F.c.project_id.in_(ids[i:i + 900]), F.c.month >= dt.date(year, 1, 1),
                                    F.c.month <= dt.date(year, 12, 1))
            for row in conn.execute(query):
                out.setdefault((row.project_id, year, row.source), {})[row.month.month] = dict(row._mapping)
    return out


def plan(points: Iterable[Point], known: dict[tuple, dict[int, dict]]
         ) -> tuple[dict[tuple, dict[int, int]], list[tuple[Point, str]]]:
    """The monthly amounts the points change, per (project, year, source), and the points in error."""
    groups: dict[tuple, list[Point]] = {}
    for p in points:
        groups.setdefault((p.project_id, p.year, p.source), []).append(p)
    changes: dict[tuple, dict[int, int]] = {}
    errors: list[tuple[Point, str]] = []
    for key, group in groups.items():
        before = {m: row["amount"] for m, row in known.get(key, {}).items()}
        monthly, wrong = to_monthly([(p.month, p.kind, p.amount) for p in group], before)
        for month, reason in wrong:
            errors.append((next((p for p in group if p.month == month), group[0]), reason))
        if monthly:
            changes[key] = monthly
    return changes, errors


def write(writes: audit.BulkWrite, changes: dict[tuple, dict[int, int]], known: dict[tuple, dict[int, dict]],
          where: dict[tuple, str], as_of: dt.date | None) -> int:
    """Store the monthly amounts (insert or correct, each audited); returns how many months changed."""
    n = 0
    for key, months in changes.items():
        pid, year, source = key
        for month, amount in sorted(months.items()):
            row = known.get(key, {}).get(month)
            first = dt.date(year, month, 1)
            if row is None:
                record = {"project_id": pid, "month": first, "source": source, "amount": amount,
                          "as_of": as_of.replace(day=1) if as_of else None}
                writes.insert("funds", F, COLUMNS, record, where[key])
                known.setdefault(key, {})[month] = record
            else:
                writes.change("funds", F, row, {"amount": amount}, where[key], pid)
            n += 1
    return n


def add_funds(ctx: Ctx, code: str, month: dt.date, amount_text: str, *, source: str | None = None,
              cumulative_figure: bool = False) -> dict:
    """`zs funds add`: a project's funds in place in one month (or, with `cumulative_figure`, its
    running total for the year to that month). The source defaults to 外资 for an amount in 美元,
    else 省外. Returns the month as `zs funds list` shows it."""
    project = get_project(ctx.session, code)
    try:
        amount = parse_amount(amount_text, "万元")
    except ValueError as exc:
        raise BadValue(f"--amount “{amount_text}”：{exc}") from None
    if amount is None:
        raise BadValue(f"--amount “{amount_text}”：需要一个金额。")
    if source is None:
        source = "foreign" if amount.usd_wan is not None else "outside"
    value = amount.usd_wan if source == "foreign" else amount.wan
    if value is None:
        unit = "万美元" if source == "foreign" else "万元或亿元"
        raise BadValue(f"--amount “{amount_text}”：{SOURCE_ZH[source]}资金应以{unit}计。")
    ctx.session.flush()
    conn = ctx.session.connection()
    known = stored(conn, [project.id], [month.year])  # type: ignore[list-item]
    point = Point(project.id, month.year, month.month, CUMULATIVE if cumulative_figure else MONTHLY,  # type: ignore[arg-type]
                  source, value, ctx.source)
    changes, errors = plan([point], known)
    if errors:
        raise BadValue(f"{project.code} {month.year}年：{errors[0][1]}。")
    writes = audit.BulkWrite(ctx, Bulk(conn))
    key = (project.id, month.year, source)
    write(writes, changes, known, {key: ctx.source}, ctx.today)
    writes.write()
    months = {m: row["amount"] for m, row in known.get(key, {}).items()}
    return {"code": project.code, "name": project.name, "month": f"{month.year}-{month.month:02d}",
            "source": SOURCE_ZH[source], "amount": months.get(month.month, 0),
            "ytd": cumulative(months, month.month), "currency": "万美元" if source == "foreign" else "万元",
            "changed": bool(changes)}


def list_funds(session: object, *, code: str | None = None, year: int | None = None, unit: str | None = None
               ) -> list[dict]:
    """Funds in place month by month: code, name, unit, chain, month, source, amount_wan or
    amount_usd_wan, and the year's running total (ytd_wan / ytd_usd_wan) of that project and source."""
    from sqlmodel import Session

    assert isinstance(session, Session)
    U, C = Unit.__table__, Chain.__table__  # type: ignore[attr-defined]
    query = (select(P.c.code, P.c.name, U.c.name.label("unit"), C.c.name.label("chain"), F.c.month, F.c.source,
                    F.c.amount, F.c.project_id)
             .select_from(F.join(P, P.c.id == F.c.project_id).outerjoin(U, U.c.id == P.c.unit_id)
                          .outerjoin(C, C.c.id == P.c.chain_id))
             .order_by(P.c.code, F.c.source, F.c.month))
    conds = []
    if code is not None:
        conds.append(P.c.id == get_project(session, code).id)
    if year is not None:
        conds.append(and_(F.c.month >= dt.date(year, 1, 1), F.c.month <= dt.date(year, 12, 1)))
    if unit is not None:
        from zhaoshang.services.directory import find_unit

        conds.append(P.c.unit_id == find_unit(session, unit).id)
    rows = []
    running: dict[tuple, int] = {}
    for r in session.connection().execute(query.where(*conds)):
        key = (r.project_id, r.source, r.month.year)
        running[key] = running.get(key, 0) + r.amount
        foreign = r.source == "foreign"
        rows.append({"code": r.code, "name": r.name, "unit": r.unit, "chain": r.chain,
                     "month": f"{r.month.year}-{r.month.month:02d}", "source": SOURCE_ZH[r.source],
                     "amount_wan": None if foreign else r.amount, "amount_usd_wan": r.amount if foreign else None,
                     "ytd_wan": None if foreign else running[key], "ytd_usd_wan": running[key] if foreign else None})
    return rows
