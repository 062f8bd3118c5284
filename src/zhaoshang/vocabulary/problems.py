"""The words of a ledger's 存在问题 column: what says "no problem", what is no deadline, how a
problem is matched, and how one cell numbering several problems splits."""

from __future__ import annotations

import re

from zhaoshang.vocabulary.text import normalize_text

# Cells that say "no problem" in a ledger's 存在问题 column.
NO_PROBLEM_WORDS = frozenset({"无", "暂无", "没有", "无问题", "暂无问题", "无困难", "暂无困难", "正常", "无需协调",
                              "不涉及", "/", "-", "—", "——", "－", "", "nan", "none", "null"})
# Deadlines that are not dates: the problem has no fixed deadline.
NO_DEADLINE_WORDS = frozenset({"长期", "持续", "持续推进", "长期坚持", "常态化", "尽快", "尽快解决", "立即",
                               "待定", "未定", "/", "-", "—", "——", "－", "无", ""})
_ITEM = re.compile(r"\s*(?:[(（](\d{1,2})[)）]|(?:^|(?<=[\s;；。，,]))(\d{1,2})[、.．](?!\d)|([①-⑳]))\s*")


def problem_key(text: str) -> str:
    """How problems are matched: full/half width and white space ignored, trailing punctuation too."""
    return normalize_text(text).rstrip("。.;；,，、!！")


def clean_problem(text: str) -> str:
    """A problem as the clerk wrote it (punctuation and width kept), runs of white space made one."""
    return re.sub(r"\s+", " ", text).strip()


def is_no_problem(text: str | None) -> bool:
    return text is None or text in NO_PROBLEM_WORDS or problem_key(text).lower() in NO_PROBLEM_WORDS


def split_problems(text: str) -> list[str]:
    """The problems one cell lists: "1.用地指标未落实；2.电力增容" holds two; a cell that is not
    numbered 1, 2, … from its start is one problem (10千伏 or 2.5万 inside a sentence never split)."""
    if not any(c.isdigit() or "①" <= c <= "⑳" for c in text[:3]):  # not numbered from its start
        return [clean_problem(text)]
    marks = list(_ITEM.finditer(text))
    numbers = []
    for m in marks:
        digits = m.group(1) or m.group(2)
        numbers.append(int(digits) if digits else ord(m.group(3)) - ord("①") + 1)
    if len(marks) < 2 or text[:marks[0].start()].strip() or numbers != list(range(1, len(marks) + 1)):
        return [clean_problem(text)]
    items = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        item = clean_problem(text[m.end():end]).rstrip("；;。，, ")
        if not is_no_problem(item):
            items.append(item)
    return items
