"""Cumulative and monthly columns, written once: 到位资金 and 完成投资 alike (DESIGN §10).

A ledger gives a figure either as a month's own amount (6月到位, 本月完成投资) or as the running total
of the year so far (1-6月累计到位, 累计完成投资). The ledger keeps MONTHLY amounts per project and month;
a cumulative figure gives its month's amount as the difference from the cumulative already known for
the months before it, so importing the same or a later ledger never counts a month twice. A cumulative
figure below the one already known is an error, never a negative month.

Pure: no ledger, no database. Amounts are whole 万元 or 万美元 (the caller keeps them apart).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from zhaoshang.vocabulary.text import normalize_text

CUMULATIVE = "cumulative"
MONTHLY = "monthly"


class Reading(NamedTuple):
    """What a column header says of its figure's period."""

    kind: str  # "cumulative" or "monthly"
    month: int | None  # the month (1–12) the figure runs to / belongs to; None: the ledger's as-of month


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
              "十一": 11, "十二": 12, "元": 1, "正": 1}
_MONTH = r"(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九元正])"
_BRACKETS = re.compile(r"[(\[【][^)\]】]*[)\]】]")
_YEAR = re.compile(r"^(?:(?:19|20)\d{2}|本|今|当)年度?")
_SINCE = re.compile(r"^(?:年初至今|年初以来|截至到?|截止到?|至)")
_RANGE = re.compile(rf"^{_MONTH}(?:月份?)?[-~至到—–－]{_MONTH}(?:月底|月末|月份|月)")
_ONE_MONTH = re.compile(rf"^{_MONTH}(?:月底|月末|月份|月)")
_THIS_MONTH = re.compile(r"^(?:本|当)月(?:份|底|末)?")
_CUM_WORDS = ("累计", "累积", "合计")


def _month(token: str) -> int:
    return int(token) if token.isdigit() else _CN_DIGITS[token]


def read_period_header(text: str, measures: Sequence[str]) -> Reading | None:
    """The period a header's figure covers, or None when the header is not one of `measures`.

    measures are the words of the figure, e.g. ("到位", "到位资金") or ("完成投资",):
    "1-6月累计到位" / "1—6月到位资金（万元）" → cumulative to June; "累计到位" → cumulative to the as-of
    month; "6月到位" / "6月份完成投资" → June's own amount; "本月到位资金" → the as-of month's own amount.
    A range that does not start in January (4-6月到位) is no running total and reads as None.
    """
    rest = _BRACKETS.sub("", normalize_text(text))
    rest = re.sub(r"(万元|亿元|万美元|元)$", "", rest)
    year = False
    if match := _YEAR.match(rest):
        year, rest = True, rest[match.end():]
    since = False
    if match := _SINCE.match(rest):
        since, rest = True, rest[match.end():]
    kind: str | None = None
    month: int | None = None
    if match := _RANGE.match(rest):
        if _month(match.group(1)) != 1:
            return None
        kind, month = CUMULATIVE, _month(match.group(2))
        rest = rest[match.end():]
    elif match := _ONE_MONTH.match(rest):
        kind, month = (CUMULATIVE if since else MONTHLY), _month(match.group(1))
        rest = rest[match.end():]
    elif match := _THIS_MONTH.match(rest):
        kind = CUMULATIVE if since else MONTHLY
        rest = rest[match.end():]
    elif year or since:
        # "本年到位资金", "2023年完成投资", "年初至今到位": the year so far
        kind = CUMULATIVE
    if month is not None and not 1 <= month <= 12:
        return None
    for word in _CUM_WORDS:
        if rest.startswith(word):
            # "累计到位", "1-6月累计到位", "6月累计到位" (to June), "本月累计" (to the as-of month)
            kind = CUMULATIVE
            rest = rest[len(word):]
            break
    if kind is None or rest not in {normalize_text(m) for m in measures}:
        return None
    return Reading(kind, month)


def cumulative(monthly: Mapping[int, int], month: int) -> int:
    """The running total of months 1..month."""
    return sum(amount for m, amount in monthly.items() if 1 <= m <= month)


def _span(month: int) -> str:
    return "1月" if month == 1 else f"1-{month}月"


def to_monthly(
    points: Iterable[tuple[int, str, int]], before: Mapping[int, int]
) -> tuple[dict[int, int], list[tuple[int, str]]]:
    """Monthly amounts to store for one project and one year, and the errors that stop them.

    points are (month, kind, amount): kind "monthly" is the month's own amount (it replaces what is
    stored for that month), "cumulative" the total of months 1..month (the month gets its difference
    from the total known for the months before). A month given both ways also fixes the total of the
    months before it (1-6月累计 120 with 6月 20 says 1-5月 was 100). `before` holds the amounts already
    stored per month. Returns the months whose amount changes (month → new monthly amount) and the
    errors as (month, reason); when there is any error nothing is to be stored.
    """
    monthly: dict[int, set[int]] = {}
    totals: dict[int, set[int]] = {}
    errors: list[tuple[int, str]] = []
    for month, kind, amount in points:
        if not 1 <= month <= 12:
            errors.append((month, f"月份 {month} 无效"))
        elif amount < 0:
            errors.append((month, f"金额 {amount} 为负数"))
        elif kind == MONTHLY:
            monthly.setdefault(month, set()).add(amount)
        elif kind == CUMULATIVE:
            totals.setdefault(month, set()).add(amount)
        else:
            errors.append((month, f"未知的口径“{kind}”"))
    for month, amounts in sorted(monthly.items()):
        if len(amounts) > 1:
            errors.append((month, f"{month}月给了不同的金额：{'、'.join(map(str, sorted(amounts)))}"))
    for month, amounts in sorted(totals.items()):
        if len(amounts) > 1:
            errors.append((month, f"{_span(month)}累计给了不同的金额：{'、'.join(map(str, sorted(amounts)))}"))
    if errors:
        return {}, errors
    month_of = {m: next(iter(a)) for m, a in monthly.items()}
    total_of = {m: next(iter(a)) for m, a in totals.items()}
    # a month given both ways fixes the total before it; walk down so that chains of such months agree
    for month in sorted(set(month_of) & set(total_of), reverse=True):
        earlier = total_of[month] - month_of[month]
        if earlier < 0:
            errors.append((month, f"{_span(month)}累计 {total_of[month]} 小于{month}月的 {month_of[month]}"))
        elif month == 1:
            if earlier:
                errors.append((1, f"1月累计 {total_of[1]} 与1月的 {month_of[1]} 不一致"))
        elif month - 1 in total_of and total_of[month - 1] != earlier:
            errors.append((month, f"{_span(month)}累计 {total_of[month]} 减去{month}月的 {month_of[month]}"
                                  f" 与{_span(month - 1)}累计 {total_of[month - 1]} 不一致"))
        else:
            total_of[month - 1] = earlier
    if errors:
        return {}, errors
    state = dict(before)
    for month in range(1, 13):
        if month in month_of:
            state[month] = month_of[month]
        elif month in total_of:
            known = cumulative(state, month - 1)
            if total_of[month] < known:
                errors.append((month, f"{_span(month)}累计 {total_of[month]} 低于已知的"
                                      f"{_span(month - 1)}累计 {known}"))
                continue
            state[month] = total_of[month] - known
    if errors:
        return {}, errors
    changes = {m: amount for m, amount in state.items() if amount != before.get(m, 0)}
    return changes, []
