"""Money as ledgers write it: "10.3亿", "5000万", "1200万美元" → whole 万元 / 万美元, never a float.

Parsers return a value, None for "known to be unknown" (待定, "/", blank), or raise ValueError with a
short Chinese reason that callers put next to the cell or option that held the value.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from zhaoshang.vocabulary.text import normalize_text

UNKNOWN_WORDS = frozenset({"待定", "未定", "暂定", "不详", "未知", "无", "/", "-", "—", "——", "－", "", "nan"})
_HEDGES = ("约", "大约", "近", "逾", "超过", "超", "余", "多", "左右", "以上", "以下", "不低于", "不少于",
           "不超过", "上下", "至少", "预计", "估", "<", ">", "≥", "≤", "~", "～")
_CURRENCY = {
    # suffix: (target field, multiplier into 万 of that currency)
    "亿元人民币": ("wan", Decimal(10000)),
    "亿人民币": ("wan", Decimal(10000)),
    "亿元": ("wan", Decimal(10000)),
    "亿": ("wan", Decimal(10000)),
    "万元人民币": ("wan", Decimal(1)),
    "万人民币": ("wan", Decimal(1)),
    "万元": ("wan", Decimal(1)),
    "万": ("wan", Decimal(1)),
    "元": ("wan", Decimal("0.0001")),
    "亿美元": ("usd", Decimal(10000)),
    "万美元": ("usd", Decimal(1)),
    "美元": ("usd", Decimal("0.0001")),
}
_DEFAULT_UNIT = {"亿元": ("wan", Decimal(10000)), "万元": ("wan", Decimal(1)), "万美元": ("usd", Decimal(1))}
_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)(.*)$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])")


MAX_DIGITS = 15  # no amount in any unit has more than 16 digits before the point


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 24 else f"{text[:20]}…（{len(text)} 位）"


@dataclass(frozen=True)
class Amount:
    """A parsed investment amount: 内资 in 万元 and/or 外资 in 万美元, both whole numbers."""

    wan: int | None = None
    usd_wan: int | None = None


def _to_wan(number: Decimal) -> int:
    return int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_amount(value: object, default_unit: str = "亿元") -> Amount | None:
    """Parse "10.3亿", "5000万", "５０００万元", "1200万美元", "1,200" (in `default_unit`).

    Returns None for an unknown amount (待定, blank). Raises ValueError for hedged, ranged or
    malformed text; money never goes through float.
    """
    if default_unit not in _DEFAULT_UNIT:
        raise ValueError(f"金额单位“{default_unit}”无效，可用：亿元、万元、万美元")
    if isinstance(value, bool):
        raise ValueError("不是金额")
    if isinstance(value, int):
        number, suffix = Decimal(value), ""
    elif isinstance(value, float):
        if value != value:  # NaN: an empty numeric cell
            return None
        if value in (math.inf, -math.inf):
            raise ValueError(f"金额“{value}”不是有限的数")
        number, suffix = Decimal(repr(value)), ""
    elif isinstance(value, Decimal):
        number, suffix = value, ""
    else:
        text = normalize_text(str(value if value is not None else ""))
        if text.lower() in UNKNOWN_WORDS:
            return None
        for hedge in _HEDGES:
            if hedge in text:
                raise ValueError(f"金额“{value}”不确定（含“{hedge}”），请填写确数")
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        elif re.match(r"^\d+,\d", text):
            raise ValueError(f"金额“{value}”的千分位不对（应每三位一个逗号，如 1,200）")
        if re.match(r"^-\s*\d", text):
            raise ValueError(f"金额“{value}”为负数")
        match = _NUMBER.match(text)
        if not match:
            if re.search(r"\d", text):
                raise ValueError(f"金额“{value}”无法识别")
            raise ValueError(f"金额“{value}”不是数字")
        try:
            number = Decimal(match.group(1))
        except InvalidOperation as exc:  # pragma: no cover - the regex admits only digits
            raise ValueError(f"金额“{value}”无法识别") from exc
        suffix = match.group(2)
        if re.search(r"[\-–—~～至到]", suffix) or re.match(r"^[、,，/和及]\s*\d", suffix):
            raise ValueError(f"金额“{value}”是区间或多个数，请填写确数")
        if re.search(r"\d", suffix):
            raise ValueError(f"金额“{value}”无法识别")
    if not number.is_finite():
        raise ValueError(f"金额“{value}”不是有限的数")
    if number < 0:
        raise ValueError(f"金额“{value}”为负数")
    if number.adjusted() > MAX_DIGITS:
        raise ValueError(f"金额“{_short(value)}”大得不像金额")
    if suffix:
        if suffix not in _CURRENCY:
            raise ValueError(f"金额“{value}”的单位“{suffix}”无法识别（可用：亿元、万元、万美元）")
        field, factor = _CURRENCY[suffix]
    else:
        field, factor = _DEFAULT_UNIT[default_unit]
    wan = _to_wan(number * factor)
    return Amount(wan=wan) if field == "wan" else Amount(usd_wan=wan)


IMPLAUSIBLE_WAN = 100_000_000  # 1 万亿元 in 万元: no single project is larger; a bigger figure is a unit slip


def implausible(wan: int | None) -> bool:
    """The one rule for a project's investment, typed or imported: more than 1 万亿元 is a unit slip."""
    return wan is not None and wan > IMPLAUSIBLE_WAN


def parse_investment(value: object, default_unit: str = "亿元") -> Amount | None:
    """parse_amount for a project's investment: also refuses an amount no project has (implausible)."""
    amount = parse_amount(value, default_unit)
    if amount is not None and implausible(amount.wan):
        assert amount.wan is not None
        raise ValueError(f"金额“{value}”折合{amount.wan / 1e8:g}万亿元，不像一个项目的投资额，请检查单位")
    return amount


def format_yi(wan: int | None, digits: int = 2) -> str:
    """万元 → 亿元 text with fixed decimals, exact (Decimal), half-up."""
    if wan is None:
        return ""
    yi = (Decimal(wan) / Decimal(10000)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return f"{yi:,.{digits}f}"
