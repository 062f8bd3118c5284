"""Self-contained HTML: inline CSS, no scripts, no external assets."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from zhaoshang.render import Col, show

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
