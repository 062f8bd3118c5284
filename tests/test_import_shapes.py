"""`zs import` on the shapes office ledgers come in: every field of every project, every error cell."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import Zs
from sheets import csv_file, project, xlsx

FIXTURES = Path(__file__).parent / "fixtures"
D = dt.date


def errors_of(run) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return [(e["cell"], e["value"], e["reason"]) for e in json.loads(run.out)["errors"]]


# --------------------------------------------------------------------------- title + two-row merged header


def test_title_banner_and_two_row_merged_header(zs: Zs, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "重点项目.xlsx", {"台账": [
        ["枣庄市市中区2023年重点项目台账"],
        ["填报单位：区招商服务中心", None, None, None, None, None, None, None, "单位：万元"],
        ["序号", "*项目编号", "项目\n名称", "投 资 方", "总投资", "责任单位", "时间节点", None, "项目状态"],
        [None, None, None, None, None, None, "签约", "开工", None],
        [1, "A-1", "中环智能制造产业园", "中环集团", 600000, "区工信局", D(2023, 5, 20), D(2023, 6, 27), "在建"],
        [2, "A-2", "万达广场", "万达商管", 200000, "中心街街道", "6月26日", None, "已签约"],
        [3, "A-3", "晟达菲尔高端乳制品产业园", "晟达菲尔", 103000, "孟庄镇", None, None, "洽谈中"],
    ]}, merges={"台账": ["A1:I1", "G3:H3", *[f"{c}3:{c}4" for c in "ABCDEFI"]]})
    run = zs("import", str(path))
    assert run.code == 0, run
    assert "新增 3" in run.err and "新建责任单位（类别“其他”）：区工信局、中心街街道、孟庄镇" in run.err
    assert zs.json("projects", "list") == [
        project(code="A-1", name="中环智能制造产业园", investor="中环集团", investment_wan=600000, unit="区工信局",
                stage="started", signed_on="2023-05-20", started_on="2023-06-27"),
        # 6月26日 takes the title's year
        project(code="A-2", name="万达广场", investor="万达商管", investment_wan=200000, unit="中心街街道",
                stage="signed", signed_on="2023-06-26"),
        project(code="A-3", name="晟达菲尔高端乳制品产业园", investor="晟达菲尔", investment_wan=103000, unit="孟庄镇",
                stage="negotiating"),
    ]
    assert [(u["name"], u["kind"], u["sort_order"]) for u in zs.json("units", "list")] == [
        ("区工信局", "other", 1), ("中心街街道", "other", 2), ("孟庄镇", "other", 3)]
    history = zs.json("projects", "history", "A-1")
    assert [(h["source"], h["entity"], h["field"]) for h in history] == [("重点项目.xlsx:台账!row 5", "project", None)]
    event = json.loads(history[0]["new"])
    assert event["investment_wan"] == 600000 and event["amount_text"] == "600000"
    assert [(m["kind"], m["done_on"], m["done"]) for m in event["milestones"]] == [
        ("signed", "2023-05-20", True), ("started", "2023-06-27", True)]


# --------------------------------------------------------------------------- sections and subtotals


def test_sections_subtotals_repeated_header_and_footnotes(zs: Zs, tmp_path: Path) -> None:
    header = ["序号", "项目名称", "投资方", "总投资", "责任单位", "签约时间", "开工时间", "进展情况"]
    path = xlsx(tmp_path / "分链台账.xlsx", {"项目推进": [
        ["2023年招商项目推进台账"],
        ["单位：亿元"],
        header,
        ["一、高端装备产业链（2个）"],
        [1, "中环智能制造产业园", "中环", 60, "税郭镇", D(2023, 5, 20), D(2023, 6, 27), "一期厂房主体施工"],
        # the progress cell is a whole stage word and the sheet has no stage column: it sets the stage
        [2, "联合计算中心", "浪潮", 5, "税郭镇", D(2023, 6, 26), None, "在建"],
        ["小计", None, None, "=SUM(D5:D6)"],
        [],
        ["（二）新材料"],
        [3, "碳纤维复合材料项目", "恒瑞", 12, "齐村镇", D(2023, 6, 26), None, "完成设备招标，预计7月开工"],
        header,
        ["三、在谈项目"],
        [4, "储能电池项目", "鲁南锂能", 30, "孟庄镇", None, None, "第三轮洽谈"],
        ["合 计", None, None, "=SUM(D5:D13)"],
        ["填报人：张三", None, "审核人：李四"],
        ["注：本表金额单位为亿元"],
    ]}, merges={"项目推进": ["A1:H1", "A4:H4", "A9:H9", "A12:H12"]})
    run = zs("import", str(path))
    assert run.code == 0, run
    assert "新建产业链：高端装备产业链、新材料" in run.err
    assert zs.json("projects", "list") == [
        project(code="P-0001", name="中环智能制造产业园", investor="中环", investment_wan=600000,
                chain="高端装备产业链",
                unit="税郭镇", stage="started", signed_on="2023-05-20", started_on="2023-06-27"),
        project(code="P-0002", name="联合计算中心", investor="浪潮", investment_wan=50000, chain="高端装备产业链",
                unit="税郭镇", stage="started", signed_on="2023-06-26"),
        project(code="P-0003", name="碳纤维复合材料项目", investor="恒瑞", investment_wan=120000, chain="新材料",
                unit="齐村镇", stage="signed", signed_on="2023-06-26"),
        # a stage section sets the stage, and the chain sections above it no longer apply
        project(code="P-0004", name="储能电池项目", investor="鲁南锂能", investment_wan=300000, unit="孟庄镇",
                stage="negotiating"),
    ]
    shown = zs.json("projects", "show", "P-0003")
    assert shown["progress"] == "完成设备招标，预计7月开工"


# --------------------------------------------------------------------------- mixed units


def test_mixed_money_units_and_hedged_amounts(zs: Zs, tmp_path: Path) -> None:
    d = D(2023, 6, 1)
    path = xlsx(tmp_path / "金额.xlsx", {"Sheet1": [
        ["项目名称", "投资方", "计划总投资（万元）", "外资（万美元）", "责任单位", "签约时间"],
        ["甲项目", "甲公司", 5000, None, "税郭镇", d],
        ["乙项目", "乙公司", "1.2亿", None, "税郭镇", d],
        ["丙项目", "丙公司", "１２，０００", None, "税郭镇", d],
        ["丁项目", "丁公司", "300万美元", None, "税郭镇", d],
        ["戊项目", "戊公司", 1200.5, None, "税郭镇", d],
        ["己项目", "己公司", "待定", "1,500", "税郭镇", d],
        ["庚项目", "庚公司", "待定", None, "税郭镇", d],
        ["辛项目", "辛公司", None, None, "税郭镇", d],
        ["壬项目", "壬公司", "约10亿", None, "税郭镇", d],
        ["癸项目", "癸公司", "5-8亿", None, "税郭镇", d],
        ["子项目", "子公司", "10亿以上", None, "税郭镇", d],
        ["丑项目", "丑公司", 100, "2亿", "税郭镇", d],
    ]})
    run = zs("import", str(path), "--format", "json")
    assert run.code == 1
    report = json.loads(run.out)
    assert (report["inserted"], report["rejected"]) == (8, 4)
    assert errors_of(run) == [
        ("C10", "约10亿", "金额“约10亿”不确定（含“约”），请填写确数"),
        ("C11", "5-8亿", "金额“5-8亿”是区间或多个数，请填写确数"),
        ("C12", "10亿以上", "金额“10亿以上”不确定（含“以上”），请填写确数"),
        ("D13", "2亿", "外资应为美元金额，而不是“2亿”"),
    ]
    assert report["warnings"] == ["金额.xlsx:Sheet1!C8：计划总投资（万元）“待定”：金额未知，按空值录入",
                                  "金额.xlsx:Sheet1!C9：“辛项目”总投资空白，按未知录入"]
    amounts = {r["name"]: (r["investment_wan"], r["investment_usd_wan"]) for r in zs.json("projects", "list")}
    assert amounts == {"甲项目": (5000, None), "乙项目": (12000, None), "丙项目": (12000, None),
                       "丁项目": (None, 300), "戊项目": (1201, None), "己项目": (None, 1500),
                       "庚项目": (None, None), "辛项目": (None, None)}
    assert "已导入 8 行；4 行被拒绝" in run.err
    assert "金额.xlsx:Sheet1!C10 约10亿 — 金额“约10亿”不确定" in run.err


# --------------------------------------------------------------------------- messy dates


MESSY_DATES = [
    ["项目名称", "投资方", "签约时间", "开工时间"],
    ["A", "a", dt.datetime(2023, 6, 26), None],
    ["B", "b", 45103, None],  # an Excel serial number without a date format
    ["C", "c", "2023/6/26", "2023.6.27"],
    ["D", "d", "2023年6月26日", None],
    ["E", "e", "6月26日", None],
    ["F", "f", "2023年6月", None],
    ["G", "g", 202306, None],
    ["H", "h", "2023.6", None],
    ["I", "i", "/", "—"],
    ["J", "j", "2023-02-30", None],
    ["K", "k", "2023-13-01", None],
    ["L", "l", "下旬", None],
]


def test_messy_dates(zs: Zs, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "日期.xlsx", {"Sheet1": MESSY_DATES})
    run = zs("import", str(path), "--year", "2022", "--format", "json")
    assert run.code == 1
    assert errors_of(run) == [
        ("C11", "2023-02-30", "日期“2023-02-30”不存在"),
        ("C12", "2023-13-01", "日期“2023-13-01”的月份不存在"),
        ("C13", "下旬", "日期“下旬”无法识别"),
    ]
    rows = {r["name"]: (r["stage"], r["signed_on"], r["started_on"]) for r in zs.json("projects", "list")}
    assert rows == {
        "A": ("signed", "2023-06-26", None), "B": ("signed", "2023-06-26", None),
        "C": ("started", "2023-06-26", "2023-06-27"), "D": ("signed", "2023-06-26", None),
        "E": ("signed", "2022-06-26", None), "F": ("signed", "2023-06", None), "G": ("signed", "2023-06", None),
        "H": ("signed", "2023-06", None), "I": ("lead", None, None),
    }
    assert any("1 行没有阶段和日期，按“线索”录入" in w for w in json.loads(run.out)["warnings"])


def test_a_yearless_date_needs_a_year(zs: Zs, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "日期.xlsx", {"Sheet1": MESSY_DATES[:1] + MESSY_DATES[5:6]})
    run = zs("import", str(path), "--format", "json")
    assert run.code == 1
    assert errors_of(run) == [("C2", "6月26日", "日期“6月26日”没有年份，请用 --year 指定")]


# --------------------------------------------------------------------------- notes, hidden column, formulas, duplicates


def test_notes_sheet_hidden_column_formulas_and_duplicates(zs: Zs, tmp_path: Path) -> None:
    d = D(2023, 6, 1)
    header = ["项目编号", "项目名称", "投资方", "总投资（亿元）", "责任单位", "项目阶段", "签约时间", "总投资（亿元）"]
    path = xlsx(tmp_path / "周报.xlsx", {
        "填报说明": [["填报说明"], ["1. 每周五前更新"], ["2. 金额单位为亿元"]],
        "台账": [
            header,
            ["Z-1", "甲项目", "甲公司", 10, "税郭镇", "签约", d, 99],
            ["Z-2", "乙项目", "乙公司", "=D2*2", "税郭镇", "签约", d, 99],
            ["Z-1", "甲项目", "甲公司", 12, "税郭镇", "在建", d, 99],
            [None, "丙项目", "丙公司", 3, "孟庄镇", "在谈", None, 99],
            [None, "丙项目", "丙公司", 4, "孟庄镇", "在谈", None, 99],
            ["合计", None, None, "=SUM(D2:D6)"],
        ],
        "旧台账": [header[:7], ["Y-1", "旧项目", "旧公司", 1, "税郭镇", "签约", d]],
    }, hidden_sheets=["旧台账"], hidden_columns={"台账": ["A", "H"]},
        cached={"台账": {"D3": 20, "D7": 49}})
    run = zs("import", str(path), "--format", "json")
    assert run.code == 0, run
    report = json.loads(run.out)
    assert report["sheets"] == [{"sheet": "台账", "kind": "project", "rows": 5, "inserted": 3, "updated": 0,
                                 "unchanged": 0, "rejected": 0, "lines": 6, "skipped": 3}]
    assert report["warnings"] == [
        "周报.xlsx:台账 “总投资（亿元）”与第 4 列重复，按 D 列读取",
        "周报.xlsx:台账 有 1 行的阶段没有日期（开工 1），不计入任何统计期（新增线索、新签约、新投产…）："
        "F4；可在表中补上日期，或用 zs projects advance … --date",
        # informational notes after the warnings that set a value
        "周报.xlsx:台账!row 2：与后面的第 4 行是同一项目（编号 Z-1），以后者为准",
        "周报.xlsx:台账!row 5：与后面的第 6 行是同一项目（丙项目/丙公司），以后者为准",
    ]
    assert zs.json("projects", "list") == [
        project(code="Z-2", name="乙项目", investor="乙公司", investment_wan=200000, unit="税郭镇", stage="signed",
                signed_on="2023-06-01"),
        # the later row wins: 12 亿, 在建 (the start date unknown)
        project(code="Z-1", name="甲项目", investor="甲公司", investment_wan=120000, unit="税郭镇", stage="started",
                signed_on="2023-06-01"),
        project(code="P-0003", name="丙项目", investor="丙公司", investment_wan=40000, unit="孟庄镇",
                stage="negotiating"),
    ]
    # A hidden sheet is read only when named.
    run = zs("import", str(path), "--sheet", "旧台账")
    assert run.code == 0, run
    assert [r["code"] for r in zs.json("projects", "list")][-1] == "Y-1"
    # The same file again changes nothing.
    again = json.loads(zs.ok("import", str(path), "--format", "json").out)
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 3)


# --------------------------------------------------------------------------- CSV


CSV_ROWS = [
    ["项目名称", "投资方", "总投资（亿元）", "所属产业链", "责任单位", "项目阶段", "签约时间", "开工时间"],
    ["中环智能制造产业园", "中环", "60", "高端装备", "税郭镇", "在建", "2023/5/20", "2023/6/27"],
    ["垎塘物流园", "垎塘投资", "1.5", "现代物流", "垎塘街道", "已签约", "2023-06-26", ""],
]


@pytest.mark.parametrize(("encoding", "delimiter"), [("gbk", ","), ("gb18030", ","), ("utf-8-sig", ","),
                                                     ("utf-8", "\t")])
def test_csv_in_any_office_encoding(zs: Zs, tmp_path: Path, encoding: str, delimiter: str) -> None:
    path = csv_file(tmp_path / "台账.csv", CSV_ROWS, encoding, delimiter)
    run = zs("import", str(path))
    assert run.code == 0, run
    assert zs.json("projects", "list") == [
        project(code="P-0001", name="中环智能制造产业园", investor="中环", investment_wan=600000, chain="高端装备",
                unit="税郭镇", stage="started", signed_on="2023-05-20", started_on="2023-06-27"),
        project(code="P-0002", name="垎塘物流园", investor="垎塘投资", investment_wan=15000, chain="现代物流",
                unit="垎塘街道", stage="signed", signed_on="2023-06-26"),
    ]
    history = zs.json("projects", "history", "P-0002")
    assert history[0]["source"] == "台账.csv:台账!row 3"


def test_csv_errors_name_the_cell(zs: Zs, tmp_path: Path) -> None:
    rows = [CSV_ROWS[0], ["坏项目", "某公司", "约5亿", "高端装备", "税郭镇", "签约", "2023-06-31", ""]]
    run = zs("import", str(csv_file(tmp_path / "台账.csv", rows, "gbk")), "--format", "json")
    assert run.code == 1
    assert errors_of(run) == [("C2", "约5亿", "金额“约5亿”不确定（含“约”），请填写确数"),
                              ("G2", "2023-06-31", "日期“2023-06-31”不存在")]


# --------------------------------------------------------------------------- written by LibreOffice


@pytest.mark.parametrize("suffix", ["ods", "xls", "xlsx"])
def test_files_written_by_libreoffice(zs: Zs, suffix: str) -> None:
    """tests/fixtures/make_libreoffice.py: converted headless by LibreOffice Calc, formulas recalculated."""
    run = zs("import", str(FIXTURES / f"libreoffice.{suffix}"), "--format", "json")
    assert run.code == 0, run
    report = json.loads(run.out)
    assert (report["inserted"], report["errors"]) == (3, [])
    assert report["warnings"] == [  # 在建 without 开工时间: a start that counts in no window
        f"libreoffice.{suffix}:签约项目 有 1 行的阶段没有日期（开工 1），"
        "不计入任何统计期（新增线索、新签约、新投产…）：I5；可在表中补上日期，或用 zs projects advance … --date"]
    assert zs.json("projects", "list") == [
        project(code="P-0001", name="中环智能制造产业园", investor="中环", investment_wan=600000, chain="高端装备",
                unit="税郭镇", stage="signed", signed_on="2023-05-20"),
        # 总投资 is a formula (=D4/3): its cached value
        project(code="P-0002", name="万达广场", investor="万达", investment_wan=200000, chain="商贸服务",
                unit="中心街街道", stage="started", signed_on="2023-06"),
        project(code="P-0003", name="中德精密轴承项目", investor="施耐克", investment_usd_wan=1800, chain="高端装备",
                unit="区商务局", stage="signed", signed_on="2023-06-26"),
    ]
