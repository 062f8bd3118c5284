"""Two writers at once, a writer held up by another: nothing lost, and never a traceback."""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from conftest import Zs, dump
from loops import finish, go, start_writers
from zhaoshang.db.engine import WRITE_LOCK_KEY

ROUNDS = 20


def test_two_writers_at_once_lose_nothing(district: Zs, ledger: str) -> None:
    procs = start_writers(ledger, ("甲", "乙"), ROUNDS)
    go(procs)
    for code, out, err in finish(procs):
        assert code == 0, err
        assert json.loads(out) == [], out
        assert "locked" not in err and "Traceback" not in err

    trips = district.json("trips", "list")
    assert sorted(t["note"] for t in trips) == sorted(f"{n}-{i}" for n in "甲乙" for i in range(ROUNDS))
    # Every progress change is in the audit log, and each one starts from the value the one before
    # it left: no writer ever overwrote a change it had not seen.
    changes = [h for h in district.json("projects", "history", "P-001") if h["field"] == "progress"]
    assert len(changes) == 2 * ROUNDS
    assert changes[0]["old"] is None
    assert all(b["old"] == a["new"] for a, b in itertools.pairwise(changes))
    (project,) = district.json("projects", "list")
    assert district.json("projects", "show", "P-001")["progress"] == changes[-1]["new"]
    assert project["code"] == "P-001"
    assert {h["actor"] for h in changes} == {"甲", "乙"}


@contextmanager
def write_lock_held(ledger: str) -> Iterator[None]:
    """Another connection holds the ledger's write lock, the way a long import does."""
    if "://" not in ledger:
        conn = sqlite3.connect(ledger, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    import psycopg

    with psycopg.connect(ledger.replace("postgresql+psycopg://", "postgresql://")) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
        yield
        conn.rollback()


WRITES = [
    ["projects", "update", "P-001", "--progress", "新进展"],
    ["projects", "advance", "P-001", "started", "--date", "2023-06-27"],
    ["add-project", "另一个项目", "--unit", "区工信局", "--stage", "lead"],
    ["trips", "add", "--unit", "区工信局", "--date", "2023-05-10"],
    ["units", "add", "新单位"],
    ["milestones", "add", "P-001", "groundbreaking", "--planned", "2023-07-01"],
    ["problems", "add", "P-001", "用地指标", "--owner", "税郭镇", "--due", "2023-07-31", "--raised", "2023-06-01"],
    ["init"],
    ["import", "{csv}"],
]


@pytest.mark.parametrize("args", WRITES, ids=lambda a: "-".join(a[:2]))
def test_a_writer_kept_waiting_gets_one_line_busy(district: Zs, ledger: str, args: list[str], tmp_path) -> None:
    table = tmp_path / "台账.csv"
    table.write_text("项目名称,责任单位,项目阶段\n新项目,税郭镇,签约\n", encoding="utf-8")
    args = [a.format(csv=table) for a in args]
    with write_lock_held(ledger):
        before = dump(ledger)
        run = district(*args, env={"ZS_BUSY_TIMEOUT": "0.3"})
        assert run.code == 1, run
        assert run.err.count("\n") == 1 and "ledger busy" in run.err and "Traceback" not in run.err
        assert "locked" not in run.err
        assert dump(ledger) == before
        # Readers are never held up by a writer.
        assert district.json("projects", "list")[0]["code"] == "P-001"
    district.ok(*args)


@pytest.mark.parametrize("args", [["projects", "list"], ["units", "add", "新单位"], ["db", "current"]])
def test_an_unreachable_server_is_one_line(args: list[str]) -> None:
    run = Zs("postgresql+psycopg://zs:secret@127.0.0.1:1/ledger")(*args)
    assert run.code == 1 and run.err.count("\n") == 1 and "Traceback" not in run.err
    assert "无法连接账本" in run.err and "secret" not in run.err
