"""Pure parsers for the values clerks type and ledgers hold: amounts, dates, stage words, names.

Nothing here touches the database. Each parser either returns a value, returns None for "known to be
unknown" (待定, "/", blank), or raises ValueError with a short Chinese reason that callers put next to
the cell or option that held the value.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# --------------------------------------------------------------------------- text


def normalize_text(value: str) -> str:
    """Full-width to half-width (NFKC), line breaks and runs of spaces removed, ends stripped."""
    text = unicodedata.normalize("NFKC", value)
    return re.sub(r"\s+", "", text)


def clean_cell(value: object) -> str:
    """A cell as text with NFKC and outer white space removed (inner single spaces kept)."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"\s+", " ", text).strip()


# --------------------------------------------------------------------------- amounts

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
    if number < 0:
        raise ValueError(f"金额“{value}”为负数")
    if suffix:
        if suffix not in _CURRENCY:
            raise ValueError(f"金额“{value}”的单位“{suffix}”无法识别（可用：亿元、万元、万美元）")
        field, factor = _CURRENCY[suffix]
    else:
        field, factor = _DEFAULT_UNIT[default_unit]
    wan = _to_wan(number * factor)
    return Amount(wan=wan) if field == "wan" else Amount(usd_wan=wan)


def format_yi(wan: int | None, digits: int = 2) -> str:
    """万元 → 亿元 text with fixed decimals, exact (Decimal), half-up."""
    if wan is None:
        return ""
    yi = (Decimal(wan) / Decimal(10000)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return f"{yi:,.{digits}f}"


# --------------------------------------------------------------------------- dates


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
        nxt = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)

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
    if not 1900 <= year <= 2200:
        raise ValueError(f"日期“{original}”的年份不合理")
    return LedgerDate(year, month, day)


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
        return LedgerDate.of(value.date())
    if isinstance(value, dt.date):
        return LedgerDate.of(value)
    if isinstance(value, bool):
        raise ValueError(f"日期“{value}”无法识别")
    if isinstance(value, (int, float)):
        if value != value:  # NaN
            return None
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


# --------------------------------------------------------------------------- stages

STAGES = ("planned", "lead", "negotiating", "signed", "ready", "started", "producing")
TERMINATED = "terminated"
ALL_STAGES = (*STAGES, TERMINATED)
STAGE_RANK = {stage: rank for rank, stage in enumerate(STAGES)}
STAGE_ZH = {
    "planned": "谋划",
    "lead": "线索",
    "negotiating": "在谈",
    "signed": "签约",
    "ready": "具备开工条件",
    "started": "开工",
    "producing": "投产",
    "terminated": "终止",
}
# The JSON key of each stage's date.
STAGE_DATE_KEY = {
    "planned": "planned_on",
    "lead": "lead_on",
    "negotiating": "negotiating_on",
    "signed": "signed_on",
    "ready": "ready_on",
    "started": "started_on",
    "producing": "produced_on",
    "terminated": "terminated_on",
}
_STAGE_WORDS: dict[str, str] = {}
for _stage, _words in {
    "planned": "谋划 谋划中 谋划项目 策划 策划中 储备 储备项目",
    "lead": "线索 项目线索 信息 对接 对接中 接洽 接洽中 初步接洽 初步对接 跟踪 跟踪对接 考察 考察中",
    "negotiating": "在谈 洽谈 洽谈中 正在洽谈 在洽谈 商谈 商谈中 谈判 谈判中 拟签约 待签约 意向 意向签约 "
    "签订意向 已签意向 已签订意向协议 在谈项目 深度洽谈 深入洽谈",
    "signed": "签约 已签约 签约项目 签订协议 已签订协议 已签协议 签约落地 前期手续办理中 手续办理中 "
    "办理前期手续 前期 前期工作 前期准备 已注册 注册落地 待开工 拟开工 签约未开工 已签约未开工 签约待开工",
    "ready": "具备开工条件 已具备开工条件 具备开工 开工条件具备",
    "started": "开工 已开工 开工建设 在建 建设中 正在建设 施工中 在施工 续建 新开工 主体施工 主体完工 设备安装",
    "producing": "投产 已投产 试生产 试投产 竣工投产 建成投产 部分投产 达产 已达产 运营 已运营 投入运营",
    "terminated": "终止 已终止 取消 已取消 放弃 停止 中止 退出 撤销",
}.items():
    for _word in _words.split():
        _STAGE_WORDS[_word] = _stage


def builtin_stage_words() -> dict[str, str]:
    return dict(_STAGE_WORDS)


def parse_stage(value: object, extra: dict[str, str] | None = None) -> str:
    """Map a stage word ("洽谈中", "已签约", "started") to its key; raise naming an unknown word."""
    text = normalize_text(str(value if value is not None else "")).rstrip("。.;；")
    if not text:
        raise ValueError("没有填写项目阶段")
    key = text.lower()
    if key in ALL_STAGES:
        return key
    if extra and text in extra:
        return extra[text]
    if text in _STAGE_WORDS:
        return _STAGE_WORDS[text]
    raise ValueError(f"阶段“{value}”无法对应到项目阶段，可用：{'、'.join(STAGE_ZH.values())}；"
                     "或用 zs stages map 增加对应")


def stage_word(text: str, extra: dict[str, str] | None = None) -> str | None:
    """The stage a whole cell names, or None when the cell is prose (e.g. a progress note)."""
    try:
        return parse_stage(text, extra)
    except ValueError:
        return None


# --------------------------------------------------------------------------- names

_NAME_PREFIX = re.compile(r"^(区|市|县)")
_NAME_SUFFIX = re.compile(r"(产业链|产业|链)$")


def name_key(value: str) -> str:
    """Normalised form for matching unit and chain names: width, spaces, 区/市/县 prefix, 产业链 suffix."""
    text = normalize_text(value)
    text = _NAME_PREFIX.sub("", text)
    stripped = _NAME_SUFFIX.sub("", text)
    return stripped or text


# --------------------------------------------------------------------------- problems (存在问题)

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
