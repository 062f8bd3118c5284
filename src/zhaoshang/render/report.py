"""A Report in every format: terminal table, md, csv, json, xlsx, html and text (the prose)."""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhaoshang.render import _md_cell, _write, console, csv_cell, show, to_json
from zhaoshang.vocabulary.columns import Col

if TYPE_CHECKING:
    from zhaoshang.render.plain import PlainTable
    from zhaoshang.reports.model import Report, Section

# In a terminal these columns are left out when no row has a value.
TERMINAL_OPTIONAL = frozenset({"investment_usd_wan", "marshal", "signed_on", "ready_on", "started_on", "produced_on",
                               "planned_on"})
# Kinds only a terminal shows: progress bars, "3/5" pairs of actual and target.
TERMINAL_KINDS = ("bar", "pair")
# Free text wraps in a narrow terminal; names of units and chains, codes, dates and numbers never do.
WRAP_KEYS = frozenset({"name", "investor", "destination", "leader", "note", "text", "failed", "missing"})


def file_columns(section: Section) -> list[Col]:
    """The columns a file shows: all but the terminal's progress bars and "完成/目标" pairs (a file
    has each as two columns of numbers), labels on one line."""
    return [plain(c) for c in section.columns if c.kind not in TERMINAL_KINDS]


def bar(progress: float | None, marker: float | None, ahead: bool | None, width: int = 20):  # type: ignore[no-untyped-def]
    """A progress bar with a marker at the time progress: green when ahead, red when behind."""
    from rich.text import Text

    text = Text()
    if progress is None:
        return text
    filled = round(min(max(progress, 0.0), 1.0) * width)
    at = None if marker is None else min(width - 1, max(0, round(marker * width) - 1 if marker > 0 else 0))
    colour = "green" if ahead else "red"
    for i in range(width):
        if i == at:
            text.append("┃", style="bold bright_blue")
        elif i < filled:
            text.append("━", style=colour)
        else:
            text.append("─", style="bright_black")
    return text


def plain(col: Col) -> Col:
    """A column whose labels have no terminal line breaks (for md, csv, html, xlsx)."""
    return replace(col, zh=col.zh.replace("\n", ""), en=col.en.replace("\n", " "))


def period_line(report: Report, lang: str) -> str | None:
    p = report.period
    if p is None:
        return None
    if lang == "en":
        return f"Window {p.start} – {p.end}, as of {p.cutoff}"
    return f"统计期 {p.start} 至 {p.end}，截至 {p.cutoff}"


def empty_text(lang: str) -> str:
    return "(none)" if lang == "en" else "（无）"


def terminal_columns(section: Section) -> list[Col]:
    cols = section.columns
    if section.terminal is not None:
        by_key = {c.key: c for c in cols}
        cols = [by_key[k] for k in section.terminal if k in by_key]
    return [replace(c, optional=True) if c.key in TERMINAL_OPTIONAL else c for c in cols]


def rich_section(section: Section, lang: str, columns: list[Col] | None = None):  # type: ignore[no-untyped-def]
    """A Rich table with the 合计 row set apart and bold; CJK widths are Rich's own."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    rows = section.flat_rows(lang)
    total = section.flat_total(lang)
    cols = [c for c in (columns or terminal_columns(section))
            if not c.optional or any(r.get(c.key) for r in [*rows, *([total] if total else [])])]
    table = Table(box=box.SIMPLE, header_style="bold", footer_style="bold", pad_edge=False, show_edge=False,
                  show_footer=total is not None)
    for c in cols:
        wraps = c.key in WRAP_KEYS
        table.add_column(c.label(lang), justify="right" if c.numeric else "left", no_wrap=not wraps,
                         overflow="fold", min_width=8 if wraps else None,
                         footer=Text(show(total.get(c.key), c.kind, lang)) if total is not None else "")
    for row, source in zip(rows, section.rows, strict=True):  # cells are data, never Rich markup
        table.add_row(*(bar(row.get(c.key), section.marker, source.get("ahead")) if c.kind == "bar"
                        else Text(show(row.get(c.key), c.kind, lang)) for c in cols))
    return table


def plain_section(section: Section, lang: str) -> PlainTable | None:
    """The same table as rich_section, for plain_lines (None when it has progress bars)."""
    from zhaoshang.render.plain import PlainTable

    rows = section.flat_rows(lang)
    total = section.flat_total(lang)
    cols = [c for c in terminal_columns(section)
            if not c.optional or any(r.get(c.key) for r in [*rows, *([total] if total else [])])]
    if any(c.kind == "bar" for c in cols):
        return None
    return PlainTable(
        headers=[c.label(lang) for c in cols], right=[c.numeric for c in cols],
        rows=[[show(row.get(c.key), c.kind, lang) for c in cols] for row in rows],
        min_widths=[8 if c.key in WRAP_KEYS else None for c in cols],
        footer=[show(total.get(c.key), c.kind, lang) for c in cols] if total is not None else None,
    )


class _Table:
    """A section to print: laid out plainly when it goes to a pipe or a file at its natural width,
    else by Rich."""

    def __init__(self, section: Section, lang: str) -> None:
        self.section, self.lang = section, lang
        self._lines: list[str] | bool | None = False
        self._rich: Any = None

    def lines(self) -> list[str] | None:
        if self._lines is False:
            table = plain_section(self.section, self.lang)
            self._lines = table.lines() if table is not None else None
        return self._lines  # type: ignore[return-value]

    def rich(self) -> Any:
        if self._rich is None:
            self._rich = rich_section(self.section, self.lang)
        return self._rich

    def fit(self, width: int) -> Any:
        from zhaoshang.render.fit import fit_section

        rows = self.section.flat_rows(self.lang)
        total = self.section.flat_total(self.lang)
        cols = [c for c in terminal_columns(self.section)
                if not c.optional or any(r.get(c.key) for r in [*rows, *([total] if total else [])])]
        return fit_section(self.section, self.lang, width, cols)

    def natural(self) -> int:
        from rich.cells import cell_len
        from rich.measure import Measurement

        lines = self.lines()
        if lines is not None:
            return max(cell_len(line) for line in lines)
        wide = console(None, 10_000)
        return Measurement.get(wide, wide.options, self.rich()).maximum


LIST_LIMIT = 50  # rows of a project list the terminal shows; the files carry every row


def print_report(report: Report, file: Any = None, width: int | None = None, lang: str = "zh",
                 limit: int | None = LIST_LIMIT) -> None:
    """The terminal form: title, period, prose, each section, each list (with its count; at most
    `limit` rows of a list, None or 0 for all, with a line saying how many more there are).

    At a terminal it fits the window; into a pipe or a file it takes the width of its widest table
    (at most 160 columns) and strips trailing blanks. A table that cannot fit without cutting a
    number or a name is printed at its own minimum width instead: never a truncated figure."""
    from rich.text import Text

    target = file or sys.stdout
    con = console(target, width)
    live = con.is_terminal and width is None
    renderables: list[Any] = [Text(report.title(lang), style="bold")]
    if line := period_line(report, lang):
        renderables.append(line)
    for para in report.prose(lang):
        renderables += ["", para]
    for s in [*report.sections, *report.lists]:
        title = s.title(lang)
        if s in report.lists:
            title += f"（{len(s.rows)}）" if lang == "zh" else f" ({len(s.rows)})"
        if not s.rows:
            renderables += ["", Text.assemble((title, "bold"), " ", empty_text(lang))]
            if note := s.note(lang):
                renderables.append(note)
            continue
        shown = s
        if limit and s in report.lists and len(s.rows) > limit:
            shown = replace(s, rows=s.rows[:limit])
        renderables += ["", Text(title, style="bold"), _Table(shown, lang)]
        if shown is not s:
            more = len(s.rows) - limit  # type: ignore[operator]
            renderables.append(
                f"… and {more} more (every row: --format csv, xlsx, md or json, or --limit 0)" if lang == "en"
                else f"……另有 {more} 个未显示（完整名单：--format csv、xlsx、md 或 json，或 --limit 0）")
        if note := s.note(lang):
            renderables.append(note)
    unwrapped = width is None and not live  # into a pipe or a file: prose stays one line a paragraph
    if unwrapped:
        natural = max([80, *(r.natural() for r in renderables if isinstance(r, _Table))])
        width = min(natural, 160)
    out = io.StringIO()
    for r in renderables:
        if unwrapped and isinstance(r, (str, Text)):
            out.write((r.plain if isinstance(r, Text) else r) + "\n")
            continue
        w = width or con.width
        if isinstance(r, _Table):
            lines = r.lines() if not live else None
            if lines is not None and r.natural() <= w:
                out.write("\n".join(lines) + "\n")
                continue
            if r.natural() > w and (fitted := r.fit(w)) is not None:  # wrap and narrow, never cut a figure
                if fitted.left_out:
                    from zhaoshang.render.fit import notice

                    sys.stderr.write(notice(fitted.left_out, lang) + "\n")
                if live:
                    for text in fitted.lines:
                        con.print(text, crop=False, overflow="ignore")
                else:
                    out.write("\n".join(text.plain for text in fitted.lines) + "\n")
                continue
            r = r.rich()
            w = max(w, _needed(r))
        elif live and isinstance(r, str) and r:  # prose: wrapped here, so no line starts with "，"
            from zhaoshang.render.fit import wrap

            target.write("\n".join(wrap(r, con.width)) + "\n")
            continue
        if live and w == con.width:
            con.print(r)
            continue
        buf = console(out if not live else None, w)
        if live:
            with buf.capture() as cap:
                buf.print(r)
            target.write(cap.get())
        else:
            buf.print(r)
    if not live:
        target.write("\n".join(line.rstrip() for line in out.getvalue().split("\n")))
        target.flush()


def _needed(table: Any) -> int:
    """The narrowest a table can be without cutting a figure or a name: its unwrapped columns at full
    width, wrapping columns (project names, investors …) at their minimum, plus the gaps."""
    from rich.cells import cell_len

    total = 0
    for column in table.columns:
        if column.no_wrap:
            cells = [*column.cells, column.header, column.footer]
            total += max((cell_len(line) for c in cells for line in str(c).split("\n")), default=0)
        else:
            total += column.min_width or 1
    return total + 3 * max(0, len(table.columns) - 1)  # padding on both sides and the divider


def _md_table(section: Section, lang: str) -> list[str]:
    cols = file_columns(section)
    lines = ["| " + " | ".join(_md_cell(c.label(lang)) for c in cols) + " |",
             "|" + "|".join("---:" if c.numeric else "---" for c in cols) + "|"]
    body = section.flat_rows(lang) + ([section.flat_total(lang)] if section.total is not None else [])  # type: ignore[list-item]
    for i, row in enumerate(body):
        cells = [_md_cell(show(row.get(c.key), c.kind, lang)) for c in cols]
        if section.total is not None and i == len(body) - 1:
            cells = [f"**{x}**" if x else x for x in cells]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def to_md(report: Report, lang: str) -> str:
    lines = [f"# {report.title(lang)}", ""]
    if line := period_line(report, lang):
        lines += [line, ""]
    for para in report.prose(lang):
        lines += [para, ""]
    for s in report.sections:
        lines += [f"## {s.title(lang)}", "", *_md_table(s, lang), ""]
        if note := s.note(lang):
            lines += [note, ""]
    for s in report.lists:
        count = f"（{len(s.rows)}）" if lang == "zh" else f" ({len(s.rows)})"
        lines += [f"## {s.title(lang)}{count}", ""]
        lines += [*_md_table(s, lang), ""] if s.rows else [empty_text(lang), ""]
        if note := s.note(lang):
            lines += [note, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def to_csv(report: Report, lang: str) -> str:
    """Every section and list one after another, each under its title, a blank line between."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([report.title(lang)])
    if line := period_line(report, lang):
        writer.writerow([line])
    for s in [*report.sections, *report.lists]:
        writer.writerow([])
        writer.writerow([s.title(lang)])
        cols = file_columns(s)
        writer.writerow([c.label(lang) for c in cols])
        body = s.flat_rows(lang) + ([s.flat_total(lang)] if s.total is not None else [])  # type: ignore[list-item]
        for row in body:
            writer.writerow([csv_cell(row.get(c.key), c, lang) for c in cols])
    return buf.getvalue()


def to_text(report: Report, lang: str) -> str:
    paragraphs = report.prose(lang) or [report.title(lang)]
    return "\n\n".join(paragraphs) + "\n"


def emit_report(report: Report, fmt: str, out: Path | None = None, lang: str = "zh",
                limit: int | None = LIST_LIMIT) -> None:
    if fmt == "json":
        _write(to_json(report.json()), out)
    elif fmt == "csv":
        _write(to_csv(report, lang), out, bom=out is not None)
    elif fmt == "md":
        _write(to_md(report, lang), out)
    elif fmt == "text":
        _write(to_text(report, lang), out)
    elif fmt == "xlsx":
        from zhaoshang.render.xlsx import write_report

        assert out is not None
        write_report(out, report, lang)
    elif fmt == "html":
        from zhaoshang.render.html import report_html

        _write(report_html(report, lang), out)
    elif fmt == "docx":
        from zhaoshang.render.docx import write_bulletin

        assert out is not None
        write_bulletin(out, report, lang)
    elif out is None:
        print_report(report, sys.stdout, lang=lang, limit=limit)
    else:
        with out.open("w", encoding="utf-8") as fh:
            print_report(report, fh, lang=lang, limit=limit)
