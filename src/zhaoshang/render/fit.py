"""A report's table within a terminal's width, never wider and never with a figure cut.

When a table's natural width is more than the window has, in this order: the gap between columns
narrows to two spaces; headers wrap (a number's column is as wide as its widest figure, its label
breaks over lines); names and other free text wrap, down to four characters a line; progress bars
shorten; then optional columns are left out, and the caller says which on stderr. Figures, codes,
dates and stage words are never broken. Wrapped text never starts a line with a closing mark
(，。、）…): the character before it moves down with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from zhaoshang.render import show

if TYPE_CHECKING:
    from zhaoshang.reports.model import Section
    from zhaoshang.vocabulary.columns import Col

GAP = "  "
MIN_TEXT = 8  # four CJK characters
MIN_BAR = 10
CLOSING = set("，。、；：？！）》」』】〕,.;:?!)%”’…")
OPENING = set("（《「『【〔(“‘")
RIGID_KINDS = ("code", "date", "stage", "bool", "datetime", "milestone", "verdict", "unit_kind", "problem_status")


def cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines at most `width` cells (CJK characters count two), breaking between characters
    (after a space for Latin words where one is near), never putting a closing mark first on a line
    or an opening one last."""
    out: list[str] = []
    for para in text.split("\n"):
        line, used = "", 0
        for ch in para:
            w = cells(ch)
            if used + w > width and line:
                cut = len(line)
                if ch in CLOSING or line[-1] in OPENING:  # keep the mark with its neighbour
                    cut = len(line) - 1
                elif ch.isascii() and ch.isalnum() and " " in line[-12:]:
                    cut = line.rindex(" ") + 1
                if cut <= 0:
                    cut = len(line)
                out.append(line[:cut].rstrip())
                line = line[cut:].lstrip(" ")
                used = cells(line)
            line += ch
            used += w
        out.append(line.rstrip())
    return out


def balanced(text: str, width: int) -> list[str]:
    """wrap(), with the lines as even as the same number of lines allows (项目\n编号, not 项目编\n号)."""
    lines = wrap(text, width)
    if len(lines) < 2:
        return lines
    least = -(-cells(text.replace("\n", "")) // len(lines))
    for narrower in range(least, width):
        tried = wrap(text, narrower)
        if len(tried) == len(lines):
            return tried
    return lines


@dataclass
class Fitted:
    lines: list[Any]  # rich Text lines
    left_out: list[Col]


def fit_section(section: Section, lang: str, width: int, columns: Sequence[Col]) -> Fitted | None:
    """The section's table laid out within `width` cells, or None when even its narrowest form
    (every optional column left out) is wider."""
    from zhaoshang.render import DROPPABLE as DROP_ORDER

    shown = list(columns)
    left_out: list[Col] = []
    while True:
        lines = _layout(section, lang, width, shown)
        if lines is not None:
            return Fitted(lines, left_out)
        droppable = [c for c in shown if c.optional or c.key in DROP_ORDER]
        if not droppable:
            return None
        drop = max(droppable, key=lambda c: (c.optional, DROP_ORDER.index(c.key) if c.key in DROP_ORDER else -1,
                                             shown.index(c)))
        shown.remove(drop)
        left_out.append(drop)


def _layout(section: Section, lang: str, width: int, columns: Sequence[Col]) -> list[Any] | None:
    from rich.text import Text

    from zhaoshang.render.report import bar

    rows = section.flat_rows(lang)
    total = section.flat_total(lang)
    body = [*rows, *([total] if total is not None else [])]
    texts = [[show(r.get(c.key), c.kind, lang) if c.kind != "bar" else "" for c in columns] for r in body]
    heads = [c.label(lang) for c in columns]
    rigid = [c.numeric or c.kind in RIGID_KINDS for c in columns]
    need = [max([0, *(cells(t[j]) for t in texts)]) for j in range(len(columns))]
    head_word = [max(cells(part) for part in h.split("\n")) for h in heads]
    # Start wide; give way where the most is to spare: the headers of figures (down to their widest
    # figure), text (names wrap, down to MIN_TEXT), bars (down to MIN_BAR).
    widths, floors = [], []
    for j, c in enumerate(columns):
        if c.kind == "bar":
            widths.append(20)
            floors.append(MIN_BAR)
        elif rigid[j]:
            widths.append(max(need[j], head_word[j], 2))
            floors.append(max(need[j], min(head_word[j], 4), 2))
        else:
            widths.append(max(need[j], min(head_word[j], 2 * MIN_TEXT), 2))
            floors.append(min(widths[-1], MIN_TEXT))
    room = width - len(GAP) * (len(columns) - 1)
    while sum(widths) > room:  # a cell at a time from the column with the most to spare; the first
        # column names the row (责任单位, 产业链): it wraps last
        j = max(range(len(columns)), key=lambda k: (k > 0 and widths[k] > floors[k], widths[k] - floors[k], rigid[k]))
        if widths[j] <= floors[j]:
            return None
        widths[j] -= 1
    heads_wrapped = [[line for part in h.split("\n") for line in balanced(part, widths[j])]
                     for j, h in enumerate(heads)]
    depth = max(len(h) for h in heads_wrapped)
    total_width = sum(widths) + len(GAP) * (len(columns) - 1)

    def line(parts: Sequence[Any], style: str = "") -> Any:
        out = Text(style=style)
        for j, part in enumerate(parts):
            if j:
                out.append(GAP)
            out.append(part)
        return out

    def cell(text: str, j: int) -> str:
        pad = " " * (widths[j] - cells(text))
        return pad + text if columns[j].numeric else text + pad

    out = []
    for k in range(depth):
        out.append(line([cell(h[k - depth + len(h)] if k >= depth - len(h) else "", j)
                         for j, h in enumerate(heads_wrapped)], "bold"))
    out.append(Text("─" * total_width))
    for i, (row, text) in enumerate(zip(body, texts, strict=True)):
        if total is not None and i == len(body) - 1:
            out.append(Text("─" * total_width))
        wrapped = [balanced(t, widths[j]) if not rigid[j] else [t] for j, t in enumerate(text)]
        height = max(len(w) for w in wrapped)
        source = section.rows[i] if i < len(section.rows) else {}
        for k in range(height):
            parts: list[Any] = []
            for j, c in enumerate(columns):
                if c.kind == "bar":
                    parts.append(bar(row.get(c.key), section.marker, source.get("ahead"), widths[j]) if k == 0
                                 else " " * widths[j])
                else:
                    parts.append(cell(wrapped[j][k] if k < len(wrapped[j]) else "", j))
            out.append(line(parts, "bold" if total is not None and i == len(body) - 1 else ""))
    return out


def notice(left_out: Sequence[Col], lang: str) -> str:
    names = ("、" if lang == "zh" else ", ").join(c.label(lang).replace("\n", "") for c in left_out)
    return (f"（窗口较窄，未显示：{names}；加宽窗口或用 --format csv / xlsx 看全部）" if lang == "zh"
            else f"(narrow window: {names} not shown; widen it or use --format csv / xlsx)")
