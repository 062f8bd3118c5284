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


def funds_sheet(run: Run, sheet: LocatedSheet, counts: SheetResult, rej: RejectedSheet) -> None:
    """A sheet of month-by-month funds (项目编号, 月份, 来源, 当月到位资金/外资), as `zs export` writes
    it: each row is one month's own amount of one project and source; the same again changes nothing."""


    from sqlalchemy import select

    from zhaoshang.importers.cells import amount_of, text_of
    from zhaoshang.importers.classify import DATA, classify
    from zhaoshang.models import Project
    from zhaoshang.vocabulary.dates import parse_date

    f = sheet.header.fields
    P = Project.__table__  # type: ignore[attr-defined]
    rows: list[tuple[int, list[Any], str, funds.Point | None, list[CellError]]] = []
    for row_no, row in sheet.rows():
        if classify(row, key_col=f.get("code"), name_col=f.get("name"), header_labels=sheet.header.cells)[0] != DATA:
            continue
        run.tick()
        counts.rows += 1
        cells = [*row, *([""] * (max(f.values()) + 1 - len(row)))]
        errors: list[CellError] = []
        code = text_of(cells[f["code"]]) or ""
        month = None
        try:
            when = parse_date(cells[f["month"]], run.options.year)
            month = when.first if when is not None else None
            if month is None:
                errors.append(CellError(f["month"], cells[f["month"]], "缺少月份"))
        except ValueError as exc:
            errors.append(CellError(f["month"], cells[f["month"]], str(exc)))
        source, amount = None, None
        for key, unit, kind in (("amount", "万元", "outside"), ("amount_usd", "万美元", "foreign")):
            if key in f and text_of(cells[f[key]]) is not None:
                try:
                    parsed = amount_of(cells[f[key]], unit)
                except ValueError as exc:
                    errors.append(CellError(f[key], cells[f[key]], str(exc)))
                    continue
                amount, source = (parsed[1] if unit == "万美元" else parsed[0]) if parsed else None, kind
        if "source" in f and text_of(cells[f["source"]]) is not None:
            try:
                source = funds.parse_source(text_of(cells[f["source"]]) or "")
            except Exception as exc:  # BadValue: the cell says what is wrong
                errors.append(CellError(f["source"], cells[f["source"]], str(getattr(exc, "message", exc))))
        if amount is None and not errors:
            errors.append(CellError(f.get("amount", f.get("amount_usd", 0)), "", "缺少到位资金金额"))
        point = None
        if not errors and month is not None and source is not None and amount is not None:
            point = funds.Point(0, month.year, month.month, "monthly", source, amount,
                                f"{run.file}:{sheet.info.name}!row {row_no + 1}")
        rows.append((row_no, row, code, point, errors))
    codes = sorted({code for _, _, code, point, _ in rows if point is not None})
    ids: dict[str, int] = {}
    for i in range(0, len(codes), 900):
        ids.update(run.conn.execute(select(P.c.code, P.c.id).where(P.c.code.in_(codes[i:i + 900]))).all())
    points: list[funds.Point] = []
    for row_no, row, code, point, errors in rows:
        if point is not None and code not in ids:
            errors = [CellError(f["code"], code, f"项目编号“{code}”不存在")]
        if errors:
            run.reject(sheet, rej, row_no, row, errors, counts)
            continue
        assert point is not None
        points.append(funds.Point(ids[code], point.year, point.month, point.kind, point.source, point.amount,
                                  point.where))
    known = funds.stored(run.conn, {p.project_id for p in points}, {p.year for p in points})
    changes, _ = funds.plan(points, known)
    for p in points:
        month = changes.get((p.project_id, p.year, p.source), {})
        if p.month not in month:
            counts.unchanged += 1
        elif p.month in known.get((p.project_id, p.year, p.source), {}):
            counts.updated += 1
        else:
            counts.inserted += 1
    where = {(p.project_id, p.year, p.source): p.where for p in points}
    run.result.funds_months += funds.write(run.writes, changes, known, where, run.ctx.today)
    run.writes.write_rows()

