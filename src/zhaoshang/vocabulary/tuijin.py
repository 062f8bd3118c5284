"""The 推进表's own columns in words: supporting units and leaders in charge as lists, a leader's name
and title, the headers of the year's investment plan (2023年计划投资) and of completed investment
(1-8月完成投资, 累计完成投资, 本月完成投资), and the remark that ends a project (已终止).

Pure: no ledger. The period a 完成投资 header covers is read by vocabulary/cumulative.py, the same
reading as funds in place.
"""

from __future__ import annotations

import re
from functools import lru_cache

from zhaoshang.vocabulary.cumulative import read_period_header
from zhaoshang.vocabulary.text import normalize_text

# 配合单位 split on the separators ledgers use (DESIGN §10), line breaks included.
_UNIT_SEPARATORS = re.compile(r"[、，,；;/／\n\r]+")
_OPEN, _CLOSE = "(（[【〔", ")）]】〕"
COMPLETED_WORDS = ("完成投资", "完成投资额", "已完成投资", "实际完成投资", "完成固定资产投资")
_PLAN = re.compile(r"^(?:((?:19|20)\d{2})年度?|本年度?|当年度?|年度)?(?:计划(?:完成)?投资|投资计划)(?:额)?$")
_YEAR_PREFIX = re.compile(r"^((?:19|20)\d{2})年度?")
# A 备注 whose whole cell says the project left the pipeline (DESIGN §10).
TERMINATED_REMARKS = frozenset({"已终止", "终止", "项目终止", "已退出", "退出", "项目已终止", "项目退出", "已中止"})


_AS_OF = re.compile(r"(?:统计时间|统计截止|截止时间|截至时间|截至|截止|数据截至)\s*(?:日期)?\s*[:：]?\s*"
                    r"((?:19|20)\d{2})\s*[年.\-/]\s*(1[0-2]|0?[1-9])(?!\d)")


def as_of_month(text: str) -> tuple[int, int] | None:
    """(year, month) of a banner's 统计时间：2023年8月31日 / 截至2023年8月底, else None."""
    m = _AS_OF.search(text)
    return (int(m.group(1)), int(m.group(2))) if m else None


def split_units(text: str) -> list[str]:
    """配合单位 as names: 区发改局、区自然资源局 / 区住建局 → three names, blanks dropped."""
    return [part.strip() for part in _UNIT_SEPARATORS.split(text) if part.strip()]


@lru_cache(maxsize=4096)
def _split_leaders(text: str) -> tuple[str, ...]:
    return tuple(split_leaders(text))


def split_leaders(text: str) -> list[str]:
    """包保领导 as written, one per person: separators inside a title's brackets do not split
    (张三（区委常委、常务副区长）、李四 → two)."""
    out: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        if depth == 0 and (ch in "、，,；;/／\n\r" or (ch.isspace() and current and current[-1] in _CLOSE)):
            if "".join(current).strip():
                out.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    if "".join(current).strip():
        out.append("".join(current).strip())
    return out


@lru_cache(maxsize=4096)
def leader_of(written: str) -> tuple[str, str | None]:
    """(name, title) of a leader as written: 张三（区委常委、常务副区长） → (张三, 区委常委、常务副区长)."""
    text = written.strip()
    for i, ch in enumerate(text):
        if ch in _OPEN:
            name = normalize_text(text[:i])
            title = text[i + 1:].rstrip(_CLOSE).strip() or None
            return (name or normalize_text(text)), title
    return normalize_text(text), None


def plan_field(base: str) -> str | None:
    """A 年度计划投资 header's field: "plan:2023" (2023年计划投资), "plan:" (年度计划投资: the
    ledger's year); None for any other header."""
    match = _PLAN.match(normalize_text(base))
    if match is None:
        return None
    return f"plan:{match.group(1) or ''}"


def completed_field(base: str) -> str | None:
    """A 完成投资 header's field: "completed:YEAR:KIND:MONTH" (year and month blank when the header
    names none), from the reading cumulative.read_period_header makes of it; None otherwise."""
    text = normalize_text(base)
    year = ""
    if match := _YEAR_PREFIX.match(text):
        year, text = match.group(1), text[match.end():]
        if not text.startswith(("1", "累", "本", "当", "一", "截", "年初", "至")) and text in COMPLETED_WORDS:
            text = "累计" + text  # 2023年完成投资: the year so far
    reading = read_period_header(text, COMPLETED_WORDS)
    if reading is None:
        return None
    return f"completed:{year}:{reading.kind}:{reading.month or ''}"


def investment_field(base: str) -> str | None:
    """The field of a 推进表 investment header, or None."""
    return plan_field(base) or completed_field(base)


def is_terminated_remark(text: str) -> bool:
    return normalize_text(text) in TERMINATED_REMARKS


def completed_header(year: int, month: int) -> str:
    """The header `zs export` writes for completed investment to the end of a month."""
    return f"{year}年1-{month}月完成投资（万元）" if month > 1 else f"{year}年1月完成投资（万元）"


def plan_header(year: int) -> str:
    return f"{year}年计划投资（万元）"
