"""`zs db backup/restore`: consistent copies while others write, and restores that check first."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from conftest import Zs, dump
from loops import finish, go, start_writers


def counts(path: Path) -> tuple[int, int, str]:
    conn = sqlite3.connect(path)
    try:
        trips = conn.execute("SELECT count(*) FROM trip").fetchone()[0]
        events = conn.execute("SELECT count(*) FROM event WHERE entity = 'trip'").fetchone()[0]
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        return trips, events, mode
    finally:
        conn.close()


@pytest.mark.sqlite_only
def test_backups_taken_while_others_write_are_consistent(district: Zs, ledger: str, tmp_path: Path) -> None:
    procs = start_writers(ledger, ("甲",), 15)
    go(procs)
    backups = []
    for i in range(3):
        backups.append(tmp_path / f"备份-{i}.db")
        run = district.ok("db", "backup", str(backups[-1]))
        assert run.out == "" and "已备份" in run.err and str(backups[-1]) in run.err
    assert [code for code, _, _ in finish(procs)] == [0]
    for path in backups:
        trips, events, mode = counts(path)
        # Each trip was written with its audit event in one transaction: a torn copy would differ.
        assert trips == events and mode == "delete"
        assert Zs(str(path)).ok("db", "check").code == 0
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.sqlite_only
def test_backup_keeps_an_existing_file_unless_yes(district: Zs, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    target.write_text("旧文件")
    run = district("db", "backup", str(target))
    assert run.code == 1 and run.err.count("\n") == 1 and "--yes" in run.err
    assert target.read_text() == "旧文件"
    district.ok("db", "backup", str(target), "--yes")
    assert counts(target)[0] == 0 and len(Zs(str(target)).json("projects", "list")) == 1


@pytest.mark.sqlite_only
def test_restore_checks_asks_and_keeps_the_ledger_it_replaces(district: Zs, ledger: str, tmp_path: Path) -> None:
    backup = tmp_path / "backup.db"
    district.ok("db", "backup", str(backup))
    saved = dump(ledger)
    district.ok("projects", "update", "P-001", "--progress", "备份之后的修改")

    refused = district("db", "restore", str(backup))
    assert refused.code == 1 and refused.err.count("\n") == 1 and "--yes" in refused.err
    changed = dump(ledger)
    assert changed != saved

    run = district.ok("db", "restore", str(backup), "--yes")
    assert "已从" in run.err and "before-restore" in run.err
    assert dump(ledger) == saved
    (kept,) = Path(ledger).parent.glob("ledger.db.before-restore-*.bak")
    assert dump(kept) == changed
    assert district.ok("db", "check").code == 0


@pytest.mark.sqlite_only
@pytest.mark.parametrize("kind", ["text", "other-sqlite", "missing"])
def test_restore_refuses_what_is_not_a_zs_ledger(district: Zs, ledger: str, tmp_path: Path, kind: str) -> None:
    source = tmp_path / "source.db"
    if kind == "text":
        source.write_text("项目名称,总投资\n")
    elif kind == "other-sqlite":
        sqlite3.connect(source).execute("CREATE TABLE t (x)").connection.commit()
    before = dump(ledger)
    run = district("db", "restore", str(source), "--yes")
    assert run.code == 1 and run.err.count("\n") == 1 and "Traceback" not in run.err
    assert "source.db" in run.err
    assert dump(ledger) == before
    assert not list(Path(ledger).parent.glob("*.bak"))


@pytest.mark.sqlite_only
def test_restore_into_a_new_ledger_file(district: Zs, tmp_path: Path) -> None:
    backup = tmp_path / "backup.db"
    district.ok("db", "backup", str(backup))
    fresh = Zs(str(tmp_path / "新账本.db"))
    fresh.ok("db", "restore", str(backup))
    assert [p["code"] for p in fresh.json("projects", "list")] == ["P-001"]


@pytest.mark.postgresql_only
@pytest.mark.parametrize(("verb", "tool"), [("backup", "pg_dump"), ("restore", "pg_restore")])
def test_postgresql_ledgers_are_backed_up_by_the_server_tools(zs: Zs, tmp_path: Path, verb: str, tool: str) -> None:
    source = tmp_path / "x.db"
    if verb == "restore":
        Zs(str(source)).ok("init")
    run = zs("db", verb, str(source), "--yes")
    assert run.code == 1 and run.err.count("\n") == 1 and tool in run.err
