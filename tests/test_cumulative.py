"""Cumulative and monthly columns (vocabulary/cumulative.py): what a header says, and monthly amounts
from a mix of running totals and months' own figures without counting a month twice."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhaoshang.vocabulary.cumulative import Reading, cumulative, read_period_header, to_monthly

FUNDS = ("到位", "到位资金")
DONE = ("完成投资",)


@pytest.mark.parametrize(
    ("text", "measures", "expected"),
    [
        ("1-6月累计到位", FUNDS, Reading("cumulative", 6)),
        ("1—6月到位资金（万元）", FUNDS, Reading("cumulative", 6)),
        ("１－６月到位资金(万美元)", FUNDS, Reading("cumulative", 6)),
        ("1月-6月累计到位资金", FUNDS, Reading("cumulative", 6)),
        ("1至12月到位资金", FUNDS, Reading("cumulative", 12)),
        ("2023年1-8月累计完成投资", DONE, Reading("cumulative", 8)),
        ("1-8月完成投资（亿元）", DONE, Reading("cumulative", 8)),
        ("累计到位", FUNDS, Reading("cumulative", None)),
        ("累计到位资金", FUNDS, Reading("cumulative", None)),
        ("累计完成投资", DONE, Reading("cumulative", None)),
        ("本年累计到位", FUNDS, Reading("cumulative", None)),
        ("截至6月底累计到位", FUNDS, Reading("cumulative", 6)),
        ("截至6月底到位资金", FUNDS, Reading("cumulative", 6)),
        ("6月累计到位", FUNDS, Reading("cumulative", 6)),
        ("本月累计到位", FUNDS, Reading("cumulative", None)),
        ("6月到位", FUNDS, Reading("monthly", 6)),
        ("6月份完成投资", DONE, Reading("monthly", 6)),
        ("十二月到位资金", FUNDS, Reading("monthly", 12)),
        ("10月到位资金", FUNDS, Reading("monthly", 10)),
        ("2023年6月到位", FUNDS, Reading("monthly", 6)),
        ("本月到位资金", FUNDS, Reading("monthly", None)),
        ("本月完成投资", DONE, Reading("monthly", None)),
        ("当月到位 （万元）", FUNDS, Reading("monthly", None)),
        # not these measures, or no running total
        ("到位资金", FUNDS, None),
        ("6月完成投资", FUNDS, None),
        ("1-6月累计到位", DONE, None),
        ("4-6月到位", FUNDS, None),
        ("13月到位", FUNDS, None),
        ("总投资", FUNDS, None),
        ("年度计划投资", DONE, None),
        ("", FUNDS, None),
    ],
)
def test_read_period_header(text: str, measures: tuple[str, ...], expected: Reading | None) -> None:
    assert read_period_header(text, measures) == expected


def test_cumulative_sums_months_up_to_the_month() -> None:
    assert cumulative({1: 10, 3: 5, 7: 100}, 6) == 15
    assert cumulative({1: 10, 3: 5, 7: 100}, 12) == 115
    assert cumulative({}, 6) == 0
    assert cumulative({5: 3}, 0) == 0


def test_a_cumulative_column_gives_its_month_the_difference() -> None:
    # 1-6月累计 120 on an empty ledger: June holds it all (the months before are not known apart)
    assert to_monthly([(6, "cumulative", 120)], {}) == ({6: 120}, [])
    # next month's ledger: 1-7月累计 150 → July 30
    assert to_monthly([(7, "cumulative", 150)], {6: 120}) == ({7: 30}, [])
    # the same ledger again changes nothing
    assert to_monthly([(6, "cumulative", 120)], {6: 120}) == ({}, [])
    assert to_monthly([(7, "cumulative", 150)], {6: 120, 7: 30}) == ({}, [])


def test_a_monthly_column_sets_its_month() -> None:
    assert to_monthly([(6, "monthly", 20)], {}) == ({6: 20}, [])
    assert to_monthly([(6, "monthly", 20)], {6: 20}) == ({}, [])
    assert to_monthly([(6, "monthly", 25)], {6: 20, 5: 7}) == ({6: 25}, [])
    # a zero where nothing was stored is no change; a zero over a stored amount is
    assert to_monthly([(6, "monthly", 0)], {}) == ({}, [])
    assert to_monthly([(6, "monthly", 0)], {6: 20}) == ({6: 0}, [])


def test_a_wide_layout_counts_each_month_once() -> None:
    # 1-5月累计 100, 6月 20, 1-6月累计 120: May holds 100, June 20, nothing twice
    points = [(5, "cumulative", 100), (6, "monthly", 20), (6, "cumulative", 120)]
    assert to_monthly(points, {}) == ({5: 100, 6: 20}, [])
    # 6月 20 with 1-6月累计 120 alone: the months before June hold 100, kept in May
    assert to_monthly([(6, "monthly", 20), (6, "cumulative", 120)], {}) == ({5: 100, 6: 20}, [])
    # ... less what the ledger already knows of them
    assert to_monthly([(6, "monthly", 20), (6, "cumulative", 120)], {2: 60}) == ({5: 40, 6: 20}, [])


def test_a_cumulative_below_the_known_one_is_an_error() -> None:
    changes, errors = to_monthly([(7, "cumulative", 100)], {6: 120})
    assert changes == {}
    assert errors == [(7, "1-7月累计 100 低于已知的1-6月累计 120")]
    # a correction of the month itself is no error
    assert to_monthly([(6, "cumulative", 100)], {6: 120}) == ({6: 100}, [])


@pytest.mark.parametrize(
    ("points", "month"),
    [
        ([(6, "monthly", 30), (6, "cumulative", 20)], 6),  # total below its own month
        ([(5, "cumulative", 90), (6, "monthly", 20), (6, "cumulative", 120)], 6),  # 120-20 ≠ 90
        ([(1, "monthly", 5), (1, "cumulative", 6)], 1),
        ([(6, "monthly", 5), (6, "monthly", 6)], 6),
        ([(6, "cumulative", 5), (6, "cumulative", 6)], 6),
        ([(13, "monthly", 5)], 13),
        ([(6, "monthly", -5)], 6),
    ],
)
def test_inconsistent_figures_are_errors_and_store_nothing(points: list, month: int) -> None:
    changes, errors = to_monthly(points, {})
    assert changes == {}
    assert [m for m, _ in errors] == [month]


@settings(deadline=None)  # a shared machine: no timing in tests
@given(st.dictionaries(st.integers(1, 12), st.integers(0, 10**6), max_size=12), st.data())
def test_running_totals_of_any_year_give_back_its_months(months: dict[int, int], data: st.DataObject) -> None:
    """A year's months, given as any mix of running totals and months' own figures month by month
    (each month's ledger seeing what the earlier ones stored), end as the same monthly amounts."""
    stored: dict[int, int] = {}
    for month in range(1, 13):
        if data.draw(st.booleans()):
            point = (month, "cumulative", cumulative(months, month))
        else:
            point = (month, "monthly", months.get(month, 0))
        changes, errors = to_monthly([point], stored)
        assert errors == []
        stored.update(changes)
        assert cumulative(stored, month) == cumulative(months, month)
    assert {m: a for m, a in stored.items() if a} == {m: a for m, a in months.items() if a}
    # importing every ledger again changes nothing
    for month in range(1, 13):
        assert to_monthly([(month, "cumulative", cumulative(months, month))], stored) == ({}, [])
