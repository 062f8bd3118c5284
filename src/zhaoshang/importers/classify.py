"""Row kinds below a header: only data rows become records.

Blank rows, repeated header rows, section rows ("一、高端装备产业链（5个）", "（二）新材料", or the
numeral in 序号 and the label in the name column: they set the chain, or the stage when they name
one, for the rows under them), subtotal and total rows (a cell that is 小计/合计/总计/其中 or starts
with one followed by punctuation, a space or a bracket; never a word inside a name such as
联合计算中心) and footnotes (填报人：…, 注：…, 数据截至…) are skipped. A lone text left of the name
column (a note merged across the table) is a section when it reads like one, else a note. A row that
carries a project code is always a data row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

BLANK, DATA, SECTION, TOTAL, FOOTNOTE, HEADER = "blank", "data", "section", "total", "footnote", "header"

_TOTAL = re.compile(r"^(?:小计|合计|总计|其中)(?:$|[\s()（）\[\]【】{}<>《》:：,，、.。;；\-—–_/·|])")
_SECTION = re.compile(
    r"^(?:[一二三四五六七八九十百]+\s*[、.．]|[(（]\s*[一二三四五六七八九十百]+\s*[)）]|第[一二三四五六七八九十百]+"
    r"(?:部分|类|批|章)?\s*[、.．:：\s])\s*(?P<text>.+?)\s*(?:[(（]\s*(?:共|计)?\s*\d+\s*(?:个|项|家)?"
    r"(?:项目)?\s*[)）])?\s*[:：]?$"
)
# A section's numeral alone (一、 / 二 / （三） / 第四部分), as 序号 holds it beside the label.
_MARKER = re.compile(r"^(?:[一二三四五六七八九十百]+\s*[、.．]?|[(（]\s*[一二三四五六七八九十百]+\s*[)）]"
                     r"|第[一二三四五六七八九十百]+(?:部分|类|批|章)?\s*[、.．:：]?)$")
# A label with a count ("新材料产业链（2个）") or a chain's name: a section even without a numeral.
_COUNTED = re.compile(r"^(?P<text>.+?)\s*[(（]\s*(?:共|计)?\s*\d+\s*(?:个|项|家)(?:项目)?\s*[)）]\s*[:：]?$")
_CHAIN_LIKE = re.compile(r"产业链$")
# A unit's name as a block heading: 税郭镇, 中心街街道, 区工信局, 区城投集团 (after a numeral). Alone
# on its row only a town's or a bureau's name is taken for one: a lead list may hold a company's
# name and nothing else.
UNIT_LIKE = re.compile(r"(?:镇|乡|街道|街道办事处|局|委员会|管委会|集团|公司)$")
_LONE_UNIT = re.compile(r"(?<![古小特色名])(?:镇|乡)$|(?:街道|街道办事处|局)$")
_FIGURE = re.compile(r"^[=+\-]?[\d.,，\s]+(?:亿元|万元|亿|万|个|项)?$")


def is_figure(text: str) -> bool:
    """A number written as text (a subtotal in a CSV, "3个", "1,200万"): a figure, not a word."""
    return bool(_FIGURE.match(text))
_FOOTNOTE = re.compile(
    r"^[\s(（\[【*※#]*(?:填报单位|填报人|填表人|填报日期|填报时间|填表日期|审核人|审核|制表人|制表|联系人|联系电话|"
    r"单位负责人|负责人|分管领导|注|说明|附注|备注|数据来源|资料来源|来源|数据截至|数据截止|统计截至|统计截止|截至|截止|附件|"
    r"统计时间|统计日期|报送时间|报送日期)\s*(?:[:：]|\d|[.、(（])"
)
_TOTAL_START = frozenset("小合总其")
_TOTAL_END = re.compile(r"(?:小计|合计|总计|共计|累计)\s*(?:[(（][^)）]*[)）])?\s*[:：]?$")
# First characters of anything that is not a project code: totals, sections, footnotes.
_MARKER_START = frozenset("小合总其一二三四五六七八九十百(（第填审制联负分注说附备数资来截统报单[【*※#")


def is_total(text: str) -> bool:
    """小计 / 合计（25个）/ 总计: — a total row's marker. A name that merely contains 合计 is not."""
    if text[:1] not in _TOTAL_START and text.lstrip()[:1] not in _TOTAL_START:
        return False
    collapsed = unicodedata.normalize("NFKC", text).strip()
    if _TOTAL.match(collapsed):
        return True
    squeezed = re.sub(r"\s+", "", collapsed)
    return squeezed in ("小计", "合计", "总计") or bool(_TOTAL.match(squeezed))


def section_text(text: str) -> str | None:
    """The label of a section row ("一、高端装备产业链（5个）" -> "高端装备产业链"), else None."""
    if not text:
        return None
    m = _SECTION.match(unicodedata.normalize("NFKC", text).strip())
    if not m:
        return None
    label = m.group("text").strip().rstrip(":：")
    return label or None


def is_footnote(text: str) -> bool:
    return bool(_FOOTNOTE.match(unicodedata.normalize("NFKC", text).strip()))


def lone_label(text: str, figures: int = 0) -> str | None:
    """A section label written without a numeral: "新材料产业链（2个）", or — on a row with no figure
    at all (no 序号, no amount) — "新能源产业链", "税郭镇". A name such as 温泉康养小镇 is a project's."""
    collapsed = unicodedata.normalize("NFKC", text).strip()
    if m := _COUNTED.match(collapsed):
        return m.group("text").strip() or None
    if _CHAIN_LIKE.search(collapsed) and len(collapsed) <= 30:  # a chain's heading, its subtotal beside it
        return collapsed
    if figures or len(collapsed) > 12:
        return None
    return collapsed if _LONE_UNIT.search(collapsed) else None


# A project sheet's columns of prose: a 合计 at the start of a sentence there is no total row.
PROSE_FIELDS = ("progress", "next_step", "note", "investor", "problem", "problem_extra", "problem_resolution")
KIND_CODES = {kind: code for code, kind in enumerate((BLANK, DATA, SECTION, TOTAL, FOOTNOTE, HEADER), 1)}
KIND_OF_CODE = {code: kind for kind, code in KIND_CODES.items()}


def project_classifier(fields: dict[str, int],
                       header_labels: frozenset[str]) -> Callable[[list[Any]], tuple[str, str | None]]:
    """classify() for the rows of one project sheet, its columns bound: the one way its rows are told
    apart, whichever pass reads them."""
    key_col, name_col = fields.get("code"), fields["name"]
    prose = frozenset(fields[k] for k in PROSE_FIELDS if k in fields)

    def kind_of(row: list[Any]) -> tuple[str, str | None]:
        return classify(row, key_col=key_col, name_col=name_col, prose=prose, header_labels=header_labels)

    return kind_of


def classify(row: list[Any], *, key_col: int | None, name_col: int | None, prose: frozenset[int] = frozenset(),
             header_labels: frozenset[str] = frozenset()) -> tuple[str, str | None]:
    """The kind of a row below the header, and a section's label."""
    if key_col is not None and key_col < len(row):
        key = row[key_col]
        if key != "" and key is not None:
            if key.__class__ is not str:
                return DATA, None
            text = key.strip()
            no_name = name_col is None or name_col >= len(row) or row[name_col] in ("", None)
            if no_name and (lone_label(text) is not None or any(  # "一、 | 新材料" over 序号 and 项目编号
                    isinstance(v, str) and _MARKER.match(unicodedata.normalize("NFKC", v).strip())
                    for v in row[:key_col])):
                pass
            elif text and (text[0] not in _MARKER_START or
                           not (is_total(text) or section_text(text) or is_footnote(text)
                                or _MARKER.match(unicodedata.normalize("NFKC", text)))):
                return DATA, None
    texts = []
    filled = 0
    for j, value in enumerate(row):
        if value == "" or value is None:
            continue
        filled += 1
        if isinstance(value, str):
            text = value.strip()
            if not text:
                filled -= 1
                continue
            if (name_col is None or j <= name_col) and j not in prose and text[0] in _TOTAL_START and is_total(text):
                return TOTAL, None
            if (name_col is None or j <= name_col) and _TOTAL_END.search(text):
                return TOTAL, None  # 新能源产业链小计, 税郭镇合计, 以上合计, 全区总计（3个）
            texts.append((j, text))
    if filled == 0:
        return BLANK, None
    if texts:
        first = texts[0][1]
        if is_footnote(first):
            return FOOTNOTE, None
        if header_labels and first in header_labels and \
                sum(1 for _, t in texts if t in header_labels) * 2 >= min(len(header_labels), 8):
            return HEADER, None
        # Words, not figures: a subtotal written as text (as every cell of a CSV is) is a figure.
        words = [(j, t) for j, t in texts if not is_figure(t)]
        figures = filled - len(words)
        if words and (len(words) == 1 or all(t[1] == words[0][1] for t in words)):
            j, text = words[0]
            label = section_text(text)
            if label is not None and (name_col is None or j <= name_col):
                return SECTION, label
            if name_col is not None and j <= name_col:
                # One text and at most a subtotal: a section without a numeral, or a note merged
                # across the table.
                label = lone_label(text, figures)
                if label is not None:
                    return SECTION, label
                if j < name_col and figures == 0:
                    return FOOTNOTE, None
        elif len(words) == 2 and name_col is not None and words[0][0] < name_col and _MARKER.match(
                unicodedata.normalize("NFKC", words[0][1]).strip()):
            # The numeral in 序号, the label beside it, no other text (a subtotal may follow):
            # "一、 | 新能源产业链（5个）". A project row has more text: investor, stage, unit.
            j, text = words[1]
            if j <= name_col:
                return SECTION, section_text(f"一、{text}") or text
    return DATA, None
