"""Migrations and models agree; `zs db check/current/upgrade` tell the truth."""

from __future__ import annotations

import sqlite3

import pytest

from conftest import Zs
from zhaoshang.config import database_url
from zhaoshang.db import migrate
from zhaoshang.db.engine import connect, dispose_all
from zhaoshang.db.schema import HEAD


def test_head_constant_matches_the_migrations() -> None:
    assert migrate.head_revision() == HEAD


def test_models_and_migrations_agree(ledger) -> None:
    with connect(database_url(ledger)) as conn:
        assert migrate.model_differences(conn) == []
    dispose_all()


def test_fresh_ledger_checks_clean(zs: Zs) -> None:
    run = zs("db", "check")
    assert run.code == 0, run
    assert zs.ok("db", "current").out.strip() == f"{HEAD} (head)"


def test_a_ledger_left_behind_fails_the_check_and_upgrades(tmp_path) -> None:
    path = tmp_path / "old.db"
    with connect(f"sqlite:///{path}", write=True) as conn:
        migrate.upgrade(conn, "0001")
    dispose_all()
    zs = Zs(str(path))
    run = zs("db", "check")
    assert run.code == 1 and "zs db upgrade" in run.err
    listing = zs("projects", "list")
    assert listing.code == 1 and "zs db upgrade" in listing.err
    run = zs.ok("db", "upgrade")
    assert f"0001 → {HEAD}" in run.err and "备份" in run.err
    backups = list(tmp_path.glob("old.db.0001-*.bak"))
    assert len(backups) == 1
    assert sqlite3.connect(backups[0]).execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert zs("db", "check").code == 0
    dispose_all()


@pytest.mark.sqlite_only
def test_sqlite_pragmas_on_every_connection(ledger) -> None:
    with connect(database_url(ledger)) as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
    dispose_all()


def test_init_is_idempotent(zs: Zs) -> None:
    run = zs.ok("init")
    assert "最新" in run.err
