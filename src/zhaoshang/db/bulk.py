"""Bulk writes for imports: ids handed out up front, rows inserted in batches inside the caller's
transaction, never through ORM objects one by one.

SQLite takes the DBAPI's executemany with tuples already in its storage form (ISO dates, the
"YYYY-MM-DD HH:MM:SS.ffffff" timestamps SQLAlchemy writes); other databases take SQLAlchemy Core's
insert with dictionaries, which batches them (insertmanyvalues).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.engine import Connection


def _identity(value: Any) -> Any:
    return value


class Bulk:
    """Inserts and id allocation on one connection (inside its transaction)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        self._next: dict[str, int] = {}
        self._sql: dict[tuple[str, tuple[str, ...]], str] = {}
        # Values in the form the driver stores: dates and timestamps as text on SQLite.
        self.day: Callable[[dt.date | None], Any] = _sqlite_day if self.sqlite else _identity
        self.stamp: Callable[[dt.datetime], Any] = _sqlite_stamp if self.sqlite else _identity

    def ids(self, table: Table, n: int) -> list[int]:
        """n fresh primary keys. On SQLite the writer holds the database lock (BEGIN IMMEDIATE), so
        max(id)+1… is safe; elsewhere they come from the table's sequence."""
        if n <= 0:
            return []
        from sqlalchemy import func, select, text

        name = table.name
        if self.sqlite:
            start = self._next.get(name)
            if start is None:
                start = (self.conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1
            self._next[name] = start + n
            return list(range(start, start + n))
        rows = self.conn.execute(
            text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": name, "n": n},
        ).scalars().all()
        return list(rows)

    def insert(self, table: Table, columns: Sequence[str], rows: list[tuple]) -> None:
        if not rows:
            return
        if self.sqlite:
            key = (table.name, tuple(columns))
            sql = self._sql.get(key)
            if sql is None:
                cols = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join("?" for _ in columns)
                sql = self._sql[key] = f'INSERT INTO "{table.name}" ({cols}) VALUES ({marks})'
            self.conn.exec_driver_sql(sql, rows)
            return
        from sqlalchemy import insert

        cols = list(columns)
        self.conn.execute(insert(table), [dict(zip(cols, row, strict=True)) for row in rows])

    def update(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """UPDATE … WHERE id = :id for rows that change the same columns (grouped here)."""
        from sqlalchemy import bindparam, update

        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in rows:
            groups.setdefault(tuple(sorted(k for k in row if k != "id")), []).append(row)
        for cols, group in groups.items():
            stmt = (update(table).where(table.c.id == bindparam("_id"))
                    .values({c: bindparam(f"_v_{c}") for c in cols}))
            self.conn.execute(stmt, [{"_id": r["id"], **{f"_v_{c}": r[c] for c in cols}} for r in group])


def _sqlite_day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _sqlite_stamp(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")
