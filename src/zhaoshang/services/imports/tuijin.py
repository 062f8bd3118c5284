"""The 推进表's own cells of a batch of project rows into the ledger: leaders in charge, supporting
units, the year's plan and completed investment (services/leaders.py, support.py, investment.py).
A row that states none of them changes none of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from zhaoshang.importers.locate import LocatedSheet
from zhaoshang.importers.parse import ProjectRow
from zhaoshang.models import Project
from zhaoshang.services.audit import dict_json
from zhaoshang.services.investment import add_completed, set_plans
from zhaoshang.services.leaders import ensure_leaders, set_leaders
from zhaoshang.services.support import set_support

if TYPE_CHECKING:
    from zhaoshang.services.imports.run import Run

KEYS = ("leaders", "support_unit_ids", "plan", "completed")


def stated(sheet: LocatedSheet) -> bool:
    f = sheet.header.fields
    return "leaders" in f or "support_units" in f or any(k.startswith(("plan:", "completed:")) for k in f)


def leaders_first(run: Run, sheet: LocatedSheet, rows: list[ProjectRow]) -> None:
    """The batch's leaders, before its projects go in (see services.leaders.ensure_leaders)."""
    lists = [r.values["leaders"] for r in rows if r.values.get("leaders")]
    if lists:
        ensure_leaders(run.writes, run.conn, lists, f"{run.file}:{sheet.info.name}")


def row_tuijin(run: Run, sheet: LocatedSheet, rows: list[tuple[ProjectRow, int]], fresh: set[int]) -> set[int]:
    """The batch's 推进表 cells; returns the projects they changed. A project's accountable unit is
    never its own supporting unit. The cells of `fresh` projects (inserted by this batch) are
    written without an event per row: one event per project keeps them, as its insert event keeps
    the project."""
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
    changed = set_leaders(writes, conn, leaders, fresh) | set_support(writes, conn, support, fresh) | \
        set_plans(writes, conn, plans, fresh)
    done, refused = add_completed(writes, conn, completed, fresh)
    for pid in sorted(fresh & (changed | done)):  # a new project's 推进表 cells: one event beside its insert event
        record = {"leaders": leaders.get(pid, ([],))[0], "support_unit_ids": support.get(pid, ([],))[0],
                  "plan": {str(y): v for y, v in plans.get(pid, ({},))[0].items()},
                  "completed": [list(p[:4]) for p in completed.get(pid, ([],))[0]]}
        writes.event("project", pid, pid, sources[pid], "tuijin", None, dict_json(record))
    rows_of = {pid: r for r, pid in rows}
    for pid, col, reason in refused:
        r = rows_of[pid]
        run.warn(f"{run.where(sheet.info.name, r.row, col, sheet.data.col_offset)}：完成投资未录入：{reason}")
    writes.write_rows()
    return changed | done
