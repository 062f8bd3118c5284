"""Weekly returns: what a template holds and how it prints, collecting on either backend, the bad
returns (another ledger, an edited code, a deleted row, formulas, a workbook that is no return), the
deadline setting, the status JSON, cron's files, the month's counts and the scoring deduction."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import Zs, dump
from returns_fill import Return, cache
from zhaoshang.db.engine import dispose_all

WEEK = "2023-W26"


@pytest.fixture
def small(district: Zs) -> Zs:
    """The small district with a second project for 税郭镇 and an open problem on it; 区工信局 and
    税郭镇 owe returns."""
    district.ok("add-project", "冷链物流园", "--investor", "鲁南通达", "--amount", "6亿", "--chain", "新能源产业链",
                "--unit", "税郭镇", "--stage", "在谈", "--date", "2023-05-10", "--code", "P-002")
    district.ok("problems", "add", "P-002", "用地指标未落实", "--owner", "税郭镇", "--due", "2023-07-31",
                "--raised", "2023-06-01")
    return district


def templates(zs: Zs, out: Path, *args: str) -> dict[str, Path]:
    zs.ok("returns", "template", "--as-of", "2023-06-28", "--out", str(out), *args)
    return {p.stem.split("-", 2)[2]: p for p in out.glob("*.xlsx")}


def collect(zs: Zs, *paths: Path, at: str = "2023-06-30 15:00", extra: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    return zs("returns", "collect", *map(str, paths), "--as-of", "2023-06-30", "--received-at", at, *extra)


@pytest.mark.sqlite_only
def test_a_template_is_a_protected_printable_workbook(small: Zs, tmp_path: Path) -> None:
    small.ok("units", "add", "齐村镇", "--kind", "town")  # no project: still owes a return
    made = templates(small, tmp_path)
    assert sorted(made) == ["区工信局", "税郭镇", "齐村镇"]
    wb = load_workbook(made["税郭镇"])
    assert wb.sheetnames == ["项目台账", "外出招商", "填报说明", "选项", "模板信息"]
    assert [wb[n].sheet_state for n in wb.sheetnames] == ["visible", "visible", "visible", "hidden", "veryHidden"]
    ws = wb["项目台账"]
    assert ws["A1"].value == "招商引资项目周报表（税郭镇 · 2023年第26周）"
    assert ws["A2"].value.startswith("填报单位：税郭镇　　周次：2023年第26周（6月26日至7月2日）　　"
                                     "报送截止：6月30日（周五）17:00")
    assert [c.value.replace("\n", "") for c in ws[3]] == [
        "序号", "项目编号", "项目名称", "投资方", "总投资（亿元）", "所属产业链", "项目阶段", "配合单位",
        "区级包保领导", "2023年计划投资（万元）", "2023年1-6月完成投资（万元）", "签约时间", "开工时间", "投产时间",
        "本周进展", "下步计划", "存在问题", "需协调事项", "解决时限"]
    assert (ws["B4"].value, ws["C4"].value, ws["G4"].value, ws["Q4"].value) == \
        ("P-002", "冷链物流园", "在谈", "用地指标未落实")
    assert ws.protection.sheet and not ws.protection.password  # protected, nobody locked out
    assert ws["B4"].protection.locked and ws["C4"].protection.locked
    assert not ws["D4"].protection.locked and not ws["O4"].protection.locked and not ws["C7"].protection.locked
    rules = {str(v.sqref).split(":")[0][0]: v for v in ws.data_validations.dataValidation}
    assert rules["G"].type == "list" and rules["G"].formula1 == "'选项'!$A$1:$A$8"
    assert rules["L"].type == "date" and "2023年6月" in rules["L"].prompt
    assert rules["J"].type == "decimal" and "万元" in rules["J"].prompt and rules["K"].type == "decimal"
    assert rules["E"].type == "decimal" and "亿元" in rules["E"].prompt
    assert [c.value for c in wb["选项"]["A"]][:8] == \
        ["谋划", "线索", "在谈", "签约", "具备开工条件", "开工", "投产", "终止"]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert "第 &P 页" in ws.oddFooter.center.text and ws.print_title_rows == "$3:$3"
    meta = {row[0].value: row[1].value for row in wb["模板信息"].iter_rows(max_row=8)}
    assert (meta["template"], meta["unit"], meta["week"], meta["version"]) == ("zs-return", "税郭镇", WEEK, "1")
    assert len(meta["ledger"]) == 36 and len(meta["checksum"]) == 64
    assert Return(made["齐村镇"]).codes == []  # the empty block for new projects only


@pytest.mark.sqlite_only
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_template_opens_in_libreoffice(small: Zs, tmp_path: Path) -> None:
    made = templates(small, tmp_path / "out", "--unit", "税郭镇")
    pdf = tmp_path / "pdf"
    run = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                          "--convert-to", "pdf", "--outdir", str(pdf), str(made["税郭镇"])],
                         capture_output=True, timeout=180)
    assert run.returncode == 0, run.stderr
    printed = pdf / f"{WEEK}-税郭镇.pdf"
    assert printed.stat().st_size > 1000
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(printed), "-"], capture_output=True, text=True).stdout
        assert "招商引资项目周报表（税郭镇" in text and "冷链物流园" in text and "第 1 页" in text


def test_collect_record_correct_and_status(small: Zs, tmp_path: Path) -> None:
    made = templates(small, tmp_path / "out")
    r = Return(made["税郭镇"])
    r.set("P-002", "项目阶段", "签约")
    r.set("P-002", "签约时间", "2023年6月")
    r.set("P-002", "本周进展", "签订投资协议")
    r.set("P-002", "下步计划", "办理用地手续")
    r.save()
    first = collect(small, made["税郭镇"])
    assert first.code == 0, first
    assert "P-002“冷链物流园”：阶段 在谈 → 签约，签约时间 （空） → 2023-06" in first.err
    project = small.json("projects", "show", "P-002")
    assert (project["stage"], project["signed_on"], project["progress"]) == ("signed", "2023-06", "签订投资协议")
    assert project["notes"] == [{"week": WEEK, "week_start": "2023-06-26", "progress": "签订投资协议",
                                 "next_step": "办理用地手续"}]
    before = dump(small.db)
    assert "已收过（06-30 15:00），未重复导入" in collect(small, made["税郭镇"]).err
    assert dump(small.db) == before

    corrected = tmp_path / "更正.xlsx"
    shutil.copy(made["税郭镇"], corrected)
    r = Return(corrected)
    r.set("P-002", "签约时间", dt.datetime(2023, 6, 29))
    r.save()
    run = collect(small, corrected, at="2023-06-30 16:00")
    assert "更正 06-30 15:00 收到的报表" in run.err and "签约时间 2023-06 → 2023-06-29" in run.err
    status = small.json("returns", "status", "--as-of", "2023-06-30")
    assert [(s["unit"], s["status"]) for s in status] == [("区工信局", "missing"), ("税郭镇", "on_time")]
    assert status[1]["received_at"] == "2023-06-30T07:00:00+00:00" and status[1]["file"] == "更正.xlsx"
    assert status[1]["corrected_at"] == "2023-06-30T08:00:00+00:00"
    history = small.ok("projects", "history", "P-002").out
    assert "2023-W26 本周进展：签订投资协议；下步计划：办理用地手续" in history
    assert "更正.xlsx:项目台账!row 4" in history


def test_other_ledger_edited_code_deleted_row_and_formulas(small: Zs, tmp_path: Path) -> None:
    other = Zs(str(tmp_path / "other.db"))
    other.ok("init")
    other.ok("units", "add", "税郭镇", "--kind", "town")
    foreign = templates(other, tmp_path / "other")["税郭镇"]
    dispose_all()
    small.ok("settings", "list")
    run = collect(small, foreign)
    assert run.code == 1
    assert f"{WEEK}-税郭镇.xlsx:模板信息!B3 这是账本 （未设区名）（账本 " in run.err and "不是本账本 " in run.err
    ours = small.ok("settings", "list", "--format", "json").out
    here = next(s["value"] for s in json.loads(ours) if s["key"] == "ledger_id")
    assert f"（账本 {here[:8]}）" in run.err

    before = small.json("projects", "list")
    made = templates(small, tmp_path / "out")
    r = Return(made["税郭镇"])
    r.set("P-002", "项目编号", "P-009")  # a locked code, edited: no new project P-009
    r.save()
    r = Return(made["区工信局"])
    r.ws.delete_rows(4)  # P-001's row
    r.ws["E5"] = "=1+1"  # a formula in the first new row's amount: its cached value is read, never run
    r.ws["K5"] = '=WEBSERVICE("http://example.invalid/")'  # nothing cached: nothing is stated
    r.ws["C5"] = "公式测试项目"
    r.save()
    cache(made["区工信局"], "E5", "2")
    run = collect(small, made["税郭镇"], made["区工信局"])
    assert run.code == 1
    assert f"{WEEK}-税郭镇.xlsx:项目台账!B4 P-009 — 锁定的项目编号被改动（原为 P-002“冷链物流园”），本行未导入" \
        in run.err
    assert (f"{WEEK}-区工信局.xlsx:项目台账 模板第 4 行的 P-001“中环智能制造产业园”不在回报中：删除行不会删除项目"
            in run.err)
    after = {p["code"]: p for p in small.json("projects", "list")}
    assert "P-009" not in after and {p["code"] for p in before} <= set(after)
    formula = [p for p in after.values() if p["name"] == "公式测试项目"]
    assert [(p["investment_wan"], p["unit"]) for p in formula] == [(20000, "区工信局")]
    assert small.json("projects", "show", formula[0]["code"])["notes"] == []


def test_a_workbook_that_is_no_return(small: Zs, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "台账.csv").write_text("项目名称,投资方,总投资（亿元）,责任单位,项目阶段\n"
                                    "新项目甲,甲公司,2,区工信局,在谈\n", encoding="utf-8")
    (inbox / "~$台账.xlsx").write_bytes(b"lock")
    run = collect(small, inbox)
    assert run.code == 0
    assert "台账.csv：跳过 — 不是报表模板，也看不出是哪个单位的报表（要按普通台账导入请加 --plain）" in run.err
    assert "~$" not in run.err and "新项目甲" not in {p["name"] for p in small.json("projects", "list")}
    run = collect(small, inbox, extra=("--plain",))
    assert run.code == 0 and "台账.csv：不是报表模板，按普通台账导入" in run.err
    assert "新项目甲" in {p["name"] for p in small.json("projects", "list")}
    named = tmp_path / f"{WEEK}-税郭镇.csv"  # a unit's own workbook: its name says whose
    named.write_text("项目名称,投资方,总投资（亿元）,本周进展\n冷链物流园,鲁南通达,6,完成环评\n", encoding="utf-8")
    run = collect(small, named)
    assert run.code == 0 and f"{WEEK}-税郭镇.csv：税郭镇 2023年第26周，按时" in run.err
    assert small.json("projects", "show", "P-002")["notes"][0]["progress"] == "完成环评"


def test_the_deadline_setting_and_late_returns(small: Zs, tmp_path: Path) -> None:
    assert small.ok("settings", "returns-deadline").out.strip() == "周五 17:00"
    bad = small("settings", "returns-deadline", "礼拜八 17:00")
    assert bad.code == 1 and "“礼拜八 17:00”不是截止时间" in bad.err
    assert "已设置报送截止时间：周五 12:00" in small.ok("settings", "returns-deadline", "星期五 12:00").err
    made = templates(small, tmp_path / "out")
    assert "报送截止：6月30日（周五）12:00" in load_workbook(made["税郭镇"])["项目台账"]["A2"].value
    assert "迟报（06-30 15:00 收到）" in collect(small, made["税郭镇"]).err
    assert "记为未报" in collect(small, made["区工信局"], at="2023-07-03 09:00").err
    status = {s["unit"]: s for s in small.json("returns", "status", "--as-of", "2023-06-30")}
    assert status["税郭镇"]["status"] == "unchanged" and status["区工信局"]["status"] == "missing"
    assert status["区工信局"]["note"] == "周报之后才收到（内容已导入）"
    week = json.loads(small.ok("report", "--week", "--as-of", "2023-06-30", "--format", "json").out)
    assert [(r["unit"], r["returns_on_time"], r["returns_late"], r["returns_missing"]) for r in week["by_unit"]] == \
        [("区工信局", 0, 0, 1), ("税郭镇", 0, 1, 0)]
    month = json.loads(small.ok("report", "--month", "--as-of", "2023-07-31", "--format", "json").out)
    assert [(r["unit"], r["returns_due"], r["returns_late"], r["returns_missing"]) for r in month["by_unit"]] == \
        [("区工信局", 4, 0, 4), ("税郭镇", 4, 0, 4)]  # July's four Fridays: nothing came
    june = json.loads(small.ok("report", "--month", "--as-of", "2023-06-30", "--format", "json").out)
    assert (june["totals"]["returns_due"], june["totals"]["returns_late"], june["totals"]["returns_missing"]) == \
        (10, 1, 9)  # five Fridays, two units: 税郭镇 late once, nothing else came


def test_reminder_and_cron_files(small: Zs, tmp_path: Path) -> None:
    made = templates(small, tmp_path / "out")
    collect(small, made["区工信局"])
    text = small.ok("returns", "status", "--as-of", "2023-06-30", "--remind").out
    assert "截至7月2日（周日）24:00，以下1个单位已超过截止时间，尚未报送：税郭镇。" in text
    cron = tmp_path / "cron"
    small.ok("summary", "--period", "remind", "--out-dir", str(cron), "--as-of", "2023-06-30")
    small.ok("summary", "--period", "returns", "--out-dir", str(cron), "--as-of", "2023-06-30", "--formats", "json,md")
    assert sorted(p.name for p in cron.iterdir() if not p.name.startswith(".")) == \
        ["2023-W26-催报.txt", "2023-W26-报送情况.json", "2023-W26-报送情况.md"]
    assert (cron / "2023-W26-催报.txt").read_text(encoding="utf-8") == text
    assert [s["status"] for s in json.loads((cron / "2023-W26-报送情况.json").read_text(encoding="utf-8"))] == \
        ["unchanged", "missing"]


def test_scoring_rules_may_deduct_for_missing_returns(small: Zs, tmp_path: Path) -> None:
    small.ok("campaign", "create", "百日会战", "--start", "2023-06-01", "--days", "100")
    for unit in ("区工信局", "税郭镇"):
        small.ok("campaign", "target", "百日会战", "--unit", unit, "--metric", "new_signed", "--value", "2")
    made = templates(small, tmp_path / "out")
    collect(small, made["税郭镇"])
    rules = tmp_path / "rules.toml"
    rules.write_text('version = "returns"\n[weights]\nnew_signed = 1\n'
                     '[[deductions]]\nkind = "missing_return"\nper = 0.05\n', encoding="utf-8")
    plain = small.json("scorecard", "--as-of", "2023-07-02")
    scored = json.loads(small.ok("scorecard", "--as-of", "2023-07-02", "--rules", str(rules), "--format",
                                 "json").out)
    plain_score = {u["unit"]: u["score"] for u in plain["units"]}
    score = {u["unit"]: u["score"] for u in scored["units"]}
    assert score["税郭镇"] == plain_score["税郭镇"]
    assert score["区工信局"] == pytest.approx(max(0.0, plain_score["区工信局"] - 0.05 * 5))  # five weeks, none came
    explain = small.ok("scorecard", "--as-of", "2023-07-02", "--rules", str(rules), "--explain", "区工信局").out
    assert "周报表未报：5个 × -0.05" in explain and "2023-W22" in explain and "2023-W26" in explain


def test_progress_notes_by_hand_and_from_a_ledger(small: Zs, tmp_path: Path) -> None:
    from zhaoshang import config
    from zhaoshang.vocabulary.weeks import week_stem

    assert "已记下 P-002 2023年第26周的进展" in small.ok("projects", "note", "P-002", "完成环评", "--as-of",
                                                      "2023-06-27").err
    run = small.ok("projects", "note", "P-002", "完成环评和能评", "--next", "土地摘牌", "--as-of", "2023-06-30")
    assert "已更新 P-002 2023年第26周的进展" in run.err
    assert "没有变化" in small.ok("projects", "note", "P-002", "完成环评和能评", "--as-of", "2023-06-30").err
    again = small.ok("projects", "note", "P-002", "完成环评和能评", "--as-of", "2023-07-05")  # a week later
    assert "没有变化" in again.err  # the same words are no new progress
    assert small("projects", "note", "P-404", "x").code == 1
    assert small("projects", "note", "P-002", "  ").code == 1
    show = small.json("projects", "show", "P-002")
    assert show["notes"] == [{"week": WEEK, "week_start": "2023-06-26", "progress": "完成环评和能评",
                              "next_step": "土地摘牌"}]
    assert show["progress"] == "完成环评和能评"
    history = small.ok("projects", "history", "P-002").out
    assert "2023-W26 本周进展：完成环评" in history and "本周进展: 完成环评 → 完成环评和能评" in history
    ledger = tmp_path / "台账.csv"
    ledger.write_text("项目编号,项目名称,投资方,本周进展,下步计划\nP-002,冷链物流园,鲁南通达,开始土地摘牌,/\n",
                      encoding="utf-8")
    small.ok("import", str(ledger))
    notes = small.json("projects", "show", "P-002")["notes"]
    assert notes[0] == {"week": week_stem(config.today()), "week_start": notes[0]["week_start"],
                        "progress": "开始土地摘牌", "next_step": None}
    assert notes[1]["week"] == WEEK


def test_a_return_that_cannot_be_imported_is_refused_and_recorded(small: Zs, tmp_path: Path) -> None:
    made = templates(small, tmp_path / "out")
    r = Return(made["税郭镇"])
    del r.wb["项目台账"], r.wb["外出招商"]
    r.save()
    before = small.json("projects", "list")
    run = collect(small, made["税郭镇"], made["区工信局"])
    assert run.code == 1
    assert f"{WEEK}-税郭镇.xlsx：退回 — {WEEK}-税郭镇.xlsx 中没有可导入的台账。" in run.err
    assert f"{WEEK}-区工信局.xlsx：区工信局 2023年第26周，按时" in run.err  # the other file is still taken
    assert small.json("projects", "list") == before
    status = {s["unit"]: s for s in small.json("returns", "status", "--as-of", "2023-06-30")}
    assert (status["税郭镇"]["status"], status["税郭镇"]["file"]) == ("refused", f"{WEEK}-税郭镇.xlsx")
    again = collect(small, made["税郭镇"])
    assert again.code == 1 and "（此前已退回过，未重复记录）" in again.err
