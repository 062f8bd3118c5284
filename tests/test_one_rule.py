"""One set of rules on every path: what `zs add-project` (and the other typed commands) refuse or
accept, `zs import` refuses or accepts alike — the same project, an amount, a date not yet come, a
stage without its date, an investor's spelling."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Zs, dump
from sheets import csv_file


def imported(zs: Zs, path: Path) -> dict:
    run = zs("import", str(path), "--format", "json")
    return json.loads(run.out) | {"code": run.code}


def test_add_project_refuses_the_project_the_ledger_has_as_the_import_would_match_it(zs: Zs, ledger,
                                                                                     tmp_path: Path) -> None:
    zs.ok("units", "add", "税郭镇", "--kind", "town")
    zs.ok("units", "add", "孟庄镇", "--kind", "town")
    zs.ok("add-project", "冷链物流园", "--investor", "顺和冷链（香港）", "--unit", "税郭镇")
    before = dump(ledger)
    run = zs("add-project", "冷链物流园 ", "--investor", "顺和冷链(香港)", "--unit", "孟庄镇")
    assert (run.code, run.err) == (1, "错误：项目“冷链物流园”（投资方“顺和冷链(香港)”）已在账本中：P-0001。 "
                                      "用 zs projects show P-0001 查看、zs projects update 修改；确是另一个项目，"
                                      "加 --allow-duplicate（导入时请给两个项目各填项目编号）。\n")
    assert dump(ledger) == before
    # Without an investor, the same name in another unit is another project — typed or imported.
    zs.ok("add-project", "标准化厂房项目", "--unit", "税郭镇")
    zs.ok("add-project", "标准化厂房项目", "--unit", "孟庄镇")
    assert zs("add-project", "标准化厂房项目", "--unit", "税郭镇").code == 1
    sheet = csv_file(tmp_path / "台账.csv", [["项目名称", "投资方", "责任单位", "项目阶段"],
                                           ["冷链物流园", "顺和冷链(香港)", "税郭镇", "在谈"],
                                           ["标准化厂房项目", "", "孟庄镇", "在谈"]])
    result = imported(zs, sheet)
    assert (result["code"], result["inserted"], result["updated"]) == (0, 0, 2)
    # A second one, when the clerk says so, and then the import asks for the codes it cannot tell apart.
    zs.ok("add-project", "冷链物流园", "--investor", "顺和冷链（香港）", "--unit", "税郭镇", "--allow-duplicate")
    result = imported(zs, sheet)
    assert result["code"] == 1
    assert result["errors"][0]["reason"] == "账本中有 2 个同名同投资方的项目（P-0001、P-0004），请填项目编号"


def test_an_amount_no_project_has_is_refused_typed_or_imported(zs: Zs, ledger, tmp_path: Path) -> None:
    zs.ok("add-project", "甲", "--amount", "10000亿")  # 1 万亿: the largest amount a ledger holds
    before = dump(ledger)
    run = zs("add-project", "乙", "--amount", "20000亿")
    assert (run.code, run.err) == (1, "错误：--amount 金额“20000亿”折合2万亿元，不像一个项目的投资额，请检查单位\n")
    run = zs("projects", "update", "P-0001", "--amount", "1000001000万")
    assert run.code == 1 and "不像一个项目的投资额" in run.err
    assert dump(ledger) == before
    result = imported(zs, csv_file(tmp_path / "台账.csv", [["项目名称", "总投资（亿元）"], ["乙", "20000"]]))
    assert result["code"] == 1 and "不像一个项目的投资额" in result["errors"][0]["reason"]


def test_a_done_date_not_yet_come_is_refused_unless_forced_and_a_ledger_rows_is_its_plan(
        zs: Zs, ledger, tmp_path: Path) -> None:
    before = dump(ledger)
    run = zs("add-project", "甲", "--stage", "signed", "--date", "2099-01-01")
    assert run.code == 1
    assert run.err.startswith("错误：签约日期 2099-01-01 晚于今天（")
    assert "计划日期用 zs milestones add 项目编号 signed --planned 2099-01-01；确已发生，加 --force。" in run.err
    assert dump(ledger) == before
    zs.ok("add-project", "乙", "--stage", "在谈", "--date", "2023-05-01")
    assert zs("projects", "advance", "P-0001", "signed", "--date", "2099-01").code == 1
    assert zs("milestones", "add", "P-0001", "started", "--done", "2099-06-30").code == 1
    zs.ok("milestones", "add", "P-0001", "signed", "--planned", "2099-01-01")
    run = zs.ok("add-project", "丙", "--stage", "signed", "--date", "2099-01-01", "--force")
    assert "签约日期 2099-01-01 晚于今天" in run.err and "已按 --force 记为完成" in run.err
    # In a ledger the same date is the plan, whatever the stage word beside it.
    path = csv_file(tmp_path / "计划.csv", [["项目名称", "项目阶段", "签约时间"],
                                           ["丁", "洽谈中", "2099年3月"], ["戊", "已签约", "2099-01-01"]])
    result = imported(zs, path)
    assert "计划.csv:计划!C3：签约时间“2099-01-01”晚于今天：按计划时间录入" in result["warnings"]
    rows = {p["name"]: p for p in zs.json("projects", "list")}
    assert (rows["丁"]["stage"], rows["丁"]["signed_on"]) == ("negotiating", None)
    assert (rows["戊"]["stage"], rows["戊"]["signed_on"]) == ("signed", None)
    code = rows["戊"]["code"]
    assert [(m["kind"], m["planned_on"], m["done"]) for m in zs.json("milestones", "list", code)] == [
        ("signed", "2099-01-01", True)]


def test_an_import_says_which_stages_came_without_a_date(zs: Zs, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "台账.csv", [["项目名称", "项目阶段", "签约时间", "投产时间"],
                                           ["甲", "线索", "", ""], ["乙", "在谈", "", ""],
                                           ["丙", "投产", "2023-01-05", ""], ["丁", "签约", "2023-03-01", ""],
                                           ["戊", "待定", "2023-04-01", ""]])
    warnings = imported(zs, path)["warnings"]
    assert "台账.csv:台账 有 2 行的阶段没有日期（线索 1、投产 1），不计入任何统计期（新增线索、新签约、新投产…）：" \
           "B2、B4；可在表中补上日期，或用 zs projects advance … --date" in warnings  # 在谈 counts in no report
    assert "台账.csv:台账!B6：项目阶段“待定”：按已填的签约时间记为签约" in warnings
    assert [(p["name"], p["stage"]) for p in zs.json("projects", "list")][-1] == ("戊", "signed")
    again = imported(zs, path)["warnings"]  # nothing entered this time
    assert not any("阶段没有日期" in w for w in again)


def test_an_investor_spelled_the_other_way_is_no_change(zs: Zs, tmp_path: Path) -> None:
    zs.ok("add-project", "冷链物流园", "--investor", "顺和冷链（香港）", "--stage", "在谈", "--date", "2023-05-01")
    path = csv_file(tmp_path / "台账.csv", [["项目名称", "投资方", "项目阶段"],
                                           ["冷链物流园", "顺和冷链(香港)", "在谈"]])
    result = imported(zs, path)
    assert (result["updated"], result["unchanged"]) == (0, 1)
    assert zs.json("projects", "list")[0]["investor"] == "顺和冷链（香港）"
    assert not any(h["field"] == "investor" for h in zs.json("projects", "history", "P-0001"))
