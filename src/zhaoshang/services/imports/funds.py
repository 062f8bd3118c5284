"""The import's 到位资金 step: a row's funds figures (importers/funds.py) checked against what the ledger
already knows and written as monthly amounts (services/funds.py), each change audited with its row.

A matched project's cumulative figure below the cumulative the ledger already holds is a row error:
the row is refused before anything of it is written (DESIGN §10)."""

from __future__ import annotations

from typing import Any

from zhaoshang.importers.cells import CellError
from zhaoshang.importers.locate import LocatedSheet
from zhaoshang.importers.parse import ProjectRow
from zhaoshang.services import funds
from zhaoshang.services.imports.result import RejectedSheet, SheetResult
from zhaoshang.services.imports.run import Run


def _points(r: ProjectRow, pid: int, where: str) -> list[funds.Point]:
    return [funds.Point(pid, c.year, c.month, c.kind, c.source, c.amount, where) for c in r.funds or []]


def check(run: Run, sheet: LocatedSheet, matched: list[tuple[ProjectRow, int]], counts: SheetResult,
          rej: RejectedSheet, raw: dict[int, list[Any]]) -> list[tuple[ProjectRow, int]]:
    """The matched rows whose funds agree with the ledger; the others are refused, naming the cell."""
    rows = [(r, pid) for r, pid in matched if r.funds]
    if not rows:
        return matched
    known = funds.stored(run.conn, [pid for _, pid in rows], {c.year for r, _ in rows for c in r.funds or []})
    refused: set[int] = set()
    for r, pid in rows:
        _, errors = funds.plan(_points(r, pid, ""), known)
        if errors:
            cells = [CellError(next(c.col for c in r.funds or [] if c.month == p.month and c.source == p.source),
                               p.amount, reason) for p, reason in errors]
            run.reject(sheet, rej, r.row, raw.get(r.row, []), cells, counts)
            refused.add(id(r))
    return [(r, pid) for r, pid in matched if id(r) not in refused]


def write(run: Run, sheet: LocatedSheet, rows: list[tuple[ProjectRow, int]]) -> None:
    """Store the rows' figures as monthly amounts (each month a project's row changes, audited)."""
    rows = [(r, pid) for r, pid in rows if r.funds]
    if not rows:
        return
    known = funds.stored(run.conn, [pid for _, pid in rows], {c.year for r, _ in rows for c in r.funds or []})
    file_sheet = f"{run.file}:{sheet.info.name}!row "
    points, where = [], {}
    for r, pid in rows:
        for p in _points(r, pid, file_sheet + str(r.row + 1)):
            points.append(p)
            where[(p.project_id, p.year, p.source)] = p.where
    changes, _ = funds.plan(points, known)  # checked row by row before (check, and the parse)
    run.result.funds_months += funds.write(run.writes, changes, known, where, run.ctx.today)
    run.writes.write_rows()
