"""How a figure shows as text: one rounding rule, half-up (DESIGN §10), in every format."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def half_up(value: float | int | Decimal, digits: int = 1, scale: int = 0) -> str:
    """A figure as text with `digits` decimals, rounded half-up: `scale` moves the point first
    (percent: 2), from the number as it is written, so 0.0625 shows 6.3 and never 6.2 as binary
    floating point would have it."""
    number = value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else value)
    return f"{number.scaleb(scale).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP):.{digits}f}"


def percent(value: float | None, digits: int = 1) -> str:
    """0.0625 → "6.3%" (half-up)."""
    return "" if value is None else half_up(value, digits, 2) + "%"
