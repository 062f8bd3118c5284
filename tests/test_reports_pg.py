"""The reports on PostgreSQL (a shared ledger) give what they give on SQLite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conftest import Zs
from zhaoshang.db.engine import dispose_all


@pytest.fixture
def pg_ledger(pg_server) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The worker's PostgreSQL ledger (tests/pgledger.py), put back afterwards."""
    yield pg_server.ledger()
    dispose_all()
    pg_server.reset()


SUBSET = {"P-001", "P-002", "P-005", "P-006", "P-008", "P-010", "P-012", "P-013", "P-014"}


@pytest.mark.sqlite_only  # `zs` is the SQLite side of the comparison
def test_reports_agree_on_postgresql(pg_ledger: str, zs: Zs) -> None:
    import psycopg

    import districts

    pg = Zs(pg_ledger)
    pg.ok("init")
    for ledger in (pg, zs):
        districts.build(ledger, SUBSET)
    for args in (("report", "--week", "--as-of", "2023-06-30"), ("report", "--month", "--as-of", "2023-06-30"),
                 ("report", "--quarter", "--as-of", "2023-06-30"), ("report", "--year", "--as-of", "2023-12-31"),
                 ("report", "--funnel", "--as-of", "2023-07-31"),
                 ("report", "--cohort", "--signed-on", "2023-06-26", "--as-of", "2023-07-23"),
                 ("scorecard", "--as-of", "2023-07-23")):
        assert pg.json(*args) == zs.json(*args), args
    # --as-known-at copies a shared ledger into a private SQLite file and rewinds it there.
    week = pg.json("report", "--week", "--as-of", "2023-06-30")
    with psycopg.connect(pg_ledger.replace("postgresql+psycopg", "postgresql")) as con:
        (moment,) = con.execute("SELECT max(at) FROM event").fetchone()
    pg.ok("projects", "advance", "P-005", "started", "--date", "2023-06-29")
    assert pg.json("report", "--week", "--as-of", "2023-06-30") != week
    assert pg.json("report", "--week", "--as-of", "2023-06-30", "--as-known-at", moment.isoformat()) == week
