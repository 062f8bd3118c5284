"""外出招商 on a new ledger: the main leaders' unit, a main leader named as the leader, and the
projects a trip visited."""

from __future__ import annotations

from conftest import Zs, dump


def test_the_helps_own_example_works_on_a_new_ledger(zs: Zs) -> None:
    run = zs.ok("trips", "add", "--unit", "区委区政府", "--main-leader", "--date", "2023-05-10", "--destination",
                "深圳", "--visits", "4", "--negotiations", "1")
    assert run.err.splitlines() == [
        "注意：已新建区领导单位“区委区政府”（类别 区领导，不参加排名）：主要领导的外出招商记在它下面。",
        "已登记外出招商 #1 2023-05-10 深圳（主要领导带队）"]
    assert zs.json("units", "list") == [{"name": "区委区政府", "kind": "leadership", "leader": None, "sort_order": 1,
                                         "class": None}]
    # Outside the rankings, and counted as the main leaders' trips.
    week = zs.json("report", "--week", "--as-of", "2023-05-12")
    assert week["totals"]["main_leader_trips"] == 1
    # Only the leadership's own name is made on first use; any other unknown unit is a typo.
    assert zs("trips", "add", "--unit", "税郭镇", "--date", "2023-05-10").code == 1


def test_a_main_leader_as_the_leader_makes_a_main_leader_trip(zs: Zs) -> None:
    zs.ok("units", "add", "税郭镇", "--kind", "town")
    zs.ok("trips", "add", "--leader", "区委书记", "--date", "2023-05-10")  # no unit: the leadership's
    zs.ok("trips", "add", "--unit", "税郭镇", "--leader", "区长", "--date", "2023-05-11")
    zs.ok("trips", "add", "--unit", "税郭镇", "--leader", "副区长", "--date", "2023-05-12")
    zs.ok("trips", "add", "--unit", "税郭镇", "--leader", "党委书记", "--date", "2023-05-13")
    trips = zs.json("trips", "list")
    assert [(t["unit"], t["leader"], t["is_main_leader"]) for t in trips] == [
        ("区委区政府", "区委书记", True), ("税郭镇", "区长", True), ("税郭镇", "副区长", False),
        ("税郭镇", "党委书记", False)]
    run = zs("trips", "add", "--leader", "副区长", "--date", "2023-05-14")
    assert (run.code, run.err) == (1, "错误：缺少 --unit。 主要领导带队的外出招商可不填（记在区委区政府下）。\n")


def test_a_trip_names_the_projects_it_visited(district: Zs, ledger) -> None:
    district.ok("add-project", "风电装备产业园", "--unit", "税郭镇", "--code", "P-002")
    district.ok("trips", "add", "--main-leader", "--date", "2023-06-28", "--destination", "深圳",
                "--project", "P-001", "--project", "P-002", "--negotiations", "1")
    (trip,) = district.json("trips", "list")
    assert (trip["projects"], trip["visits"], trip["unit"]) == (["P-001", "P-002"], 2, "区委区政府")
    assert "外出招商 #1 走访" in [h["change"] for h in district.json("projects", "history", "P-002")]
    before = dump(ledger)
    run = district("trips", "add", "--unit", "税郭镇", "--date", "2023-06-28", "--project", "P-009")
    assert (run.code, run.err) == (1, "错误：项目“P-009”不存在。 用 zs projects list --search 查找编号。\n")
    run = district("trips", "add", "--unit", "税郭镇", "--date", "2023-06-28", "--project", "P-001,P-002",
                   "--visits", "1")
    assert run.code == 1 and "--visits 1 少于 --project 所列的 2 个项目" in run.err
    assert dump(ledger) == before
    district.ok("trips", "delete", "1")
    assert district.json("trips", "list") == []
    assert "撤销外出招商 #1 的走访记录" in [h["change"] for h in district.json("projects", "history", "P-002")]
