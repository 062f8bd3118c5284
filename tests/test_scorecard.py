"""The 百日会战 scorecard: time progress, completion, ahead or behind, scores from a rules file."""

from __future__ import annotations

import pytest

from conftest import Zs

RULES = """
version = "test-2023"
name = "测试规则"
[score]
cap = 1.2
[weights]
new_signed = 2
new_started = 1
new_leads = 1
new_signed_wan = 1
trips = 1
[caps]
new_signed_wan = 1.0
[[deductions]]
kind = "stalled"
days = 90
per = 0.05
max = 0.08
[[deductions]]
kind = "overdue_start"
per = 0.01
[[bonuses]]
kind = "band"
band = "10"
per = 0.02
max = 0.10
"""


def test_scorecard_json(report_district: Zs) -> None:
    card = report_district.json("scorecard", "--as-of", "2023-07-23")
    assert set(card) >= {"campaign", "as_of", "day", "days", "time_progress", "totals", "units"}
    assert (card["campaign"], card["day"], card["days"], card["time_progress"]) == ("百日会战", 100, 100, 1.0)
    assert card["start"] == "2023-04-15" and card["end"] == "2023-07-23" and card["rules_version"] == "default-2023"
    t = card["totals"]
    assert (t["new_signed"], t["new_started"], t["new_leads"], t["marshal_projects"]) == (8, 6, 2, 6)
    assert (t["main_leader_trips"], t["main_leader_visits"], t["main_leader_negotiations"]) == (3, 11, 3)
    units = {u["unit"]: u for u in card["units"]}
    assert "区委区政府" not in units  # outside rankings, and it has no targets
    gongxin = units["区工信局"]
    assert set(gongxin) >= {"unit", "metrics", "score", "rank", "ahead"}
    assert gongxin["metrics"]["new_signed_wan"] == {"actual": 660000, "target": 500000, "completion": 1.32,
                                                    "ahead": True}
    assert gongxin["score"] == pytest.approx((1 + 1.2 + 1) / 3, abs=1e-4) and gongxin["rank"] == 1
    # A zero target is shown but left out of the score: 区文旅局 has new_leads = 0.
    wenlv = units["区文旅局"]
    assert wenlv["metrics"]["new_leads"]["completion"] is None and wenlv["score"] == 1.0
    # Ties share a rank.
    ranked = sorted((u["rank"], u["unit"]) for u in card["units"])
    assert ranked[:3] == [(1, "区工信局"), (2, "区文旅局"), (2, "齐村镇")]
    assert [u["ahead"] for u in card["units"]].count(True) == 3


def test_time_progress_and_default_campaign(report_district: Zs) -> None:
    # Day 1 is the start; the as-of day counts as elapsed.
    first = report_district.json("scorecard", "--as-of", "2023-04-15", "--campaign", "百日会战")
    assert (first["day"], first["time_progress"]) == (1, 0.01)
    half = report_district.json("scorecard", "--as-of", "2023-06-03")
    assert (half["campaign"], half["day"]) == ("百日会战", 50)
    # After the campaign ends the default is the campaign holding as-of (the year's targets).
    after = report_district.json("scorecard", "--as-of", "2023-08-01")
    assert after["campaign"] == "2023年度目标" and after["days"] == 365
    # The campaign's actuals stop at its end even when as-of is later.
    late = report_district.json("scorecard", "--as-of", "2023-09-30", "--campaign", "百日会战")
    assert late["day"] == 100 and late["totals"]["new_signed"] == 8
    missing = report_district("scorecard", "--campaign", "千日会战")
    assert missing.code == 1 and "千日会战" in missing.err


def test_no_campaign_is_a_clear_error(zs: Zs) -> None:
    run = zs("scorecard", "--as-of", "2023-07-23")
    assert run.code == 1 and "zs campaign create" in run.err and "Traceback" not in run.err


def test_rules_file_weights_caps_deductions_bonuses(report_district: Zs, tmp_path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    card = report_district.json("scorecard", "--as-of", "2023-07-23", "--rules", str(rules))
    assert card["rules_version"] == "test-2023"
    units = {u["unit"]: u for u in card["units"]}
    # 税郭镇: signed 0/2 (w2), started 0/1 (w1), leads 1/2 = 0.5 (w1) → 0.5/4 = 0.125; stalled P-008 (-0.05),
    # overdue start of P-008 (-0.01); no bonus → 0.065.
    assert units["税郭镇"]["score"] == pytest.approx(0.065, abs=1e-4)
    # 区工信局: signed 2/2 ×2, started 2/2 ×1, 66亿/50亿 capped at 1.0 ×1 → 1.0; bonus one ≥10亿 signing (P-001) +0.02.
    assert units["区工信局"]["score"] == pytest.approx(1.02, abs=1e-4)
    explained = report_district.json("scorecard", "--as-of", "2023-07-23", "--rules", str(rules), "--explain", "税郭镇")
    assert explained["weighted_mean"] == 0.125 and explained["score"] == 0.065
    assert [(a["rule"], a["count"], a["value"], a["projects"]) for a in explained["adjustments"]] == [
        ("stalled", 1, -0.05, ["P-008"]), ("overdue_start", 1, -0.01, ["P-008"])]
    assert [(t["metric"], t["weight"], t["contribution"]) for t in explained["terms"]] == [
        ("new_leads", 1.0, 0.5), ("new_signed", 2.0, 0.0), ("new_started", 1.0, 0.0)]
    text = report_district.ok("scorecard", "--as-of", "2023-07-23", "--rules", str(rules), "--explain", "税郭镇").out
    assert "加权平均 = 0.5000 ÷ 4 = 0.1250" in text and "签约90天未开工：1个 × -0.05" in text and "P-008" in text


def test_explain_every_term(report_district: Zs) -> None:
    out = report_district.ok("scorecard", "--as-of", "2023-07-23", "--explain", "区工信局").out
    assert "签约(亿元)：完成66.00亿元 ÷ 目标50.00亿元 = 132.0%，取 min(完成率, 1.2) = 1.2000" in out
    assert "加权平均 = 3.2000 ÷ 3 = 1.0667" in out and "排名第1" in out
    wenlv = report_district.ok("scorecard", "--as-of", "2023-07-23", "--explain", "区文旅局").out
    assert "目标为0，不计分" in wenlv
    run = report_district("scorecard", "--explain", "区委区政府", "--as-of", "2023-07-23")
    assert run.code == 1 and "没有目标" in run.err


def test_campaign_records_its_rules(report_district: Zs, tmp_path) -> None:
    listed = {c["name"]: c for c in report_district.json("campaign", "list")}
    assert listed["百日会战"]["rules_version"] == "default-2023"
    shown = report_district.ok("campaign", "rules", "百日会战")
    assert 'version = "default-2023"' in shown.out and "default-2023" in shown.err
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    report_district.ok("campaign", "rules", "百日会战", "--file", str(rules))
    assert report_district.json("scorecard", "--as-of", "2023-07-23")["rules_version"] == "test-2023"
    history = [h for h in report_district.json("campaign", "list") if h["name"] == "百日会战"]
    assert history[0]["rules_version"] == "test-2023"


@pytest.mark.parametrize(("text", "named"), [
    ("version = 1", "version"),
    ('version = "x"\n[weights]\nnew_signd = 1', "new_signd"),
    ('version = "x"\n[weights]\nnew_signed = "heavy"', "weights.new_signed"),
    ('version = "x"\n[[bonuses]]\nkind = "band"\nband = "20"\nper = 0.1', "band"),
    ('version = "x"\n[[deductions]]\nkind = "late"\nper = 0.1', "late"),
    ("version = ", "TOML"),
    ('version = "x"\n[score]\ncapp = 1.5', "score.capp"),
    ('version = "x"\n[stalled]\nday = 30', "stalled.day"),
    ('version = "x"\n[stalled]\ndays = 30.7', "stalled.days = 30.7"),
])
def test_bad_rules_file_names_the_key(report_district: Zs, tmp_path, text: str, named: str) -> None:
    rules = tmp_path / "bad.toml"
    rules.write_text(text, encoding="utf-8")
    run = report_district("scorecard", "--rules", str(rules))
    assert run.code == 1 and named in run.err and "bad.toml" in run.err
    assert len(run.err.strip().splitlines()) == 1


def test_default_rules_match_the_design() -> None:
    from zhaoshang.reports.rules import default_rules

    rules = default_rules()
    assert rules.version == "default-2023" and rules.cap == 1.2 and rules.adjustments == []
    assert set(rules.weights.values()) == {1.0} and rules.stall_days == 90


def test_one_unit_keeps_its_district_rank(report_district: Zs) -> None:
    card = report_district.json("scorecard", "--as-of", "2023-07-23", "--unit", "区商务局")
    assert [(u["unit"], u["rank"]) for u in card["units"]] == [("区商务局", 4)]
    assert card["totals"]["new_signed"] == 8  # the district's
    whole = report_district.ok("scorecard", "--as-of", "2023-07-23", "--format", "text").out
    one = report_district.ok("scorecard", "--as-of", "2023-07-23", "--unit", "区商务局", "--format", "text").out
    assert one == whole  # the bulletin sentence is the district's, ahead and behind included
    june = report_district.json("report", "--month", "--as-of", "2023-06-30", "--unit", "区商务局")
    assert [(r["unit"], r["rank"]) for r in june["ranking"]] == [("区商务局", 2)]
    q2 = report_district.json("report", "--quarter", "--as-of", "2023-06-30", "--unit", "区商务局")
    assert [(r["unit"], r["rank"]) for r in q2["scores"]] == [("区商务局", 2)]


def test_rules_may_give_supporting_units_a_share(report_district: Zs, tmp_path) -> None:
    """Credit stays with the lead unit; `[support] share` gives each supporting unit that share of
    the projects it supports (count and amount). Without it (the default) scores are unchanged."""
    from sheets import csv_file

    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    args = ("scorecard", "--as-of", "2023-07-23", "--rules", str(rules))
    before = {u["unit"]: u["score"] for u in report_district.json(*args)["units"]}
    name = next(p["name"] for p in report_district.json("projects", "list") if p["code"] == "P-001")
    book = csv_file(tmp_path / "配合.csv", [["项目编号", "项目名称", "配合单位"], ["P-001", name, "税郭镇"]])
    report_district.ok("import", str(book))
    assert {u["unit"]: u["score"] for u in report_district.json(*args)["units"]} == before  # default: none
    shared = tmp_path / "shared.toml"
    shared.write_text(RULES + "\n[support]\nshare = 0.5\n", encoding="utf-8")
    card = {u["unit"]: u for u in report_district.json("scorecard", "--as-of", "2023-07-23", "--rules", str(shared))
            ["units"]}
    assert card["区工信局"]["score"] == before["区工信局"]  # the lead unit keeps its whole credit
    explained = report_district.json("scorecard", "--as-of", "2023-07-23", "--rules", str(shared),
                                     "--explain", "税郭镇")
    terms = {t["metric"]: t for t in explained["terms"]}
    assert terms["new_signed"]["actual"] == 0.5 and terms["new_signed"]["contribution"] == 0.5  # 0.5/2 × w2
    assert card["税郭镇"]["score"] > before["税郭镇"]
    text = report_district.ok("scorecard", "--as-of", "2023-07-23", "--rules", str(shared), "--explain", "税郭镇").out
    assert "税郭镇" in text and "Traceback" not in text
    assert "税郭镇" in report_district.ok("scorecard", "--as-of", "2023-07-23", "--rules", str(shared)).out
    bad = tmp_path / "bad.toml"
    bad.write_text(RULES + "\n[support]\nshare = 2\n", encoding="utf-8")
    run = report_district(*args[:-1], str(bad))
    assert run.code == 1 and "support.share" in run.err
