"""The 推进表's own cells of a batch of project rows into the ledger: leaders in charge, supporting
units, the year's plan and completed investment (services/leaders.py, support.py, investment.py).
A row that states none of them changes none of them.

完成投资 follows the funds rule (DESIGN §10): a matched project's cumulative figure below the
cumulative the ledger already holds is a row error, refused before anything of the row is written."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from zhaoshang.importers.cells import CellError
from zhaoshang.importers.locate import LocatedSheet
from zhaoshang.importers.parse import ProjectRow
from zhaoshang.models import Project
from zhaoshang.services.audit import dict_json
from zhaoshang.services.investment import add_completed, months_of, set_plans
from zhaoshang.services.leaders import as_written, ensure_leaders, set_leaders
from zhaoshang.services.support import set_support

if TYPE_CHECKING:
    from zhaoshang.services.imports.result import RejectedSheet, SheetResult
    from zhaoshang.services.imports.run import Run

KEYS = ("leaders", "support_unit_ids", "plan", "completed")


def stated(sheet: LocatedSheet) -> bool:
    f = sheet.header.fields
    return "leaders" in f or "support_units" in f or any(k.startswith(("plan:", "completed:")) for k in f)


def check(run: Run, sheet: LocatedSheet, matched: list[tuple[ProjectRow, int]], counts: SheetResult,
          rej: RejectedSheet, raw: dict[int, list[Any]]) -> list[tuple[ProjectRow, int]]:
    """The matched rows whose 完成投资 agrees with the ledger; a cumulative below the known one refuses
    its row, naming the cell (as 到位资金 does, services/imports/funds.py)."""
    from zhaoshang.vocabulary.cumulative import to_monthly

    rows = [(r, pid) for r, pid in matched if r.values.get("completed")]
    if not rows:
        return matched
    known = months_of(run.conn, {pid for _, pid in rows})
    refused: set[int] = set()
    for r, pid in rows:
        points = r.values["completed"]
        stored = known.get(pid, {})
        cells = []
        for year in sorted({p[0] for p in points}):
            mine = [p for p in points if p[0] == year]
            before = {m: amount for (y, m), amount in stored.items() if y == year}
            _, errors = to_monthly([(m, kind, amount) for _, m, kind, amount, _ in mine], before)
            cell = {m: (col, amount) for _, m, _, amount, col in mine}
            for month, reason in errors:
                col, amount = cell.get(month, (mine[0][4], mine[0][3]))
                cells.append(CellError(col, amount, f"完成投资：{year}年{reason}"))
        if cells:
            run.reject(sheet, rej, r.row, raw.get(r.row, []), cells, counts)
            refused.add(id(r))
    return [(r, pid) for r, pid in matched if id(r) not in refused]


def new_projects(run: Run, fresh: set[int], leaders: dict, support: dict, plans: dict, completed: dict,
                 sources: dict[int, str]) -> list[tuple[int, int | None, str]]:
    """The 推进表 cells of projects this batch inserted, in bulk: nothing to compare them with, so no
    reads; each row with its insert event. Returns the refused figures."""
    from zhaoshang.models import InvestmentDone, InvestmentPlan, Leader, ProjectLeader, ProjectSupport
    from zhaoshang.services.investment import DONE_COLS, PLAN_COLS
    from zhaoshang.services.leaders import LINK_COLS
    from zhaoshang.services.support import COLS as SUPPORT_COLS
    from zhaoshang.vocabulary.cumulative import to_monthly
    from zhaoshang.vocabulary.tuijin import leader_of

    links, helps, planned, months, refused = [], [], [], [], []
    names = {leader_of(t)[0] for pid in fresh if pid in leaders for t in leaders[pid][0]}
    L = Leader.__table__  # type: ignore[attr-defined]
    ids = dict(run.conn.execute(select(L.c.name, L.c.id).where(L.c.name.in_(sorted(names)))).all()) if names else {}
    for pid in sorted(fresh):
        if pid in leaders:
            seen: list[int] = []
            for text in leaders[pid][0]:
                ident = ids[leader_of(text)[0]]
                if ident not in seen:
                    links.append((pid, ident, as_written(text), len(seen)))
                    seen.append(ident)
        if pid in support:
            units, lead, _ = support[pid]
            helps += [(pid, u, i) for i, u in enumerate(u for u in dict.fromkeys(units) if u != lead)]
        if pid in plans:
            planned += [(pid, year, plan) for year, plan in plans[pid][0].items()]
        points = completed.get(pid, ([],))[0]
        if len(points) == 1:  # the usual row: one figure of one year, nothing before it
            year, month, _, amount, _ = points[0]
            if amount:
                months.append((pid, dt.date(year, month, 1), amount))
            points = []
        for year in sorted({p[0] for p in points}):
            mine = [p for p in points if p[0] == year]
            got, errors = to_monthly([(m, kind, amount) for _, m, kind, amount, _ in mine], {})
            cols = {m: col for _, m, _, _, col in mine}
            refused += [(pid, cols.get(month), f"{year}年{reason}") for month, reason in errors]
            months += [(pid, dt.date(year, month, 1), amount) for month, amount in sorted(got.items())]
    bulk, writes = run.bulk, run.writes
    for table, cols, rows in ((ProjectLeader, LINK_COLS, links), (ProjectSupport, SUPPORT_COLS, helps),
                              (InvestmentPlan, PLAN_COLS, planned), (InvestmentDone, DONE_COLS, months)):
        if not rows:
            continue
        t = table.__table__  # type: ignore[attr-defined]
        stored = []
        for i, row in zip(bulk.ids(t, len(rows)), rows, strict=True):
            record = dict(zip(cols, (i, *row), strict=True))
            writes.event(t.name, i, row[0], sources[row[0]], None, None, dict_json(record))
            stored.append(tuple(bulk.day(v) if isinstance(v, dt.date) else v for v in record.values()))
        bulk.insert(t, cols, stored)
    return refused


def leaders_first(run: Run, sheet: LocatedSheet, rows: list[ProjectRow]) -> None:
    """The batch's leaders, before its projects go in (see services.leaders.ensure_leaders)."""
    lists = [r.values["leaders"] for r in rows if r.values.get("leaders")]
    if lists:
        ensure_leaders(run.writes, run.conn, lists, f"{run.file}:{sheet.info.name}")


def row_tuijin(run: Run, sheet: LocatedSheet, rows: list[tuple[ProjectRow, int]], fresh: set[int]) -> set[int]:
    """The batch's 推进表 cells; returns the projects they changed. A project's accountable unit is
    never its own supporting unit. The cells of `fresh` projects (inserted by this batch) go in
    without reading what the ledger holds (new_projects)."""
    units: dict[int, int | None] = {}
    lacking = [pid for r, pid in rows if "support_unit_ids" in r.values and "unit_id" not in r.values]
    if lacking:
        P = Project.__table__  # type: ignore[attr-defined]
        units = dict(run.conn.execute(select(P.c.id, P.c.unit_id).where(P.c.id.in_(lacking))).all())  # type: ignore[arg-type]
    file_sheet = f"{run.file}:{sheet.info.name}!row "
    leaders, support, plans, completed = {}, {}, {}, {}
    sources = {}
    for r, pid in rows:
        v = r.values
        source = sources[pid] = file_sheet + str(r.row + 1)
        if "leaders" in v:
            leaders[pid] = (v["leaders"], source)
        if "support_unit_ids" in v:
            support[pid] = (v["support_unit_ids"], v.get("unit_id", units.get(pid)), source)
        if v.get("plan"):
            plans[pid] = (v["plan"], source)
        if v.get("completed"):
            completed[pid] = (v["completed"], source)
    writes, conn = run.writes, run.conn
    refused = new_projects(run, fresh, leaders, support, plans, completed, sources)
    old = {k: {p: v for p, v in d.items() if p not in fresh} for k, d in
           (("l", leaders), ("s", support), ("p", plans), ("c", completed))}
    changed = set_leaders(writes, conn, old["l"]) | set_support(writes, conn, old["s"]) | \
        set_plans(writes, conn, old["p"])
    done, refused_old = add_completed(writes, conn, old["c"])
    rows_of = {pid: r for r, pid in rows}
    refused += refused_old
    for pid, col, reason in refused:
        r = rows_of[pid]
        run.warn(f"{run.where(sheet.info.name, r.row, col, sheet.data.col_offset)}：完成投资未录入：{reason}")
    writes.write_rows()
    return changed | done
