"""Ledgers that carry 存在问题 and 联审: what an import records, and that importing again records nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conftest import Zs, dump
from sheets import xlsx
from test_import_behaviour import sql

D = dt.date
HEADER = ["项目编号", "项目名称", "投资方", "总投资（亿元）", "责任单位", "项目阶段", "签约时间", "存在问题",
          "责任单位", "解决时限"]
ROWS = [
    ["Z-1", "中环智能制造产业园", "中环", 60, "税郭镇", "签约", D(2023, 5, 20), "用地指标未落实", "区自然资源局",
     D(2023, 6, 20)],
    ["Z-2", "万达广场", "万达", 20, "中心街街道", "在谈", None, "1.施工许可证办理；2.电力增容", "/", "2023年7月"],
    ["Z-3", "数据中心", "云泽", 8, "区大数据局", "在谈", None, "无", None, None],
    ["Z-4", "冷链物流园", "通达", 5, "税郭镇", "签约", D(2023, 6, 26), "土地组卷报批慢", "税郭镇", "长期"],
]


def problems(ledger: str) -> list[tuple]:
    return sql(ledger, "SELECT p.code, x.text, u.name, x.due_on, x.resolved_on FROM problem x "
                       "JOIN project p ON p.id = x.project_id LEFT JOIN unit u ON u.id = x.owner_unit_id ORDER BY x.id")


def ledger_file(path: Path, rows: list[list], header: list[str] = HEADER) -> Path:
    return xlsx(path, {"重点项目": [["2023年重点项目推进台账"], header, *rows]})


def test_problems_import_once_however_often_and_an_updated_deadline_is_audited(
        zs: Zs, ledger: str, tmp_path: Path) -> None:
    first = ledger_file(tmp_path / "第26周.xlsx", ROWS)
    run = zs("import", str(first))
    assert run.code == 0, run
    assert "存在问题：新增 4，更新 0，未变化 0" in run.err
    # The 责任单位 beside 存在问题 owns the problem; the first one is the project's unit. "/" names no
    # owner (the project's unit owns it), a month deadline is its last day, 长期 no deadline, 无 nothing.
    assert problems(ledger) == [
        ("Z-1", "用地指标未落实", "区自然资源局", "2023-06-20", None),
        ("Z-2", "施工许可证办理", "中心街街道", "2023-07-31", None),
        ("Z-2", "电力增容", "中心街街道", "2023-07-31", None),
        ("Z-4", "土地组卷报批慢", "税郭镇", None, None)]
    assert sql(ledger, "SELECT code, u.name FROM project p JOIN unit u ON u.id = p.unit_id WHERE code = 'Z-1'") == [
        ("Z-1", "税郭镇")]
    assert "区自然资源局" in run.err  # a new unit, listed as such
    before = dump(ledger, skip=("import_batch",))
    for _ in range(2):
        again = json.loads(zs.ok("import", str(first), "--format", "json").out)
        assert again["problems"] == {"inserted": 0, "updated": 0, "unchanged": 4}
        assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 4)
    assert dump(ledger, skip=("import_batch",)) == before
    # Next week's ledger: the deadline of 用地指标未落实 is extended, 施工许可证 is resolved.
    rows = [list(r) for r in ROWS]
    rows[0][9] = D(2023, 7, 15)
    header = [*HEADER, "办结时间", "解决情况"]
    rows = [[*r, None, None] for r in rows]
    rows[1][8], rows[1][10], rows[1][11] = "区住建局", None, None
    rows[1][7] = "施工许可证办理"
    rows[1][10:12] = [D(2023, 6, 29), "施工许可证已核发"]
    second = ledger_file(tmp_path / "第27周.xlsx", rows, header)
    report = json.loads(zs.ok("import", str(second), "--format", "json").out)
    assert report["problems"] == {"inserted": 0, "updated": 2, "unchanged": 1}
    assert problems(ledger)[:2] == [("Z-1", "用地指标未落实", "区自然资源局", "2023-07-15", None),
                                    ("Z-2", "施工许可证办理", "区住建局", "2023-07-31", "2023-06-29")]
    history = zs.json("projects", "history", "Z-1")
    due = [(h["old"], h["new"], h["source"]) for h in history if h["entity"] == "problem" and h["field"] == "due_on"]
    assert due == [("2023-06-20", "2023-07-15", "第27周.xlsx:重点项目!row 3")]
    text = zs.ok("projects", "history", "Z-2").out
    assert "问题 #2 已解决 2023-06-29" in text and "施工许可证已核发" in text
    # Reports see it: overdue on 2023-06-30 is none now (extended, resolved); the week raised nothing
    # (a ledger that gives no 提出时间 raises its problems at no date).
    week = zs.json("report", "--week", "--as-of", "2023-06-30")
    assert (week["totals"]["problems_overdue"], week["totals"]["problems_open"]) == (0, 3)
    assert (week["totals"]["problems_raised"], week["totals"]["problems_resolved"]) == (0, 1)
    # As the ledger stood after the first import (rebuilt from the audit log): one overdue of four.
    at = dt.datetime.fromisoformat(str(sql(ledger, "SELECT at FROM import_batch ORDER BY id LIMIT 1")[0][0]))
    moment = (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).isoformat()
    then = zs.json("report", "--week", "--as-of", "2023-06-30", "--as-known-at", moment)["totals"]
    assert (then["problems_overdue"], then["problems_open"], then["problems_resolved"]) == (1, 4, 0)


def test_problem_columns_by_their_other_names(zs: Zs, ledger: str, tmp_path: Path) -> None:
    """问题和建议 / 需协调事项 / 困难问题 with 完成时限 and 协调单位; a sheet whose only 责任单位 stands
    beside the problem keeps it as the project's unit."""
    for n, (problem, due, owner) in enumerate([("问题和建议", "完成时限", "协调单位"), ("需协调事项", "解决时限", None),
                                               ("困难问题", "完成时限", "责任单位")]):
        header = ["项目名称", "项目阶段", problem, *([owner] if owner else []), due]
        row = [f"项目{n}", "在谈", f"困难{n}", *(["区工信局"] if owner else []), D(2023, 7, 1)]
        if owner is None:
            header.insert(1, "责任单位")
            row.insert(1, "齐村镇")
        zs.ok("import", str(ledger_file(tmp_path / f"{n}.xlsx", [row], header)))
    assert problems(ledger) == [("P-0001", "困难0", "区工信局", "2023-07-01", None),
                                ("P-0002", "困难1", "齐村镇", "2023-07-01", None),
                                ("P-0003", "困难2", "区工信局", "2023-07-01", None)]
    assert sql(ledger, "SELECT p.name, u.name FROM project p LEFT JOIN unit u ON u.id = p.unit_id ORDER BY p.id") == [
        ("项目0", None), ("项目1", "齐村镇"), ("项目2", "区工信局")]


def test_bad_problem_cells_are_row_errors_and_a_resolution_without_a_date_is_a_warning(
        zs: Zs, ledger: str, tmp_path: Path) -> None:
    header = ["项目名称", "责任单位", "项目阶段", "存在问题", "责任单位", "提出时间", "解决时限", "解决情况"]
    rows = [["甲", "税郭镇", "在谈", "用地", "税郭镇", "2023年5月", D(2023, 7, 1), None],
            ["乙", "税郭镇", "在谈", "环评", "税郭镇", D(2023, 5, 8), "2023-02-30", None],
            ["丙", "税郭镇", "在谈", "电力", "税郭镇", D(2023, 5, 8), D(2023, 7, 1), "已解决"]]
    run = zs("import", str(ledger_file(tmp_path / "台账.xlsx", rows, header)), "--format", "json")
    assert run.code == 1
    report = json.loads(run.out)
    assert [(e["cell"], e["value"]) for e in report["errors"]] == [("F3", "2023年5月"), ("G4", "2023-02-30")]
    assert "需要具体到日" in report["errors"][0]["reason"]
    assert any("H5" in w and "没有办结时间" in w for w in report["warnings"])
    assert problems(ledger) == [("P-0001", "电力", "税郭镇", "2023-07-01", None)]


REVIEW_HEADER = ["序号", "项目编号", "项目名称", "联审标准", "联审结论", "联审日期", "审查单位", "联审意见"]
CRITERIA = ["产业准入", "布局规划", "环境保护", "能耗", "投资强度", "利税", "科技研发能力", "人才支撑"]


def review_rows(code: str, name: str, day: dt.date, verdicts: dict[str, str] | None = None) -> list[list]:
    rows = []
    for i, criterion in enumerate(CRITERIA):
        lead = [1, code, name] if i == 0 else [None, None, None]
        rows.append([*lead, criterion, (verdicts or {}).get(criterion, "通过"), day, "区发改局", None])
    return rows


def test_a_review_sheet_imports_once_and_the_summary_lists_unreviewed_signings(
        zs: Zs, ledger: str, tmp_path: Path) -> None:
    reviews = [["项目联审情况表"], REVIEW_HEADER,
               *review_rows("Z-1", "中环智能制造产业园", D(2023, 5, 10), {"环境保护": "有条件通过"}),
               *review_rows("Z-2", "万达广场", D(2023, 6, 1), {"能耗": "不通过"})]
    path = xlsx(tmp_path / "台账.xlsx", {"重点项目": [["2023年重点项目"], HEADER, *ROWS], "项目联审": reviews},
                merges={"项目联审": ["A3:A10", "B3:B10", "C3:C10", "A11:A18", "B11:B18", "C11:C18"]})
    run = zs("import", str(path))
    assert run.code == 0, run
    assert "项目联审（联审）：16 行 — 新增 16" in run.err
    # Z-1 signed with a complete review (conditional passes); Z-4 signed without one.
    assert "已签约但联审未完成的项目 1 个：Z-4" in run.err
    shown = zs.json("review", "show", "Z-2", "--as-of", "2023-06-30")
    assert shown["failed"] == ["能耗"] and not shown["missing"]
    before = dump(ledger, skip=("import_batch",))
    again = zs.ok("import", str(path), "--format", "json")
    assert [s["unchanged"] for s in json.loads(again.out)["sheets"]] == [4, 16]
    assert dump(ledger, skip=("import_batch",)) == before
    # The ledger corrects Z-2's 能耗 of that day: the same review, its verdict changed and audited.
    reviews[2 + 8 + 3][4] = "有条件通过"
    path = xlsx(tmp_path / "台账2.xlsx", {"项目联审": reviews},
                merges={"项目联审": ["A3:A10", "B3:B10", "C3:C10", "A11:A18", "B11:B18", "C11:C18"]})
    report = json.loads(zs.ok("import", str(path), "--format", "json").out)
    assert report["sheets"][0] | {"sheet": None} == {"sheet": None, "kind": "review", "rows": 16, "inserted": 0,
                                                      "updated": 1, "unchanged": 15, "rejected": 0,
                                                      "lines": 16, "skipped": 0}
    assert sql(ledger, "SELECT count(*) FROM review") == [(16,)]
    history = zs.json("projects", "history", "Z-2")
    assert [(h["old"], h["new"]) for h in history if h["entity"] == "review" and h["field"]] == [
        ("fail", "conditional")]


def test_bad_review_rows_name_the_cell(zs: Zs, ledger: str, tmp_path: Path) -> None:
    zs.ok("import", str(ledger_file(tmp_path / "台账.xlsx", ROWS)))
    rows = [["项目联审"], REVIEW_HEADER,
            [1, "Z-1", None, "能耗指标", "通过", D(2023, 5, 10), None, None],
            [2, "Z-1", None, "能耗", "基本同意吧", D(2023, 5, 10), None, None],
            [3, "Z-9", None, "能耗", "通过", D(2023, 5, 10), None, None],
            [4, "Z-1", None, "能耗", "通过", "2023年5月", None, None]]
    run = zs("import", str(xlsx(tmp_path / "联审.xlsx", {"联审": rows})), "--format", "json")
    assert run.code == 1
    errors = [(e["cell"], e["reason"]) for e in json.loads(run.out)["errors"]]
    assert [cell for cell, _ in errors] == ["D3", "E4", "B5", "F6"]
    assert "不是联审标准" in errors[0][1] and "能耗" in errors[0][1]
    assert "无法识别" in errors[1][1] and "不存在" in errors[2][1] and "需要具体到日" in errors[3][1]
    assert sql(ledger, "SELECT count(*) FROM review") == [(0,)]
