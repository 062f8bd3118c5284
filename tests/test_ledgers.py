"""Units, chains, milestones, trips, campaigns, stage words."""

from __future__ import annotations

from conftest import Zs


def test_units_in_official_order(zs: Zs) -> None:
    zs.ok("units", "add", "税郭镇", "--kind", "镇街", "--class", "一类")
    zs.ok("units", "add", "区工信局", "--kind", "department")
    zs.ok("units", "add", "区城投集团", "--kind", "soe", "--order", "1")  # first; the others move down
    units = zs.json("units", "list")
    assert [u["name"] for u in units] == ["区城投集团", "税郭镇", "区工信局"]
    assert units[1] == {"name": "税郭镇", "kind": "town", "leader": None, "sort_order": 2, "class": "一类"}
    assert zs("units", "add", "税郭镇").code == 1
    assert zs("units", "add", "某单位", "--kind", "公司").code == 1


def test_chains_with_lead_unit(zs: Zs) -> None:
    zs.ok("units", "add", "区工信局")
    zs.ok("chains", "add", "高端装备", "--chief", "张区长", "--anchor-firm", "中环", "--lead-unit", "区工信局")
    assert zs.json("chains", "list") == [
        {"name": "高端装备", "chief": "张区长", "anchor_firm": "中环", "lead_unit": "区工信局", "sort_order": 1}]
    run = zs("chains", "add", "新材料", "--lead-unit", "区商务局")
    assert run.code == 1 and "区商务局" in run.err


def test_milestones_plan_done_and_overdue(district: Zs) -> None:
    district.ok("milestones", "add", "P-001", "started", "--planned", "2023-06-15")
    district.ok("milestones", "add", "P-001", "groundbreaking", "--planned", "2023年6月")
    overdue = district.json("milestones", "overdue", "--as-of", "2023-06-30")
    assert [(m["kind"], m["days_late"]) for m in overdue] == [("started", 15)]
    overdue = district.json("milestones", "overdue", "--as-of", "2023-07-02")
    assert [(m["kind"], m["days_late"]) for m in overdue] == [("started", 17), ("groundbreaking", 2)]
    # Doing the planned start moves the project and clears it from the overdue list.
    district.ok("milestones", "add", "P-001", "开工", "--done", "2023-07-01")
    (row,) = district.json("projects", "list")
    assert row["stage"] == "started" and row["started_on"] == "2023-07-01"
    assert [m["kind"] for m in district.json("milestones", "overdue", "--as-of", "2023-07-02")] == ["groundbreaking"]
    kinds = [m["kind"] for m in district.json("milestones", "list", "P-001")]
    assert kinds == ["signed", "started", "groundbreaking"]


def test_backfilling_an_earlier_stage_date_keeps_the_stage(zs: Zs) -> None:
    zs.ok("add-project", "补录", "--stage", "started", "--date", "2023-06-27", "--code", "B-1")
    zs.ok("milestones", "add", "B-1", "signed", "--done", "2023-03-01")
    (row,) = zs.json("projects", "list")
    assert row["stage"] == "started" and row["signed_on"] == "2023-03-01"


def test_trips(zs: Zs) -> None:
    zs.ok("units", "add", "区委区政府", "--kind", "leadership")
    zs.ok("trips", "add", "--unit", "区委区政府", "--main-leader", "--date", "2023-05-10", "--destination", "深圳",
          "--visits", "4", "--negotiations", "1")
    zs.ok("trips", "add", "--unit", "区委区政府", "--date", "2023-07-10", "--destination", "上海")
    trips = zs.json("trips", "list", "--from", "2023-01-01", "--to", "2023-06-30")
    assert [(t["destination"], t["visits"], t["is_main_leader"]) for t in trips] == [("深圳", 4, True)]
    assert len(zs.json("trips", "list", "--others")) == 1
    assert zs("trips", "add", "--unit", "区委区政府", "--date", "2023-05").code == 1


def test_campaign_and_targets(zs: Zs) -> None:
    zs.ok("units", "add", "税郭镇")
    zs.ok("campaign", "create", "百日会战", "--start", "2023-04-15", "--days", "100")
    (camp,) = zs.json("campaign", "list")
    assert camp["end_on"] == "2023-07-23" and camp["days"] == 100
    zs.ok("campaign", "target", "百日会战", "--unit", "税郭镇", "--metric", "new_signed", "--value", "3")
    zs.ok("campaign", "target", "百日会战", "--unit", "税郭镇", "--metric", "签约金额", "--value", "20亿")
    zs.ok("campaign", "target", "百日会战", "--unit", "税郭镇", "--metric", "new_signed", "--value", "4")
    targets = zs.json("campaign", "list", "百日会战")
    assert {(t["metric"], t["value"]) for t in targets} == {("new_signed", 4), ("new_signed_wan", 200000)}
    assert zs("campaign", "target", "百日会战", "--unit", "税郭镇", "--metric", "人气", "--value", "1").code == 1
    assert zs("campaign", "create", "百日会战", "--start", "2023-04-15", "--days", "10").code == 1


def test_district_stage_words(zs: Zs) -> None:
    assert zs("add-project", "摘地项目", "--stage", "已摘地").code == 1
    zs.ok("stages", "map", "已摘地", "signed")
    zs.ok("add-project", "摘地项目", "--stage", "已摘地", "--date", "2023-06-01")
    assert zs.json("projects", "list")[0]["stage"] == "signed"
    words = zs.json("stages", "list")
    assert {"word": "已摘地", "stage": "signed", "source": "district"} in words
