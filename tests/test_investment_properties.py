"""Plan, completed investment and completion rate, computed here apart from the report code for every
month of a generated year, against the month and year reports' JSON."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import Zs
from sheets import csv_file
from zhaoshang.db.engine import dispose_all

UNITS = ("区工信局", "税郭镇", "孟庄镇")
CHAINS = ("高端装备", "新能源")

projects = st.lists(st.fixed_dictionaries({
    "unit": st.sampled_from(UNITS),
    "chain": st.sampled_from(CHAINS),
    "stage": st.sampled_from(["签约", "在建", "终止"]),
    "plan": st.one_of(st.none(), st.integers(0, 90_000)),
    "months": st.dictionaries(st.integers(1, 12), st.integers(0, 9_000), max_size=12),
}), min_size=1, max_size=6)


def expected(rows: list[dict], month: int, key: str | None = None, value: str | None = None) -> dict:
    """What the report should say: live projects only, plan of the year, months 1..month summed."""
    mine = [r for r in rows if r["stage"] != "终止" and (key is None or r[key] == value)]
    plan = sum(r["plan"] or 0 for r in mine)
    done = sum(a for r in mine for m, a in r["months"].items() if m <= month)
    return {"plan_wan": plan, "completed_wan": done, "completion_rate": round(done / plan, 4) if plan else None}


@settings(max_examples=5, deadline=None, phases=(Phase.explicit, Phase.reuse, Phase.generate),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=projects)
def test_every_month_of_a_year_matches_its_own_arithmetic(template_db: Path, tmp_path_factory, rows) -> None:  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("investment")
    db = tmp / "ledger.db"
    shutil.copy(template_db, db)
    zs = Zs(str(db))
    header = ["项目编号", "项目名称", "责任单位", "所属产业链", "项目阶段", "2023年计划投资（万元）",
              *(f"{m}月份完成投资（万元）" for m in range(1, 13))]
    table = [[f"T-{i}", f"项目{i}", r["unit"], r["chain"], r["stage"], "" if r["plan"] is None else r["plan"],
              *(r["months"].get(m, "") for m in range(1, 13))] for i, r in enumerate(rows)]
    zs.ok("import", str(csv_file(tmp / "推进表.csv", [header, *table])), "--year", "2023")
    keys = ("plan_wan", "completed_wan", "completion_rate")
    any_data = any(r["plan"] is not None or any(r["months"].values()) for r in rows if r["stage"] != "终止")
    for month in range(1, 13):
        for kind in ("--month", "--year"):
            if kind == "--year" and month != 12:
                continue
            data = zs.json("report", kind, "--as-of", f"2023-{month:02d}-28")
            if not any_data and "plan_wan" not in data["totals"]:
                continue
            assert {k: data["totals"][k] for k in keys} == expected(rows, month), (kind, month)
            for row in data["by_unit"]:
                assert {k: row[k] for k in keys} == expected(rows, month, "unit", row["unit"]), (month, row["unit"])
            for row in data["by_chain"]:
                assert {k: row[k] for k in keys} == expected(rows, month, "chain", row["chain"]), (month, row["chain"])
    dispose_all()
