"""Shared fixtures: a migrated template ledger built once per worker and copied per test, and a
`zs` runner that returns what the user would see (stdout, stderr, exit code).

Every test that uses `ledger` (directly or through `zs`/`district`) runs twice: on SQLite and on
the PostgreSQL server at ZS_TEST_PG_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test,
used only as the maintenance database). Each run makes its own databases there, named after the
run and the xdist worker, and drops them. Mark a test `sqlite_only` (PRAGMAs, file backups) or
`postgresql_only` (roles, row-level security) when it cannot mean anything on the other backend.
An unreachable server fails the postgresql variants, unless ZS_TEST_PG=skip (for a laptop without
PostgreSQL; CI never sets it).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pgledger import PgServer
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


def dump(db: str | Path, *, skip: tuple[str, ...] = ()) -> list[tuple]:
    """Every row of every table of a ledger (a path or a URL), to compare it before and after."""
    from sqlalchemy import inspect, text

    from zhaoshang.config import database_url
    from zhaoshang.db.engine import connect

    with connect(database_url(str(db))) as conn:
        tables = sorted(t for t in inspect(conn).get_table_names() if t not in skip)
        return [(t, *row) for t in tables
                for row in conn.execute(text(f'SELECT * FROM "{t}" ORDER BY 1')).all()]


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "ledger.db"
    run = Zs(str(path))("init")
    assert run.code == 0, run
    dispose_all()
    return path


BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that needs a ledger on each backend its marks allow."""
    if "ledger" not in metafunc.fixturenames:
        return
    backends = [b for b in BACKENDS if not metafunc.definition.get_closest_marker(
        "postgresql_only" if b == "sqlite" else "sqlite_only")]
    metafunc.parametrize("ledger", backends, indirect=True)


@pytest.fixture
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated, empty ledger for this test: a SQLite path or a PostgreSQL URL."""
    if getattr(request, "param", "sqlite") == "postgresql":
        server: PgServer = request.getfixturevalue("pg_server")
        yield server.ledger()
        dispose_all()
        server.reset()
        return
    template_db = request.getfixturevalue("template_db")
    path = tmp_path / "ledger.db"
    shutil.copy(template_db, path)
    yield str(path)


PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session")
def pg_server(testrun_uid: str, worker_id: str) -> Iterator[PgServer]:
    url = os.environ.get("ZS_TEST_PG_URL") or PG_DEFAULT
    try:
        server = PgServer(url, f"zs_t_{testrun_uid[:10]}_{worker_id}".lower())
    except Exception as exc:  # the server is down or refuses us
        message = f"PostgreSQL unreachable at {url}: {str(exc).strip().splitlines()[0]}"
        if os.environ.get("ZS_TEST_PG") == "skip":
            pytest.skip(message + " (ZS_TEST_PG=skip)")
        pytest.fail(message + ". Start it, or set ZS_TEST_PG=skip to skip the postgresql variants locally.",
                    pytrace=False)
    yield server
    dispose_all()
    server.close()


@pytest.fixture
def zs(ledger: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Zs]:
    monkeypatch.setenv("ZS_USER", "测试员")
    monkeypatch.delenv("ZS_DB", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    yield Zs(ledger)
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


@pytest.fixture(scope="session")
def report_template(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report tests' district (tests/districts.py), built once per worker."""
    import districts

    path = tmp_path_factory.mktemp("report") / "district.db"
    shutil.copy(template_db, path)
    districts.build(Zs(str(path)))
    dispose_all()
    return path


@pytest.fixture
def report_district(report_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Zs]:
    """A fresh copy of the report tests' district, with a 100-column terminal."""
    path = tmp_path / "district.db"
    shutil.copy(report_template, path)
    monkeypatch.setenv("ZS_USER", "测试员")
    monkeypatch.delenv("ZS_DB", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("ZS_TZ", "Asia/Shanghai")
    yield Zs(str(path))
    dispose_all()
