"""`--as-known-at`: a past bulletin reprinted exactly, from the audit log."""

from __future__ import annotations

import json
import sqlite3

from conftest import Zs


def last_event_at(db: str) -> str:
    """The moment of the ledger's latest change, as a UTC timestamp the option accepts."""
    with sqlite3.connect(db) as con:
        (at,) = con.execute("SELECT max(at) FROM event").fetchone()
    return f"{at}+00:00"


def reports(zs: Zs, *extra: str) -> dict:
    return {
        "week": zs.json("report", "--week", "--as-of", "2023-06-30", *extra),
        "month": zs.json("report", "--month", "--as-of", "2023-06-30", *extra),
        "year": zs.json("report", "--year", "--as-of", "2023-12-31", *extra),
        "scorecard": zs.json("scorecard", "--as-of", "2023-07-23", *extra),
        "text": zs.ok("report", "--week", "--as-of", "2023-06-30", "--format", "text", *extra).out,
    }


def test_as_known_at_before_later_edits_gives_the_earlier_numbers(report_district: Zs) -> None:
    zs = report_district
    before = reports(zs)
    moment = last_event_at(zs.db)
    # A week of a clerk's edits: a stage moved on, an amount corrected, a unit changed, a project added,
    # a trip recorded, a target raised, a start withdrawn (a milestone deleted), a stage word taught.
    zs.ok("projects", "advance", "P-005", "started", "--date", "2023-06-29")
    zs.ok("projects", "update", "P-002", "--amount", "25亿", "--unit", "税郭镇")
    zs.ok("add-project", "补录项目", "--amount", "9亿", "--unit", "区工信局", "--stage", "signed",
          "--date", "2023-06-27")
    zs.ok("trips", "add", "--unit", "区委区政府", "--main-leader", "--date", "2023-06-28", "--visits", "3")
    zs.ok("campaign", "target", "百日会战", "--unit", "区工信局", "--metric", "new_signed", "--value", "5")
    zs.ok("projects", "advance", "P-009", "signed", "--force", "--reason", "开工手续被撤回")
    zs.ok("stages", "map", "已摘地", "signed")
    after = reports(zs)
    for key in before:
        assert after[key] != before[key], key
    known = reports(zs, "--as-known-at", moment)
    assert known == before
    # The ledger itself is untouched by the reconstruction.
    assert reports(zs) == after


def test_as_known_at_undoes_a_bulk_import(report_district: Zs) -> None:
    """A bulk import writes one insert event per project, its milestones inside the project's JSON."""
    zs = report_district
    before = zs.json("report", "--week", "--as-of", "2023-06-30")
    moment = last_event_at(zs.db)
    with sqlite3.connect(zs.db) as con:
        con.execute("INSERT INTO project (id, code, name, investment_wan, unit_id, marshal, stage, created_at,"
                    " updated_at) VALUES (900, 'IMP-1', '导入项目', 50000, 2, 0, 'signed', '2030-01-01 00:00:00',"
                    " '2030-01-01 00:00:00')")
        con.execute("INSERT INTO milestone (id, project_id, kind, done, done_on, precision)"
                    " VALUES (9000, 900, 'signed', 1, '2023-06-27', 'day')")
        row = {"id": 900, "code": "IMP-1", "name": "导入项目", "investment_wan": 50000, "unit_id": 2, "stage": "signed",
               "milestones": [{"id": 9000, "kind": "signed", "done": True, "done_on": "2023-06-27", "precision": "day",
                               "planned_on": None, "planned_precision": None, "note": None}]}
        con.execute("INSERT INTO event (entity, entity_id, project_id, at, actor, source, field, old, new)"
                    " VALUES ('project', 900, 900, '2030-01-01 00:00:00.000000', '导入', 'zs import 台账.xlsx', NULL,"
                    " NULL, ?)", (json.dumps(row, ensure_ascii=False),))
    after = zs.json("report", "--week", "--as-of", "2023-06-30")
    assert after["totals"]["new_signed"] == before["totals"]["new_signed"] + 1
    assert zs.json("report", "--week", "--as-of", "2023-06-30", "--as-known-at", moment) == before


def test_as_known_at_a_day_means_the_end_of_that_day(report_district: Zs) -> None:
    today_json = report_district.json("report", "--week", "--as-of", "2023-06-30")
    # Every event was written "now" (in the test run), so a day long ago knows nothing yet.
    empty = report_district.json("report", "--week", "--as-of", "2023-06-30", "--as-known-at", "2020-01-01")
    assert empty["totals"]["new_signed"] == 0 and empty["by_unit"] == []
    assert today_json["totals"]["new_signed"] == 4


def test_a_moment_before_the_ledger_began_says_so(report_district: Zs) -> None:
    run = report_district.ok("report", "--week", "--as-of", "2023-06-30", "--as-known-at", "2020-01-01 09:00",
                             "--format", "json")
    assert "时账本还是空的" in run.err and "2020-01-01 09:00" in run.err
    assert json.loads(run.out)["totals"]["new_signed"] == 0
    later = report_district.ok("report", "--week", "--as-of", "2023-06-30", "--as-known-at", "2099-01-01")
    assert "还是空的" not in later.err


def test_as_known_at_before_a_voiding_shows_the_voided_project(report_district: Zs) -> None:
    zs = report_district
    before = zs.json("report", "--week", "--as-of", "2023-06-30")
    moment = last_event_at(zs.db)
    zs.ok("projects", "delete", "P-005", "--force", "--reason", "重复录入")
    assert zs.json("report", "--week", "--as-of", "2023-06-30") != before
    assert zs.json("report", "--week", "--as-of", "2023-06-30", "--as-known-at", moment) == before
