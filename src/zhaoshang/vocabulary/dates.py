"""Dates as ledgers hold them: to the day or only to the month (LedgerDate), and the parser of every
form clerks type (Excel serials, 2023-06-26, 2023年6月26日, month-only 2023年6月 / 202306 …)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from zhaoshang.vocabulary.months import month_end
from zhaoshang.vocabulary.text import normalize_text


@dataclass(frozen=True, order=True)
class LedgerDate:
    """A date as a ledger knows it: to the day, or only to the month (day is None)."""

    year: int
    month: int
    day: int | None = None

    @property
    def precision(self) -> str:
        return "month" if self.day is None else "day"

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, self.day or 1)

    @property
    def last(self) -> dt.date:
        if self.day is not None:
            return self.first
        return month_end(self.first)

    def after(self, today: dt.date) -> bool:
        """Not happened yet on `today` — the one rule for a done date on every path: a day after today,
        or a month that is not over (2026年12月 has not happened on 2026-12-03). Typed, such a date is
        refused unless --force; in a ledger row it is the plan."""
        return self.last > today

    def iso(self) -> str:
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def __str__(self) -> str:
        return self.iso()

    @classmethod
    def of(cls, day: dt.date) -> LedgerDate:
        return cls(day.year, day.month, day.day)

    @classmethod
    def stored(cls, day: dt.date | None, precision: str | None) -> LedgerDate | None:
        """Rebuild from a stored (date, precision) pair; month precision is kept as the 1st."""
        if day is None:
            return None
        return cls(day.year, day.month, None if precision == "month" else day.day)

    def sort_key(self) -> tuple[int, int, int]:
        """Orders a month before nothing but after no day of it: a day date in the same month is earlier."""
        return (self.year, self.month, self.day if self.day is not None else 32)


def iso(value: LedgerDate | dt.date | None) -> str | None:
    """ISO text of a ledger date (2023-06 for a month only) or of a day; None stays None."""
    if value is None:
        return None
    return value.iso() if isinstance(value, LedgerDate) else value.isoformat()


NO_DATE_WORDS = frozenset({"", "/", "-", "—", "——", "－", "无", "暂无", "待定", "未定", "nan", "none", "null"})
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DAY_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:T?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})年(\d{1,2})月(?:份)?$"),
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})$"),
)
_YEARLESS = (
    re.compile(r"^(\d{1,2})月(\d{1,2})[日号]?$"),
    re.compile(r"^(\d{1,2})[/.-](\d{1,2})$"),
)


def _checked(year: int, month: int, day: int | None, original: object) -> LedgerDate:
    if not 1 <= month <= 12:
        raise ValueError(f"日期“{original}”的月份不存在")
    if day is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"日期“{original}”不存在") from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"日期“{original}”的年份不合理（应在 {FIRST_YEAR}—{LAST_YEAR} 年间）")
    return LedgerDate(year, month, day)


# The years a ledger's dates can fall in, typed, serial or text: the one rule for every path.
FIRST_YEAR, LAST_YEAR = 1949, 2100


def plausible_day(day: dt.date, original: object = None) -> dt.date:
    """A typed date cell's day, or ValueError when it is outside FIRST_YEAR–LAST_YEAR (a date cell
    holding 0, a NaN or -1e308 comes out as 1899-12-30 or 0001-01-01)."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"日期“{original if original is not None else day}”的年份不合理"
                         f"（应在 {FIRST_YEAR}—{LAST_YEAR} 年间）")
    return day


def excel_serial(serial: float) -> dt.date:
    """Excel's 1900 date system (serial 1 = 1900-01-01; the 1900-02-29 bug is before any ledger)."""
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


# Excel serials a ledger's dates can have: 1990-01-01 to 2100-12-31. A smaller number (12, 2024)
# typed into a date column is a slip, not a day of the 1900s.
FIRST_SERIAL, LAST_SERIAL = 32874, 73415


def _year_month_number(value: float) -> LedgerDate:
    """2023.6 typed as a number: June 2023 (month precision). 2023.1 cannot be told from 2023.10,
    which Excel keeps as the same number: an error asking for the cell as text."""
    whole, _, frac = repr(value).partition(".")
    if 1900 <= int(whole) <= 2100 and len(frac) <= 2 and 1 <= int(frac) <= 12:
        if frac == "1":
            raise ValueError(f"日期“{value}”是 {whole} 年 1 月还是 10 月？请把单元格设为文本，或写成 {whole}年1月")
        return _checked(int(whole), int(frac), None, value)
    raise ValueError(f"日期“{value}”无法识别（数字应为 Excel 日期序号）")


def parse_date(value: object, year: int | None = None) -> LedgerDate | None:
    """Parse a ledger date. None means "no date" ("/", "—", blank).

    Accepts date/datetime objects, Excel serial numbers, 2023-06-26, 2023/6/26, 2023.6.26,
    2023年6月26日, 20230626, month-only 2023年6月 / 2023-06 / 2023.6 / 202306, and year-less
    6月26日 or 6/26 when `year` is given. Raises ValueError for impossible or vague dates.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return LedgerDate.of(plausible_day(value.date(), value))
    if isinstance(value, dt.date):
        return LedgerDate.of(plausible_day(value, value))
    if isinstance(value, bool):
        raise ValueError(f"日期“{value}”无法识别")
    if isinstance(value, (int, float)):
        if value != value:  # NaN
            return None
        if value in (float("inf"), float("-inf")):
            raise ValueError(f"日期“{value}”无法识别")
        if isinstance(value, float) and not value.is_integer():
            return _year_month_number(value)
        number = int(value)
        if 190001 <= number <= 220012 and 1 <= number % 100 <= 12:
            return _checked(number // 100, number % 100, None, value)
        if 19000101 <= number <= 22001231:
            return parse_date(str(number), year)
        if FIRST_SERIAL <= number <= LAST_SERIAL:
            return LedgerDate.of(excel_serial(number))
        if 1900 <= number <= 2100:
            raise ValueError(f"日期“{number}”只有年份")
        raise ValueError(f"日期“{number}”无法识别（不是 1990—2100 年间的 Excel 日期序号）")
    original = value
    text = normalize_text(str(value))
    if text.lower() in NO_DATE_WORDS:
        return None
    text = text.rstrip("。.,，")
    for pattern in _DAY_PATTERNS:
        if m := pattern.match(text):
            return _checked(int(m.group(1)), int(m.group(2)), int(m.group(3)), original)
    for pattern in _MONTH_PATTERNS:
        if m := pattern.match(text):
            return _checked(int(m.group(1)), int(m.group(2)), None, original)
    for pattern in _YEARLESS:
        if m := pattern.match(text):
            if year is None:
                raise ValueError(f"日期“{original}”没有年份，请用 --year 指定")
            return _checked(year, int(m.group(1)), int(m.group(2)), original)
    if re.fullmatch(r"\d+(\.0+)?", text) and len(text.split(".")[0]) <= 6:
        return parse_date(int(text.split(".")[0]), year)
    raise ValueError(f"日期“{original}”无法识别")
