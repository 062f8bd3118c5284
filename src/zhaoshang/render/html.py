"""Self-contained HTML: inline CSS, no scripts, no external assets."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from zhaoshang.render import show
from zhaoshang.vocabulary.columns import Col
from zhaoshang.vocabulary.figures import percent

STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2em;color:#222}
h1{font-size:1.4em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.6em}p.sub{color:#444;margin-top:0}
table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid #bbb;padding:.25em .6em}th{background:#eef2f7}
td.n{text-align:right;font-variant-numeric:tabular-nums}tr.total td{font-weight:bold;background:#f7f7f7}
td.n,td.k{white-space:nowrap}p.unit{text-align:right;margin:.2em 0;font-size:.9em}
figure{margin:1em 0}
@page{size:A4 landscape;margin:12mm 10mm}
@media print{
body{margin:0;font-size:9pt;font-family:"SimSun","宋体","Songti SC","Noto Serif CJK SC",serif}
section{break-before:page}section:first-of-type{break-before:auto}
thead{display:table-header-group}tr{break-inside:avoid}h2{break-after:avoid}figure{break-inside:avoid}
th,td{padding:.15em .35em}table{width:100%}
}
"""
# Kinds whose text never wraps: a code, a date or a stage word split over two lines is misread.
NO_WRAP = ("code", "date", "ldate", "stage", "bool", "milestone", "verdict", "unit_kind", "problem_status", "datetime")


def page(title: str, body: str, sub: str | None = None) -> str:
    line = f'<p class="sub">{escape(sub)}</p>\n' if sub else ""
    return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>{escape(title)}</title>\n'
            f"<style>{STYLE}</style>\n</head>\n<body>\n<h1>{escape(title)}</h1>\n{line}{body}\n</body>\n</html>\n")


def table_html(rows: Sequence[dict], columns: Sequence[Col], lang: str, total: dict | None = None) -> str:
    head = "".join(f"<th>{escape(c.label(lang))}</th>" for c in columns)
    lines = [f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>"]
    for row in [*rows, *([total] if total else [])]:
        cells = "".join(
            f'<td class="n">{escape(show(row.get(c.key), c.kind, lang))}</td>' if c.numeric
            else f'<td class="k">{escape(show(row.get(c.key), c.kind, lang))}</td>' if c.kind in NO_WRAP
            else f"<td>{escape(show(row.get(c.key), c.kind, lang))}</td>"
            for c in columns
        )
        cls = ' class="total"' if total is not None and row is total else ""
        lines.append(f"<tr{cls}>{cells}</tr>")
    lines.append("</tbody>\n</table>")
    return "\n".join(lines)


def listing_html(rows: Sequence[dict], columns: Sequence[Col], lang: str, title: str | None = None) -> str:
    return page(title or "zs", table_html(rows, columns, lang))


def chart_svg(chart, lang: str) -> str:  # type: ignore[no-untyped-def]
    """Task progress against time per unit: one bar per unit (green ahead, red behind) and a dashed
    line at the time progress. Inline SVG: no script, no external asset."""
    label_w, bar_w, row_h, top = 170, 420, 22, 30
    scale = max([1.0, *((p or 0) for _, p, _ in chart.bars)])
    scale = min(scale, 1.5)
    height = top + row_h * len(chart.bars) + 30
    width = label_w + bar_w + 80
    title = chart.title_en if lang == "en" else chart.title_zh
    parts = [f'<svg width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
             'font-family="Noto Sans CJK SC, Microsoft YaHei, sans-serif" font-size="12">',
             f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>']
    for i, (label, progress, ahead) in enumerate(chart.bars):
        y = top + i * row_h
        parts.append(f'<text x="{label_w - 8}" y="{y + 14}" text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="{row_h - 8}" fill="#eceff3"/>')
        if progress is not None:
            w = min(progress, scale) / scale * bar_w
            colour = "#2e7d32" if ahead else "#c62828"
            parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" fill="{colour}"/>')
            parts.append(f'<text x="{label_w + bar_w + 6}" y="{y + 14}">{percent(progress)}</text>')
        else:
            parts.append(f'<text x="{label_w + bar_w + 6}" y="{y + 14}" fill="#888">—</text>')
    if chart.time_progress is not None:
        x = label_w + min(chart.time_progress, scale) / scale * bar_w
        bottom = top + row_h * len(chart.bars)
        marker = "time" if lang == "en" else "时间进度"
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{bottom}" stroke="#1a237e" '
                     'stroke-width="2" stroke-dasharray="4 3"/>')
        parts.append(f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" fill="#1a237e">'
                     f'{marker} {percent(chart.time_progress)}</text>')
    parts.append(_legend(0, height - 6, [
        ("#2e7d32", "任务进度超过时间进度" if lang == "zh" else "Ahead of time", "box"),
        ("#c62828", "任务进度落后于时间进度" if lang == "zh" else "Behind time", "box"),
        ("#1a237e", "时间进度" if lang == "zh" else "Time progress", "dash")]))
    parts.append("</svg>")
    return "\n".join(parts)


def _legend(x: float, y: float, items: list[tuple[str, str, str]]) -> str:
    """A legend on one line: a swatch (box, line or dashed line) and a label per series."""
    out = []
    for colour, label, mark in items:
        if mark == "box":
            out.append(f'<rect x="{x:.1f}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        else:
            dash = ' stroke-dasharray="4 3"' if mark == "dash" else ""
            out.append(f'<line x1="{x:.1f}" y1="{y - 4}" x2="{x + 16:.1f}" y2="{y - 4}" stroke="{colour}" '
                       f'stroke-width="2"{dash}/>')
        out.append(f'<text x="{x + 20:.1f}" y="{y}">{escape(label)}</text>')
        x += 32 + 13 * len(label)
    return "".join(out)


COLOURS = ("#2e75b6", "#ed7d31", "#70ad47", "#7f7f7f")


def figure_svg(fig, lang: str) -> str:  # type: ignore[no-untyped-def]
    """A figure as inline SVG: columns side by side per category (or lines through them), a value
    axis with gridlines, category labels, and a legend."""
    cats = fig.categories(lang)
    n = max(len(cats), 1)
    left, top, plot_h, width = 40, 30, 220, 960
    slot = (width - left - 10) / n
    rotate = max(len(c) for c in cats) * 12 > slot if cats else False
    label_h = (max(len(c) for c in cats) * 12 + 10) if rotate and cats else 22
    height = top + plot_h + label_h + 30
    values = [v or 0 for s in fig.series for v in s.values]
    high = max([1, *values])
    step = _nice_step(high)
    high = step * -(-high // step)
    title = fig.title(lang)
    parts = [f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" font-family="Noto Sans CJK SC, Microsoft YaHei, sans-serif" '
             'font-size="12">',
             f'<text x="{width / 2}" y="16" text-anchor="middle" font-weight="bold">{escape(title)}</text>']
    for k in range(int(high // step) + 1):
        y = top + plot_h - k * step / high * plot_h
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{k * step:g}</text>')
    base = top + plot_h
    series = fig.series
    for j, s in enumerate(series):
        colour = COLOURS[j % len(COLOURS)]
        if fig.kind == "line":
            points = " ".join(f"{left + slot * (i + .5):.1f},{base - (v or 0) / high * plot_h:.1f}"
                              for i, v in enumerate(s.values))
            parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
            parts += [f'<circle cx="{left + slot * (i + .5):.1f}" cy="{base - (v or 0) / high * plot_h:.1f}" r="3" '
                      f'fill="{colour}"/>' for i, v in enumerate(s.values)]
        else:
            bar = slot * .8 / len(series)
            parts += [f'<rect x="{left + slot * i + slot * .1 + bar * j:.1f}" '
                      f'y="{base - (v or 0) / high * plot_h:.1f}" '
                      f'width="{bar:.1f}" height="{(v or 0) / high * plot_h:.1f}" fill="{colour}"/>'
                      for i, v in enumerate(s.values)]
    for i, c in enumerate(cats):
        x = left + slot * (i + .5)
        if rotate:
            parts.append(f'<text transform="translate({x:.1f},{base + 8}) rotate(-60)" text-anchor="end">'
                         f"{escape(c)}</text>")
        else:
            parts.append(f'<text x="{x:.1f}" y="{base + 16}" text-anchor="middle">{escape(c)}</text>')
    parts.append(_legend(left, height - 8, [(COLOURS[j % len(COLOURS)], s.en if lang == "en" else s.zh,
                                             "line" if fig.kind == "line" else "box")
                                            for j, s in enumerate(series)]))
    parts.append("</svg>")
    return "\n".join(parts)


def _nice_step(high: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000):
        if high / step <= 6:
            return step
    return 10 ** len(str(int(high)))


def report_html(report, lang: str) -> str:  # type: ignore[no-untyped-def]
    """One self-contained page: title, district and window, the bulletin paragraphs, the charts (with
    their legends), every table (合计 row in bold, 单位 line above) and every project list; printed,
    A4 landscape with each table on a page of its own."""
    from zhaoshang.render.paper import subtitle, unit_line
    from zhaoshang.render.report import empty_text, file_columns, period_line
    from zhaoshang.render.xlsx import as_of_line

    body = [f"<p>{escape(p)}</p>" for p in report.prose(lang)]
    if report.chart is not None and report.chart.bars:
        body.append(f"<figure>{chart_svg(report.chart, lang)}</figure>")
    body += [f"<figure>{figure_svg(fig, lang)}</figure>" for fig in report.figures]
    for s in report.sections:
        cols = file_columns(s)
        body.append(f"<section>\n<h2>{escape(s.title(lang))}</h2>")
        if unit := unit_line(cols, lang):
            body.append(f'<p class="unit">{escape(unit)}</p>')
        body.append(table_html(s.flat_rows(lang), cols, lang, s.flat_total(lang)))
        if note := s.note(lang):
            body.append(f"<p>{escape(note)}</p>")
        body.append("</section>")
    for s in report.lists:
        count = f"（{len(s.rows)}）" if lang == "zh" else f" ({len(s.rows)})"
        body.append(f"<section>\n<h2>{escape(s.title(lang))}{count}</h2>")
        body.append(table_html(s.flat_rows(lang), file_columns(s), lang) if s.rows
                    else f"<p>{escape(empty_text(lang))}</p>")
        body.append("</section>")
    sub = subtitle(report.district, period_line(report, lang) or as_of_line(report, lang), lang)
    return page(report.title(lang), "\n".join(body), sub)
