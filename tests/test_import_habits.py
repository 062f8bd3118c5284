"""`zs import` on the habits of office ledgers: section numerals in 序号, 其中 rows, notes merged across
the table, cells merged down, a project spread over two rows, names retyped with other brackets, years
typed into date columns, summary sheets and amounts without a unit."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conftest import Zs
from sheets import csv_file, project, xlsx

D = dt.date


def listed(zs: Zs) -> list[tuple]:
    return [(p["code"], p["name"], p["investment_wan"], p["chain"], p["unit"], p["stage"])
            for p in zs.json("projects", "list")]


def test_sections_split_over_two_columns_and_breakdown_rows_are_not_projects(zs: Zs, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "分链.csv", [
        ["序号", "项目名称", "投资方", "总投资（亿元）", "项目阶段"],
        ["一、", "数字经济产业链（1个）", "", "5", ""],
        ["1", "云计算中心", "浪潮", "5", "洽谈中"],
        ["（二）", "新材料", "", "", ""],
        ["2", "碳纤维项目", "恒瑞", "12", "已签约"],
        ["合计", "2个", "", "17", ""],
        ["其中：亿元以上项目", "2个", "", "17", ""],
    ])
    run = zs("import", str(path))
    assert run.code == 0, run
    assert "新增 2" in run.err
    assert listed(zs) == [("P-0001", "云计算中心", 50000, "数字经济产业链", None, "negotiating"),
                          ("P-0002", "碳纤维项目", 120000, "新材料", None, "signed")]


def test_notes_and_unnumbered_sections_merged_across_the_table(zs: Zs, tmp_path: Path) -> None:
    header = ["序号", "项目名称", "投资方", "总投资（亿元）", "所属产业链", "责任单位", "项目阶段"]
    rows = [
        ["2023年重点项目台账"],
        header,
        ["新能源产业链"],
        [1, "光伏组件项目", "晶科", 5, None, "税郭镇", "在谈"],
        ["新材料产业链（1个）"],
        [2, "石墨烯项目", "某公司", 3, "新材料", "税郭镇", "在谈"],
        ["（注：本表总投资单位为亿元）"],
        ["*注：数据每周五更新"],
        ["单位负责人：王某  审核人：李某"],
        ["数据截至2023年6月30日"],
        ["附件1"],
    ]
    merges = [f"A{r}:G{r}" for r in (1, 3, 5, 7, 8, 9, 10, 11)]
    path = xlsx(tmp_path / "台账.xlsx", {"台账": rows}, merges={"台账": merges})
    run = zs("import", str(path), "--strict")
    assert run.code == 0, run
    # The section names the chain of a row whose chain cell is blank; a filled cell wins.
    assert listed(zs) == [("P-0001", "光伏组件项目", 50000, "新能源产业链", "税郭镇", "negotiating"),
                          ("P-0002", "石墨烯项目", 30000, "新材料", "税郭镇", "negotiating")]


def test_a_cell_merged_down_holds_its_value_in_every_row(zs: Zs, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "合并.xlsx", {"台账": [
        ["项目编号", "项目名称", "投资方", "总投资（亿元）", "所属产业链", "责任单位", "项目阶段"],
        ["A-1", "甲项目", "甲公司", 10, "新能源", "税郭镇", "在谈"],
        ["A-2", "乙项目", "乙公司", 20, None, None, "在谈"],
        ["A-3", "丙项目", "丙公司", 30, None, None, "在谈"],
        ["A-4", "丁项目", "丁公司", 5, "新材料", "永安镇", "在谈"],
    ]}, merges={"台账": ["E2:E4", "F2:F4"]})
    zs.ok("import", str(path))
    assert [(p["code"], p["chain"], p["unit"]) for p in zs.json("projects", "list")] == [
        ("A-1", "新能源", "税郭镇"), ("A-2", "新能源", "税郭镇"), ("A-3", "新能源", "税郭镇"),
        ("A-4", "新材料", "永安镇")]


def test_a_project_over_two_rows_records_both_problems_once(zs: Zs, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "调度.xlsx", {"重点项目调度": [
        ["项目名称", "投资方", "总投资（亿元）", "责任单位", "项目阶段", "存在问题", "问题责任单位", "解决时限"],
        ["乳制品产业园", "晟达菲尔", 10.3, "税郭镇", "已签约", "用地指标未落实", "区自然资源局", D(2023, 7, 15)],
        [None, None, None, None, None, "10千伏电力增容", "区供电公司", D(2023, 7, 31)],
        ["万达广场", "万达", 20, "中心街街道", "已签约", "规划调整", "区住建局", None],
    ]}, merges={"重点项目调度": ["A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3"]})
    for _ in range(2):
        run = zs("import", str(path), "--format", "json")
        assert run.code == 0, run
    report = json.loads(run.out)
    assert (report["inserted"], report["unchanged"], report["rejected"]) == (0, 2, 0)
    assert report["problems"] == {"inserted": 0, "updated": 0, "unchanged": 3}
    assert [(p["code"], p["name"], p["unit"]) for p in zs.json("projects", "list")] == [
        ("P-0001", "乳制品产业园", "税郭镇"), ("P-0002", "万达广场", "中心街街道")]
    problems = zs.json("problems", "list", "--as-of", "2023-07-01")
    assert [(p["code"], p["text"], p["owner"], p["due_on"]) for p in problems] == [
        ("P-0001", "用地指标未落实", "区自然资源局", "2023-07-15"),
        ("P-0001", "10千伏电力增容", "区供电公司", "2023-07-31"),
        ("P-0002", "规划调整", "区住建局", None)]


def test_a_name_retyped_with_other_brackets_or_spaces_is_the_same_project(zs: Zs, tmp_path: Path) -> None:
    header = ["项目名称", "投资方", "总投资（亿元）", "项目阶段"]
    first = [header, ["智能制造产业园（一期）", "山东某某有限公司", "1", "在谈"]]
    later = [header, ["智能制造产业园 (一期)", "山东某某 有限公司", "2", "已签约"]]
    zs.ok("import", str(csv_file(tmp_path / "a.csv", first)))
    run = zs("import", str(csv_file(tmp_path / "b.csv", later)), "--format", "json")
    assert run.code == 0, run
    assert (json.loads(run.out)["inserted"], json.loads(run.out)["updated"]) == (0, 1)
    # The ledger keeps its name and investor as typed: another spelling of them, which matching looks
    # past, is no change.
    assert zs.json("projects", "list") == [project(
        code="P-0001", name="智能制造产业园（一期）", investor="山东某某有限公司", investment_wan=20000,
        stage="signed")]


def test_numbers_in_date_columns(zs: Zs, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "日期.xlsx", {"台账": [
        ["项目名称", "总投资（亿元）", "项目阶段", "签约时间", "开工时间"],
        ["甲", 1, "已签约", D(2023, 6, 26), 2024],      # a year typed into a date column
        ["乙", 1, "已签约", 12, None],                  # a slip: not a day of 1900
        ["丙", 1, "已签约", 2023.6, None],              # 2023.6 typed as a number: June 2023
        ["丁", 1, "已签约", 2023.1, None],              # January or October?
        ["戊", 1, "已签约", 45103, None],               # an Excel serial: 2023-06-26
    ]})
    run = zs("import", str(path), "--format", "json")
    assert run.code == 1
    assert [(e["cell"], e["reason"]) for e in json.loads(run.out)["errors"]] == [
        ("E2", "日期“2024”只有年份"),
        ("D3", "日期“12”无法识别（不是 1990—2100 年间的 Excel 日期序号）"),
        ("D5", "日期“2023.1”是 2023 年 1 月还是 10 月？请把单元格设为文本，或写成 2023年1月"),
    ]
    assert [(p["name"], p["signed_on"]) for p in zs.json("projects", "list")] == [
        ("丙", "2023-06"), ("戊", "2023-06-26")]


def test_reporting_unit_banner_with_a_seal_note(zs: Zs, tmp_path: Path) -> None:
    for n, banner in enumerate(["填报单位（盖章）：税郭镇", "填报单位：永安镇（盖章）"]):
        path = xlsx(tmp_path / f"{n}.xlsx", {"项目": [
            ["2023年招商项目台账"], [banner], ["项目名称", "投资方", "总投资（亿元）", "项目阶段"],
            [f"项目{n}", "某公司", 1, "在谈"]]})
        zs.ok("import", str(path))
    assert [(p["name"], p["unit"]) for p in zs.json("projects", "list")] == [("项目0", "税郭镇"), ("项目1", "永安镇")]


def test_a_summary_sheet_before_the_ledger_is_skipped(zs: Zs, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "上半年.xlsx", {
        "汇总表": [["各镇街完成情况汇总表"], ["序号", "责任单位", "签约项目数", "签约金额（亿元）", "开工项目数"],
                [1, "税郭镇", 3, 15, 2], ["合计", None, 3, 15, 2]],
        "明细表": [["项目名称", "投资方", "总投资（亿元）", "责任单位", "签约时间"],
                ["甲", "甲公司", 5, "税郭镇", D(2023, 6, 26)]],
    })
    run = zs("import", str(path))
    assert run.code == 0, run
    assert "上半年.xlsx:汇总表 是按单位的汇总表（没有项目名称，也没有会战名称），已跳过" in run.err
    assert [p["name"] for p in zs.json("projects", "list")] == ["甲"]
    assert zs.json("campaign", "list") == []


def test_amounts_without_a_unit_are_read_as_yi_and_a_huge_one_is_refused(zs: Zs, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "无单位.csv", [
        ["项目名称", "投资方", "总投资", "项目阶段"], ["甲项目", "甲公司", "50000", "洽谈中"],
        ["乙项目", "乙公司", "3.5", "洽谈中"], ["丙项目", "丙公司", "8000万", "洽谈中"]])
    run = zs("import", str(path), "--format", "json")
    assert run.code == 1
    report = json.loads(run.out)
    assert "无单位.csv:无单位 “总投资”列没有注明单位，不带单位的数按亿元读" in report["warnings"]
    assert [(e["cell"], e["reason"]) for e in report["errors"]] == [
        ("C2", "金额“50000”没有单位：按亿元是5万亿元，请在表头注明（万元）或（亿元）")]
    assert [(p["name"], p["investment_wan"]) for p in zs.json("projects", "list")] == [
        ("乙项目", 35000), ("丙项目", 8000)]


def test_problem_headers_in_other_words_unknown_columns_and_bad_grouping(zs: Zs, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "调度.csv", [
        ["项目名称", "总投资（万元）", "项目阶段", "存在问题及需协调事项", "解决时限", "对接人"],
        ["甲项目", "1,200", "在谈", "用地指标未落实", "2023-07-15", "张三"],
        ["乙项目", "1,2000", "在谈", "", "", "李四"],
        ["丙项目", "-5", "在谈", "", "", ""],
    ])
    run = zs("import", str(path), "--format", "json")
    assert run.code == 1
    report = json.loads(run.out)
    assert "调度.csv:调度 未识别的列（未导入）：对接人；可用 --map 文件指定" in report["warnings"]
    assert [(e["cell"], e["reason"]) for e in report["errors"]] == [
        ("B3", "金额“1,2000”的千分位不对（应每三位一个逗号，如 1,200）"), ("B4", "金额“-5”为负数")]
    assert [(p["name"], p["investment_wan"]) for p in zs.json("projects", "list")] == [("甲项目", 1200)]
    assert [(p["text"], p["due_on"]) for p in zs.json("problems", "list")] == [("用地指标未落实", "2023-07-15")]


# --------------------------------------------------------------------------- the weekly life of a ledger


HEAD = ["项目编号", "项目名称", "投资方", "总投资（亿元）", "责任单位", "项目阶段", "存在问题"]


def test_a_name_that_fits_two_projects_needs_its_code(zs: Zs, tmp_path: Path) -> None:
    zs.ok("import", str(xlsx(tmp_path / "两期.xlsx", {"台账": [
        HEAD, ["K-1", "光伏项目", "晶科", 5, "税郭镇", "在谈", None],
        ["K-2", "光伏项目", "晶科", 8, "税郭镇", "在谈", None]]})))
    codeless = xlsx(tmp_path / "无编号.xlsx", {"台账": [HEAD[1:], ["光伏项目", "晶科", 6, "税郭镇", "已签约", None]]})
    for _ in range(2):  # never a new project, however often
        run = zs("import", str(codeless), "--format", "json")
        assert run.code == 1
        assert [(e["cell"], e["reason"]) for e in json.loads(run.out)["errors"]] == [
            ("A2", "账本中有 2 个同名同投资方的项目（K-1、K-2），请填项目编号")]
    assert [p["code"] for p in zs.json("projects", "list")] == ["K-1", "K-2"]


def test_an_investor_filled_in_later_is_the_same_project(zs: Zs, tmp_path: Path) -> None:
    head = HEAD[1:6]
    zs.ok("import", str(csv_file(tmp_path / "1.csv", [head, ["智慧园区", "", "3", "税郭镇", "在谈"]])))
    run = zs.ok("import", str(csv_file(tmp_path / "2.csv", [head, ["智慧园区", "华为", "3", "税郭镇", "已签约"]])),
                "--format", "json")
    assert (json.loads(run.out)["inserted"], json.loads(run.out)["updated"]) == (0, 1)
    assert [(p["name"], p["investor"], p["stage"]) for p in zs.json("projects", "list")] == [
        ("智慧园区", "华为", "signed")]


def test_problems_a_ledger_no_longer_lists_are_named(zs: Zs, tmp_path: Path) -> None:
    week1 = xlsx(tmp_path / "w1.xlsx", {"台账": [HEAD, ["A-1", "甲", "甲公司", 5, "税郭镇", "在谈", "用地指标未落实"],
                                               ["A-2", "乙", "乙公司", 5, "税郭镇", "在谈", "场地平整"]]})
    week2 = xlsx(tmp_path / "w2.xlsx", {"台账": [HEAD, ["A-1", "甲", "甲公司", 5, "税郭镇", "在谈", "用地指标已报省厅"],
                                               ["A-2", "乙", "乙公司", 5, "税郭镇", "在谈", None]]})
    zs.ok("import", str(week1))
    report = json.loads(zs.ok("import", str(week2), "--format", "json").out)
    assert [w for w in report["warnings"] if "不再列出" in w] == [
        "A-1 的问题 #1“用地指标未落实”本表已不再列出，账本中仍未解决（已解决请用 zs problems resolve 1 --note …）",
        "A-2 的问题 #2“场地平整”本表已不再列出，账本中仍未解决（已解决请用 zs problems resolve 2 --note …）"]
    # nothing is resolved by guess
    assert [p["status"] for p in zs.json("problems", "list", "--as-of", "2023-06-30")] == ["open", "open", "open"]


def test_rows_refused_leave_no_unit_or_chain_behind(zs: Zs, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "错字.csv", [["项目名称", "总投资（亿元）", "所属产业链", "责任单位", "项目阶段"],
                                           ["甲", "约10亿", "新能原产业链", "税郭真", "在谈"]])
    run = zs("import", str(path))
    assert run.code == 1 and "新建" not in run.err
    assert zs.json("units", "list") == [] and zs.json("chains", "list") == []


def test_strict_still_writes_the_errors_workbook(zs: Zs, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "台账.csv", [["项目名称", "总投资（亿元）", "项目阶段"], ["甲", "5", "在谈"],
                                           ["乙", "约5亿", "在谈"]])
    errors = tmp_path / "错误.xlsx"
    run = zs("import", str(path), "--strict", "--errors", str(errors))
    assert run.code == 1 and errors.exists() and zs.json("projects", "list") == []


def test_month_sheets_name_the_later_row_and_its_sheet(zs: Zs, tmp_path: Path) -> None:
    row = ["X-1", "甲", "甲公司", 5, "税郭镇", "在谈", None]
    path = xlsx(tmp_path / "月报.xlsx", {"1月": [HEAD, row], "2月": [HEAD, [*row[:5], "已签约", None]]})
    run = zs.ok("import", str(path))
    assert "月报.xlsx:1月!row 2：与后面的2月!row 2是同一项目（编号 X-1），以后者为准" in run.err
    assert zs.json("projects", "list")[0]["stage"] == "signed"


def test_text_exports_and_a_workbook_under_another_extension(zs: Zs, tmp_path: Path) -> None:
    rows = [["项目编号", "项目名称", "总投资（亿元）", "签约时间", "项目阶段"],
            ["'A-6", "甲", "'12.5", "'2023-03-01", "已签约"]]
    unicode_text = tmp_path / "unicode.txt"  # Excel's "Unicode text": UTF-16 with a BOM, tabs
    unicode_text.write_bytes("\r\n".join("\t".join(r) for r in rows).encode("utf-16"))
    zs.ok("import", str(unicode_text))
    assert zs.json("projects", "list") == [project(code="A-6", name="甲", investment_wan=125000, stage="signed",
                                                   signed_on="2023-03-01")]
    book = xlsx(tmp_path / "x.xlsx", {"台账": [rows[0], ["B-1", "乙", 3, "2023-03-02", "已签约"]]})
    renamed = book.rename(tmp_path / "台账.xls")  # sent round as .xls
    zs.ok("import", str(renamed))
    assert [p["code"] for p in zs.json("projects", "list")] == ["A-6", "B-1"]


def test_one_sheet_per_unit_without_a_unit_column(zs: Zs, tmp_path: Path) -> None:
    zs.ok("units", "add", "税郭镇", "--kind", "town")
    zs.ok("units", "add", "孟庄镇", "--kind", "town")
    head = ["项目名称", "投资方", "总投资（亿元）", "项目阶段"]
    path = xlsx(tmp_path / "分镇.xlsx", {"税郭镇": [head, ["甲", "甲公司", 2, "在谈"]],
                                        "孟庄镇": [head, ["乙", "乙公司", 3, "在谈"]],
                                        "Sheet3": [head, ["丙", "丙公司", 1, "在谈"]]})
    run = zs.ok("import", str(path))
    assert "分镇.xlsx:税郭镇 没有责任单位列：按工作表名记为“税郭镇”的项目" in run.err
    assert [(p["name"], p["unit"]) for p in zs.json("projects", "list")] == [
        ("甲", "税郭镇"), ("乙", "孟庄镇"), ("丙", None)]


# --------------------------------------------------------------------------- more office shapes


def test_prefixed_subtotals_and_unit_block_headings(zs: Zs, tmp_path: Path) -> None:
    zs.ok("units", "add", "税郭镇", "--kind", "town")
    head = ["序号", "项目名称", "投资方", "总投资（亿元）", "项目阶段"]
    path = xlsx(tmp_path / "分镇.xlsx", {"台账": [
        head,
        ["一、税郭镇"],
        [1, "光伏甲", "甲公司", 5, "已签约"],
        [None, "税郭镇合计", None, 5],
        ["二", "孟庄镇"],
        [1, "食品乙", "乙公司", 3, "已开工（主体施工）"],
        [2, "纺织丙", "丙公司", 2, "签约未开工"],
        [None, "孟庄镇小计", None, 5],
        [None, "全区总计（3个）", None, 10],
        ["以上合计"],
    ]})
    run = zs("import", str(path), "--strict", "--format", "json")
    assert run.code == 0, run
    assert json.loads(run.out)["new_chains"] == []
    assert [(p["name"], p["unit"], p["stage"]) for p in zs.json("projects", "list")] == [
        ("光伏甲", "税郭镇", "signed"), ("食品乙", "孟庄镇", "started"), ("纺织丙", "孟庄镇", "signed")]


def test_sheet_and_title_words_plans_and_instructions(zs: Zs, tmp_path: Path) -> None:
    head = ["项目名称", "投资方", "合同金额（亿元）", "项目阶段", "洽谈进度", "预计签约时间"]
    path = xlsx(tmp_path / "台账.xlsx", {
        "填报示例": [head, ["示例项目", "XX公司", 1, "在谈", "", ""]],
        "2025年计划开工项目": [head, ["计划甲", "甲公司", 2, None, "", ""]],
        "Sheet1": [["2024年在谈项目台账"], head, ["冷链物流", "乙公司", 3, None, "拟签约", "2024年上半年"],
                   ["冷库", "丙公司", 120000, "在谈", "", "2024-09-30"]],
    })
    run = zs("import", str(path), "--format", "json")
    assert run.code == 1
    report = json.loads(run.out)
    assert any("预计签约时间“2024年上半年”未录入" in w for w in report["warnings"])
    assert [(e["cell"], e["reason"][:14]) for e in report["errors"]] == [("C4", "金额“120000”折合12")]
    assert [(p["name"], p["stage"], p["investment_wan"]) for p in zs.json("projects", "list")] == [
        ("计划甲", "lead", 20000), ("冷链物流", "negotiating", 30000)]


def test_a_title_with_two_years_leaves_the_year_to_the_clerk(zs: Zs, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "跨年.xlsx", {"台账": [
        ["2023—2024年度招商项目台账"], ["项目名称", "总投资（亿元）", "签约时间"], ["甲", 1, "12月26日"]]})
    run = zs("import", str(path), "--format", "json")
    assert run.code == 1
    assert [e["reason"] for e in json.loads(run.out)["errors"]] == ["日期“12月26日”没有年份，请用 --year 指定"]
    zs.ok("import", str(path), "--year", "2023")
    assert zs.json("projects", "list")[0]["signed_on"] == "2023-12-26"


def test_a_future_stage_date_beside_a_lower_stage_is_the_plan(zs: Zs, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "计划.csv", [["项目名称", "总投资（亿元）", "项目阶段", "签约时间"],
                                           ["甲", "1", "洽谈中", "2099年3月"], ["乙", "1", "已签约", "2099-01-01"]])
    run = zs.ok("import", str(path), "--format", "json")
    warnings = json.loads(run.out)["warnings"]
    assert "计划.csv:计划!D2：签约时间“2099-03”晚于今天：按计划时间录入" in warnings
    # Beside the stage word itself too: signed, its day not yet known (typed, the date is refused).
    assert "计划.csv:计划!D3：签约时间“2099-01-01”晚于今天：按计划时间录入" in warnings
    assert [(p["name"], p["stage"], p["signed_on"]) for p in zs.json("projects", "list")] == [
        ("甲", "negotiating", None), ("乙", "signed", None)]
    plans = [(m["kind"], m["planned_on"], m["done"]) for m in zs.json("milestones", "list", "P-0001")]
    assert ("signed", "2099-03", False) in plans


def test_the_same_name_in_two_units_without_an_investor_is_two_projects(zs: Zs, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "厂房.csv", [["项目名称", "总投资（亿元）", "责任单位", "项目阶段"],
                                           ["标准化厂房项目", "2", "税郭镇", "在建"],
                                           ["标准化厂房项目", "3", "孟庄镇", "在谈"]])
    for _ in range(2):
        report = json.loads(zs.ok("import", str(path), "--format", "json").out)
    assert (report["inserted"], report["unchanged"], report["warnings"]) == (0, 2, [])
    assert [(p["unit"], p["investment_wan"], p["stage"]) for p in zs.json("projects", "list")] == [
        ("税郭镇", 20000, "started"), ("孟庄镇", 30000, "negotiating")]


def test_two_problem_columns_side_by_side_are_both_problems(zs: Zs, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "调度.xlsx", {"台账": [
        ["项目名称", "项目阶段", "存在问题", "需协调事项", "解决时限"],
        ["甲", "在谈", "用地指标未落实", "需协调银行贷款", D(2023, 7, 31)],
        ["乙", "在谈", None, "电力增容", None]]})
    for _ in range(2):
        run = zs.ok("import", str(path))
    assert "重复" not in run.err
    assert [(p["code"], p["text"], p["due_on"]) for p in zs.json("problems", "list", "--as-of", "2023-07-01")] == [
        ("P-0001", "用地指标未落实", "2023-07-31"), ("P-0001", "需协调银行贷款", "2023-07-31"),
        ("P-0002", "电力增容", None)]


def test_numbered_rows_are_projects_whatever_their_names_end_with(zs: Zs, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "名称.csv", [
        ["序号", "项目名称", "总投资（亿元）", "建设内容", "项目状态", "签约时间"],
        ["1", "第三代半导体材料项目", "", "", "在谈", ""],
        ["2", "温泉康养小镇", "30", "", "在谈", ""],
        ["3", "智能装备产业园", "5", "其中：一期投资3亿元", "在谈", ""],
        ["4", "已终止项目", "1", "", "已终止", "2099-03-01"],
    ])
    run = zs("import", str(path), "--format", "json")
    assert run.code == 0 and "Traceback" not in run.err, run
    report = json.loads(run.out)
    assert (report["new_units"], report["new_chains"]) == ([], [])
    assert [(p["name"], p["unit"], p["stage"]) for p in zs.json("projects", "list")] == [
        ("第三代半导体材料项目", None, "negotiating"), ("温泉康养小镇", None, "negotiating"),
        ("智能装备产业园", None, "negotiating"), ("已终止项目", None, "terminated")]


def test_a_group_heading_ends_a_unit_block(zs: Zs, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "分组.xlsx", {"台账": [
        ["序号", "项目名称", "投资方", "总投资（亿元）", "项目阶段"],
        ["一、镇街"], ["（一）税郭镇"], [1, "项目A", "甲", 1, "在谈"],
        ["二、区直部门"], [2, "项目B", "乙", 1, "在谈"]]})
    report = json.loads(zs.ok("import", str(path), "--format", "json").out)
    assert report["new_chains"] == []
    assert [(p["name"], p["unit"], p["chain"]) for p in zs.json("projects", "list")] == [
        ("项目A", "税郭镇", None), ("项目B", None, None)]


def test_investors_filled_in_for_same_named_projects_of_two_units(zs: Zs, tmp_path: Path) -> None:
    head = ["项目名称", "投资方", "总投资（亿元）", "责任单位", "项目阶段"]
    zs.ok("import", str(csv_file(tmp_path / "1.csv", [head, ["标准厂房项目", "", "2", "税郭镇", "在谈"],
                                                       ["标准厂房项目", "", "3", "孟庄镇", "在谈"]])))
    report = json.loads(zs.ok("import", str(csv_file(tmp_path / "2.csv", [
        head, ["标准厂房项目", "甲公司", "2", "税郭镇", "在谈"], ["标准厂房项目", "乙公司", "3", "孟庄镇", "在谈"]])),
        "--format", "json").out)
    assert (report["inserted"], report["updated"]) == (0, 2)
    assert [(p["investor"], p["unit"]) for p in zs.json("projects", "list")] == [
        ("甲公司", "税郭镇"), ("乙公司", "孟庄镇")]


def test_names_like_headings_are_projects_and_known_names_are_headings(zs: Zs, tmp_path: Path) -> None:
    zs.ok("units", "add", "区城市建设投资集团", "--kind", "soe")
    path = csv_file(tmp_path / "名单.csv", [
        ["序号", "项目名称", "投资方", "总投资（亿元）"],
        ["1", "第三类医疗器械生产基地", "", "3"],
        ["2", "第二批标准厂房", "", "1"],
        ["", "运河古镇", "", ""],
        ["", "鲁南农产品冷链", "", ""],
        ["", "区城市建设投资集团", "", "5"],      # a unit of the ledger, its subtotal beside it
        ["3", "物流园区管委会办公楼", "城投", "5"],
        ["", "新一代信息技术与数字经济产业链", "", ""],
        ["4", "数据中心", "联通", "2"],
    ])
    report = json.loads(zs.ok("import", str(path), "--format", "json").out)
    assert report["new_units"] == [] and report["new_chains"] == ["新一代信息技术与数字经济产业链"]
    assert [(p["name"], p["unit"], p["chain"]) for p in zs.json("projects", "list")] == [
        ("第三类医疗器械生产基地", None, None), ("第二批标准厂房", None, None), ("运河古镇", None, None),
        ("鲁南农产品冷链", None, None), ("物流园区管委会办公楼", "区城市建设投资集团", None),
        ("数据中心", None, "新一代信息技术与数字经济产业链")]  # a chain heading ends the unit block
