"""联审 verdicts: their keys, their Chinese words, and the words reviewers write for them."""

from __future__ import annotations

from zhaoshang.vocabulary.text import normalize_text

VERDICTS = ("pass", "conditional", "fail")
VERDICT_ZH = {"pass": "通过", "conditional": "有条件通过", "fail": "不通过"}
VERDICT_WORDS = {
    "pass": "pass", "通过": "pass", "同意": "pass", "合格": "pass", "符合": "pass",
    "conditional": "conditional", "有条件通过": "conditional", "有条件": "conditional",
    "附条件通过": "conditional", "原则通过": "conditional", "基本符合": "conditional",
    "fail": "fail", "不通过": "fail", "未通过": "fail", "不同意": "fail", "不合格": "fail", "不符合": "fail",
}


def verdict_of(text: str) -> str | None:
    """The verdict a word names (通过, 有条件通过, 不通过, pass …), or None."""
    return VERDICT_WORDS.get(normalize_text(text).lower())
