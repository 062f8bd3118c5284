"""The only place that formats: a listing (columns + rows of plain data) in any output format.

JSON is the rows themselves (stable English keys, ISO dates, integer money). Every other format shows
labels in the chosen language and money in 亿元 with two decimals.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from zhaoshang.vocabulary.amounts import format_yi
from zhaoshang.vocabulary.columns import Col
from zhaoshang.vocabulary.figures import half_up, percent
from zhaoshang.vocabulary.labels import METRIC_ZH, MILESTONE_ZH, PROBLEM_STATUS_ZH, UNIT_KIND_ZH
from zhaoshang.vocabulary.stages import STAGE_ZH
from zhaoshang.vocabulary.verdicts import VERDICT_ZH

WRAPPING = ("text",)  # only free text wraps in a narrow terminal; codes, dates and numbers never do


def show(value: Any, kind: str, lang: str = "zh") -> str:
    """A value as text for table, md and csv."""
    if value is None:
        return ""
    if kind == "yi":
        return format_yi(value)
    if kind == "stage":
        return value if lang == "en" else STAGE_ZH.get(value, value)
    if kind == "datetime":
        return str(value)[:16].replace("T", " ")
    if kind == "milestone":
        return value if lang == "en" else MILESTONE_ZH.get(value, value)
    if kind == "unit_kind":
        return value if lang == "en" else UNIT_KIND_ZH.get(value, value)
    if kind == "metric":
        return value if lang == "en" else METRIC_ZH.get(value, value)
    if kind == "verdict":
        return value if lang == "en" else VERDICT_ZH.get(value, value)
    if kind == "problem_status":
        return value if lang == "en" else PROBLEM_STATUS_ZH.get(value, value)
    if kind == "names":
        return (", " if lang == "en" else "、").join(value)
    if kind == "bool":
        return ("yes" if value else "") if lang == "en" else ("是" if value else "")
    if kind in ("int", "usd") and isinstance(value, int):
        return f"{value:,}"
    if kind == "pct" and isinstance(value, (int, float)):
        return percent(value)
    if kind == "score" and isinstance(value, (int, float)):
        return half_up(value, 2, 2)
    if kind == "delta" and isinstance(value, int):
        return f"{value:+d}" if value else "0"
    if kind == "i18n" and isinstance(value, (tuple, list)):  # a (zh, en) pair
        return str(value[1] if lang == "en" else value[0])
    if kind == "yi_delta" and isinstance(value, int):
        return ("+" if value > 0 else "") + format_yi(value)
    return str(value)


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def csv_cell(value: Any, col: Col, lang: str) -> str:
    """A CSV field: figures without thousands separators; text that a spreadsheet would take for a
    formula (= + - @ first) gets a leading apostrophe, as OWASP advises (DESIGN §8)."""
    text = show(value, col.kind, lang)
    if col.numeric:
        return text.replace(",", "")
    if len(text) > 1 and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def to_csv(rows: Sequence[dict], columns: Sequence[Col], lang: str) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([c.label(lang) for c in columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(c.key), c, lang) for c in columns])
    return buf.getvalue()


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_md(rows: Sequence[dict], columns: Sequence[Col], lang: str, title: str | None = None) -> str:
    lines = [f"## {title}", ""] if title else []
    lines.append("| " + " | ".join(_md_cell(c.label(lang)) for c in columns) + " |")
    lines.append("|" + "|".join("---:" if c.numeric else "---" for c in columns) + "|")
    for row in rows:
        lines.append("| " + " | ".join(_md_cell(show(row.get(c.key), c.kind, lang)) for c in columns) + " |")
    return "\n".join(lines) + "\n"


def rich_table(rows: Sequence[dict], columns: Sequence[Col], lang: str, title: str | None = None):  # type: ignore[no-untyped-def]
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, box=box.SIMPLE_HEAD, header_style="bold", title_style="bold",
                  pad_edge=False, show_edge=False)
    columns = _shown(rows, columns)
    for c in columns:
        table.add_column(c.label(lang), justify="right" if c.numeric else "left",
                         no_wrap=c.kind not in WRAPPING, overflow="fold", min_width=6 if c.kind in WRAPPING else None)
    for row in rows:  # cells are data, never Rich markup: "[red]" in a name stays as typed
        table.add_row(*(Text(show(row.get(c.key), c.kind, lang)) for c in columns))
    return table


def _shown(rows: Sequence[dict], columns: Sequence[Col]) -> list[Col]:
    return [c for c in columns if not c.optional or any(row.get(c.key) for row in rows)]


def plain_lines(rows: Sequence[dict], columns: Sequence[Col], lang: str, title: str | None = None) -> list[str] | None:
    """rich_table's lines at natural width, laid out without Rich (None when it cannot)."""
    from zhaoshang.render.plain import PlainTable

    cols = _shown(rows, columns)
    return PlainTable(headers=[c.label(lang) for c in cols], right=[c.numeric for c in cols],
                      rows=[[show(row.get(c.key), c.kind, lang) for c in cols] for row in rows],
                      min_widths=[6 if c.kind in WRAPPING else None for c in cols], title=title).lines()


def console(file: Any = None, width: int | None = None):  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(file=file or sys.stdout, width=width, highlight=False, soft_wrap=False)


def print_table(renderable: Any, file: Any = None, width: int | None = None) -> None:
    """At a terminal a table fits the window; into a pipe or a file it keeps its natural width, so
    nothing wraps in a log or an e-mail."""
    con = console(file, width)
    if width is None and not con.is_terminal:
        from rich.measure import Measurement
        from rich.table import Table

        wide = console(file, 10_000)
        if isinstance(renderable, Table) and not renderable.expand:
            # A table that does not expand prints at its natural width on a wide console; measuring
            # it first would lay out every cell twice (a third of a 100-row listing's time).
            wide.print(renderable)
            return
        natural = Measurement.get(wide, wide.options, renderable).maximum
        con = console(file, max(80, natural))
    con.print(renderable)


# Columns a narrow terminal leaves out first (rightmost of them first): the listing stays one line a
# project, codes, names, amounts, units, stages and dates whole; the files carry every column.
DROPPABLE = ("investor", "investment_usd_wan", "chain", "marshal", "source_region", "sector", "note", "leader",
             "destination", "reviewer", "resolution", "raised_on", "ready_on", "produced_on")


def _natural(table: Any) -> int:
    from rich.measure import Measurement

    wide = console(None, 10_000)
    return Measurement.get(wide, wide.options, table).maximum


def _fit_terminal(table: Any, rows: Sequence[dict], columns: Sequence[Col], lang: str,
                  title: str | None) -> Any:
    """At a terminal narrower than the table, leave out DROPPABLE columns until it fits, and say
    which on stderr. A table that still does not fit has its names and text wrapped to the window
    (render/fit.py; lines to print instead of a table); no figure is ever cut."""
    from zhaoshang.render.report import _needed

    width = console().width
    shown = _shown(rows, columns)
    left_out: list[Col] = []
    while _needed(table) > width:
        droppable = [c for c in shown if c.key in DROPPABLE]
        if not droppable:
            break
        drop = max(droppable, key=lambda c: (DROPPABLE.index(c.key) <= 2, shown.index(c)))
        shown.remove(drop)
        left_out.append(drop)
        table = rich_table(rows, shown, lang, title)
    if _natural(table) > width:  # still too wide: names and text wrap, evenly (figures never do)
        from zhaoshang.render.fit import fit_section
        from zhaoshang.reports.model import Section

        fitted = fit_section(Section("listing", title or "", title or "", list(shown), list(rows)), lang, width,
                             shown)
        if fitted is not None:
            left_out += fitted.left_out
            table = [*([title] if title else []), *fitted.lines]
    if left_out:
        from zhaoshang.render.fit import notice

        print(notice(left_out, lang), file=sys.stderr)
    return table


def emit(rows: Sequence[dict], columns: Sequence[Col], *, fmt: str = "table", out: Path | None = None,
         lang: str = "zh", title: str | None = None, data: Any = None) -> None:
    """Write one listing to stdout or `out`. `data` overrides what JSON prints (default: the rows)."""
    if fmt == "json":
        _write(to_json(list(rows) if data is None else data), out)
    elif fmt == "csv":
        _write(to_csv(rows, columns, lang), out, bom=out is not None)
    elif fmt == "md":
        _write(to_md(rows, columns, lang, title), out)
    elif fmt == "xlsx":
        from zhaoshang.render.xlsx import write_listing

        assert out is not None
        write_listing(out, rows, columns, lang, title)
    elif fmt == "html":
        from zhaoshang.render.html import listing_html

        _write(listing_html(rows, columns, lang, title), out)
    else:
        lines = None if out is None and sys.stdout.isatty() else plain_lines(rows, columns, lang, title)
        if lines is not None:  # a pipe or a file: the same lines Rich would print, without Rich
            _write("\n".join(lines) + "\n", out)
            return
        table = rich_table(rows, columns, lang, title)
        if out is None:
            table = _fit_terminal(table, rows, columns, lang, title)
            if isinstance(table, list):  # lines laid out to the window's width
                con = console()
                for line in table:
                    con.print(line, crop=False, overflow="ignore")
            else:
                print_table(table)
        else:
            with out.open("w", encoding="utf-8") as fh:
                print_table(table, fh)


def _write(text: str, out: Path | None, bom: bool = False) -> None:
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        out.write_text(text, encoding="utf-8-sig" if bom else "utf-8")
