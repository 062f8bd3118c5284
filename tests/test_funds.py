"""实际到位资金 and 入库纳统: `zs funds add/list`, and the import of cumulative and monthly 到位资金 columns,
入库 dates and a project known only in 万美元 — what the ledger keeps and what the reports count."""

from __future__ import annotations

from pathlib import Path

from conftest import Zs, dump
from sheets import xlsx

HEAD = ["项目编号", "项目名称", "投资方", "总投资（亿元）", "外资（万美元）", "责任单位", "所属产业链", "项目阶段",
        "签约时间", "开工时间", "入库时间"]


def _june(path: Path) -> Path:
    """A ledger as of June: running totals to May, June's own amount, and the total to June."""
    return xlsx(path, {"重点项目": [
        ["2023年重点项目推进表"],
        [*HEAD, "1-5月累计到位（万元）", "6月到位（万元）", "1-6月累计到位（万元）", "1-6月累计到位外资（万美元）"],
        ["F-001", "储能电池项目", "鲁南锂能", 30, None, "孟庄镇", "锂电新能源", "在建", "2023-03-01", "2023-05-10",
         "2023年6月", 5000, 2000, 7000, None],
        ["F-002", "精密轴承项目", "德国施耐克", "/", 1800, "区商务局", "高端装备", "已签约", "2023-06-26", None, None,
         None, None, None, 300],
        ["F-003", "预制菜项目", "绿源食品", 1.6, None, "垎塘街道", "绿色食品", "已签约", "2023-04-02", None, None,
         None, 800, None, None],
    ]})


def _july(path: Path, total: int) -> Path:
    return xlsx(path, {"重点项目": [
        ["项目编号", "项目名称", "1-7月累计到位（万元）", "本月到位外资（万美元）"],
        ["F-001", "储能电池项目", total, None],
        ["F-002", "精密轴承项目", None, 200],
    ]})


def _funds(zs: Zs) -> dict[tuple[str, str, str], int]:
    rows = zs.json("funds", "list")
    return {(r["code"], r["month"], r["source"]):
            r["amount_wan"] if r["amount_wan"] is not None else r["amount_usd_wan"] for r in rows}


def test_import_reads_cumulative_and_monthly_funds_registration_and_usd_only(zs: Zs, tmp_path: Path) -> None:
    zs.ok("import", str(_june(tmp_path / "june.xlsx")), "--year", "2023")
    # 1-5月 5000 lands in May; June holds its own 2000, and 1-6月 7000 agrees: nothing counted twice
    assert _funds(zs) == {("F-001", "2023-05", "省外"): 5000, ("F-001", "2023-06", "省外"): 2000,
                          ("F-002", "2023-06", "外资"): 300, ("F-003", "2023-06", "省外"): 800}
    projects = {p["code"]: p for p in zs.json("projects", "list")}
    assert projects["F-002"]["investment_wan"] is None and projects["F-002"]["investment_usd_wan"] == 1800
    assert [m["kind"] for m in zs.json("milestones", "list", "F-001") if m["kind"] == "registered"] == ["registered"]

    month = zs.json("report", "--month", "--as-of", "2023-06-30")
    assert month["totals"]["funds_wan"] == 2800 and month["totals"]["funds_usd_wan"] == 300
    assert month["ytd"]["funds_wan"] == 7800
    assert month["totals"]["new_registered"] == 1
    assert [p["code"] for p in month["lists"]["registered"]] == ["F-001"]
    # the 万美元-only signing counts in 签约外资, and without a rate it is left out of the 亿元 bands
    assert month["totals"]["new_signed_usd_wan"] == 1800
    assert month["totals"]["band_counts"]["1"] == 0 and month["totals"]["band_usd_left_out"] == 1
    zs.ok("settings", "usd-rate", "2023", "7.0")
    month = zs.json("report", "--month", "--as-of", "2023-06-30")
    assert month["totals"]["band_counts"]["1"] == 1 and month["totals"]["band_usd_left_out"] == 0
    assert month["totals"]["band_wan"]["1"] == 12600  # 1800 万美元 × 7.0 = 12600 万元
    assert month["totals"]["new_signed_wan"] == 0  # 外资 is never converted in the sums
    unit = next(r for r in month["by_unit"] if r["unit"] == "区商务局")
    assert unit["funds_usd_wan"] == 300 and unit["last_year"]["funds_usd_wan"] == 0  # absent last year: zero

    # the same file again changes nothing
    before = dump(zs.db)
    zs.ok("import", str(_june(tmp_path / "june.xlsx")), "--year", "2023")
    assert dump(zs.db, skip=("event", "import_batch")) == [r for r in before if r[0] not in ("event", "import_batch")]

    # July's ledger: the running total gives July the difference; 本月 外资 is July's own
    zs.ok("import", str(_july(tmp_path / "july.xlsx", 9500)), "--year", "2023")
    funds = _funds(zs)
    assert funds[("F-001", "2023-07", "省外")] == 2500 and funds[("F-002", "2023-07", "外资")] == 200
    year = zs.json("report", "--year", "--as-of", "2023-07-31")
    assert year["ytd"]["funds_wan"] == 10300 and year["ytd"]["funds_usd_wan"] == 500


def test_a_running_total_below_the_known_one_is_a_row_error(zs: Zs, tmp_path: Path) -> None:
    zs.ok("import", str(_june(tmp_path / "june.xlsx")), "--year", "2023")
    before = _funds(zs)
    run = zs("import", str(_july(tmp_path / "july.xlsx", 6000)), "--year", "2023", "--format", "json")
    assert run.code == 1
    import json

    errors = json.loads(run.out)["errors"]
    assert [(e["row"], e["column"], e["reason"]) for e in errors] == [
        (2, "C", "1-7月累计 6000 低于已知的1-6月累计 7000")]
    after = _funds(zs)
    assert after == {**before, ("F-002", "2023-07", "外资"): 200}  # the other row lands


def test_funds_add_and_list_audited(zs: Zs, district: Zs) -> None:
    code = zs.json("projects", "list")[0]["code"]
    zs.ok("funds", "add", code, "--month", "2023-05", "--amount", "1.2亿")
    zs.ok("funds", "add", code, "--month", "2023-06", "--amount", "2亿", "--cumulative")
    run = zs("funds", "add", code, "--month", "2023-07", "--amount", "1亿", "--cumulative")
    assert run.code == 1 and "1-7月累计 10000 低于已知的1-6月累计 20000" in run.err
    zs.ok("funds", "add", code, "--month", "2023-06", "--amount", "500万美元")
    rows = zs.json("funds", "list", "--code", code)
    assert [(r["month"], r["source"], r["amount_wan"], r["amount_usd_wan"], r["ytd_wan"]) for r in rows] == [
        ("2023-06", "外资", None, 500, None), ("2023-05", "省外", 12000, None, 12000),
        ("2023-06", "省外", 8000, None, 20000)]
    zs.ok("funds", "add", code, "--month", "2023-06", "--amount", "9000万")  # a correction
    history = zs.ok("projects", "history", code, "--format", "json").out
    assert '"funds"' in history and "9000" in history
    assert zs("funds", "add", code, "--month", "2023-06", "--amount", "1亿", "--source", "境内外").code == 1
