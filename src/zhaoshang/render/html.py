"""Self-contained HTML: inline CSS, no scripts, no external assets."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from zhaoshang.render import show
from zhaoshang.vocabulary.columns import Col

STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid #bbb;padding:.25em .6em}th{background:#eef2f7}
td.n{text-align:right;font-variant-numeric:tabular-nums}tr.total td{font-weight:bold;background:#f7f7f7}
"""


def page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>{escape(title)}</title>\n'
            f"<style>{STYLE}</style>\n</head>\n<body>\n<h1>{escape(title)}</h1>\n{body}\n</body>\n</html>\n")


def table_html(rows: Sequence[dict], columns: Sequence[Col], lang: str, total: dict | None = None) -> str:
    head = "".join(f"<th>{escape(c.label(lang))}</th>" for c in columns)
    lines = [f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>"]
    for row in [*rows, *([total] if total else [])]:
        cells = "".join(
            f'<td class="n">{escape(show(row.get(c.key), c.kind, lang))}</td>' if c.numeric
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
            parts.append(f'<text x="{label_w + bar_w + 6}" y="{y + 14}">{progress * 100:.1f}%</text>')
        else:
            parts.append(f'<text x="{label_w + bar_w + 6}" y="{y + 14}" fill="#888">—</text>')
    if chart.time_progress is not None:
        x = label_w + min(chart.time_progress, scale) / scale * bar_w
        bottom = top + row_h * len(chart.bars)
        marker = "time" if lang == "en" else "时间进度"
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{bottom}" stroke="#1a237e" '
                     'stroke-width="2" stroke-dasharray="4 3"/>')
        parts.append(f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" fill="#1a237e">'
                     f'{marker} {chart.time_progress * 100:.1f}%</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def report_html(report, lang: str) -> str:  # type: ignore[no-untyped-def]
    """One self-contained page: title, period, the bulletin paragraphs, the progress chart, every
    table (合计 row in bold) and every project list."""
    from zhaoshang.render.report import empty_text, file_columns, period_line

    body = []
    if line := period_line(report, lang):
        body.append(f"<p>{escape(line)}</p>")
    body += [f"<p>{escape(p)}</p>" for p in report.prose(lang)]
    if report.chart is not None and report.chart.bars:
        body.append(f"<figure>{chart_svg(report.chart, lang)}</figure>")
    for s in report.sections:
        body.append(f"<h2>{escape(s.title(lang))}</h2>")
        body.append(table_html(s.flat_rows(lang), file_columns(s), lang, s.flat_total(lang)))
        if note := s.note(lang):
            body.append(f"<p>{escape(note)}</p>")
    for s in report.lists:
        count = f"（{len(s.rows)}）" if lang == "zh" else f" ({len(s.rows)})"
        body.append(f"<h2>{escape(s.title(lang))}{count}</h2>")
        body.append(table_html(s.flat_rows(lang), file_columns(s), lang) if s.rows
                    else f"<p>{escape(empty_text(lang))}</p>")
    return page(report.title(lang), "\n".join(body))
