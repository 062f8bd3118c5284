"""Another module adds per-unit columns and a list to the cadence reports without touching them."""

from __future__ import annotations

import pytest

from conftest import Zs
from zhaoshang.vocabulary.columns import Col


def extend(report, ctx) -> None:  # type: ignore[no-untyped-def]
    """What the problems module will do: count per unit, add a column, a total and a list."""
    if report.kind != "week":
        return
    counts = {u.id: {"problems_open": len(u.name)} for u in ctx.directory.units if u.kind == "town"}
    report.add_unit_columns([Col("problems_open", "未解决\n问题", "Open\nproblems", "int")], counts,
                            totals={"problems_open": sum(v["problems_open"] for v in counts.values())})
    report.add_list("problems_overdue", "逾期问题", "Overdue problems", [Col("text", "问题", "Problem")],
                    [{"text": f"截至{ctx.as_of}的逾期问题"}])


@pytest.fixture
def extended(monkeypatch: pytest.MonkeyPatch) -> None:
    from zhaoshang.reports import extensions

    monkeypatch.setattr(extensions, "EXTENSIONS", [f"{__name__}:extend"])


def test_extension_adds_a_column_a_total_and_a_list(report_district: Zs, extended: None) -> None:
    week = report_district.json("report", "--week", "--as-of", "2023-06-30")
    rows = {r["unit"]: r for r in week["by_unit"]}
    assert rows["税郭镇"]["problems_open"] == 3 and rows["区工信局"]["problems_open"] is None
    assert week["totals"]["problems_open"] == 3 + 3 + 5
    assert week["lists"]["problems_overdue"] == [{"text": "截至2023-06-30的逾期问题"}]
    table = report_district.ok("report", "--week", "--as-of", "2023-06-30").out
    assert "未解决" in table and "逾期问题（1）" in table
    month = report_district.json("report", "--month", "--as-of", "2023-06-30")
    assert "problems_open" not in month["totals"]
