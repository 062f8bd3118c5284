"""Cells: what a ledger cell states, converted (text, yes/no, amounts, dates, counts) or a CellError.

These run once per cell of files with a million rows, so the converters are plain functions with fast
paths for what calamine hands over (floats, dates); a parser keeps a cache of the dates it has read.
A blank cell states nothing; "/", 待定 … state "unknown" (cleared).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from zhaoshang.vocabulary.amounts import UNKNOWN_WORDS, parse_amount
from zhaoshang.vocabulary.dates import parse_date, plausible_day
from zhaoshang.vocabulary.months import month_end
from zhaoshang.vocabulary.problems import NO_DEADLINE_WORDS
from zhaoshang.vocabulary.text import HIDDEN, MAX_LENGTH, normalize_text, shown, text_problem

DateValue = tuple[dt.date, str]  # (date, precision "day" | "month"); month precision is the 1st


_YES = frozenset({"是", "√", "✓", "✔", "y", "yes", "true", "1", "挂帅", "★", "●", "有", "是的", "1.0"})


_NO = frozenset({"否", "×", "✗", "n", "no", "false", "0", "/", "-", "—", "——", "无", "不是", "0.0"})


_FACTOR = {"亿元": 10000, "万元": 1, "万美元": 1}


SHORTEST = min(MAX_LENGTH.values())


class CellError(Exception):
    """A bad cell: the column index in the row, the value and why."""

    def __init__(self, col: int, value: Any, reason: str) -> None:
        super().__init__(reason)
        self.col = col
        self.value = value
        self.reason = reason

    @staticmethod
    def of_row(row: list[Any], name: tuple[int, str | None], code: tuple[int | None, str | None],
               c_investor: int | None) -> list[CellError]:
        """A project row's name (missing?), code and investor under the one text rule (vocabulary/text.py)."""
        errors = [] if name[1] is not None else [CellError(name[0], "", "缺少项目名称")]
        investor = row[c_investor] if c_investor is not None else None
        a, b = name[1] or "", code[1] or ""
        c = investor if investor.__class__ is str else ""
        if len(a) <= SHORTEST and len(b) <= SHORTEST and len(c) <= SHORTEST and not HIDDEN.search(a + b + c):
            return errors  # the common case, in one search
        for (col, text), key in ((name, "name"), (code, "code"), ((c_investor, investor), "investor")):
            if col is not None and text.__class__ is str and (reason := text_problem(text.strip(), key)):
                errors.append(CellError(col, shown(text), reason))
        return errors


def text_of(value: Any) -> str | None:
    """A cell as text: strings stripped, whole floats without ".0"; None when blank."""
    cls = value.__class__
    if cls is str:
        return value.strip() or None
    if value is None:
        return None
    if cls is float:
        return str(int(value)) if value.is_integer() and -1e16 < value < 1e16 else repr(value)
    if cls is bool:
        return "是" if value else "否"
    if cls is dt.datetime:
        return value.date().isoformat() if not (value.hour or value.minute or value.second) else value.isoformat(" ")
    return str(value).strip() or None


def cleared(text: str) -> bool:
    """"/", "—", 无 … : the cell says "nothing here"."""
    return text.lower() in UNKNOWN_WORDS


def yes_no(value: Any) -> bool:
    cls = value.__class__
    if cls is bool:
        return value
    if cls in (int, float):
        if value in (0, 1):
            return bool(value)
        raise ValueError(f"“{text_of(value)}”无法识别为是/否")
    text = normalize_text(str(value)).lower()
    if not text or text in _NO:
        return False
    if text in _YES:
        return True
    raise ValueError(f"“{value}”无法识别为是/否（请填 是 或 否）")


def amount_of(value: Any, unit: str) -> tuple[int | None, int | None] | None:
    """(万元, 万美元) from a cell; None when the cell is unknown (待定, blank, "/").

    Numbers in the column's unit take a float fast path when exact; anything else goes through
    parse_amount (Decimal, half-up)."""
    cls = value.__class__
    if cls is float or cls is int:
        if 0 <= value < 1e15:
            x = value * _FACTOR[unit]
            r = int(x + 0.5)
            if -1e-6 < x - r < 1e-6:
                return (None, r) if unit == "万美元" else (r, None)
    elif cls is not str and cls is not Decimal:
        raise ValueError(f"金额“{text_of(value)}”不是数字")
    parsed = parse_amount(value, unit)
    if parsed is None:
        return None
    return parsed.wan, parsed.usd_wan


def date_of(value: Any, year: int | None, cache: dict[Any, DateValue | None]) -> DateValue | None:
    """(date, precision) or None for "no date"; raises ValueError naming the value."""
    cls = value.__class__
    if cls is dt.datetime:
        return plausible_day(value.date(), value), "day"
    if cls is dt.date:
        return plausible_day(value, value), "day"
    if cls is dt.time or cls is dt.timedelta:
        raise ValueError(f"“{value}”不是日期")
    try:
        return cache[value]
    except (KeyError, TypeError):
        pass
    parsed = parse_date(value, year)
    result = (parsed.first, parsed.precision) if parsed is not None else None
    if len(cache) < 50_000:
        cache[value] = result
    return result


def int_of(value: Any) -> int:
    """A count: 3, 3.0, "3", "3个"."""
    cls = value.__class__
    if cls is int:
        number = value
    elif cls is float and value.is_integer() and -MAX_COUNT <= value <= MAX_COUNT:
        number = int(value)
    else:
        text = normalize_text(str(value)).rstrip("个项次人家条")
        if not (text.isascii() and text.isdigit()):
            raise ValueError(f"“{shown(text_of(value) or '')}”不是整数")
        if len(text) > 12:
            raise ValueError(f"“{shown(text)}”太大，不像一个数目")
        number = int(text)
    if not -MAX_COUNT <= number <= MAX_COUNT:
        raise ValueError(f"“{shown(str(number))}”太大，不像一个数目")
    return number


MAX_COUNT = 10**9  # a count, an order or a number of days: far below SQLite's and PostgreSQL's integers


def problem_day(value: Any, key: str, year: int | None, cache: dict[Any, DateValue | None],
                label: str) -> dt.date | None:
    """A problem's raised_on, due_on or resolved_on from a cell (None: not stated). A deadline of a
    month (2023年7月) is its last day and 长期/尽快 mean no fixed deadline; the day a problem was
    raised or resolved must be a day."""
    if value == "" or value is None:
        return None
    if key == "due_on" and value.__class__ is str and normalize_text(value) in NO_DEADLINE_WORDS:
        return None
    when = date_of(value, year, cache)
    if when is None:
        return None
    day, precision = when
    if precision == "day":
        return day
    if key != "due_on":
        raise ValueError(f"{label}“{text_of(value)}”需要具体到日")
    return month_end(day)
