"""The audit log cannot be changed unseen: `zs db verify` names every event and row edited behind zs's
back; on PostgreSQL a clerk cannot forge, rewrite or delete history, and a change made with plain SQL
is audited like one made through zs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from conftest import Zs, dump
from test_users import as_login, logins  # noqa: F401  (the fixture)
from zhaoshang.config import database_url
from zhaoshang.db.engine import connect, dispose_all


def busy_ledger(zs: Zs) -> None:
    """A little of everything a week brings: a stage, an amount, a note, a trip, a problem."""
    zs.ok("add-project", "万达广场", "--amount", "20亿", "--unit", "税郭镇", "--stage", "signed",
          "--date", "2023-06-26", "--code", "P-002")
    zs.ok("projects", "advance", "P-001", "started", "--date", "2023-06-27")
    zs.ok("projects", "update", "P-002", "--amount", "25亿")
    zs.ok("projects", "note", "P-001", "主体完工")
    zs.ok("trips", "add", "--unit", "税郭镇", "--date", "2023-05-01")
    zs.ok("problems", "add", "P-002", "用地指标未落实", "--owner", "区工信局", "--due", "2023-07-31",
          "--raised", "2023-06-01")


def test_a_clean_ledger_verifies_also_after_void_undo_and_restore(district: Zs, ledger: str, tmp_path: Path) -> None:
    from sheets import csv_file

    busy_ledger(district)
    header = ["项目编号", "项目名称", "总投资（亿元）", "责任单位", "项目阶段", "签约时间"]
    wrong = csv_file(tmp_path / "错的.csv", [header, ["P-001", "中环智能制造产业园", "61", "区工信局", "签约", ""],
                                            ["P-009", "错项目", "3", "税郭镇", "签约", "2023-06-20"]])
    district.ok("import", str(wrong))
    district.ok("import", "undo", "1", "--reason", "导错了文件")
    district.ok("add-project", "误录项目", "--unit", "税郭镇", "--code", "P-003")
    district.ok("projects", "delete", "P-003")
    run = district.ok("db", "verify")
    assert run.out == "" and "变更记录完整" in run.err and "2 个项目与记录相符" in run.err
    assert district.ok("db", "verify", "--quiet").err == ""
    assert "变更记录完整" in district.ok("db", "check").err
    if "://" in ledger:
        return
    district.ok("db", "backup", str(tmp_path / "备份.db"))
    district.ok("projects", "update", "P-002", "--amount", "30亿")
    district.ok("db", "restore", str(tmp_path / "备份.db"), "--yes")
    assert "变更记录完整" in district.ok("db", "verify").err


@pytest.mark.sqlite_only
def test_verify_names_each_edit_made_behind_zs(district: Zs, ledger: str) -> None:
    busy_ledger(district)
    with sqlite3.connect(ledger) as db:
        amount_event = db.execute("SELECT id FROM event WHERE field = 'investment_wan'").fetchone()[0]
        trip_event = db.execute("SELECT id FROM event WHERE entity = 'trip'").fetchone()[0]
        db.execute("UPDATE project SET investment_wan = 990000 WHERE code = 'P-001'")
        db.execute("UPDATE event SET new = '200000' WHERE id = ?", (amount_event,))
        db.execute("DELETE FROM event WHERE id = ?", (trip_event,))
    before = dump(ledger)
    run = district("db", "verify")
    assert run.code == 1 and "Traceback" not in run.err, run
    lines = run.err.splitlines()
    assert f"first: event #{amount_event} was changed after it was written (project #2 investment_wan" in lines[0]
    assert f"  event #{trip_event} was deleted" in lines
    assert ("  project P-001: investment_wan is '990000' in the ledger, its history says '600000' "
            "(changed outside zs)") in lines
    # The rewritten event no longer explains the row it changed either.
    assert ("  project P-002: investment_wan is '250000' in the ledger, its history says '200000' "
            "(changed outside zs)") in lines
    assert len(lines) == 4
    quiet = district("db", "verify", "--quiet")
    assert quiet.code == 1 and quiet.err.startswith("变更记录被改动")
    assert district("db", "check").code == 1
    assert dump(ledger) == before  # verifying changes nothing


@pytest.mark.sqlite_only
def test_an_event_added_or_a_project_added_behind_zs_is_named(district: Zs, ledger: str) -> None:
    with sqlite3.connect(ledger) as db:
        db.execute("INSERT INTO event (entity, entity_id, project_id, at, actor, source, field, old, new) "
                   "VALUES ('project', 1, 1, '2001-01-01 00:00:00.000000', '别人', 'sql', 'stage', 'lead', 'started')")
        db.execute("INSERT INTO project (code, name, marshal, stage, created_at, updated_at) "
                   "VALUES ('X-1', '私加项目', 0, 'lead', '2023-01-01', '2023-01-01')")
    lines = district("db", "verify").err.splitlines()
    assert "was added outside zs (project #1 stage, 2001-01-01 00:00:00 UTC, 别人)" in lines[0]
    assert "  project P-001: stage is 'signed' in the ledger, its history says 'started' (changed outside zs)" in lines
    assert "  project X-1 has no history (added outside zs, or its events were deleted)" in lines


def test_the_chain_hashes_alike_in_python_and_in_the_database(district: Zs, ledger: str) -> None:
    """Text with quotes, backslashes, control characters and Chinese: the seal the database (or zs at
    commit) wrote is the one verify recomputes."""
    district.ok("projects", "update", "P-001", "--note", 'a "quoted"\\ back\tslash\n新行 \x01 end')
    run = district.ok("db", "verify")
    assert "变更记录完整" in run.err
    with connect(database_url(ledger)) as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM event").scalar() == \
            conn.exec_driver_sql("SELECT count(*) FROM event_seal").scalar()
        assert conn.exec_driver_sql("SELECT count(*) FROM event_block_request").scalar() == 0
    dispose_all()


# --------------------------------------------------------------------------- PostgreSQL, as a clerk


def _psql(url: str):  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string(hide_password=False),
                           autocommit=True)


@pytest.mark.postgresql_only
def test_a_clerk_cannot_forge_history_and_plain_sql_is_audited(district: Zs, ledger: str, logins) -> None:  # noqa: F811
    import psycopg

    district.ok("add-project", "万达广场", "--amount", "20亿", "--unit", "税郭镇", "--stage", "signed",
                "--date", "2023-06-26", "--code", "P-002")
    district.ok("import", "log")
    clerk = logins("clerk")
    district.ok("users", "add", clerk, "--role", "clerk", "--password", input="pw\n")
    district.ok("users", "grant", clerk, "区工信局")
    scorecard = district.ok("projects", "history", "P-002").out
    with _psql(as_login(ledger, clerk, "pw")) as conn:
        other = conn.execute("SELECT id FROM project WHERE code = 'P-002'").fetchone()[0]
        own = conn.execute("SELECT id FROM project WHERE code = 'P-001'").fetchone()[0]
        conn.execute("INSERT INTO import_batch (at, actor, file_name, sha256, rows_read, inserted, updated, "
                     "unchanged, rejected, status) VALUES (now(), current_user, 'x.csv', 'x', 0, 0, 0, 0, 0, 'done')")
        for statement in (
            # another unit's project, in the clerk's own name, backdated and postdated
            f"INSERT INTO event (entity, entity_id, project_id, at, actor, source, field, old, new) VALUES "
            f"('project', {other}, {other}, '2001-05-01', current_user, 'sql', 'stage', 'lead', 'started')",
            f"INSERT INTO event (entity, entity_id, project_id, at, actor, source, field, old, new) VALUES "
            f"('project', {other}, {other}, '2099-05-01', current_user, 'sql', NULL, NULL, '{{}}')",
            f"INSERT INTO event (entity, entity_id, project_id, at, actor, source) VALUES "
            f"('project', {other}, NULL, now(), current_user, 'sql')",
            # its own project, but at another time than now
            f"INSERT INTO event (entity, entity_id, project_id, at, actor, source, field, old, new) VALUES "
            f"('project', {own}, {own}, '2001-05-01', current_user, 'sql', 'stage', 'lead', 'started')",
            "UPDATE event SET actor = 'x'",
            "DELETE FROM event",
            "DELETE FROM import_batch",
            "UPDATE import_batch SET file_name = 'y.csv'",
            "DELETE FROM event_seal",
            "INSERT INTO event_seal (event_id, txn, digest) VALUES (999999, 1, 'x')",
            "UPDATE event_block SET hash = 'x'",
            "DELETE FROM event_block",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
        # The clerk's own project changed with plain SQL: the database writes the event.
        assert conn.execute("UPDATE project SET investment_wan = 650000 WHERE id = %s", (own,)).rowcount == 1
    dispose_all()
    assert district.ok("projects", "history", "P-002").out == scorecard
    (change,) = [h for h in district.json("projects", "history", "P-001") if h["field"] == "investment_wan"]
    assert (change["actor"], change["old"], change["new"]) == (clerk, "600000", "650000")
    assert change["source"].startswith("sql")
    assert "变更记录完整" in district.ok("db", "verify").err


@pytest.mark.postgresql_only
def test_the_owner_unit_resolves_its_problem_on_another_units_project(district: Zs, ledger: str, logins) -> None:  # noqa: F811
    district.ok("add-project", "万达广场", "--unit", "税郭镇", "--stage", "signed", "--date", "2023-06-26",
                "--code", "P-002")
    district.ok("problems", "add", "P-002", "电力增容", "--owner", "区工信局", "--due", "2023-07-31",
                "--raised", "2023-06-01")
    district.ok("problems", "add", "P-002", "道路未通", "--owner", "税郭镇", "--due", "2023-07-31",
                "--raised", "2023-06-01")
    (mine, theirs) = sorted(district.json("problems", "list"), key=lambda p: p["text"] != "电力增容")
    clerk = logins("clerk")
    district.ok("users", "add", clerk, "--role", "clerk", "--password", input="pw\n")
    district.ok("users", "grant", clerk, "区工信局")
    as_clerk = Zs(as_login(ledger, clerk, "pw"))
    as_clerk.ok("problems", "resolve", str(mine["id"]), "--note", "已协调供电公司", "--on", "2023-07-10")
    refused = as_clerk("problems", "resolve", str(theirs["id"]), "--note", "x", "--on", "2023-07-10")
    assert refused.code == 1 and refused.err.count("\n") == 1, refused
    resolved = {p["text"]: p["resolved_on"] for p in district.json("problems", "list")}
    assert resolved == {"电力增容": "2023-07-10", "道路未通": None}
    history = district.json("projects", "history", "P-002")
    assert any(h["actor"] == clerk and h["field"] == "resolved_on" for h in history)
    assert "变更记录完整" in district.ok("db", "verify").err


@pytest.mark.sqlite_only
def test_an_event_deleted_with_its_seal_breaks_its_commit(district: Zs, ledger: str) -> None:
    district.ok("projects", "update", "P-001", "--note", "一")
    district.ok("projects", "update", "P-001", "--progress", "二")
    with sqlite3.connect(ledger) as db:
        (event,) = db.execute("SELECT id FROM event WHERE field = 'note'").fetchone()
        db.execute("DELETE FROM event WHERE id = ?", (event,))
        db.execute("DELETE FROM event_seal WHERE event_id = ?", (event,))
    lines = district("db", "verify").err.splitlines()
    assert lines[0].endswith("does not add up: an event or its seal was removed or added, or the commits before "
                             "it were changed"), lines
    assert lines[1:] == ["  project P-001: note is '一' in the ledger, its history says None (changed outside zs)"]
