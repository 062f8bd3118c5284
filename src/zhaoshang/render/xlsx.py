"""Printable workbooks of reports and listings, written with XlsxWriter (imported only here, only when
an xlsx is asked for). The whole ledger (`zs export`) and an import's rejected rows are streamed by
sheetxml.py instead: a province's ledger is millions of cells.

Every table sheet prints as an office would send it: A4 landscape with margins, the title wrapped
within the table's width, the district and the window with its as-of day under it, the 单位 line on
the right, thin borders, 宋体 in every cell, numbers and dates as real cells with number formats, the
header row repeated on every page, page numbers in the footer; a table that fits on one page at 9 pt
or more is kept whole, a wider one is split across pages between column groups (its first columns
repeated) rather than shrunk; an empty list says 无. Charts are native and have a legend.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from zhaoshang.render import show
from zhaoshang.render.paper import (
    BODY_PT,
    FOOTER,
    HEADED_TOP_IN,
    MARGINS_IN,
    MIN_PT,
    NORMAL_FONT,
    PAGE_WIDTH_PT,
    ROW_PT,
    TABLE_FONT,
    Fit,
    column_pt,
    first_page,
    fit,
    lines_needed,
    page_header,
    sheet_name,
    subtitle,
    text_width,
    unit_line,
    write_whole,
)
from zhaoshang.vocabulary.columns import Col

NUMBER_FORMATS = {"yi": "#,##0.00", "yi_delta": "+#,##0.00;-#,##0.00;0.00", "int": "#,##0", "usd": "#,##0",
                  "delta": "+0;-0;0", "pct": "0.0%", "score": "0.00"}
DAY_FORMAT, MONTH_FORMAT = "yyyy-mm-dd", 'yyyy"年"m"月"'
WRAP_AT = 28  # a text column wider than this wraps its cells
NARROW = 14  # and one this wide still shows 6 characters a line
TITLE_PT, SUB_PT = 16, 11


class Book:
    """An XlsxWriter workbook with the formats every sheet shares (宋体, borders), made once each."""

    def __init__(self, path: Path) -> None:
        import xlsxwriter

        # Text is text: nothing a cell says is taken for a formula, a number or a link.
        self.wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                                                  "strings_to_urls": False})
        self.wb.formats[0].set_font_name(NORMAL_FONT)  # the unit of column widths (paper.NORMAL_FONT)
        self._formats: dict[tuple, Any] = {}
        self.used: set[str] = set()

    def fmt(self, **props: Any) -> Any:
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            self._formats[key] = self.wb.add_format({"font_name": TABLE_FONT, "font_size": BODY_PT,
                                                     "valign": "vcenter", **props})
        return self._formats[key]

    def cell(self, kind: str, *, bold: bool = False, wrap: bool = False) -> Any:
        props: dict[str, Any] = {"border": 1}
        if bold:
            props["bold"] = True
        if wrap:
            props["text_wrap"] = True
        if kind in NUMBER_FORMATS:
            props["num_format"] = NUMBER_FORMATS[kind]
        elif kind in ("date", "month"):
            props["num_format"] = DAY_FORMAT if kind == "date" else MONTH_FORMAT
            props["align"] = "center"
        elif kind in ("code", "stage", "bool", "milestone", "verdict", "problem_status", "unit_kind", "datetime"):
            props["align"] = "center"
        return self.fmt(**props)

    def sheet(self, title: str) -> Any:
        return self.wb.add_worksheet(sheet_name(title, self.used))

    def close(self) -> None:
        self.wb.close()


# --------------------------------------------------------------------------- cells


def cell_value(value: Any, col: Col, lang: str) -> tuple[Any, str]:
    """What a cell holds and how it shows: (value, kind). Numbers stay numbers (money in 亿元, exact
    to the 万元), dates are dates (a month-only date is its first day shown as 2023年6月), the rest
    is the text the other formats show."""
    if value is None:
        return None, col.kind
    kind = col.kind
    if kind in ("yi", "yi_delta") and isinstance(value, int):
        return float(Decimal(value) / Decimal(10000)), kind
    if kind in ("int", "usd", "delta", "pct") and isinstance(value, (int, float)):
        return value, kind
    if kind == "score" and isinstance(value, (int, float)):
        return float((Decimal(repr(float(value))) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)), kind
    if kind == "num" and isinstance(value, (int, float)):
        return value, "num"
    if kind in ("date", "ldate") and isinstance(value, str) and len(value) in (7, 10):
        try:
            day = dt.date.fromisoformat(value if len(value) == 10 else value + "-01")
        except ValueError:
            return value, "text"
        return day, "date" if len(value) == 10 else "month"
    return show(value, kind, lang), kind


def shown_width(value: Any, col: Col, lang: str) -> int:
    if value is None:
        return 0
    if col.kind in ("date", "ldate") and isinstance(value, str):
        return 10
    return max(text_width(line) for line in show(value, col.kind, lang).split("\n"))


def write_cell(ws: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    if value is None:
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        ws.write_string(row, col, value, fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt)
    elif isinstance(value, bool):
        ws.write_string(row, col, show(value, "bool"), fmt)
    else:
        ws.write_number(row, col, value, fmt)


# --------------------------------------------------------------------------- a table on a sheet


def widths_of(rows: Sequence[dict], columns: Sequence[Col], lang: str, least: float = 0) -> list[float]:
    """Column widths in characters: the widest value, the header if short, never under 6; free text
    wraps above WRAP_AT, and narrower (down to NARROW) when that keeps a wide table on the page
    width. `least` widens every column alike up to that total (a chart's table spans the page)."""
    out = []
    for c in columns:
        data = max((shown_width(r.get(c.key), c, lang) for r in rows), default=0)
        head = text_width(c.label(lang))
        width = max(data, min(head, max(data, 8)), 6) + 2
        if c.numeric or c.kind in ("date", "code"):
            width = max(width, min(head, 12) + 2)
        out.append(float(width if _rigid(c) else min(width, WRAP_AT + 2)))
    room = PAGE_WIDTH_PT / (MIN_PT / BODY_PT)
    while sum(column_pt(w) for w in out) > room:
        j = max(range(len(out)), key=lambda k: -1.0 if _rigid(columns[k]) else out[k])
        if _rigid(columns[j]) or out[j] <= NARROW:
            break
        out[j] -= 2
    if least and sum(out) < least:
        out = [w + (least - sum(out)) / len(out) for w in out]
    return out


def _rigid(c: Col) -> bool:
    """Numbers, dates and codes never wrap."""
    return c.numeric or c.kind in ("date", "ldate", "code")


def table_sheet(book: Book, title: str, heading: str, sub: str, columns: Sequence[Col], rows: Sequence[dict],
                lang: str, total: dict | None = None, note: str | None = None, filter_rows: bool = False,
                chart_pt: float = 0) -> Any:
    """One table on a sheet named after `title`: `heading` (the full title), `sub` (district, window,
    as-of), the 单位 line, header, rows, the 合计 row in bold, a note; set up to print. With
    `chart_pt`, a row of that height under the subtitle holds a chart (row 2)."""
    ws = book.sheet(title)
    n = max(len(columns), 1)
    body = [*rows, *([total] if total is not None else [])]
    widths = widths_of(body, columns, lang, least=120 if chart_pt else 0)
    for j, w in enumerate(widths):
        ws.set_column(j, j, w)
    header = 3 if chart_pt else 2
    heights: list[float] = [0.0] * (header + 1)
    # the header row
    head_fmt = book.fmt(bold=True, align="center", text_wrap=True, border=1, bg_color="#EEF2F7")
    for j, c in enumerate(columns):
        ws.write_string(header, j, c.label(lang), head_fmt)
    heights[header] = max(lines_needed(c.label(lang), w) for c, w in zip(columns, widths, strict=True)) * ROW_PT
    # the rows
    r = header + 1
    wraps = [not _rigid(c) and shown_width_max(body, c, lang) > w - 2 for c, w in zip(columns, widths, strict=True)]
    formats = {}
    for row in body:
        bold = total is not None and row is total
        lines = 1
        for j, c in enumerate(columns):
            value, kind = cell_value(row.get(c.key), c, lang)
            key = (kind, bold, wraps[j])
            if key not in formats:
                formats[key] = book.cell(_fmt_kind(kind), bold=bold, wrap=wraps[j])
            write_cell(ws, r, j, value, formats[key])
            if wraps[j] and isinstance(value, str):
                lines = max(lines, lines_needed(value, widths[j]))
        heights.append(lines * ROW_PT)
        r += 1
    if not rows:  # an empty list says so
        _merged(ws, r, n, "无" if lang == "zh" else "None", book.fmt(border=1, align="center"))
        heights.append(ROW_PT)
        r += 1
    plan = fit(widths, heights, columns)
    shown = first_page(plan, n)  # the title and the subtitle stay on the first page
    chars = sum(widths[:shown])
    # title, wrapped within the (first page of the) table's width
    title_fmt = book.fmt(bold=True, font_size=TITLE_PT, align="center", text_wrap=True)
    _merged(ws, 0, shown, heading, title_fmt)
    heights[0] = lines_needed(heading, chars * BODY_PT / TITLE_PT) * TITLE_PT * 1.45
    # district and window on the left, 单位 on the right
    unit = unit_line(columns, lang)
    sub_fmt = book.fmt(font_size=SUB_PT, text_wrap=True)
    right = 2 if shown >= 5 and unit else 0
    left_text = sub if right or not unit else ("　".join(p for p in (sub, unit) if p))
    _merged(ws, 1, shown - right, left_text, sub_fmt)
    if right:
        _merged(ws, 1, right, unit, book.fmt(font_size=SUB_PT, align="right"), first=shown - right)
    heights[1] = lines_needed(left_text, sum(widths[: shown - right])) * ROW_PT
    if chart_pt:
        heights[2] = chart_pt
    if note:
        r += 1
        _merged(ws, r, n, note, book.fmt(text_wrap=True, valign="top"))
        heights += [0, lines_needed(note, chars) * ROW_PT]
    for i, h in enumerate(heights):
        if h:
            ws.set_row(i, h)
    ws.freeze_panes(header + 1, 0)
    if filter_rows and rows:
        ws.autofilter(header, 0, header + len(rows), n - 1)
    page_setup(ws, plan, header)
    if plan.mode == "columns":  # the title goes to the page header; the print starts at the table's header
        ws.set_header(page_header(heading, sub, unit), {"margin": 0.3})
        ws.set_margins(**{**MARGINS_IN, "top": HEADED_TOP_IN})
        ws.print_area(header, 0, max(r - 1, header), n - 1)
    return ws


def shown_width_max(rows: Sequence[dict], c: Col, lang: str) -> int:
    return max((shown_width(r.get(c.key), c, lang) for r in rows), default=0)


def _fmt_kind(kind: str) -> str:
    return "date" if kind == "ldate" else kind


def _merged(ws: Any, row: int, width: int, text: str | None, fmt: Any, first: int = 0) -> None:
    if width > 1:
        ws.merge_range(row, first, row, first + width - 1, text or "", fmt)
    else:
        ws.write_string(row, first, text or "", fmt)


def page_setup(ws: Any, plan: Fit, header: int) -> None:
    """A4 landscape, margins, the header row on every page, page numbers, and the fit paper.fit
    chose: whole on a page, fitted to the page width, or split between column groups."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(**MARGINS_IN)
    ws.repeat_rows(header)
    ws.set_footer(FOOTER, {"margin": 0.3})
    ws.center_horizontally()
    if plan.mode == "whole":
        ws.fit_to_pages(1, 1)
    elif plan.mode == "width":
        ws.fit_to_pages(1, 0)
    else:
        if plan.key:
            ws.repeat_columns(0, plan.key - 1)
        ws.set_v_pagebreaks(plan.breaks)
        ws.print_across()  # a row's pages one after another


# --------------------------------------------------------------------------- charts


def figure_sheet(book: Book, fig: Any, lang: str, sub: str) -> None:
    """A chart (native, with its legend) over the table of its figures, on a sheet of its own."""
    cat = Col("category", "单位" if fig.kind == "column" else "月份", "Unit" if fig.kind == "column" else "Month")
    series = [*fig.series, *([fig.line] if fig.line is not None else [])]
    columns = [cat, *(Col(f"s{i}", s.zh, s.en, s.kind) for i, s in enumerate(series))]
    rows = [{"category": name, **{f"s{i}": s.values[k] for i, s in enumerate(series)}}
            for k, name in enumerate(fig.categories(lang))]
    chart_pt = 300.0
    ws = table_sheet(book, fig.title(lang), fig.title(lang), sub, columns, rows, lang, chart_pt=chart_pt)
    ws_name = ws.get_name()
    first, last = 4, 4 + len(rows) - 1
    chart = book.wb.add_chart({"type": "column" if fig.kind == "column" else "line"})
    font = {"name": TABLE_FONT, "size": 10}
    colours = ["#2E75B6", "#ED7D31", "#70AD47", "#7F7F7F"]
    for i, s in enumerate(fig.series):
        spec: dict[str, Any] = {"name": s.zh if lang == "zh" else s.en,
                                "categories": [ws_name, first, 0, last, 0],
                                "values": [ws_name, first, 1 + i, last, 1 + i]}
        if fig.kind == "column":
            spec["fill"] = {"color": colours[i % len(colours)]}
            spec["gap"] = 80
        else:
            spec["line"] = {"color": colours[i % len(colours)], "width": 2.25}
            spec["marker"] = {"type": "circle", "size": 5, "fill": {"color": colours[i % len(colours)]},
                              "border": {"color": colours[i % len(colours)]}}
        chart.add_series(spec)
    if fig.line is not None:
        line = book.wb.add_chart({"type": "line"})
        k = 1 + len(fig.series)
        line.add_series({"name": fig.line.zh if lang == "zh" else fig.line.en,
                         "categories": [ws_name, first, 0, last, 0], "values": [ws_name, first, k, last, k],
                         "line": {"color": "#1A237E", "width": 2, "dash_type": "dash"}})
        chart.combine(line)
    pct = all(s.kind == "pct" for s in series)
    chart.set_title({"name": fig.title(lang), "name_font": {**font, "size": 12, "bold": True}})
    chart.set_legend({"position": "bottom", "font": font})
    chart.set_x_axis({"num_font": {**font, "rotation": -45 if len(rows) > 12 else 0}})
    chart.set_y_axis({"num_font": font, "num_format": "0%" if pct else "0", "major_gridlines": {
        "visible": True, "line": {"color": "#D9D9D9"}}, "min": 0})
    chart.set_size({"width": int(PAGE_WIDTH_PT / 0.75) - 40, "height": int(chart_pt / 0.75) - 8})
    ws.insert_chart(2, 0, chart, {"x_offset": 4, "y_offset": 4, "object_position": 3})
    ws.fit_to_pages(1, 0)


# --------------------------------------------------------------------------- documents


def write_listing(out: Path, rows: Sequence[dict], columns: Sequence[Col], lang: str,
                  title: str | None = None) -> None:
    def write(path: Path) -> None:
        book = Book(path)
        name = title or ("清单" if lang == "zh" else "List")
        table_sheet(book, name, name, "", columns, rows, lang, filter_rows=True)
        book.close()

    write_whole(out, write)


def write_report(out: Path, report: Any, lang: str) -> None:
    """A printable workbook: a summary sheet (title, district, window, the bulletin paragraphs), then a
    sheet per table, per chart and per project list."""
    from zhaoshang.render.report import file_columns, period_line

    def write(path: Path) -> None:
        book = Book(path)
        sub = subtitle(report.district, period_line(report, lang) or as_of_line(report, lang), lang)
        summary(book, report, lang, sub)
        for s in report.sections:
            table_sheet(book, s.title(lang), heading(report, s.title(lang), lang), sub, file_columns(s),
                        s.flat_rows(lang), lang, s.flat_total(lang), s.note(lang))
        for fig in figures(report):
            figure_sheet(book, fig, lang, sub)
        for s in report.lists:
            count = f"（{len(s.rows)}）" if lang == "zh" else f" ({len(s.rows)})"
            table_sheet(book, s.title(lang), heading(report, s.title(lang) + count, lang), sub, file_columns(s),
                        s.flat_rows(lang), lang, note=s.note(lang), filter_rows=True)
        book.close()

    write_whole(out, write)


def heading(report: Any, title: str, lang: str) -> str:
    """A table's full title: the report's, then the table's without the window the report's names."""
    label = report.period.label(lang) if report.period is not None else None
    for sep in ("：", ": "):
        if label and title.endswith(sep + label):
            title = title[: -len(label) - len(sep)]
    return f"{report.title(lang)}{'：' if lang == 'zh' else ' — '}{title}"


def figures(report: Any) -> list[Any]:
    """The report's charts: the progress chart first (as columns with the time progress as a line)."""
    out = []
    if report.chart is not None and report.chart.bars:
        out.append(report.chart.figure())
    return out + list(report.figures)


def as_of_line(report: Any, lang: str) -> str | None:
    if report.as_of is None:
        return None
    day = report.as_of
    return f"As of {day}" if lang == "en" else f"截至{day.year}年{day.month}月{day.day}日"


def summary(book: Book, report: Any, lang: str, sub: str) -> None:
    ws = book.sheet("概要" if lang == "zh" else "Summary")
    chars = 120
    ws.set_column(0, 0, chars)
    ws.write_string(0, 0, report.title(lang), book.fmt(bold=True, font_size=TITLE_PT, align="center"))
    ws.set_row(0, TITLE_PT * 1.6)
    ws.write_string(1, 0, sub, book.fmt(align="center"))
    row = 3
    para = book.fmt(text_wrap=True, valign="top")
    for text in report.prose(lang):
        ws.write_string(row, 0, text, para)
        ws.set_row(row, lines_needed(text, chars) * ROW_PT + 4)
        row += 1
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(**MARGINS_IN)
    ws.set_footer(FOOTER, {"margin": 0.3})
    ws.fit_to_pages(1, 0)
