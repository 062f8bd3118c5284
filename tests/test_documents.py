"""The documents an office sends, read back as a clerk's programs would: the Word bulletin's page and
parts, the ledger settings it takes its district and closing from, html for print, one rounding rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Zs, dump
from zhaoshang.render import show
from zhaoshang.vocabulary.figures import half_up, percent


def test_month_bulletin_is_a_gbt_9704_page_with_its_four_parts(report_district: Zs, tmp_path: Path) -> None:
    import os

    import docx

    zs = report_district
    zs.ok("settings", "district", "测试区")
    closing = tmp_path / "closing.txt"
    closing.write_text("各单位要紧盯目标，抓好落实。\n\n下月重点推进在谈项目签约。\n", encoding="utf-8")
    zs.ok("settings", "bulletin-closing", "--file", str(closing))
    out = tmp_path / "6月通报.docx"
    zs.ok("report", "--month", "--as-of", "2023-06-30", "--out", str(out))  # .docx says Word
    doc = docx.Document(str(out))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    text_width = section.page_width - section.left_margin - section.right_margin
    text_height = section.page_height - section.top_margin - section.bottom_margin
    assert (round(text_width / 36000), round(text_height / 36000)) == (156, 225)  # the text block, in mm (EMU)
    paragraphs = [p.text for p in doc.paragraphs if p.text.strip()]
    assert paragraphs[0] == "关于2023年6月招商引资工作情况的通报"
    title_run = doc.paragraphs[0].runs[0]
    assert title_run.font.size.pt == 22  # 2号
    heads = [p for p in paragraphs if p[:2] in ("一、", "二、", "三、", "四、")]
    assert heads == ["一、总体情况", "二、各单位完成情况", "三、存在问题", "四、下步工作要求"]
    assert "现将2023年6月测试区招商引资工作情况通报如下：" in paragraphs
    closing_part = paragraphs[paragraphs.index("四、下步工作要求") + 1:][:2]
    assert closing_part == ["各单位要紧盯目标，抓好落实。", "下月重点推进在谈项目签约。"]
    data = zs.json("report", "--month", "--as-of", "2023-06-30")
    ranked = [r["unit"] for r in data["ranking"] if r["rank"] is not None]
    named = next(p for p in paragraphs if p.startswith("排名前三位的单位"))
    assert all(u in named for u in ranked[:3] + ranked[-3:])
    table = doc.tables[0]
    last = [c.text for c in table.rows[-1].cells]
    assert last[1] == "合计" and show(data["totals"]["new_signed_wan"], "yi") in last
    body = "\n".join(paragraphs)
    for problem in data["lists"]["problems_overdue"]:
        assert problem["text"] in body  # 三、存在问题 names the overdue problems
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "— " in section.footer.paragraphs[0].text  # — 1 —
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask  # the mode of any new file, not a temporary's 0600


def test_every_report_and_the_scorecard_write_a_bulletin(report_district: Zs, tmp_path: Path) -> None:
    import docx

    for args in (("report", "--week"), ("report", "--quarter"), ("report", "--year"), ("scorecard",)):
        out = tmp_path / f"{args[-1].strip('-')}.docx"
        report_district.ok(*args, "--as-of", "2023-06-30", "--format", "docx", "--out", str(out))
        paragraphs = [p.text for p in docx.Document(str(out)).paragraphs if p.text.strip()]
        assert paragraphs[0].startswith("关于") and paragraphs[0].endswith("的通报")
        assert "一、总体情况" in paragraphs and any(p.endswith("下步工作要求") for p in paragraphs)


def test_docx_needs_a_file_and_listings_do_not_write_word(report_district: Zs, tmp_path: Path) -> None:
    run = report_district("report", "--month", "--format", "docx")
    assert run.code == 1 and "--format docx 需要 --out FILE" in run.err
    run = report_district("projects", "list", "--out", str(tmp_path / "台账.docx"))
    assert run.code == 1 and "只用于报表" in run.err and not (tmp_path / "台账.docx").exists()
    run = report_district("report", "--week", "--format", "md", "--out", str(tmp_path / "a.docx"))
    assert run.code == 1 and "不符" in run.err


def test_settings_are_audited_and_shown(zs: Zs, tmp_path: Path) -> None:
    assert zs.ok("settings", "district").err.startswith("（未设置")
    zs.ok("settings", "district", "枣庄市市中区", "--by", "王科长")
    assert zs.ok("settings", "district").out == "枣庄市市中区\n"
    assert zs.ok("settings", "district", "枣庄市市中区").err.strip() == "没有变化。"
    rows = {r["key"]: r["value"] for r in zs.json("settings", "list")}
    assert rows["district"] == "枣庄市市中区"
    events = [e for e in dump(zs.db) if e[0] == "event" and "district" in repr(e)]
    assert events and "王科长" in repr(events[0])
    before = dump(zs.db)
    missing = zs("settings", "bulletin-closing", "--file", str(tmp_path / "none.txt"))
    assert missing.code == 1 and "none.txt" in missing.err
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("下步工作".encode("gbk"))
    bad = zs("settings", "bulletin-closing", "--file", str(gbk))
    assert bad.code == 1 and "UTF-8" in bad.err
    assert dump(zs.db) == before
    zs.ok("settings", "bulletin-closing", "--clear")  # nothing to clear: no change, no event
    assert dump(zs.db) == before


def test_html_prints_on_a4_landscape_with_the_district_and_a_legend(report_district: Zs, tmp_path: Path) -> None:
    report_district.ok("settings", "district", "测试区")
    out = tmp_path / "month.html"
    report_district.ok("report", "--month", "--as-of", "2023-06-30", "--out", str(out))
    page = out.read_text(encoding="utf-8")
    assert "@page{size:A4 landscape" in page and "break-before:page" in page
    assert '<p class="sub">测试区' in page
    assert page.count("<svg") == 2  # the progress chart and the signings and starts by unit
    assert "时间进度" in page and "新签约项目</text>" in page  # legends name the series
    assert '<td class="k">2023-06-26</td>' in page  # a date never wraps


@pytest.mark.parametrize("value, shown", [(0.0625, "6.3%"), (0.0125, "1.3%"), (0.3025, "30.3%"), (1.0, "100.0%")])
def test_one_half_up_rounding_rule(value: float, shown: str) -> None:
    assert percent(value) == shown == show(value, "pct")
    assert half_up(0.12345, 2, 2) == "12.35" == show(0.12345, "score")


def test_a_progress_of_a_sixteenth_is_the_same_in_every_format(report_district: Zs, tmp_path: Path) -> None:
    """The scorecard's progress shows as the terminal, CSV, html and the workbook's number format show it."""
    from openpyxl import load_workbook

    zs = report_district
    data = zs.json("scorecard", "--as-of", "2023-07-23")
    progress = [u["progress"] for u in data["units"] if u["progress"] is not None]
    table = zs.ok("scorecard", "--as-of", "2023-07-23").out
    zs.ok("scorecard", "--as-of", "2023-07-23", "--out", str(tmp_path / "card.csv"))
    zs.ok("scorecard", "--as-of", "2023-07-23", "--out", str(tmp_path / "card.xlsx"))
    csv = (tmp_path / "card.csv").read_text(encoding="utf-8-sig")
    for p in progress:
        assert percent(p) in table and percent(p) in csv
    ws = load_workbook(tmp_path / "card.xlsx")["单位成绩"]
    header = [c.value for c in ws[3]]
    column = header.index("任务进度") + 1
    values = [ws.cell(r, column).value for r in range(4, ws.max_row + 1)]
    assert sorted(v for v in values if v is not None) == sorted(progress)
    assert ws.cell(4, column).number_format == "0.0%"  # Excel rounds the shown figure half-up too
    assert json.loads(json.dumps(data))["units"]


def test_summary_writes_the_bulletin_and_a_rerun_changes_nothing(report_district: Zs, tmp_path: Path) -> None:
    args = ("summary", "--period", "month", "--out-dir", str(tmp_path / "月通报"), "--formats", "xlsx,docx",
            "--as-of", "2023-06-30", "-v")
    first = report_district.ok(*args).err
    assert "已写入" in first and "2023-06-月通报.docx" in first
    again = report_district.ok(*args).err
    assert again.count("未变") == 2  # the workbook and the bulletin compared without their timestamps
