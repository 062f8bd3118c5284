"""Bulk writes for imports: ids handed out up front, rows inserted in batches inside the caller's
transaction, never through ORM objects one by one.

SQLite takes multi-row INSERT … VALUES (…), (…) statements, as many rows per statement as its
variable limit allows, with values already in its storage form (ISO dates, the
"YYYY-MM-DD HH:MM:SS.ffffff" timestamps SQLAlchemy writes): one statement step per few thousand rows
instead of one per row. Other databases take SQLAlchemy Core's insert with dictionaries, which
batches them (insertmanyvalues).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.engine import Connection


ROWS_PER_STATEMENT = 250  # bigger statements save little time and cost memory to compile
# A large load into empty tables builds their secondary indexes once at the end (sorting) rather
# than row by row (random B-tree inserts): 40 % of a million-row import's time.
DEFER_INDEXES_MIN_ROWS = 20_000


def _identity(value: Any) -> Any:
    return value


class Bulk:
    """Inserts and id allocation on one connection (inside its transaction)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        self._next: dict[str, int] = {}
        self._sql: dict[tuple, str] = {}
        # Values in the form the driver stores: dates and timestamps as text on SQLite.
        self.day: Callable[[dt.date | None], Any] = _sqlite_day if self.sqlite else _identity
        self.stamp: Callable[[dt.datetime], Any] = _sqlite_stamp if self.sqlite else _identity
        self.max_vars = _variable_limit(conn) if self.sqlite else 0

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
            per = max(1, min(ROWS_PER_STATEMENT, self.max_vars // len(columns)))
            for start in range(0, len(rows), per):
                chunk = rows[start:start + per]
                self.conn.exec_driver_sql(self.values_sql(table.name, columns, len(chunk)),
                                          tuple(itertools.chain.from_iterable(chunk)))
            return
        from sqlalchemy import insert

        cols = list(columns)
        self.conn.execute(insert(table), [dict(zip(cols, row, strict=True)) for row in rows])

    def values_sql(self, table: str, columns: Sequence[str], n: int, prefix: str | None = None) -> str:
        """INSERT INTO table (columns) VALUES (?, …), … for n rows (cached)."""
        key = (table, tuple(columns), n, prefix)
        sql = self._sql.get(key)  # type: ignore[call-overload]
        if sql is None:
            one = "(" + ", ".join("?" for _ in columns) + ")"
            head = prefix or f'INSERT INTO "{table}" (' + ", ".join(f'"{c}"' for c in columns) + ") VALUES "
            sql = self._sql[key] = head + ", ".join([one] * n)  # type: ignore[index]
        return sql

    def defer_indexes(self, tables: Sequence[Table], keep: Sequence[str] = ()) -> list[Any]:
        """SQLite: drop the non-unique indexes of `tables` (but those named in `keep`) inside the
        caller's transaction; `build_indexes` makes them again before it ends. A failed or killed
        import rolls back both. Returns what was dropped."""
        if not self.sqlite:
            return []
        dropped = [ix for t in tables for ix in sorted(t.indexes, key=lambda i: i.name)
                   if not ix.unique and ix.name not in keep]
        for ix in dropped:
            self.conn.exec_driver_sql(f'DROP INDEX IF EXISTS "{ix.name}"')
        return dropped

    def build_indexes(self, indexes: list[Any]) -> None:
        from sqlalchemy.schema import CreateIndex

        for ix in indexes:
            self.conn.execute(CreateIndex(ix, if_not_exists=True))

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


def _variable_limit(conn: Connection) -> int:
    """How many ? one SQLite statement may hold (32766 since SQLite 3.32, 999 before)."""
    import sqlite3

    raw = conn.connection.driver_connection
    try:
        return int(raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))  # type: ignore[union-attr]
    except (AttributeError, sqlite3.Error):
        return 999


def _sqlite_day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _sqlite_stamp(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")

