"""Campaign targets from one sheet: `zs campaign targets NAME --template` writes every unit's row,
`--file` reads it back, each change audited."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from conftest import Zs, dump


def test_targets_typed_into_a_template_are_read_back(district: Zs, ledger, tmp_path: Path) -> None:
    zs = district
    zs.ok("campaign", "create", "百日会战", "--start", "2023-04-15", "--days", "100")
    zs.ok("campaign", "target", "百日会战", "--unit", "区工信局", "--metric", "new_signed", "--value", "3")
    template = tmp_path / "目标.xlsx"
    run = zs.ok("campaign", "targets", "百日会战", "--template", str(template))
    assert run.err == f"已写出 百日会战 的目标模板 {template}：2 个单位\n"
    book = load_workbook(template)
    sheet = book["会战目标"]
    rows = [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]  # title, district and date, header
    assert rows[0] == ["会战名称", "开始日期", "结束日期", "责任单位", "新增项目线索", "新签约项目",
                       "新签约金额（亿元）", "新开工或具备开工条件"]
    assert [(r[0], r[3], r[5]) for r in rows[1:]] == [("百日会战", "区工信局", 3), ("百日会战", "税郭镇", None)]
    for row, values in ((4, [10, 3, 20, 2]), (5, [8, 2, 12.5, 1])):  # 区工信局, 税郭镇
        for col, value in enumerate(values, 5):
            sheet.cell(row=row, column=col).value = value
    book.save(template)
    run = zs("campaign", "targets", "百日会战", "--file", str(template))
    assert run.code == 0, run
    assert run.err.splitlines()[0] == "导入 目标.xlsx：新增 2，更新 0，未变化 0，拒绝 0"
    targets = {(t["unit"], t["metric"]): t["value"] for t in zs.json("campaign", "list", "百日会战")}
    assert targets == {("区工信局", "new_leads"): 10, ("区工信局", "new_signed"): 3,
                       ("区工信局", "new_signed_wan"): 200000, ("区工信局", "new_started"): 2,
                       ("税郭镇", "new_leads"): 8, ("税郭镇", "new_signed"): 2,
                       ("税郭镇", "new_signed_wan"): 125000, ("税郭镇", "new_started"): 1}
    again = zs.ok("campaign", "targets", "百日会战", "--file", str(template))
    assert again.err.splitlines()[0] == "导入 目标.xlsx：新增 0，更新 0，未变化 2，拒绝 0"
    # A row of another campaign is refused, naming its cell; the others land.
    sheet.cell(row=5, column=1).value = "年度目标"
    sheet.cell(row=4, column=5).value = 11
    book.save(template)
    before = dump(ledger)
    run = zs("campaign", "targets", "百日会战", "--file", str(template))
    assert run.code == 1
    assert "目标.xlsx:会战目标!A5 年度目标 — 这一行是“年度目标”的目标，本次只设定“百日会战”的" in run.err
    assert dump(ledger) != before
    assert {(t["unit"], t["metric"]): t["value"] for t in zs.json("campaign", "list", "百日会战")}[
        ("区工信局", "new_leads")] == 11


def test_targets_need_a_campaign_and_a_file_or_a_template(district: Zs, tmp_path: Path) -> None:
    run = district("campaign", "targets", "百日会战", "--template", str(tmp_path / "t.xlsx"))
    assert (run.code, run.err) == (1, "错误：会战“百日会战”不存在。 用 zs campaign list 查看。\n")
    run = district("campaign", "targets", "百日会战")
    assert run.code == 1 and "请给出 --template 或 --file 之一" in run.err
    assert not (tmp_path / "t.xlsx").exists()
    assert json.loads(district.ok("campaign", "list", "--format", "json").out) == []
