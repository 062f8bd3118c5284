"""The ledger core as a clerk uses it: add, list, advance, history, and refusals."""

from __future__ import annotations

import json

import pytest

from conftest import Zs, dump

LISTING_KEYS = {"code", "name", "investor", "investment_wan", "investment_usd_wan", "chain", "unit", "stage",
                "signed_on", "ready_on", "started_on", "produced_on", "marshal",
                # the 推进表's keys
                "leaders", "support_units", "scope", "remark", "planned_completion_on", "completed_on", "plan_wan",
                "completed_wan"}


def test_add_project_then_list_as_json(district: Zs) -> None:
    rows = district.json("projects", "list")
    assert len(rows) == 1
    (row,) = rows
    assert set(row) == LISTING_KEYS
    assert row["investment_wan"] == 600000
    assert row["signed_on"] == "2023-05-20"
    assert row["stage"] == "signed" and row["unit"] == "区工信局" and row["chain"] == "高端装备"
    assert row["started_on"] is None and row["marshal"] is False


def test_advance_sets_stage_and_date_and_history_shows_both(district: Zs) -> None:
    run = district.ok("projects", "advance", "P-001", "started", "--date", "2023-06-27", "--by", "王科长")
    assert "签约 → 开工" in run.err
    (row,) = district.json("projects", "list")
    assert row["stage"] == "started" and row["started_on"] == "2023-06-27" and row["signed_on"] == "2023-05-20"
    history = district.json("projects", "history", "P-001")
    stage = [h for h in history if h["field"] == "stage"]
    assert stage == [dict(stage[0], old="signed", new="started", actor="王科长", source="zs projects advance")]
    started = [h for h in history if h["entity"] == "milestone" and '"started"' in (h["new"] or "")]
    assert len(started) == 1 and started[0]["actor"] == "王科长"
    table = district.ok("projects", "history", "P-001").out
    assert "王科长" in table and "阶段: 签约 → 开工" in table and "测试员" in table


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--amount", "约10亿"], "约10亿"),
        (["--date", "2023-02-30"], "2023-02-30"),
        (["--stage", "考察完成"], "考察完成"),
        (["--unit", "区工信"], "区工信"),
        (["--chain", "新材料"], "新材料"),
    ],
)
def test_bad_values_exit_1_with_one_line_and_change_nothing(district: Zs, ledger, args, named) -> None:
    before = dump(ledger)
    run = district("add-project", "某项目", "--code", "P-002", *args)
    assert run.code == 1
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and named in lines[0] and "Traceback" not in run.err
    assert run.out == ""
    assert dump(ledger) == before


def test_unknown_unit_suggests_the_closest(district: Zs) -> None:
    run = district("add-project", "某项目", "--unit", "工信局局")
    assert run.code == 1 and "区工信局" in run.err


def test_normalised_names_match_with_a_note(district: Zs) -> None:
    run = district.ok("add-project", "光伏组件", "--unit", "工信局", "--chain", "新能源", "--stage", "在谈",
                      "--date", "2023-06-01")
    assert "区工信局" in run.err and "新能源产业链" in run.err
    row = [r for r in district.json("projects", "list") if r["name"] == "光伏组件"][0]
    assert row["unit"] == "区工信局" and row["chain"] == "新能源产业链" and row["stage"] == "negotiating"


def test_usd_amount_goes_to_its_own_field(district: Zs) -> None:
    district.ok("add-project", "外资项目", "--amount", "1200万美元", "--unit", "税郭镇", "--code", "F-1")
    row = [r for r in district.json("projects", "list") if r["code"] == "F-1"][0]
    assert row["investment_usd_wan"] == 1200 and row["investment_wan"] is None


def test_bare_amount_in_the_given_unit(district: Zs) -> None:
    district.ok("add-project", "小项目", "--amount", "5000", "--amount-unit", "万元", "--code", "S-1")
    district.ok("add-project", "大项目", "--amount", "10.3", "--code", "S-2")
    rows = {r["code"]: r for r in district.json("projects", "list")}
    assert rows["S-1"]["investment_wan"] == 5000 and rows["S-2"]["investment_wan"] == 103000


def test_duplicate_code_is_refused(district: Zs) -> None:
    run = district("add-project", "另一个", "--code", "P-001")
    assert run.code == 1 and "P-001" in run.err and "已存在" in run.err


def test_generated_codes(zs: Zs) -> None:
    zs.ok("add-project", "甲")
    zs.ok("add-project", "乙")
    assert [r["code"] for r in zs.json("projects", "list")] == ["P-0001", "P-0002"]


def test_month_precision_date_is_kept(district: Zs) -> None:
    district.ok("add-project", "月份项目", "--stage", "签约", "--date", "2023年6月", "--code", "M-1")
    row = [r for r in district.json("projects", "list") if r["code"] == "M-1"][0]
    assert row["signed_on"] == "2023-06"


def test_backward_needs_force_and_clears_later_milestones(district: Zs) -> None:
    district.ok("projects", "advance", "P-001", "started", "--date", "2023-06-27")
    run = district("projects", "advance", "P-001", "negotiating", "--date", "2023-07-01")
    assert run.code == 1 and "--force" in run.err
    assert district.json("projects", "list")[0]["stage"] == "started"
    district.ok("projects", "advance", "P-001", "signed", "--force", "--reason", "开工手续被撤回")
    (row,) = district.json("projects", "list")
    assert row["stage"] == "signed" and row["started_on"] is None and row["signed_on"] == "2023-05-20"
    history = district.json("projects", "history", "P-001")
    forced = [h for h in history if h["field"] == "stage" and h["new"] == "signed"]
    assert forced and "开工手续被撤回" in forced[0]["source"]
    assert any(h["old"] and '"started"' in h["old"] and h["new"] is None for h in history)


def test_going_back_needs_a_reason_and_dates_no_stage_it_did_not_have(district: Zs) -> None:
    run = district("projects", "advance", "P-001", "lead", "--force")
    assert run.code == 1 and "退回到线索需要 --force --reason" in run.err
    district.ok("projects", "advance", "P-001", "lead", "--force", "--reason", "投资方撤回签约")
    # The project never had a lead milestone: going back records the stage without a date (a
    # correction is not a new lead in this week's dispatch).
    lead = [m for m in district.json("milestones", "list", "P-001") if m["kind"] == "lead"]
    assert [(m["done"], m["done_on"]) for m in lead] == [(True, None)]
    assert district.json("report", "--week")["totals"]["new_leads"] == 0


def test_forward_may_skip_stages(zs: Zs) -> None:
    zs.ok("add-project", "跳跃", "--stage", "lead", "--date", "2023-03-01", "--code", "J-1")
    zs.ok("projects", "advance", "J-1", "producing", "--date", "2023-09-01")
    (row,) = zs.json("projects", "list")
    assert row["stage"] == "producing" and row["produced_on"] == "2023-09-01" and row["signed_on"] is None


def test_update_records_each_changed_field(district: Zs) -> None:
    district.ok("projects", "update", "P-001", "--amount", "65亿", "--unit", "税郭镇", "--by", "李四")
    (row,) = district.json("projects", "list")
    assert row["investment_wan"] == 650000 and row["unit"] == "税郭镇"
    changes = [h for h in district.json("projects", "history", "P-001") if h["field"] in ("investment_wan", "unit_id")]
    assert {(h["field"], h["old"], h["new"] if h["field"] == "investment_wan" else None) for h in changes} == {
        ("investment_wan", "600000", "650000"), ("unit_id", "1", None)}
    assert "责任单位: 区工信局 → 税郭镇" in district.ok("projects", "history", "P-001").out


def test_dry_run_writes_nothing(district: Zs, ledger) -> None:
    before = dump(ledger)
    run = district.ok("add-project", "试试", "--code", "T-1", "--dry-run")
    assert "dry run" in run.err
    assert dump(ledger) == before


def test_filters(district: Zs) -> None:
    district.ok("add-project", "光伏组件", "--amount", "5亿", "--unit", "税郭镇", "--chain", "新能源产业链",
                "--stage", "在谈", "--date", "2023-06-10", "--code", "P-002")
    district.ok("add-project", "储能电站", "--amount", "120亿", "--unit", "税郭镇", "--chain", "新能源产业链",
                "--stage", "开工", "--date", "2023-06-27", "--code", "P-003", "--marshal")

    def codes(*args: str) -> list[str]:
        return [r["code"] for r in district.json("projects", "list", *args)]

    assert codes("--stage", "signed") == ["P-001"]
    assert codes("--stage", "在谈", "--stage", "开工") == ["P-002", "P-003"]
    assert codes("--unit", "税郭镇") == ["P-002", "P-003"]
    assert codes("--chain", "新能源") == ["P-002", "P-003"]
    assert codes("--band", "10") == ["P-001", "P-003"]
    assert codes("--band", "100") == ["P-003"]
    assert codes("--min-amount", "5亿", "--max-amount", "60亿") == ["P-001", "P-002"]
    assert codes("--from", "2023-06-01", "--to", "2023-06-30") == ["P-002", "P-003"]
    assert codes("--from", "2023-05-01", "--to", "2023-05-31", "--date-of", "signed") == ["P-001"]
    assert codes("--search", "光伏") == ["P-002"]
    assert codes("--search", "中环") == ["P-001"]
    assert codes("--marshal") == ["P-003"]
    assert district.json("projects", "list", "--search", "没有这个") == []


def test_table_labels_in_chinese_and_english(district: Zs) -> None:
    zh = district.ok("projects", "list").out
    assert "项目名称" in zh and "60.00" in zh and "签约" in zh
    en = district.ok("--lang", "en", "projects", "list").out
    assert "Project" in en and "signed" in en and "项目名称" not in en


def test_csv_and_md(district: Zs, tmp_path) -> None:
    out = tmp_path / "p.csv"
    district.ok("projects", "list", "--format", "csv", "--out", str(out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("项目编号,项目名称") and "60.00" in lines[1]
    md = district.ok("projects", "list", "--format", "md").out
    assert md.splitlines()[0].startswith("| 项目编号 | 项目名称") and "| P-001 |" in md


def test_show(district: Zs) -> None:
    detail = district.json("projects", "show", "P-001")
    assert detail["code"] == "P-001" and detail["milestones"][0]["kind"] == "signed"
    assert "中环智能制造产业园" in district.ok("projects", "show", "P-001").out
    assert district("projects", "show", "P-404").code == 1


def test_no_terminal_no_questions(zs: Zs) -> None:
    run = zs.ok("add-project", "静默项目", input="")
    assert "?" not in run.out and json.loads(zs.ok("projects", "list", "--format", "json").out)[0]["stage"] == "lead"


def test_missing_ledger_file_is_one_clear_line(tmp_path) -> None:
    run = Zs(str(tmp_path / "nope.db"))("projects", "list")
    assert run.code == 1 and "zs init" in run.err
    assert not (tmp_path / "nope.db").exists()


def test_table_shows_names_as_typed_even_when_they_look_like_markup(district: Zs) -> None:
    district.ok("add-project", "[red]示范[/red]园区", "--investor", "[b]投资方", "--unit", "税郭镇", "--stage", "lead")
    out = district.ok("projects", "list").out
    assert "[red]示范[/red]园区" in out and "[b]投资方" in out


def test_history_names_each_milestone_as_its_event_saw_it(zs: Zs) -> None:
    """A milestone cleared by going back frees its id; the next milestone may take it (SQLite reuses
    the largest rowid): the trail still says what each event added or removed."""
    zs.ok("add-project", "甲", "--stage", "signed", "--date", "2023-01-01", "--code", "A")
    zs.ok("projects", "advance", "A", "producing", "--date", "2023-07-20")
    zs.ok("projects", "advance", "A", "signed", "--force", "--reason", "撤回")
    zs.ok("projects", "advance", "A", "started", "--date", "2023-06-27")
    changes = [h["change"] for h in zs.json("projects", "history", "A") if h["entity"] == "milestone"]
    assert changes == ["新增节点 签约 2023-01-01", "新增节点 投产 2023-07-20", "删除节点 投产 2023-07-20",
                       "新增节点 开工 2023-06-27"]


def test_the_same_milestone_typed_twice_is_recorded_once(district: Zs) -> None:
    for _ in range(2):
        run = district.ok("milestones", "add", "P-001", "groundbreaking", "--planned", "2023-07-10")
    assert "项目“P-001”已有这个节点（奠基），没有变化。" in run.err
    assert [m["kind"] for m in district.json("milestones", "list", "P-001")].count("groundbreaking") == 1


def test_marking_a_small_project_marshal_warns(district: Zs) -> None:
    district.ok("add-project", "小项目", "--amount", "0.5亿", "--code", "S-1")
    run = district.ok("projects", "update", "S-1", "--marshal")
    assert "挂帅项目“小项目”总投资不足 10 亿元。" in run.err


def test_a_plan_is_completed_rescheduled_or_corrected_not_doubled(district: Zs) -> None:
    district.ok("milestones", "add", "P-001", "groundbreaking", "--planned", "2023-06-20")
    run = district.ok("milestones", "add", "P-001", "groundbreaking", "--done", "2023-06-22")
    assert "已更新节点 P-001 奠基：计划 2023-06-20，完成 2023-06-22" in run.err
    district.ok("milestones", "add", "P-001", "started", "--planned", "2023-07-15")
    district.ok("milestones", "add", "P-001", "started", "--planned", "2023-08-15")  # rescheduled
    stones = [(m["kind"], m["planned_on"], m["done_on"]) for m in district.json("milestones", "list", "P-001")]
    assert stones.count(("groundbreaking", "2023-06-20", "2023-06-22")) == 1
    assert [s for s in stones if s[0] == "started"] == [("started", "2023-08-15", None)]
    assert district.json("milestones", "overdue", "--as-of", "2023-07-31") == []
    # A done stage's date corrected: the one milestone takes the new date, audited.
    district.ok("projects", "advance", "P-001", "started", "--date", "2023-08-20")
    district.ok("milestones", "add", "P-001", "signed", "--done", "2023-05-18")
    (row,) = district.json("projects", "list")
    assert (row["signed_on"], row["started_on"], row["stage"]) == ("2023-05-18", "2023-08-20", "started")
    assert [m["kind"] for m in district.json("milestones", "list", "P-001")].count("signed") == 1
    assert any(h["field"] == "done_on" and h["old"] == "2023-05-20" and h["new"] == "2023-05-18"
               for h in district.json("projects", "history", "P-001"))


def test_typed_text_is_kept_and_blank_text_is_no_value(zs: Zs) -> None:
    zs.ok("add-project", "甲", "--investor", "", "--code", "A", "--stage", "negotiating")
    assert zs.json("projects", "list")[0]["investor"] is None
    zs.ok("review", "add", "A", "--criterion", "能耗", "--verdict", "有条件通过", "--on", "2023-05-01",
          "--note", "（有条件）：需配套１０千伏")
    (review,) = zs.json("review", "show", "A", "--as-of", "2023-05-01")["reviews"]
    assert review["note"] == "（有条件）：需配套１０千伏"
    run = zs.ok("projects", "advance", "A", "signed", "--date", "2099-01-01", "--force")
    assert "签约日期 2099-01-01 晚于今天" in run.err


def test_units_chains_and_trips_are_corrected_in_place(zs: Zs) -> None:
    for name in ("甲镇", "乙镇", "丙镇"):
        zs.ok("units", "add", name, "--kind", "town")
    zs.ok("units", "add", "丁局", "--kind", "department", "--order", "2")  # in its place, the others move down
    assert zs("units", "add", "戊局", "--order", "0").code == 1
    zs.ok("units", "update", "丙镇", "--order", "1", "--class", "一类", "--leader", "张三")
    assert [(u["name"], u["sort_order"], u["class"]) for u in zs.json("units", "list")] == [
        ("丙镇", 1, "一类"), ("甲镇", 2, None), ("丁局", 3, None), ("乙镇", 4, None)]
    assert zs("units", "update", "丙镇", "--name", "区甲镇").code == 1  # would match 甲镇
    zs.ok("chains", "add", "新能源")
    zs.ok("chains", "update", "新能源", "--chief", "李四", "--lead-unit", "丁局")
    assert zs.json("chains", "list")[0]["lead_unit"] == "丁局"
    zs.ok("trips", "add", "--unit", "甲镇", "--date", "2023-05-10", "--visits", "2")
    zs.ok("trips", "add", "--unit", "乙镇", "--date", "2023-05-11")
    (first, second) = zs.json("trips", "list")
    run = zs.ok("trips", "update", str(first["id"]), "--visits", "5", "--negotiations", "1")
    assert "已修改：走访项目、参与洽谈" in run.err
    zs.ok("trips", "delete", str(second["id"]))
    assert [(t["unit"], t["visits"], t["negotiations"]) for t in zs.json("trips", "list")] == [("甲镇", 5, 1)]
    assert zs("trips", "delete", str(second["id"])).code == 1


def test_a_dry_run_says_what_it_would_do(district: Zs, ledger) -> None:
    before = dump(ledger)
    run = district.ok("add-project", "风电装备产业园", "--unit", "税郭镇", "--dry-run")
    assert run.err.splitlines()[-2:] == ["（试运行 dry run：未写入）", "将添加项目 P-0002 风电装备产业园"]
    run = district.ok("projects", "advance", "P-001", "started", "--date", "2023-06-27", "--dry-run")
    assert run.err.splitlines()[-1] == "将推进 P-001：签约 → 开工 2023-06-27"
    run = district.ok("trips", "add", "--unit", "税郭镇", "--date", "2023-05-10", "--destination", "深圳", "--dry-run")
    assert run.err.splitlines()[-1] == "将登记外出招商 #1 2023-05-10 深圳"
    assert all("已添加" not in line and "已登记" not in line for line in run.err.splitlines())
    assert dump(ledger) == before
    run = district.ok("add-project", "风电装备产业园", "--unit", "税郭镇")
    assert run.err.endswith("\n已添加项目 P-0002 风电装备产业园\n")


def test_a_project_entered_by_mistake_is_voided_with_its_rows_and_its_trail_kept(district: Zs, ledger) -> None:
    district.ok("add-project", "风电装备产业园", "--unit", "税郭镇")
    district.ok("review", "add", "P-0002", "--criterion", "能耗", "--verdict", "通过")
    district.ok("trips", "add", "--unit", "税郭镇", "--date", "2023-06-28", "--project", "P-0002,P-001")
    run = district.ok("projects", "delete", "P-0002", "--reason", "重复录入")
    assert run.err == "已作废项目 P-0002 风电装备产业园，连同节点 1、联审 1、走访 1（变更记录保留）\n"
    assert [r["code"] for r in district.json("projects", "list")] == ["P-001"]
    assert district.json("trips", "list")[0]["projects"] == ["P-001"]
    trail = district.json("projects", "history", "P-0002")
    assert trail[0]["change"] == "新建项目" and trail[-1]["change"] == "作废项目：重复录入"
    assert {t["source"] for t in trail if t["old"] and not t["new"]} == {"zs projects delete（重复录入）"}
    # A voided project's code is not handed out again, and a new project's trail is its own.
    run = district.ok("add-project", "光伏组件项目", "--unit", "税郭镇")
    assert run.err.endswith("已添加项目 P-0003 光伏组件项目\n")
    assert [t["change"] for t in district.json("projects", "history", "P-0003")][0] == "新建项目"


def test_a_project_an_issued_report_counted_needs_force_and_a_reason(district: Zs, ledger) -> None:
    before = dump(ledger)
    run = district("projects", "delete", "P-001")
    assert run.code == 1
    assert run.err == ("错误：项目“P-001”已计入已发出的报表（签约 2023-05-20），不能作废。 确属误录，"
                       "用 --force --reason 说明原因（记入变更记录）；"
                       "项目不再推进，用 zs projects advance P-001 终止 --reason …。\n")
    assert district("projects", "delete", "P-001", "--force").code == 1
    assert dump(ledger) == before
    district.ok("projects", "delete", "P-001", "--force", "--reason", "区里核实为虚报项目")
    assert district.json("projects", "list") == []
    trail = district.json("projects", "history", "P-001")
    assert trail[-1]["source"] == "zs projects delete --force（区里核实为虚报项目）"


def test_termination_carries_its_reason(district: Zs) -> None:
    run = district.ok("projects", "advance", "P-001", "终止", "--date", "2023-07-01", "--reason", "投资方撤资")
    assert run.err == "P-001：签约 → 终止 2023-07-01\n"
    (stage,) = [h for h in district.json("projects", "history", "P-001") if h["field"] == "stage"]
    assert stage["source"] == "zs projects advance（投资方撤资）"
    milestones = district.json("projects", "show", "P-001")["milestones"]
    assert [m["note"] for m in milestones if m["kind"] == "terminated"] == ["投资方撤资"]
    run = district("projects", "advance", "P-001", "signed", "--reason", "误")
    assert run.code == 1 and "--reason 只和 --force 一起用" in run.err
