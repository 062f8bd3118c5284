"""Shared fixtures: a migrated template ledger built once per worker and copied per test, and a
`zs` runner that returns what the user would see (stdout, stderr, exit code)."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhaoshang.cli import app
from zhaoshang.db.engine import dispose_all


@dataclass
class Run:
    code: int
    out: str
    err: str

    def __repr__(self) -> str:  # shown when an assertion fails
        return f"Run(code={self.code}, out={self.out!r}, err={self.err!r})"


class Zs:
    """Runs `zs` in-process against one ledger, as a user at a shell would."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, env: dict | None = None) -> Run:
        result = self.runner.invoke(app, ["--db", self.db, *args], input=input, env=env)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Run(result.exit_code, result.stdout, result.stderr)

    def ok(self, *args: str, **kw) -> Run:
        run = self(*args, **kw)
        assert run.code == 0, run
        return run

    def json(self, *args: str):  # type: ignore[no-untyped-def]
        import json

        return json.loads(self.ok(*args, "--format", "json").out)


def dump(path: str | Path) -> list[tuple]:
    """Every row of every table (the alembic bookkeeping aside), to compare a ledger before and after."""
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return [(t, *row) for t in tables for row in con.execute(f'SELECT * FROM "{t}" ORDER BY 1')]
    finally:
        con.close()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "ledger.db"
    run = Zs(str(path))("init")
    assert run.code == 0, run
    dispose_all()
    return path


@pytest.fixture
def ledger(template_db: Path, tmp_path: Path) -> Path:
    """A fresh, migrated, empty SQLite ledger for this test."""
    path = tmp_path / "ledger.db"
    shutil.copy(template_db, path)
    return path


@pytest.fixture
def zs(ledger: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Zs]:
    monkeypatch.setenv("ZS_USER", "测试员")
    monkeypatch.delenv("ZS_DB", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    yield Zs(str(ledger))
    dispose_all()


@pytest.fixture
def district(zs: Zs) -> Zs:
    """A small district: two units, two chains, one signed project."""
    zs.ok("units", "add", "区工信局", "--kind", "department")
    zs.ok("units", "add", "税郭镇", "--kind", "town")
    zs.ok("chains", "add", "高端装备", "--lead-unit", "区工信局")
    zs.ok("chains", "add", "新能源产业链")
    zs.ok("add-project", "中环智能制造产业园", "--investor", "中环", "--amount", "60亿", "--chain", "高端装备",
          "--unit", "区工信局", "--stage", "signed", "--date", "2023-05-20", "--code", "P-001")
    return zs
