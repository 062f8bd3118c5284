"""What an import does to a ledger: updates in place with an audit trail, refuses in one transaction,
and reports what it did."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from conftest import Zs, dump
from sheets import project, xlsx

D = dt.date
HEADER = ["项目编号", "项目名称", "投资方", "总投资（亿元）", "所属产业链", "责任单位", "项目阶段", "签约时间",
          "开工时间",
          "计划开工时间"]


def ledger_file(tmp_path: Path, rows: list[list], name: str = "台账.xlsx") -> Path:
    return xlsx(tmp_path / name, {"项目台账": [["2023年重点项目"], HEADER, *rows]})


FIRST = [
    ["Z-1", "中环智能制造产业园", "中环", 60, "高端装备", "税郭镇", "签约", D(2023, 5, 20), None, D(2023, 6, 15)],
    ["Z-2", "万达广场", "万达", 20, "商贸服务", "中心街街道", "在谈", None, None, None],
]


def sql(ledger: str, query: str) -> list[tuple]:
    """Rows as SQLite gives them (booleans 0/1, dates as ISO text), on either backend."""
    from zhaoshang.config import database_url
    from zhaoshang.db.engine import connect

    def plain(value):  # type: ignore[no-untyped-def]
        if isinstance(value, bool):
            return int(value)
        return value.isoformat() if isinstance(value, dt.date) else value

    with connect(database_url(ledger)) as conn:
        return [tuple(plain(v) for v in row) for row in conn.exec_driver_sql(query).all()]


def test_reimport_updates_in_place_with_one_event_per_change(zs: Zs, ledger: str, tmp_path: Path) -> None:
    first = ledger_file(tmp_path, FIRST, "第1周.xlsx")
    zs.ok("import", str(first))
    again = json.loads(zs.ok("import", str(first), "--format", "json").out)
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 2)
    batches = sql(ledger, "SELECT file_name, sha256, rows_read, inserted, updated, unchanged, rejected, status "
                          "FROM import_batch ORDER BY id")
    digest = hashlib.sha256(first.read_bytes()).hexdigest()
    assert batches == [("第1周.xlsx", digest, 2, 2, 0, 0, 0, "done"), ("第1周.xlsx", digest, 2, 0, 0, 2, 0, "done")]

    second = ledger_file(tmp_path, [
        ["Z-1", "中环智能制造产业园", "中环", 65, "高端装备", "税郭镇", "在建", D(2023, 5, 20), D(2023, 6, 27),
         D(2023, 6, 15)],
        ["Z-2", "万达广场", "万达", 20, "商贸服务", "中心街街道", "签约", D(2023, 6, 26), None, None],
    ], "第2周.xlsx")
    report = json.loads(zs.ok("import", str(second), "--format", "json").out)
    assert (report["inserted"], report["updated"], report["unchanged"]) == (0, 2, 0)
    assert zs.json("projects", "list") == [
        project(code="Z-1", name="中环智能制造产业园", investor="中环", investment_wan=650000, chain="高端装备",
                unit="税郭镇", stage="started", signed_on="2023-05-20", started_on="2023-06-27"),
        project(code="Z-2", name="万达广场", investor="万达", investment_wan=200000, chain="商贸服务",
                unit="中心街街道",
                stage="signed", signed_on="2023-06-26"),
    ]
    changes = [(h["source"], h["entity"], h["field"], h["old"], h["new"])
               for h in zs.json("projects", "history", "Z-1")][1:]
    assert changes == [
        ("第2周.xlsx:项目台账!row 3", "project", "investment_wan", "600000", "650000"),
        ("第2周.xlsx:项目台账!row 3", "project", "stage", "signed", "started"),
        ("第2周.xlsx:项目台账!row 3", "milestone", "done", "false", "true"),
        ("第2周.xlsx:项目台账!row 3", "milestone", "done_on", None, "2023-06-27"),
        ("第2周.xlsx:项目台账!row 3", "milestone", "precision", None, "day"),
    ]
    # the planned start became the done start: one milestone, planned and done
    assert sql(ledger, "SELECT kind, planned_on, done, done_on FROM milestone m JOIN project p ON p.id = m.project_id "
                       "WHERE p.code = 'Z-1' ORDER BY m.id") == [
        ("signed", None, 1, "2023-05-20"), ("started", "2023-06-15", 1, "2023-06-27")]
    assert [h["field"] for h in zs.json("projects", "history", "Z-2")] == [None, "stage", None]


def test_an_older_file_does_not_move_a_project_back(zs: Zs, tmp_path: Path) -> None:
    zs.ok("import", str(ledger_file(tmp_path, [FIRST[0]])))
    zs.ok("projects", "advance", "Z-1", "started", "--date", "2023-06-27")
    run = zs.ok("import", str(ledger_file(tmp_path, [FIRST[0]], "旧.xlsx")))
    assert "台账中“Z-1”为开工，文件为签约：保留开工" in run.err
    assert zs.json("projects", "list")[0]["stage"] == "started"


def test_strict_writes_nothing_but_a_failed_import_record(zs: Zs, ledger: str, tmp_path: Path) -> None:
    path = ledger_file(tmp_path, [FIRST[0], ["Z-3", "坏项目", "某公司", "约5亿", "高端装备", "税郭镇", "签约", None,
                                             None,
                                             None]])
    before = dump(ledger, skip=("import_batch",))
    run = zs("import", str(path), "--strict")
    assert run.code == 1
    assert "台账.xlsx:项目台账!D4 约5亿 — 金额“约5亿”不确定" in run.err
    assert "--strict：1 行被拒绝，未写入任何内容。" in run.err
    # The account says what would have landed, not that it did.
    assert run.err.startswith("（--strict：有行被拒绝，未写入任何内容）\n导入 台账.xlsx：将新增")
    assert dump(ledger, skip=("import_batch",)) == before
    assert sql(ledger, "SELECT status, rejected, message FROM import_batch") == [("failed", 1, "--strict：1 行被拒绝")]


def test_without_strict_good_rows_land_and_exit_is_1(zs: Zs, tmp_path: Path) -> None:
    path = ledger_file(tmp_path, [FIRST[0], ["Z-3", "坏项目", "某公司", 5, "高端装备", "税郭镇", "考察完成", None, None,
                                             None]])
    run = zs("import", str(path))
    assert run.code == 1
    assert "已导入 1 行；1 行被拒绝（退出码 1）。" in run.err
    assert "台账.xlsx:项目台账!G4 考察完成 — 阶段“考察完成”无法对应到项目阶段" in run.err
    assert [r["code"] for r in zs.json("projects", "list")] == ["Z-1"]


def test_dry_run_writes_nothing(zs: Zs, ledger: str, tmp_path: Path) -> None:
    before = dump(ledger)
    run = zs("import", str(ledger_file(tmp_path, FIRST)), "--dry-run")
    assert run.code == 0, run
    assert "将新增 2" in run.err and "未写入" in run.err
    assert dump(ledger) == before


def test_rejected_rows_go_to_an_errors_workbook_that_imports_once_fixed(zs: Zs, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = xlsx(tmp_path / "台账.xlsx", {"推进": [
        ["2023年项目台账"], ["单位：万元"], ["项目名称", "投资方", "总投资", "签约时间"],
        ["一、新能源"],
        ["好项目", "甲", 5000, D(2023, 6, 1)],
        ["坏项目", "乙", "约5000", "6月31日"],
    ]})
    out = tmp_path / "错误.xlsx"
    run = zs("import", str(path), "--errors", str(out))
    assert run.code == 1
    ws = load_workbook(out)["推进"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0][0] == "2023年 台账.xlsx 被拒绝的行" and rows[1][0] == "单位：万元"
    assert rows[2] == ["项目名称", "投资方", "总投资", "签约时间", "所属产业链", "错误原因"]
    assert rows[3] == ["坏项目", "乙", "约5000", "6月31日", "新能源",
                       "第 6 行：金额“约5000”不确定（含“约”），请填写确数；日期“6月31日”不存在"]
    ws["C4"], ws["D4"] = 4000, "6月30日"
    ws.parent.save(out)
    run = zs.ok("import", str(out))
    assert "新增 1" in run.err
    row = [r for r in zs.json("projects", "list") if r["name"] == "坏项目"][0]
    assert (row["investment_wan"], row["chain"], row["signed_on"]) == (4000, "新能源", "2023-06-30")


def test_names_match_exactly_then_normalised_never_duplicated(district: Zs, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "台账.xlsx", {"Sheet1": [
        ["项目名称", "投资方", "总投资（亿元）", "所属产业链", "责任单位", "项目阶段"],
        ["光伏组件", "某公司", 2, "新能源", "工信局", "在谈"],
        ["储能电站", "某公司", 3, "新能源产业链", "区工信局", "在谈"],
    ]})
    run = district.ok("import", str(path))
    assert "注意：产业链“新能源”按“新能源产业链”处理" in run.err
    assert "注意：责任单位“工信局”按“区工信局”处理" in run.err
    assert "新建" not in run.err
    assert [u["name"] for u in district.json("units", "list")] == ["区工信局", "税郭镇"]
    assert {(r["name"], r["chain"], r["unit"]) for r in district.json("projects", "list")} >= {
        ("光伏组件", "新能源产业链", "区工信局"), ("储能电站", "新能源产业链", "区工信局")}


def test_no_create_makes_unknown_names_row_errors(district: Zs, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "台账.xlsx", {"Sheet1": [
        ["项目名称", "投资方", "总投资（亿元）", "所属产业链", "责任单位"],
        ["光伏组件", "某公司", 2, "高端装备", "永安镇"],
    ]})
    run = district("import", str(path), "--no-create", "--format", "json")
    assert run.code == 1
    assert [(e["cell"], e["value"], e["reason"]) for e in json.loads(run.out)["errors"]] == [
        ("E2", "永安镇", "责任单位“永安镇”不存在（--no-create）")]


def test_a_map_file_names_columns_and_stage_words(zs: Zs, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "台账.xlsx", {"Sheet1": [
        ["项目名称", "客户单位", "项目负责单位", "进度", "摘地日期"],
        ["光伏组件", "某公司", "税郭镇", "已摘地", D(2023, 6, 1)],
    ]})
    assert zs("import", str(path)).code == 1  # no header it can read
    mapping = tmp_path / "map.toml"
    mapping.write_text('[columns]\n"客户单位" = "investor"\n"项目负责单位" = "unit"\n"进度" = "stage"\n'
                       '"摘地日期" = "signed_on"\n\n[stages]\n"已摘地" = "签约"\n', encoding="utf-8")
    zs.ok("import", str(path), "--map", str(mapping))
    assert zs.json("projects", "list") == [project(code="P-0001", name="光伏组件", investor="某公司", unit="税郭镇",
                                                   stage="signed", signed_on="2023-06-01")]
    mapping.write_text('[columns]\n"客户单位" = "客户"\n', encoding="utf-8")
    run = zs("import", str(path), "--map", str(mapping))
    assert run.code == 1 and "“客户单位”对应的“客户”不是已知字段" in run.err


def test_json_summary_keys_and_unknown_sheet(zs: Zs, tmp_path: Path) -> None:
    path = ledger_file(tmp_path, FIRST)
    report = json.loads(zs.ok("import", str(path), "--format", "json").out)
    assert set(report) == {"file", "inserted", "updated", "unchanged", "rejected", "skipped", "warnings", "errors",
                           "new_units",
                           "new_chains", "sheets", "problems", "notes", "unreviewed", "unreviewed_count"}
    assert [r["code"] for r in report["unreviewed"]] == ["Z-1"]  # signed, never reviewed
    run = zs("import", str(path), "--sheet", "不存在")
    assert run.code == 1 and run.err.strip() == "错误：台账.xlsx 中没有工作表“不存在”。 有：项目台账。"


def test_a_sheet_without_a_header_is_refused(zs: Zs, ledger: str, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "随便.xlsx", {"Sheet1": [["今天天气不错"], ["明天也不错"]]})
    before = dump(ledger, skip=("import_batch",))
    run = zs("import", str(path))
    assert run.code == 1 and "随便.xlsx 中没有可导入的台账" in run.err
    assert dump(ledger, skip=("import_batch",)) == before


def test_whole_district_workbook(zs: Zs, tmp_path: Path) -> None:
    """Units, chains, trips and targets sheets set a district up, whatever their order in the workbook."""
    path = xlsx(tmp_path / "全区.xlsx", {
        "外出招商": [["日期", "单位", "带队领导", "是否主要领导", "目的地", "走访项目", "参与洽谈"],
                 [D(2023, 5, 10), "区委区政府", "区委书记", "是", "深圳", 4, 1],
                 [D(2023, 5, 12), "税郭镇", "党委书记", "否", "上海", 2, 0]],
        "会战目标": [["会战名称", "开始日期", "结束日期", "责任单位", "新签约项目（个）", "新签约金额（亿元）"],
                 ["百日会战", D(2023, 4, 15), D(2023, 7, 23), "税郭镇", 3, 20.5],
                 [None, None, None, "区工信局", 2, None]],
        "产业链": [["产业链", "链长", "链主企业", "牵头部门"], ["高端装备产业链", "区委书记", "中环", "区工信局"]],
        "责任单位": [["序号", "单位名称", "单位类别", "考核分类"], [1, "税郭镇", "镇街", "一类"],
                 [2, "区工信局", "部门", "一类"],
                 [3, "区委区政府", "区领导", None]],
    })
    run = zs("import", str(path))
    assert run.code == 0, run
    assert zs.json("units", "list") == [
        {"name": "税郭镇", "kind": "town", "leader": None, "sort_order": 1, "class": "一类"},
        {"name": "区工信局", "kind": "department", "leader": None, "sort_order": 2, "class": "一类"},
        {"name": "区委区政府", "kind": "leadership", "leader": None, "sort_order": 3, "class": None}]
    assert zs.json("chains", "list") == [{"name": "高端装备产业链", "chief": "区委书记", "anchor_firm": "中环",
                                          "lead_unit": "区工信局", "sort_order": 1}]
    trips = zs.json("trips", "list")
    assert [(t["date"], t["unit"], t["is_main_leader"], t["visits"], t["negotiations"]) for t in trips] == [
        ("2023-05-10", "区委区政府", True, 4, 1), ("2023-05-12", "税郭镇", False, 2, 0)]
    assert zs.json("campaign", "list", "百日会战") == [
        {"campaign": "百日会战", "unit": "税郭镇", "metric": "new_signed", "value": 3},
        {"campaign": "百日会战", "unit": "税郭镇", "metric": "new_signed_wan", "value": 205000},
        {"campaign": "百日会战", "unit": "区工信局", "metric": "new_signed", "value": 2}]
    again = json.loads(zs.ok("import", str(path), "--format", "json").out)
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 8)


def test_a_terminal_shows_every_value_warning_and_caps_only_notes(zs: Zs, tmp_path: Path) -> None:
    """Warnings that set a value (待定 stored as unknown) are all shown; informational notes of one kind
    are one line with a count; --format json lists everything."""
    from sheets import csv_file

    header = ["项目名称", "总投资（亿元）", "项目阶段"]
    run = zs.ok("import", str(csv_file(tmp_path / "a.csv", [header, *([f"甲{i}", "待定", "在谈"] for i in range(30))])))
    notes = [line for line in run.err.splitlines() if line.startswith("注意：")]
    assert len(notes) == 30 and "另有" not in run.err
    rows = [[f"乙{i % 10}", "待定" if i == 29 else 1, "在谈"] for i in range(30)]  # each project three times
    run = zs.ok("import", str(csv_file(tmp_path / "b.csv", [header, *rows])))
    assert "注意：b.csv:b!B31：总投资（亿元）“待定”：金额未知，按空值录入" in run.err
    assert [line for line in run.err.splitlines() if line.startswith("说明：")] == \
        ["说明：b：20 行被 b 的同一项目取代，以后者为准"]
    other = csv_file(tmp_path / "c.csv", [header, *([f"丙{i}", "待定", "在谈"] for i in range(30))])
    data = json.loads(zs("import", str(other), "--format", "json").out)
    assert len([w for w in data["warnings"] if "待定" in w]) == 30


def test_a_large_first_import_builds_its_indexes_after_the_rows(zs: Zs, ledger: str, tmp_path: Path,
                                                                 monkeypatch) -> None:
    """The threshold lowered to one row: a first import drops and rebuilds the project, milestone and
    event indexes in its transaction; the ledger ends up exactly as migrations shape it."""
    from sqlalchemy import inspect

    from sheets import csv_file
    from zhaoshang.config import database_url
    from zhaoshang.db import bulk
    from zhaoshang.db.engine import connect

    monkeypatch.setattr(bulk, "DEFER_INDEXES_MIN_ROWS", 1)

    def indexes() -> dict[str, list]:
        with connect(database_url(ledger)) as conn:
            found = inspect(conn)
            return {t: sorted(ix["name"] for ix in found.get_indexes(t)) for t in ("project", "milestone", "event")}

    before = indexes()
    header = ["项目编号", "项目名称", "总投资（亿元）", "项目阶段", "签约时间"]
    bad = csv_file(tmp_path / "bad.csv", [header, ["A-1", "甲", "5", "签约", "2023-06-01"],
                                          ["A-2", "乙", "约5亿", "签约", "2023-06-02"]])
    assert zs("import", str(bad), "--strict").code == 1  # rolled back, indexes and all
    assert indexes() == before
    good = csv_file(tmp_path / "good.csv", [header, ["A-1", "甲", "5", "签约", "2023-06-01"],
                                            ["A-2", "乙", "6", "开工", "2023-06-02"]])
    zs.ok("import", str(good))
    assert indexes() == before
    assert zs("db", "check").code == 0
    assert [(r["code"], r["stage"]) for r in zs.json("projects", "list", "--stage", "开工")] == [("A-2", "started")]


def test_history_of_an_imported_project_shows_the_row_and_its_dates(zs: Zs, tmp_path: Path) -> None:
    from sheets import csv_file

    path = csv_file(tmp_path / "台账.csv", [["项目编号", "项目名称", "项目阶段", "签约时间", "开工时间"],
                                            ["H-1", "甲项目", "开工", "2023-06-01", "2023年6月"]])
    zs.ok("import", str(path))
    (event,) = zs.json("projects", "history", "H-1")
    assert event["source"] == "台账.csv:台账!row 2"
    assert event["change"] == "新建项目（签约 2023-06-01，开工 2023-06）"
