"""The four cadences on the test district: what a clerk reads on Monday morning."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from rich.cells import cell_len

from conftest import Zs, dump

LISTING_KEYS = {"code", "name", "investor", "investment_wan", "investment_usd_wan", "chain", "unit", "stage",
                "signed_on", "ready_on", "started_on", "produced_on", "marshal"}
UNITS = ["区委区政府", "税郭镇", "齐村镇", "光明路街道", "区工信局", "区商务局", "区文旅局", "区城投集团"]


def codes(rows: list[dict]) -> list[str]:
    return [r["code"] for r in rows]


def test_week_json_shape_and_numbers(report_district: Zs) -> None:
    week = report_district.json("report", "--week", "--as-of", "2023-06-30")
    assert week["period"] == {"start": "2023-06-26", "end": "2023-07-02", "as_of": "2023-06-30"}
    t = week["totals"]
    # Four signings this week, one of them only in 外资 (kept apart, never converted).
    assert (t["new_signed"], t["new_signed_wan"], t["new_signed_usd_wan"]) == (4, 453000, 1200)
    # Five started or ready on 2023-06-27; P-012 was ready "2023年6月" and started 6-27: counted once, on 6-27.
    assert (t["new_started"], t["new_started_wan"]) == (5, 2253000)
    assert (t["new_leads"], t["new_planned"], t["new_producing"]) == (1, 1, 1)
    assert (t["trips"], t["main_leader_trips"], t["trip_visits"], t["trip_negotiations"]) == (2, 1, 7, 1)
    assert t["band_counts"] == {"1": 3, "10": 3, "50": 0, "100": 0}
    assert t["marshal_projects"] == 6
    assert set(week) >= {"period", "totals", "ytd", "by_unit", "by_chain", "lists"}
    assert set(week["lists"]) >= {"signed", "started", "producing", "stalled", "overdue_milestones"}
    # Lists run by date, then in the official order of the units.
    assert codes(week["lists"]["signed"]) == ["P-003", "P-002", "P-012", "P-005"]
    assert codes(week["lists"]["started"]) == ["P-003", "P-009", "P-001", "P-002", "P-012"]
    assert codes(week["lists"]["producing"]) == ["P-014"]
    for item in week["lists"]["signed"]:
        assert set(item) == LISTING_KEYS
    # Units in the official order, the leadership first, every unit present.
    assert [u["unit"] for u in week["by_unit"]] == UNITS
    leadership = week["by_unit"][0]
    assert leadership["main_leader_trips"] == 1 and leadership["ytd"]["main_leader_trips"] == 3
    # Month-precision signings (P-006 2023年3月, P-010 2023年6月) count in the year, never in a week.
    assert week["ytd"]["new_signed"] == 10
    # Projects without a chain get a row of their own (chain null), so the chains add up to the total.
    assert [c["chain"] for c in week["by_chain"]] == ["高端装备", "新能源", "文旅康养", "医养健康", None]


def test_stalled_and_overdue_lists_hold_the_window_and_backlog_counts_all(report_district: Zs) -> None:
    # P-016 signed 2022-11-15 (stalled since 2023-02-13); P-008 2023-01-10 (since 04-10); P-006
    # "2023年3月" counts from the end of March (since 06-29). P-013 was terminated and P-014 started.
    week = report_district.json("report", "--week", "--as-of", "2023-06-30")
    assert [(r["code"], r["days_since_signed"]) for r in week["lists"]["stalled"]] == [("P-006", 91)]
    assert week["backlog"] == {"stalled": 3, "overdue_milestones": 1}
    # The edges: P-006's month ends 03-31, so it is stalled from 06-29 on (90 days), not on 06-28.
    eve = report_district.json("report", "--week", "--as-of", "2023-06-28")
    assert (eve["lists"]["stalled"], eve["backlog"]["stalled"]) == ([], 2)
    first = report_district.json("report", "--week", "--as-of", "2023-06-29")
    assert [(r["code"], r["days_since_signed"]) for r in first["lists"]["stalled"]] == [("P-006", 90)]
    # P-008's start was planned for 05-31: overdue since June 1st, so in June's list, not this week's.
    assert week["lists"]["overdue_milestones"] == []
    june = report_district.json("report", "--month", "--as-of", "2023-06-30")
    assert codes(june["lists"]["stalled"]) == ["P-006"]
    assert [(r["code"], r["milestone"], r["days_late"]) for r in june["lists"]["overdue_milestones"]] == [
        ("P-008", "started", 30)]
    quarter = report_district.json("report", "--quarter", "--as-of", "2023-06-30")
    assert codes(quarter["lists"]["stalled"]) == ["P-008", "P-006"]
    year = report_district.json("report", "--year", "--as-of", "2023-06-30")
    assert codes(year["lists"]["stalled"]) == ["P-016", "P-008", "P-006"]
    # A month-precision plan (P-016 "2023-06") falls overdue only once June is over: on July 1st.
    july = report_district.json("report", "--month", "--as-of", "2023-07-03")
    assert [(r["code"], r["days_late"]) for r in july["lists"]["overdue_milestones"]] == [("P-016", 3)]
    assert july["backlog"]["overdue_milestones"] == 2
    everything = report_district.json("report", "--week", "--as-of", "2023-06-30", "--backlog")
    assert [(r["code"], r["days_since_signed"]) for r in everything["lists"]["stalled"]] == [
        ("P-016", 227), ("P-008", 171), ("P-006", 91)]
    assert codes(everything["lists"]["overdue_milestones"]) == ["P-008"]
    table = report_district.ok("report", "--week", "--as-of", "2023-06-30").out
    assert "本期新增1个，截至2023年6月30日共3个" in table
    shorter = report_district.json("report", "--year", "--as-of", "2023-06-30", "--stall-days", "180")
    assert codes(shorter["lists"]["stalled"]) == ["P-016"] and shorter["backlog"]["stalled"] == 1


def test_month_precision_counts_in_month_not_week(report_district: Zs) -> None:
    june = report_district.json("report", "--month", "--as-of", "2023-06-30")
    assert "P-010" in codes(june["lists"]["signed"])
    weeks = [report_district.json("report", "--week", "--as-of", day)
             for day in ("2023-06-04", "2023-06-11", "2023-06-18", "2023-06-25", "2023-06-30")]
    assert all("P-010" not in codes(w["lists"]["signed"]) for w in weeks)
    # As of a day inside June, "2023年6月" is not yet known to have happened: it counts once June is
    # over, in the month, the quarter and the year to date alike.
    mid = report_district.json("report", "--month", "--as-of", "2023-06-29")
    assert "P-010" not in codes(mid["lists"]["signed"])
    assert mid["ytd"]["new_signed"] == june["ytd"]["new_signed"] - 1 - sum(
        1 for r in june["lists"]["signed"] if r["signed_on"] == "2023-06-30")


def test_as_of_cuts_the_window(report_district: Zs) -> None:
    # As of Tuesday 6-27 the week has not yet seen the signing of 6-28.
    tuesday = report_district.json("report", "--week", "--as-of", "2023-06-27")
    assert codes(tuesday["lists"]["signed"]) == ["P-003", "P-002", "P-012"]
    assert tuesday["period"]["end"] == "2023-07-02"


def test_month_ranking_and_change(report_district: Zs) -> None:
    june = report_district.json("report", "--month", "--as-of", "2023-06-30")
    assert june["period"] == {"start": "2023-06-01", "end": "2023-06-30", "as_of": "2023-06-30"}
    ranking = june["ranking"]
    # The leadership stays outside the ranking; the others are ranked by their score against the
    # year's targets, pro rata (181 of 365 days).
    assert [r["unit"] for r in ranking] == ["区工信局", "区商务局", "光明路街道", "区文旅局", "齐村镇", "税郭镇",
                                            "区城投集团"]
    assert [r["rank"] for r in ranking] == [1, 2, 3, 4, 5, 6, 7]
    assert [r["previous_rank"] for r in ranking] == [1, 5, 1, 5, 5, 3, 4]
    assert june["ranking_basis"] == {"campaign": "2023年度目标", "rules_version": "default-2023", "pro_rata": True,
                                     "day": 181, "days": 365, "time_progress": 0.4959}
    # 区工信局: signed 2 of 4 pro rata (1.008), 66亿 of 40亿 pro rata (capped 1.2), started 1 of 2 (1.008).
    first = ranking[0]
    assert first["score"] == pytest.approx((2 / (4 * 181 / 365) + 1.2 + 1 / (2 * 181 / 365)) / 3, abs=1e-4)
    assert first["progress"] == pytest.approx((0.5 + 1.2 + 0.5) / 3, abs=1e-4)
    gongxin = next(u for u in june["by_unit"] if u["unit"] == "区工信局")
    assert gongxin["new_signed"] == 1 and gongxin["previous"]["new_signed"] == 1
    assert gongxin["change"]["new_signed"] == 0
    table = report_district.ok("report", "--month", "--as-of", "2023-06-30").out
    assert "单位排名" in table and "环比" in table and "2023年度目标" in table


def test_month_without_targets_ranks_by_the_fallback(zs: Zs) -> None:
    zs.ok("units", "add", "甲镇", "--kind", "town")
    zs.ok("units", "add", "乙镇", "--kind", "town")
    zs.ok("add-project", "一", "--unit", "甲镇", "--amount", "2亿", "--stage", "signed", "--date", "2023-06-02")
    zs.ok("add-project", "二", "--unit", "乙镇", "--amount", "9亿", "--stage", "signed", "--date", "2023-06-03")
    june = zs.json("report", "--month", "--as-of", "2023-06-30")
    assert [(r["unit"], r["rank"], r["score"]) for r in june["ranking"]] == [("乙镇", 1, None), ("甲镇", 2, None)]
    assert june["ranking_basis"]["fallback"][0] == "new_signed_wan"


def test_quarter_scores_with_their_parts(report_district: Zs) -> None:
    q2 = report_district.json("report", "--quarter", "--as-of", "2023-06-30")
    assert q2["period"]["start"] == "2023-04-01" and q2["period"]["end"] == "2023-06-30"
    scores = {s["unit"]: s for s in q2["scores"]}
    assert "区委区政府" not in scores
    gongxin = scores["区工信局"]
    assert set(gongxin["metrics"]) == {"new_signed", "new_signed_wan", "new_started"}
    part = gongxin["metrics"]["new_signed_wan"]
    assert part["actual"] == 660000 and part["full_target"] == 400000
    assert part["value"] == 1.2  # capped
    terms = [m["contribution"] for m in gongxin["metrics"].values()]
    assert gongxin["weighted_mean"] == pytest.approx(sum(terms) / 3, abs=1e-4)
    assert q2["score_basis"]["cap"] == 1.2


def test_year_certification(report_district: Zs) -> None:
    year = report_district.json("report", "--year", "--as-of", "2023-12-31")
    # Signed in 2023 with at least 1 亿 and started (not merely ready) in 2023.
    assert sorted(codes(year["lists"]["certified"])) == ["P-001", "P-003", "P-009", "P-010", "P-012"]
    assert year["certified"]["certified"] == 5
    assert year["certified"]["band_counts"] == {"1": 5, "10": 4, "50": 2, "100": 1}
    by_unit = {r["unit"]: r["certified"] for r in year["certified_by_unit"]}
    assert by_unit["区工信局"] == 2 and by_unit["区商务局"] == 0
    by_chain = {r["chain"]: r["certified"] for r in year["certified_by_chain"]}
    assert by_chain[None] == 1 and by_chain["高端装备"] == 2


def test_unit_and_chain_filters(report_district: Zs) -> None:
    unit = report_district.json("report", "--week", "--as-of", "2023-06-30", "--unit", "区商务局")
    assert [u["unit"] for u in unit["by_unit"]] == ["区商务局"]
    assert unit["totals"]["new_signed"] == 2 and codes(unit["lists"]["signed"]) == ["P-002", "P-005"]
    chain = report_district.json("report", "--week", "--as-of", "2023-06-30", "--chain", "文旅康养")
    assert chain["totals"]["new_signed"] == 2 and chain["totals"]["trips"] is None
    assert [c["chain"] for c in chain["by_chain"]] == ["文旅康养"]
    run = report_district("report", "--week", "--unit", "区商务")
    assert run.code == 1 and "区商务" in run.err and "Traceback" not in run.err


def test_bad_input_is_one_line(report_district: Zs) -> None:
    for args, named in ((["--as-of", "2023-02-30"], "2023-02-30"), (["--as-of", "2023-06"], "2023-06"),
                        (["--format", "xlsx"], "--out"), (["--cohort"], "--signed-on"),
                        (["--as-known-at", "昨天"], "昨天")):
        run = report_district("report", *args)
        assert run.code == 1, args
        assert len(run.err.strip().splitlines()) == 1 and named in run.err and run.out == ""
    assert report_district("report", "--week", "--month").code == 2


def test_reports_change_nothing(report_district: Zs) -> None:
    before = dump(report_district.db)
    for kind in ("--week", "--month", "--quarter", "--year", "--funnel"):
        report_district.ok("report", kind, "--as-of", "2023-06-30")
    report_district.ok("scorecard", "--as-of", "2023-07-23")
    assert dump(report_district.db) == before


def test_default_as_of_is_today_in_the_ledger_time_zone(report_district: Zs) -> None:
    from zhaoshang import config

    today = config.today()
    week = report_district.json("report")
    assert week["period"]["as_of"] == today.isoformat()


def test_english_labels(report_district: Zs) -> None:
    out = report_district.ok("--lang", "en", "report", "--week", "--as-of", "2023-06-30").out
    assert "Weekly dispatch" in out and "By unit" in out and "Signed" in out and "Total" not in out.split("By unit")[0]
    assert "As of 2023-06-30" in out
    text = report_district.ok("--lang", "en", "report", "--year", "--as-of", "2023-06-30", "--format", "text").out
    assert text.startswith("As of 2023-06-30, the district has signed 9 projects")


def test_text_prose_uses_the_same_numbers(report_district: Zs) -> None:
    text = report_district.ok("report", "--week", "--as-of", "2023-06-30", "--format", "text").out
    data = report_district.json("report", "--week", "--as-of", "2023-06-30")
    ytd = data["ytd"]
    assert text.startswith(f"截至2023年6月30日，全区累计新签约亿元以上项目{ytd['band_counts']['1']}个，"
                           "总投资240.30亿元")
    assert "区主要领导外出招商3次，走访重点项目12个，直接参与洽谈4次" in text
    assert "2023年第26周（6月26日至7月2日），全区新签约项目4个，总投资45.30亿元、外资1200万美元" in text


def test_funnel(report_district: Zs) -> None:
    funnel = report_district.json("report", "--funnel", "--as-of", "2023-07-31")
    total = funnel["totals"]
    # P-007 (planned only) is not in the funnel; P-015 is a lead without a date, still a lead.
    assert total["reached"] == {"lead": 16, "negotiating": 14, "signed": 13, "started": 7, "producing": 1}
    assert total["terminated"] == 1
    assert total["conversion"]["signed_started"] == round(7 / 13, 4)
    gongxin = next(r for r in funnel["funnel"] if r["unit"] == "区工信局")
    assert gongxin["reached"]["signed"] == 2 and gongxin["conversion"]["signed_started"] == 1.0
    # P-001 signed 5-20, started 6-27 (38 days); P-010 signed only "2023年6月": no day count.
    assert gongxin["median_days"]["signed_started"] == 38.0 and gongxin["samples"]["signed_started"] == 1
    early = report_district.json("report", "--funnel", "--as-of", "2023-03-31")["totals"]
    assert early["reached"]["signed"] == 5


def test_cohort_of_one_signing_day(report_district: Zs) -> None:
    cohort = report_district.json("report", "--cohort", "--signed-on", "2023-06-26", "--as-of", "2023-07-23")
    assert codes(cohort["lists"]["cohort"]) == ["P-003", "P-002", "P-012"]
    t = cohort["totals"]
    assert t["signed"]["count"] == 3 and t["signed"]["investment_wan"] == 453000
    assert t["started"]["count"] == 3 and t["not_started"]["count"] == 0
    assert t["median_days_to_start"] == 1
    before = report_district.json("report", "--cohort", "--signed-on", "2023-06-26", "--as-of", "2023-06-26")
    assert before["totals"]["started"]["count"] == 0
    month = report_district.json("report", "--cohort", "--signed-on", "2023年6月", "--as-of", "2023-07-23")
    assert sorted(codes(month["lists"]["cohort"])) == ["P-002", "P-003", "P-005", "P-010", "P-012"]


def render(db: str, kind: str, day: dt.date, width: int = 100, lang: str = "zh") -> list[str]:
    """A report printed on a fixed-width console, as lines."""
    from zhaoshang.config import database_url
    from zhaoshang.db.engine import session_scope
    from zhaoshang.render.report import print_report
    from zhaoshang.reports import build, scorecard

    with session_scope(database_url(db)) as session:
        report = scorecard.build(session, day) if kind == "scorecard" else build.report(session, kind, day)
    buf = io.StringIO()
    print_report(report, buf, width=width, lang=lang)
    return buf.getvalue().splitlines()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_table_lines_up_on_a_100_column_console(report_district: Zs, lang: str) -> None:
    """No line is wider than 100 columns (Rich measures CJK as two), and in the by-unit table the
    unit lines and the 合计 line end in the same column."""
    for kind in ("week", "month", "quarter", "year", "funnel"):
        lines = render(report_district.db, kind, dt.date(2023, 6, 30), lang=lang)
        assert max(cell_len(line) for line in lines) <= 100, kind
        if kind != "funnel":
            total = "Total" if lang == "en" else "合计"
            unit_lines = [line for line in lines if line.startswith(("区工信局", total))][:2]
            assert len({cell_len(line.rstrip()) for line in unit_lines}) == 1, unit_lines


def test_scorecard_table_on_100_columns(report_district: Zs) -> None:
    lines = render(report_district.db, "scorecard", dt.date(2023, 7, 23))
    assert max(cell_len(line) for line in lines) <= 100
    bars = [line for line in lines if "┃" in line and ("━" in line or "─" in line)]
    assert len(bars) == 7
    # The marker at the time progress sits in the same column on every unit's bar.
    assert len({cell_len(line[: line.index("┃")]) for line in bars}) == 1
    out = "\n".join(lines)
    assert "时间过半" in out and "超前" in out and "落后" in out


def test_report_json_is_valid_for_every_kind(report_district: Zs) -> None:
    for kind in ("--week", "--month", "--quarter", "--year", "--funnel"):
        data = json.loads(report_district.ok("report", kind, "--as-of", "2023-06-30", "--format", "json").out)
        assert "lists" in data


def test_stalled_as_of_a_past_day(zs: Zs) -> None:
    """A project that started later was stalled before it started; a ready one is not stalled."""
    zs.ok("units", "add", "甲镇", "--kind", "town")
    zs.ok("add-project", "迟开工", "--unit", "甲镇", "--stage", "signed", "--date", "2023-01-01", "--code", "S-1")
    zs.ok("projects", "advance", "S-1", "started", "--date", "2023-06-01")
    zs.ok("add-project", "已具备", "--unit", "甲镇", "--stage", "signed", "--date", "2023-01-01", "--code", "S-2")
    zs.ok("projects", "advance", "S-2", "ready", "--date", "2023-03-01")
    zs.ok("add-project", "已终止", "--unit", "甲镇", "--stage", "signed", "--date", "2023-01-01", "--code", "S-3")
    zs.ok("projects", "advance", "S-3", "terminated", "--date", "2023-04-15")
    may = zs.json("report", "--year", "--as-of", "2023-05-01")["lists"]["stalled"]
    assert [(r["code"], r["days_since_signed"]) for r in may] == [("S-1", 120)]
    assert zs.json("report", "--year", "--as-of", "2023-06-30")["lists"]["stalled"] == []
    april = zs.json("report", "--year", "--as-of", "2023-04-10")["lists"]["stalled"]
    assert [r["code"] for r in april] == ["S-1", "S-3"]


def test_overdue_as_of_a_past_day_and_plans_for_skipped_stages(zs: Zs) -> None:
    """A plan late on the day counts as late then, even if done or terminated afterwards; a plan for
    a stage the project went past is moot."""
    zs.ok("units", "add", "甲镇", "--kind", "town")
    zs.ok("add-project", "迟开工", "--unit", "甲镇", "--stage", "signed", "--date", "2023-03-01", "--code", "A")
    zs.ok("milestones", "add", "A", "started", "--planned", "2023-06-15")
    zs.ok("projects", "advance", "A", "started", "--date", "2023-06-27")
    zs.ok("add-project", "终止", "--unit", "甲镇", "--stage", "signed", "--date", "2023-03-01", "--code", "T")
    zs.ok("milestones", "add", "T", "started", "--planned", "2023-04-30")
    zs.ok("projects", "advance", "T", "terminated", "--date", "2023-06-01")
    zs.ok("add-project", "跳过", "--unit", "甲镇", "--stage", "signed", "--date", "2023-03-01", "--code", "K")
    zs.ok("milestones", "add", "K", "ready", "--planned", "2023-05-31")
    zs.ok("projects", "advance", "K", "started", "--date", "2023-05-20")

    def late(day: str) -> list[tuple[str, str, int]]:
        return [(r["code"], r["kind"], r["days_late"]) for r in zs.json("milestones", "overdue", "--as-of", day)]

    assert late("2023-05-15") == [("T", "started", 15)]
    assert late("2023-06-25") == [("A", "started", 10)]
    assert late("2023-06-30") == []
    assert zs.json("report", "--month", "--as-of", "2023-06-25")["backlog"]["overdue_milestones"] == 1


def test_marshal_projects_are_a_stock_at_the_cut_off(zs: Zs) -> None:
    zs.ok("add-project", "挂帅项目", "--amount", "20亿", "--stage", "signed", "--date", "2023-05-01", "--marshal")
    assert zs.json("report", "--week", "--as-of", "2023-04-30")["totals"]["marshal_projects"] == 0
    assert zs.json("report", "--week", "--as-of", "2023-05-01")["totals"]["marshal_projects"] == 1
    zs.ok("projects", "advance", "P-0001", "terminated", "--date", "2023-06-01")
    assert zs.json("report", "--week", "--as-of", "2023-05-31")["totals"]["marshal_projects"] == 1
    assert zs.json("report", "--week", "--as-of", "2023-06-01")["totals"]["marshal_projects"] == 0


def test_the_window_sentence_gives_the_foreign_money_of_starts(zs: Zs) -> None:
    zs.ok("add-project", "外资项目", "--amount", "1200万美元", "--stage", "started", "--date", "2023-06-28")
    text = zs.ok("report", "--week", "--as-of", "2023-06-30", "--format", "text").out
    assert "新开工或具备开工条件项目1个，总投资0.00亿元、外资1200万美元" in text.split("\n\n")[1]


def test_a_month_only_date_has_happened_once_its_month_is_over_everywhere(zs: Zs) -> None:
    """Windows, overdue plans, stalled projects, 年认定, the funnel, cohorts and 挂帅 all take "2023年7月"
    as not yet happened on 07-15 and happened on 07-31."""
    zs.ok("units", "add", "甲镇", "--kind", "town")
    zs.ok("add-project", "R1", "--unit", "甲镇", "--amount", "5亿", "--stage", "signed", "--date", "2023-03-01",
          "--code", "R1", "--marshal")
    zs.ok("milestones", "add", "R1", "started", "--planned", "2023-06-10")
    zs.ok("projects", "advance", "R1", "started", "--date", "2023年7月")

    def late(day: str) -> list[str]:
        return [r["code"] for r in zs.json("milestones", "overdue", "--as-of", day)]

    assert late("2023-07-15") == ["R1"] and late("2023-07-31") == []
    mid = zs.json("report", "--week", "--as-of", "2023-07-15", "--backlog")
    assert (mid["backlog"]["stalled"], mid["ytd"]["new_started"]) == (1, 0)
    end = zs.json("report", "--month", "--as-of", "2023-07-31")
    assert (end["backlog"]["stalled"], end["totals"]["new_started"]) == (0, 1)
    assert zs.json("report", "--funnel", "--as-of", "2023-07-15")["totals"]["reached"]["started"] == 0
    assert zs.json("report", "--funnel", "--as-of", "2023-07-31")["totals"]["reached"]["started"] == 1
    cohort = zs.json("report", "--cohort", "--signed-on", "2023-03", "--as-of", "2023-07-15")
    assert cohort["totals"]["started"]["count"] == 0
    year = zs.json("report", "--year", "--as-of", "2023-07-15")
    assert year["certified"]["certified"] == 0
    assert zs.json("report", "--year", "--as-of", "2023-07-31")["certified"]["certified"] == 1
