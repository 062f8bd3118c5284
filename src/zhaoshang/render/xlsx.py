"""Printable workbooks (openpyxl is imported only here, only when an xlsx is asked for)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from zhaoshang.render import show
from zhaoshang.vocabulary.amounts import format_yi
from zhaoshang.vocabulary.columns import Col

YI_FORMAT = "#,##0.00"
INT_FORMAT = "#,##0"
FORMULA_START = ("=", "+", "-", "@")
NUMBER_FORMATS = {"pct": "0.0%", "score": "0.00", "delta": "+0;-0;0", "yi_delta": "+#,##0.00;-#,##0.00;0.00"}


def text_width(text: str) -> int:
    """Display width: CJK and full-width characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def set_cell(cell, value: Any) -> None:  # type: ignore[no-untyped-def]
    """Cells are data, never formulas: text is typed as a string whatever it starts with (= + - @),
    so Excel shows it as typed and evaluates nothing."""
    if isinstance(value, str):
        cell.value = value
        if value.startswith(FORMULA_START):
            cell.data_type = "s"
    else:
        cell.value = value


def cell_value(value: Any, col: Col, lang: str) -> Any:
    if value is None:
        return None
    if col.kind in ("yi", "yi_delta"):
        return float(Decimal(value) / Decimal(10000))
    if col.kind in ("int", "usd", "delta", "pct"):
        return value
    if col.kind == "score" and isinstance(value, (int, float)):
        return round(value * 100, 2)
    return show(value, col.kind, lang)


def add_sheet(wb, name: str, rows: Sequence[dict], columns: Sequence[Col], lang: str,  # type: ignore[no-untyped-def]
              title: str | None = None, total: dict | None = None) -> None:
    """One printable sheet: title row, bold frozen header, autofilter, CJK-fitted widths, A4 landscape."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title=name[:31])
    first = 1
    if title:
        ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
        if len(columns) > 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
        ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
        first = 2
    widths = [text_width(c.label(lang)) for c in columns]
    for j, c in enumerate(columns, 1):
        cell = ws.cell(row=first, column=j, value=c.label(lang))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    body = list(rows) + ([total] if total else [])
    for i, row in enumerate(body, first + 1):
        for j, c in enumerate(columns, 1):
            value = cell_value(row.get(c.key), c, lang)
            cell = ws.cell(row=i, column=j)
            set_cell(cell, value)
            if c.kind == "yi":
                cell.number_format = YI_FORMAT
            elif c.kind in ("int", "usd"):
                cell.number_format = INT_FORMAT
            elif c.kind in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[c.kind]
            if value is not None:
                widths[j - 1] = max(widths[j - 1], text_width(show(row.get(c.key), c.kind, lang)))
        if total is not None and row is total:
            for j in range(1, len(columns) + 1):
                ws.cell(row=i, column=j).font = Font(bold=True)
    for j, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 6), 60)
    ws.freeze_panes = ws.cell(row=first + 1, column=1)
    last = first + len(body)
    ws.auto_filter.ref = f"A{first}:{get_column_letter(len(columns))}{max(last, first)}"
    ws.print_title_rows = f"{first}:{first}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def new_workbook():  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    return wb


def write_listing(out: Path, rows: Sequence[dict], columns: Sequence[Col], lang: str,
                  title: str | None = None) -> None:
    wb = new_workbook()
    add_sheet(wb, title or "Sheet1", rows, columns, lang, title)
    save(wb, out)


def save(wb, out: Path) -> None:  # type: ignore[no-untyped-def]
    """Write to a temporary file beside `out`, then rename: a reader never sees half a workbook."""
    import os
    import tempfile

    out = Path(out)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent or ".")
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- the whole ledger

WIDTH_SAMPLE = 1000  # column widths fit the header and the first rows


def ledger_cell(value: Any, col: Col) -> Any:
    """A ledger value as the cell `zs import` reads back exactly: 亿元 as a number (exact, shown with
    two decimals), day dates as dates, month-only dates as text 2023年6月, labels in Chinese."""
    if value is None:
        return None
    kind = col.kind
    if kind == "yi":
        return float(Decimal(value) / Decimal(10000))
    if kind == "ldate":
        if len(value) == 7:
            return f"{int(value[:4])}年{int(value[5:7])}月"
        import datetime as dt

        return dt.date.fromisoformat(value)
    if kind == "bool":
        return "是" if value else None
    if kind == "yesno":
        return "是" if value else "否"
    if kind in ("int", "usd"):
        return value
    if kind == "text" or kind == "code":
        return _clean_text(value)
    if kind == "raw":
        return _clean_text(value) if isinstance(value, str) else value
    return show(value, kind, "zh")


def _clean_text(value: Any) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = str(value)
    return ILLEGAL_CHARACTERS_RE.sub("", text) if ILLEGAL_CHARACTERS_RE.search(text) else text


def _write_table(wb, name: str, title: str | None, columns: Sequence[Col], rows, count: int,  # type: ignore[no-untyped-def]
                 extra_top: Sequence[str] = ()) -> None:
    """One printable sheet in a write-only workbook, streamed: title row, bold frozen header,
    autofilter, widths that fit CJK text, 亿元 number format, A4 landscape, header row repeated."""
    import itertools

    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title=name[:31])
    rows = iter(rows)
    head = list(itertools.islice(rows, WIDTH_SAMPLE))
    widths = [text_width(c.label("zh")) for c in columns]
    for row in head:
        for j, c in enumerate(columns):
            value = row.get(c.key)
            if value is not None:
                shown = format_yi(value) if c.kind == "yi" else str(ledger_cell(value, c))
                widths[j] = max(widths[j], text_width(shown))
    for j, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 6), 60)
    last = get_column_letter(len(columns))
    # A write-only sheet writes its views when the first row goes out: set them before.
    header_row = (1 if title else 0) + len(extra_top) + 1
    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{last}{header_row + max(count, 1)}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    top = 0
    if title:
        cell = WriteOnlyCell(ws, title)
        cell.font = Font(bold=True, size=14)
        ws.append([cell])
        if len(columns) > 1:
            ws.merged_cells.add(f"A1:{last}1")
        top += 1
    for line in extra_top:
        ws.append([line])
        top += 1
    bold, center = Font(bold=True), Alignment(horizontal="center", vertical="center", wrap_text=True)
    labels = []
    for c in columns:
        cell = WriteOnlyCell(ws, c.label("zh"))
        cell.font, cell.alignment = bold, center
        labels.append(cell)
    ws.append(labels)
    yi = [j for j, c in enumerate(columns) if c.kind == "yi"]
    ints = [j for j, c in enumerate(columns) if c.kind in ("int", "usd")]
    texts = [j for j, c in enumerate(columns) if c.kind in ("text", "code", "raw")]
    keys = [c.key for c in columns]
    for row in itertools.chain(head, rows):
        values = [ledger_cell(row.get(k), c) for k, c in zip(keys, columns, strict=True)]
        for j in yi:
            if values[j] is not None:
                cell = WriteOnlyCell(ws, values[j])
                cell.number_format = YI_FORMAT
                values[j] = cell
        for j in ints:
            if values[j] is not None:
                cell = WriteOnlyCell(ws, values[j])
                cell.number_format = INT_FORMAT
                values[j] = cell
        for j in texts:
            value = values[j]
            if isinstance(value, str) and value.startswith(FORMULA_START):
                cell = WriteOnlyCell(ws, value)
                cell.data_type = "s"
                values[j] = cell
        ws.append(values)


def write_ledger(out: Path, tables: Any) -> None:
    """The whole ledger (services.export.LedgerTables): a sheet per ledger, written atomically."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for table in tables.sheets:
        _write_table(wb, table.name, table.title, table.columns, table.rows(), table.count)
    save(wb, out)


def write_rejected(out: Path, result: Any) -> None:
    """The rows an import rejected, as they were, with a reason column, one sheet per source sheet:
    fix them and import this file. The title keeps the year and the banner the unit of money."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for rej in result.rejected_sheets:
        labels = [label or f"列{j + 1}" for j, label in enumerate(rej.labels)]
        extra = sorted({k for ctx in rej.context.values() for k in ctx})
        columns = [Col(f"c{j}", label, label, "raw") for j, label in enumerate(labels)]
        columns += [Col(k, k, k) for k in extra]
        columns.append(Col("reason", "错误原因", "Reason"))
        rows = []
        for row_no, cells, reason in rej.rows:
            data: dict[str, Any] = {f"c{j}": _cell_text(v) for j, v in enumerate(cells[: len(labels)])}
            data.update(rej.context.get(row_no, {}))
            data["reason"] = f"第 {row_no + 1} 行：{reason}"
            rows.append(data)
        year = f"{rej.banner.year}年 " if rej.banner.year else ""
        banner = [f"单位：{rej.banner.unit}"] if rej.banner.unit else []
        if rej.banner.reporting_unit:
            banner.append(f"填报单位：{rej.banner.reporting_unit}")
        _write_table(wb, rej.sheet, f"{year}{result.file} 被拒绝的行", columns, rows, len(rows), banner)
    save(wb, out)


def _cell_text(value: Any) -> Any:
    import datetime as dt

    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10] if not isinstance(value, dt.datetime) or not value.time() else value.isoformat()
    return value


def _sheet_name(name: str, used: set[str]) -> str:
    clean = "".join("_" if ch in '[]:*?/\\' else ch for ch in name)[:31] or "Sheet"
    candidate, n = clean, 2
    while candidate in used:
        suffix = f"({n})"
        candidate, n = clean[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate)
    return candidate


def write_report(out: Path, report, lang: str) -> None:  # type: ignore[no-untyped-def]
    """A printable workbook: a summary sheet (title, period, the bulletin paragraphs), then one sheet
    per table (title with the period, 合计 row, frozen header, A4 landscape) and per project list."""
    from openpyxl.styles import Alignment, Font

    from zhaoshang.render.report import file_columns, period_line

    wb = new_workbook()
    used: set[str] = set()
    ws = wb.create_sheet(_sheet_name("概要" if lang == "zh" else "Summary", used))
    ws.column_dimensions["A"].width = 110
    set_cell(ws.cell(row=1, column=1), report.title(lang))
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    row = 2
    if line := period_line(report, lang):
        set_cell(ws.cell(row=row, column=1), line)
        row += 1
    for para in report.prose(lang):
        row += 1
        cell = ws.cell(row=row, column=1)
        set_cell(cell, para)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = 15 * (1 + text_width(para) // 105)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    period = f" {line}" if (line := period_line(report, lang)) else ""
    for s in report.sections:
        add_sheet(wb, _sheet_name(s.title(lang), used), s.flat_rows(lang), file_columns(s), lang,
                  f"{report.title(lang)} · {s.title(lang)}{period}", s.flat_total(lang))
    for s in report.lists:
        add_sheet(wb, _sheet_name(s.title(lang), used), s.flat_rows(lang), file_columns(s), lang,
                  f"{report.title(lang)} · {s.title(lang)}{period}")
    save(wb, out)
