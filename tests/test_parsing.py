"""The pure parsers: amounts, dates, stage words, names."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhaoshang.vocabulary.amounts import Amount, format_yi, parse_amount
from zhaoshang.vocabulary.dates import LedgerDate, parse_date
from zhaoshang.vocabulary.stages import parse_stage
from zhaoshang.vocabulary.text import name_key

FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.3亿", Amount(wan=103000)),
        ("10.3亿元", Amount(wan=103000)),
        ("5000万", Amount(wan=5000)),
        ("５０００万元", Amount(wan=5000)),
        ("1200万美元", Amount(usd_wan=1200)),
        ("1.2亿美元", Amount(usd_wan=12000)),
        ("60", Amount(wan=600000)),
        ("1,200万", Amount(wan=1200)),
        (" 20 亿 ", Amount(wan=200000)),
        ("0.00005亿", Amount(wan=1)),  # 0.5 万元 rounds half up
        ("3000000元", Amount(wan=300)),
    ],
)
def test_amounts(text: str, expected: Amount) -> None:
    assert parse_amount(text) == expected


def test_bare_number_uses_the_default_unit() -> None:
    assert parse_amount("5000", "万元") == Amount(wan=5000)
    assert parse_amount(5000, "万美元") == Amount(usd_wan=5000)
    assert parse_amount(10.3) == Amount(wan=103000)


@pytest.mark.parametrize(
    "text", ["约10亿", "10亿以上", "5-8亿", "10多亿", "近5000万", "5～8亿", "十亿", "10港元", "-5亿"]
)
def test_hedged_or_malformed_amounts_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)


@pytest.mark.parametrize("text", ["待定", "未定", "", "/", "—", None])
def test_unknown_amounts_are_none(text: str | None) -> None:
    assert parse_amount(text) is None


@given(st.decimals(min_value=0, max_value=100000, places=4, allow_nan=False, allow_infinity=False))
def test_yi_amounts_are_exact_without_float_drift(yi: Decimal) -> None:
    text = f"{yi}亿"
    wan = parse_amount(text).wan  # type: ignore[union-attr]
    assert wan == int((yi * 10000).to_integral_value(rounding="ROUND_HALF_UP"))
    # Full-width digits mean the same.
    assert parse_amount(text.translate(FULL_WIDTH)) == parse_amount(text)


@given(st.integers(min_value=0, max_value=10**9))
def test_wan_round_trips_through_the_yi_display(wan: int) -> None:
    shown = format_yi(wan, digits=4).replace(",", "")
    assert parse_amount(shown + "亿").wan == wan  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-06-26", LedgerDate(2023, 6, 26)),
        ("2023/6/26", LedgerDate(2023, 6, 26)),
        ("2023.6.26", LedgerDate(2023, 6, 26)),
        ("2023年6月26日", LedgerDate(2023, 6, 26)),
        ("２０２３年６月２６日", LedgerDate(2023, 6, 26)),
        ("20230626", LedgerDate(2023, 6, 26)),
        ("2023-06-26 00:00:00", LedgerDate(2023, 6, 26)),
        ("2023年6月", LedgerDate(2023, 6)),
        ("2023.6", LedgerDate(2023, 6)),
        ("2023-06", LedgerDate(2023, 6)),
        ("202306", LedgerDate(2023, 6)),
        (45103, LedgerDate(2023, 6, 26)),  # an Excel serial
        (dt.datetime(2023, 6, 26, 9, 30), LedgerDate(2023, 6, 26)),
    ],
)
def test_dates(text: object, expected: LedgerDate) -> None:
    assert parse_date(text) == expected


def test_month_precision_is_kept() -> None:
    month = parse_date("2023年6月")
    assert month is not None and month.precision == "month" and month.iso() == "2023-06"
    assert month.first == dt.date(2023, 6, 1) and month.last == dt.date(2023, 6, 30)


def test_year_less_dates_need_a_year() -> None:
    assert parse_date("6月26日", year=2023) == LedgerDate(2023, 6, 26)
    with pytest.raises(ValueError, match="年份"):
        parse_date("6月26日")


@pytest.mark.parametrize("text", ["2023-02-30", "2023-13-01", "2023年6月下旬", "上半年", "2023.6.31"])
def test_impossible_or_vague_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize("text", ["/", "—", "", "无", None])
def test_no_date(text: str | None) -> None:
    assert parse_date(text) is None


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_day_dates_round_trip_in_every_style(day: dt.date) -> None:
    styles = [day.isoformat(), f"{day.year}/{day.month}/{day.day}", f"{day.year}.{day.month}.{day.day}",
              f"{day.year}年{day.month}月{day.day}日", day.strftime("%Y%m%d")]
    for text in styles:
        assert parse_date(text) == LedgerDate.of(day)
        assert parse_date(unicodedata.normalize("NFKC", text).translate(FULL_WIDTH)) == LedgerDate.of(day)
    assert parse_date(parse_date(day.isoformat()).iso()) == LedgerDate.of(day)  # type: ignore[union-attr]


def test_a_day_in_a_month_sorts_before_the_month() -> None:
    assert LedgerDate(2023, 6, 30).sort_key() < LedgerDate(2023, 6).sort_key()


@pytest.mark.parametrize(
    ("word", "stage"),
    [("洽谈中", "negotiating"), ("正在洽谈", "negotiating"), ("拟签约", "negotiating"), ("已签约", "signed"),
     ("前期手续办理中", "signed"), ("在建", "started"), ("开工建设", "started"), ("试生产", "producing"),
     ("已投产", "producing"), ("具备开工条件", "ready"), ("谋划", "planned"), ("signed", "signed"),
     (" 在 谈 ", "negotiating"), ("终止", "terminated")],
)
def test_stage_words(word: str, stage: str) -> None:
    assert parse_stage(word) == stage


def test_unknown_stage_word_is_named() -> None:
    with pytest.raises(ValueError, match="考察完成"):
        parse_stage("考察完成")
    assert parse_stage("已摘地", {"已摘地": "signed"}) == "signed"


def test_name_keys() -> None:
    assert name_key("区工信局") == name_key("工信局")
    assert name_key("新能源产业链") == name_key("新能源") == name_key(" 新能源 ")
