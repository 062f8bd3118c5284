"""What every printed document shares: the page (A4), the fonts, how wide text is, the lines above a
table (district, as-of, 单位), sheet names, and writing a file whole with the mode of any other file.

No writer library is imported here: the workbook (xlsx.py, sheetxml.py) and Word (docx.py) writers
use these figures so that a table laid out for one looks the same in the other.
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zhaoshang.vocabulary.columns import Col

# A4 landscape in points, less the margins the workbooks set (left/right 0.5", top 0.75", bottom 0.7").
PAGE_WIDTH_PT = 842 - 72
PAGE_HEIGHT_PT = 595 - 104
MARGINS_IN = {"left": 0.5, "right": 0.5, "top": 0.75, "bottom": 0.7}
BODY_PT = 11  # the table font; a sheet is shrunk to fit no further than to MIN_PT
MIN_PT = 9
FOOTER = "&C第 &P 页，共 &N 页"  # a spreadsheet footer: page numbers
ROW_PT = 17.25  # height of a one-line row at BODY_PT (CJK glyphs are taller than Latin ones)
# The fonts: 宋体 for tables (every Chinese office has it; LibreOffice falls back to a CJK serif), and
# the lists HTML and Word name so that a machine without the first takes the next.
TABLE_FONT = "宋体"
FONT_STACK = ("宋体", "SimSun", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", "serif")
SANS_STACK = ("等线", "DengXian", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "sans-serif")


def text_width(text: str) -> int:
    """Display width in columns: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# The workbooks' Normal style is in NORMAL_FONT: a column's width counts its digits (8 px at 11 pt),
# and Arial has the same metrics in Excel, WPS and LibreOffice (Liberation Sans), so a table laid
# out for A4 here breaks where it was meant to everywhere. Every cell itself is in TABLE_FONT.
NORMAL_FONT = "Arial"
DIGIT_PX = 8


def column_pt(chars: float) -> float:
    """A spreadsheet column of `chars` character widths, in points (8 px a character + 5 px, at 96 dpi)."""
    return (chars * DIGIT_PX + 5) * 0.75


def lines_needed(text: str, chars: float) -> int:
    """How many lines `text` takes in a cell `chars` wide when it wraps (at least one a paragraph)."""
    usable = max(chars - 1, 1)
    return sum(max(1, -(-text_width(part) // int(usable))) for part in text.split("\n"))


@dataclass
class Fit:
    """How a table goes onto paper: `whole` on one page, fitted to the page `width` (pages down), or
    split between `columns` groups at `breaks` with the first `key` columns repeated on each page."""

    mode: str
    key: int = 0
    breaks: list[int] = field(default_factory=list)


def fit(widths: Sequence[float], heights: Sequence[float], columns: Sequence[Col]) -> Fit:
    """Keep a table whole when it fits on one page at MIN_PT or more; fit its width when only that
    does; else split it between column groups rather than shrink it below MIN_PT."""
    width = sum(column_pt(w) for w in widths)
    least = MIN_PT / BODY_PT
    scale_w, scale_h = PAGE_WIDTH_PT / max(width, 1), PAGE_HEIGHT_PT / max(sum(heights), 1)
    if min(scale_w, scale_h) >= least:
        return Fit("whole")
    if scale_w >= least:
        return Fit("width")
    key = key_columns(widths, columns)
    return Fit("columns", key, column_breaks(widths, key))


def page_header(heading: str, sub: str, unit: str | None) -> str:
    """A spreadsheet page header naming the table on every page of a table split between column
    groups (its title cells would be cut there): the title centred, the subtitle and 单位 under it.
    Such a sheet takes HEADED_TOP_IN as its top margin to make room."""
    def code(text: str, limit: int) -> str:
        return text.replace("&", "&&")[:limit]

    second = "　".join(p for p in (sub, unit) if p)
    return (f"&C&\"{TABLE_FONT},Bold\"&12{code(heading, 80)}"
            + (f"\n&\"{TABLE_FONT},Regular\"&10{code(second, 90)}" if second else ""))


HEADED_TOP_IN = 1.0


def first_page(plan: Fit, n: int) -> int:
    """How many of a table's `n` columns its first page shows (a title over them stays on it)."""
    return plan.breaks[0] if plan.breaks else n


def key_columns(widths: Sequence[float], columns: Sequence[Col]) -> int:
    """How many leading columns name a row (序号, 编号, 名称 …): repeated on every page of a wide table."""
    count, used = 0, 0.0
    for c, w in zip(columns, widths, strict=True):
        if count >= 3 or (c.numeric and c.key not in ("index", "sort_order")):
            break
        if used + column_pt(w) > PAGE_WIDTH_PT / 3:
            break
        count, used = count + 1, used + column_pt(w)
    return count


def column_breaks(widths: Sequence[float], key: int) -> list[int]:
    """Where the pages of a wide table break: after as many columns as fit beside the repeated ones."""
    repeated = sum(column_pt(w) for w in widths[:key])
    breaks, used = [], repeated
    for j in range(key, len(widths)):
        w = column_pt(widths[j])
        if used + w > PAGE_WIDTH_PT and used > repeated:
            breaks.append(j)
            used = repeated
        used += w
    return breaks


def unit_line(columns: Sequence[Col], lang: str) -> str | None:
    """单位：亿元 (and 外资 in 万美元) when a table shows money; None when it shows none."""
    kinds = {c.kind for c in columns}
    money = kinds & {"yi", "yi_delta"}
    usd = "usd" in kinds
    if not money and not usd:
        return None
    if lang == "en":
        parts = (["100M yuan"] if money else []) + (["foreign: 10k USD"] if usd else [])
        return "Unit: " + ", ".join(parts)
    return "单位：" + "、".join((["亿元"] if money else []) + (["外资万美元"] if usd else []))


def subtitle(district: str | None, period: str | None, lang: str) -> str:
    """The line under a title: the district and the window with its as-of day."""
    parts = [p for p in (district, period) if p]
    return ("  " if lang == "en" else "　").join(parts)


def sheet_names(titles: Iterable[str], used: set[str] | None = None) -> list[str]:
    """Short, unique sheet names (Excel allows 31 characters and no []:*?/\\): a title's bracketed
    parts go, so a name is never cut inside a bracket; the full title is in the sheet's first cell."""
    used = set() if used is None else used
    out = []
    for title in titles:
        out.append(sheet_name(title, used))
    return out


def sheet_name(title: str, used: set[str]) -> str:
    name = _unbracketed(title).replace("：", " ").replace(":", " ")
    name = "".join("_" if ch in '[]:*?/\\' else ch for ch in name).strip()
    name = " ".join(name.split())[:31].strip() or "Sheet"
    candidate, n = name, 2
    while candidate.lower() in {u.lower() for u in used}:
        suffix = f" {n}"
        candidate, n = name[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate)
    return candidate


def _unbracketed(text: str) -> str:
    out, depth = [], 0
    for ch in text:
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
        elif not depth:
            out.append(ch)
    return "".join(out)


def write_whole(out: Path, write: Callable[[Path], Any]) -> None:
    """Run `write(temporary path)` beside `out`, then rename it over `out`: a reader never sees half a
    file. The file gets the mode any new file gets (0666 less the umask), not the temporary's 0600."""
    out = Path(out)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent or ".")
    os.close(fd)
    try:
        write(Path(tmp))
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
