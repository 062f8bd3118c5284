"""The whole 推进表: leaders in charge, supporting units, the year's plan and completed investment,
construction scope, planned and actual completion, remarks, the import report, and the round trip."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Zs, dump
from sheets import csv_file, xlsx
from tuijin import HEADER, ROWS, tuijinbiao


def by_code(zs: Zs) -> dict[str, dict]:
    return {row["code"]: row for row in zs.json("projects", "list")}


def test_a_tuijinbiao_imports_every_column(zs: Zs, tmp_path: Path) -> None:
    run = zs.ok("import", str(tuijinbiao(tmp_path / "推进表.xlsx")))
    assert "未识别的列" not in run.err
    assert len(HEADER) == 20
    rows = by_code(zs)
    p = rows["P-101"]
    assert p["leaders"] == ["张三（区委常委、常务副区长）", "李四（副区长）"]
    assert p["support_units"] == ["区发改局", "区自然资源局", "区住建局"]
    assert p["unit"] == "区工信局" and p["stage"] == "started" and p["started_on"] == "2023-06-27"
    assert p["scope"] == "总建筑面积20万平方米，\n建设智能制造车间8栋"
    assert p["plan_wan"] == {"2023": 50000} and p["completed_wan"] == {"2023-08": 32000}
    assert p["planned_completion_on"] == "2025-12" and p["completed_on"] is None
    assert p["investment_wan"] == 600000  # 年度计划投资 and 完成投资 are not the investment
    assert rows["P-102"]["remark"] == "按期推进" and rows["P-102"]["support_units"] == ["区商务局", "区住建局"]
    assert rows["P-103"]["leaders"] == ["王五"] and rows["P-103"]["support_units"] == []
    # a leader is kept once, matched by name across projects
    assert [r["code"] for r in zs.json("projects", "list", "--leader", "李四")] == ["P-101", "P-102"]
    assert [r["code"] for r in zs.json("projects", "list", "--leader", "张三")] == ["P-101", "P-104"]
    assert [r["code"] for r in zs.json("projects", "list", "--unit", "区住建局", "--role", "support")] == \
        ["P-101", "P-102"]
    assert [r["code"] for r in zs.json("projects", "list", "--unit", "区住建局")] == []
    assert [r["code"] for r in zs.json("projects", "list", "--unit", "区工信局", "--role", "any")] == \
        ["P-101", "P-104"]
    shown = zs.ok("projects", "show", "P-101").out
    assert "建设内容及规模" in shown and "2023年计划投资" in shown and "1-8月完成 32000 万元（64.0%）" in shown


def test_a_remark_that_ends_the_project_terminates_it(zs: Zs, tmp_path: Path) -> None:
    run = zs.ok("import", str(tuijinbiao(tmp_path / "推进表.xlsx")))
    assert "注意：推进表.xlsx:推进表!S7：备注“已终止”：项目记为终止（原为开工）" in run.err
    p = by_code(zs)["P-104"]
    assert p["stage"] == "terminated" and p["remark"] == "已终止"
    # another stage word in the remark is said, and the stage column stands
    rows = [[*row[:18], "已投产" if row[19] == "P-102" else row[18], row[19]] for row in ROWS]
    run = zs.ok("import", str(tuijinbiao(tmp_path / "again.xlsx", rows)))
    assert "备注“已投产”与项目阶段（开工）不一致：以项目阶段为准" in run.err
    assert by_code(zs)["P-102"]["stage"] == "started"


def test_export_then_import_changes_nothing(zs: Zs, ledger: str, tmp_path: Path) -> None:
    zs.ok("import", str(tuijinbiao(tmp_path / "推进表.xlsx")))
    zs.ok("investment", "set", "P-103", "--month", "2023-06", "--completed", "900")
    out = tmp_path / "export.xlsx"
    zs.ok("export", str(out))
    before = dump(ledger, skip=("import_batch",))
    run = zs.ok("import", str(out), "--format", "json")
    data = json.loads(run.out)
    assert (data["inserted"], data["updated"], data["rejected"]) == (0, 0, 0)
    assert dump(ledger, skip=("import_batch",)) == before
    zs.ok("db", "verify")  # every row of the 推进表's tables has its event, the chain holds


def test_the_same_workbook_twice_changes_nothing(zs: Zs, ledger: str, tmp_path: Path) -> None:
    path = tuijinbiao(tmp_path / "推进表.xlsx")
    zs.ok("import", str(path))
    before = dump(ledger, skip=("import_batch",))
    data = json.loads(zs.ok("import", str(path), "--format", "json").out)
    assert (data["inserted"], data["updated"], data["unchanged"]) == (0, 0, 4)
    assert dump(ledger, skip=("import_batch",)) == before


def test_completed_investment_by_month(zs: Zs, tmp_path: Path) -> None:
    """A cumulative column replaces the running total, a monthly column adds its month."""
    header = ["项目编号", "项目名称", "项目阶段", "1-6月完成投资（万元）"]
    zs.ok("import", str(csv_file(tmp_path / "6.csv", [header, ["Z-1", "甲", "在建", 600]])), "--year", "2023")
    header7 = ["项目编号", "项目名称", "项目阶段", "7月份完成投资（万元）"]
    zs.ok("import", str(csv_file(tmp_path / "7.csv", [header7, ["Z-1", "甲", "在建", 150]])), "--year", "2023")
    assert by_code(zs)["Z-1"]["completed_wan"] == {"2023-06": 600, "2023-07": 750}
    zs.ok("investment", "set", "Z-1", "--year", "2023", "--plan", "2000")
    zs.ok("investment", "set", "Z-1", "--month", "2023-08", "--completed", "900")
    p = by_code(zs)["Z-1"]
    assert p["plan_wan"] == {"2023": 2000} and p["completed_wan"]["2023-08"] == 900
    bad = zs("investment", "set", "Z-1", "--month", "2023-08", "--completed", "100")
    assert bad.code == 1 and "低于已知" in bad.err and "Traceback" not in bad.err
    history = zs.ok("projects", "history", "Z-1").out
    assert "investment" in history or "完成投资" in history or "计划投资" in history


def test_a_completed_total_below_the_known_one_is_a_row_error(zs: Zs, tmp_path: Path) -> None:
    """完成投资 follows the funds rule: a cumulative below the known one refuses the whole row, naming
    its cell (exit 1, nothing of that row written); the other rows land."""
    header = ["项目编号", "项目名称", "项目阶段", "1-7月完成投资（万元）"]
    zs.ok("import", str(csv_file(tmp_path / "7.csv", [header, ["Z-1", "甲", "在建", 750], ["Z-2", "乙", "在建", 90]])),
          "--year", "2023")
    header8 = ["项目编号", "项目名称", "项目阶段", "1-8月完成投资（万元）", "存在问题"]
    book = csv_file(tmp_path / "8.csv", [header8, ["Z-1", "甲", "投产", 700, "缺电"], ["Z-2", "乙", "在建", 120, ""]])
    run = zs("import", str(book), "--year", "2023", "--format", "json")
    assert run.code == 1 and "Traceback" not in run.err
    errors = json.loads(run.out)["errors"]
    assert [(e["row"], e["column"], e["reason"]) for e in errors] == [
        (2, "D", "完成投资：2023年1-8月累计 700 低于已知的1-7月累计 750")]
    p = by_code(zs)
    assert p["Z-1"]["completed_wan"] == {"2023-07": 750} and p["Z-1"]["stage"] == "started"  # the row refused
    assert zs.json("problems", "list") == []
    assert p["Z-2"]["completed_wan"] == {"2023-07": 90, "2023-08": 120}  # the other row lands
    text = zs("import", str(book), "--year", "2023")
    assert text.code == 1 and "8.csv" in text.err and "D2" in text.err and "低于已知的1-7月累计 750" in text.err
    # two figures of one row that contradict each other refuse it too
    header9 = ["项目编号", "项目名称", "项目阶段", "1-9月完成投资（万元）", "9月完成投资（万元）"]
    bad = zs("import", str(csv_file(tmp_path / "9.csv", [header9, ["Z-3", "丙", "在建", 100, 300]])), "--year", "2023",
             "--format", "json")
    assert bad.code == 1 and [e["row"] for e in json.loads(bad.out)["errors"]] == [2]
    assert "Z-3" not in by_code(zs)


def test_six_monthly_sheets_show_the_warning_that_matters(zs: Zs, tmp_path: Path) -> None:
    """One sheet per month, each repeating the projects: the 待定 amount of the last sheet is said in
    full on the terminal with default settings; the superseded rows are one line with a count."""
    sheets = {}
    for month in range(1, 7):
        rows: list[list] = [["2023年重点项目推进表"], ["项目名称", "投资方", "总投资（亿元）", "责任单位", "项目阶段"]]
        rows += [[f"项目{i}", f"企业{i}", "待定" if (month, i) == (6, 41) else 1 + i, "税郭镇", "签约"]
                 for i in range(56)]
        sheets[f"{month}月"] = rows
    run = zs.ok("import", str(xlsx(tmp_path / "月报.xlsx", sheets)))
    assert "注意：月报.xlsx:6月!C44：总投资（亿元）“待定”：金额未知，按空值录入" in run.err
    assert "说明：1月…5月：280 行被 6月 的同一项目取代，以后者为准" in run.err
    assert "另有" not in run.err
    assert run.err.index("待定") < run.err.index("1月…5月")


def test_the_weekly_dispatch_by_leader(zs: Zs, tmp_path: Path) -> None:
    """Per leader: projects, signed, started, stalled, open problems and the week's notes; a project
    without a leader is under its chain's 链长, marked as such."""
    zs.ok("import", str(tuijinbiao(tmp_path / "推进表.xlsx")))
    zs.ok("chains", "add", "文旅", "--chief", "赵六")
    zs.ok("add-project", "古镇文旅", "--investor", "文旅集团", "--amount", "3亿", "--chain", "文旅", "--unit", "税郭镇",
          "--stage", "signed", "--date", "2023-01-10", "--code", "P-105")
    data = zs.json("report", "--week", "--by", "leader", "--as-of", "2023-09-01")
    rows = {r["leader"]: r for r in data["by_leader"]}
    assert rows["李四（副区长）"] | {"leader": None} == {
        "leader": None, "chief": False, "projects": 2, "signed": 2, "started": 2, "stalled": 0, "problems_open": 1,
        "notes": 0}
    assert rows["赵六（链长）"]["chief"] is True and rows["赵六（链长）"]["stalled"] == 1
    assert rows["张三（区委常委、常务副区长）"]["projects"] == 1  # P-104 ended
    assert data["totals"]["projects"] == 4  # each project once
    table = zs.ok("report", "--week", "--by", "leader", "--as-of", "2023-09-01").out
    assert "赵六（链长）" in table and "分包保领导" in table
    assert zs("report", "--month", "--by", "leader").code == 1


def test_a_supporting_units_template_lists_what_it_supports(zs: Zs, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    zs.ok("import", str(tuijinbiao(tmp_path / "推进表.xlsx")))
    zs.ok("returns", "template", "--unit", "区住建局", "--out", str(tmp_path / "out"), "--as-of", "2023-09-01")
    (path,) = (tmp_path / "out").glob("*.xlsx")
    lines = [c.value for c in load_workbook(path)["填报说明"]["A"]]
    assert "本单位作为配合单位的项目（2 个，由牵头单位报送，此处仅供参阅，不必填报）：" in lines
    assert "    P-101  中环智能制造产业园  —  牵头单位：区工信局；开工" in lines


def test_taking_the_import_back_removes_what_it_added(zs: Zs, ledger: str, tmp_path: Path) -> None:
    record = ("event", "import_batch", "event_seal", "event_block")  # what an undo leaves on purpose
    before = dump(ledger, skip=record)
    zs.ok("import", str(tuijinbiao(tmp_path / "推进表.xlsx")))
    (batch,) = zs.json("import", "log")
    zs.ok("import", "undo", str(batch["id"]))
    assert dump(ledger, skip=record) == before


def test_a_return_carries_supporting_units_and_leaders(zs: Zs, tmp_path: Path) -> None:
    """The returns template pre-fills 配合单位 and 区级包保领导; a unit's return that changes them
    changes the ledger."""
    from openpyxl import load_workbook

    zs.ok("import", str(tuijinbiao(tmp_path / "推进表.xlsx")))
    zs.ok("returns", "template", "--unit", "税郭镇", "--out", str(tmp_path / "out"), "--as-of", "2023-09-01")
    (path,) = (tmp_path / "out").glob("*.xlsx")
    wb = load_workbook(path)
    ws = wb["项目台账"]
    heads = [str(c.value or "").replace("\n", "") for c in ws[3]]
    row = next(r for r in ws.iter_rows(min_row=4) if r[1].value == "P-102")
    assert row[heads.index("配合单位")].value == "区商务局、区住建局"
    assert row[heads.index("区级包保领导")].value == "李四（副区长）"
    row[heads.index("区级包保领导")].value = "李四（副区长）、王五"
    wb.save(path)
    zs.ok("returns", "collect", str(path), "--as-of", "2023-09-01")
    assert by_code(zs)["P-102"]["leaders"] == ["李四（副区长）", "王五"]


def test_a_return_carries_the_years_plan_and_completion(zs: Zs, tmp_path: Path) -> None:
    """The returns template pre-fills the year's 计划投资 and 完成投资 to the end of the week's month
    (万元, the year and month in the header, the cells checked as numbers); a collected return that
    changes them changes the ledger, and one that leaves them changes nothing."""
    from openpyxl import load_workbook

    zs.ok("import", str(tuijinbiao(tmp_path / "推进表.xlsx")))
    zs.ok("returns", "template", "--unit", "税郭镇", "--out", str(tmp_path / "out"), "--as-of", "2023-09-01")
    (path,) = (tmp_path / "out").glob("*.xlsx")
    wb = load_workbook(path)
    ws = wb["项目台账"]
    heads = [str(c.value or "").replace("\n", "") for c in ws[3]]
    plan, done = heads.index("2023年计划投资（万元）"), heads.index("2023年1-8月完成投资（万元）")
    row = next(r for r in ws.iter_rows(min_row=4) if r[1].value == "P-102")
    assert (row[plan].value, row[done].value) == (30000, 12000)
    checked = {str(v.sqref): v.type for v in ws.data_validations.dataValidation}
    letters = {row[plan].column_letter, row[done].column_letter}
    assert {ref[0] for ref, kind in checked.items() if kind == "decimal" and ref[0] in letters} == letters
    untouched = tmp_path / "untouched.xlsx"
    wb.save(untouched)
    row[plan].value, row[done].value = 32000, 15000
    wb.save(path)
    before = by_code(zs)["P-102"]
    zs.ok("returns", "collect", str(untouched), "--as-of", "2023-09-01")
    assert by_code(zs)["P-102"] == before
    again = tmp_path / "again"
    again.mkdir()
    moved = again / path.name
    path.rename(moved)
    zs.ok("returns", "collect", str(moved), "--as-of", "2023-09-01")
    p = by_code(zs)["P-102"]
    assert p["plan_wan"] == {"2023": 32000} and p["completed_wan"] == {"2023-08": 15000}
