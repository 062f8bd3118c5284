"""Tables laid out without Rich, for output that goes to a pipe or a file.

Rich lays out every cell through its renderable machinery; a listing of a few hundred projects spends
most of its time there. Into a pipe or a file a table is printed at its natural width and needs
nothing of that: this module writes the same lines Rich writes for our two table styles (box SIMPLE_HEAD
for listings, SIMPLE with a 合计 footer for reports; no outer edge, no edge padding, headers bottom-aligned,
three spaces between columns), using Rich's own cell widths for CJK text. Tests compare the two.
A table this module cannot reproduce (a cell with a line break or a control character) returns None
and goes through Rich.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

GAP = "   "  # right padding, the box's blank vertical, left padding


@dataclass
class PlainTable:
    headers: Sequence[str]  # may hold "\n" for a two-line header
    right: Sequence[bool]  # right-justified (numbers)
    rows: Sequence[Sequence[str]]
    min_widths: Sequence[int | None] | None = None
    footer: Sequence[str] | None = None
    title: str | None = None

    def lines(self) -> list[str] | None:
        """The table's lines as Rich prints it on a console wide enough, or None."""
        from rich.cells import cell_len

        cells = [*self.rows, *([self.footer] if self.footer is not None else [])]
        for row in cells:
            for text in row:
                if not text.isprintable():
                    return None
        heads = [h.split("\n") for h in self.headers]
        if any(not line.isprintable() for head in heads for line in head):
            return None
        mins = self.min_widths or [None] * len(self.headers)
        widths = []
        for i, head in enumerate(heads):
            width = max(cell_len(line) for line in head)
            for row in cells:
                width = max(width, cell_len(row[i]))
            widths.append(max(width, mins[i] or 0))

        def line(row: Sequence[str]) -> str:
            parts = []
            for text, width, right in zip(row, widths, self.right, strict=True):
                pad = " " * (width - cell_len(text))
                parts.append(pad + text if right else text + pad)
            return GAP.join(parts)

        total = sum(widths) + len(GAP) * (len(widths) - 1)
        out = []
        if self.title:
            if cell_len(self.title) > total:  # Rich would wrap it
                return None
            excess = total - cell_len(self.title)
            out.append(" " * (excess // 2) + self.title + " " * (excess - excess // 2))
        depth = max(len(head) for head in heads)
        for k in range(depth):
            out.append(line([head[k - depth + len(head)] if k >= depth - len(head) else "" for head in heads]))
        out.append("─" * total)
        out.extend(line(row) for row in self.rows)
        if self.footer is not None:
            out.append("─" * total)
            out.append(line(self.footer))
        return out
