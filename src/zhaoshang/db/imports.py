"""The import's SQL that is more than a bulk insert: the insert event of each new project, built by the
database from the rows just written; SQLite's page cache while a large file goes in; and taking back
a unit or chain an import created for rows it then rejected."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import column, delete, exists, select, table, text

from zhaoshang.db.bulk import ROWS_PER_STATEMENT, Bulk
from zhaoshang.models import Chain, Event, Milestone, Problem, Project, Target, Trip, Unit, UserUnit

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.engine import Connection

# The insert event of a project: the row as JSON with its milestones (ids included, so past states
# can be rebuilt) and the amount cell's text, built by the database from the rows just inserted.
_PROJECT_KEYS = ("id", "code", "name", "investor", "investment_wan", "investment_usd_wan", "chain_id", "unit_id",
                 "source_region", "marshal", "stage", "sector", "progress", "note", "scope")
_MILESTONE_KEYS = ("id", "kind", "done", "done_on", "precision", "planned_on", "planned_precision", "note")


def _json_pairs(alias: str, keys: tuple[str, ...], boolean: str, sqlite: bool) -> str:
    def value(key: str) -> str:
        if key == boolean and sqlite:
            return f"json(CASE WHEN {alias}.{key} THEN 'true' ELSE 'false' END)"
        return f"{alias}.{key}"

    return ", ".join(f"'{k}', {value(k)}" for k in keys)


_SQLITE_PROJECT_EVENTS = (
    "INSERT INTO event (entity, entity_id, project_id, at, actor, source, field, old, new) "
    "SELECT 'project', p.id, p.id, ?1, ?2, v.column2, NULL, NULL, json_object("
    + _json_pairs("p", _PROJECT_KEYS, "marshal", True)
    + ", 'created_at', ?3, 'updated_at', ?4, 'milestones', (SELECT json_group_array(json(j)) FROM (SELECT json_object("
    + _json_pairs("m", _MILESTONE_KEYS, "done", True)
    + ") AS j FROM milestone m WHERE m.project_id = p.id ORDER BY m.id)), 'amount_text', v.column3) "
    "FROM (VALUES {values}) AS v JOIN project p ON p.id = v.column1 ORDER BY v.column1"
)
_PG_PROJECT_EVENT = (
    "INSERT INTO event (entity, entity_id, project_id, at, actor, source, field, old, new) "
    "SELECT 'project', p.id, p.id, :at, :actor, :source, NULL, NULL, json_build_object("
    + _json_pairs("p", _PROJECT_KEYS, "marshal", False)
    + ", 'created_at', CAST(:now AS text), 'updated_at', CAST(:now AS text), 'milestones', COALESCE((SELECT "
    "json_agg(json_build_object(" + _json_pairs("m", _MILESTONE_KEYS, "done", False)
    + ") ORDER BY m.id) FROM milestone m WHERE m.project_id = p.id), '[]'::json), "
    "'amount_text', CAST(:amount_text AS text))::text FROM project p WHERE p.id = :pid"
)


def project_events(bulk: Bulk, now: dt.datetime, actor: str, rows: list[tuple[int, str, str | None]]) -> None:
    """One insert event per project just inserted: (project id, source, the amount cell's text)."""
    conn = bulk.conn
    now_iso = now.isoformat()
    if bulk.sqlite:
        per = max(1, min(ROWS_PER_STATEMENT, (bulk.max_vars - 4) // 3))
        at = bulk.stamp(now)
        for start in range(0, len(rows), per):
            chunk = rows[start:start + per]
            sql = _SQLITE_PROJECT_EVENTS.replace("{values}", ", ".join(["(?, ?, ?)"] * len(chunk)))
            params = [at, actor, now_iso, now_iso]
            params.extend(itertools.chain.from_iterable(chunk))
            conn.exec_driver_sql(sql, tuple(params))
    else:
        conn.execute(text(_PG_PROJECT_EVENT), [
            {"at": now, "actor": actor, "source": source, "now": now_iso, "amount_text": amount_text, "pid": pid}
            for pid, source, amount_text in rows])


def _plain(model_table: Table, skip: tuple[str, ...] = ()) -> tuple[Any, tuple[str, ...], list[tuple[str, Any]]]:
    """A table's columns to read as plain tuples (no ORM rows, no per-value type processing), and how
    to bring back its booleans and dates (SQLite hands back 0/1 and ISO text)."""
    from sqlalchemy import Boolean, Date, DateTime

    names = tuple(c.name for c in model_table.c if c.name not in skip)
    fixes = [(c.name, bool if isinstance(c.type, Boolean) else _day) for c in model_table.c
             if c.name in names and isinstance(c.type, (Boolean, Date)) and not isinstance(c.type, DateTime)]
    return table(model_table.name, *(column(n) for n in names)), names, fixes


def _day(value: object) -> dt.date | None:
    """A stored date as a date (SQLite hands back its ISO text, PostgreSQL a date)."""
    if value is None or value.__class__ is dt.date:
        return value  # type: ignore[return-value]
    if isinstance(value, dt.datetime):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


# What a re-import compares: every column but the time stamps (the catalogue's new columns included).
_PROJECT, _PROJECT_NAMES, _PROJECT_FIXES = _plain(Project.__table__, ("created_at", "updated_at"))  # type: ignore[attr-defined]
_MILESTONE, _MILESTONE_NAMES, _MILESTONE_FIXES = _plain(Milestone.__table__)  # type: ignore[attr-defined]
PROJECT_AT = {name: i for i, name in enumerate(_PROJECT_NAMES)}
_PROJECT_FIX = dict(_PROJECT_FIXES)


def fetch_in(conn: Connection, plain: Any, names: tuple[str, ...], key: str, values: list,
             order_by: str | None = None) -> Iterator[tuple]:
    """The rows (as tuples of `names`) of a table whose `key` is one of `values`. On SQLite straight
    from the driver's cursor, inside the connection's transaction: a re-import reads a few hundred
    thousand of them, and a result row object each costs more than the row."""
    if conn.dialect.name == "sqlite":
        raw = conn.connection.driver_connection
        head = f'SELECT {", ".join(names)} FROM "{plain.name}" WHERE {key} IN ('
        tail = f") ORDER BY {order_by}" if order_by else ")"
        for start in range(0, len(values), _IN_CHUNK):
            chunk = values[start:start + _IN_CHUNK]
            yield from raw.execute(head + ", ".join(["?"] * len(chunk)) + tail, chunk)  # type: ignore[union-attr]
        return
    query = select(*(plain.c[n] for n in names)).where(plain.c[key].in_(values))
    if order_by:
        query = query.order_by(plain.c[order_by])
    yield from conn.execute(query)


_IN_CHUNK = 900  # values in one IN (…): under SQLite's oldest variable limit


def _records(rows: Any, names: tuple[str, ...], fixes: list[tuple[str, Any]]) -> Iterator[dict]:
    for row in rows:
        record = dict(zip(names, row, strict=True))
        for name, fix in fixes:
            if record[name] is not None:
                record[name] = fix(record[name])
        yield record


def stored_projects(conn: Connection, ids: list[int]) -> dict[int, tuple]:
    """The projects' stored fields as tuples (PROJECT_AT gives a field's place; as_stored brings
    back a boolean as such), by id: a re-import compares them with what its rows state without
    building a record for each."""
    return {row[0]: row for row in fetch_in(conn, _PROJECT, _PROJECT_NAMES, "id", ids)}


def as_stored(key: str, value: Any) -> Any:
    """A value of stored_projects' tuples as the ledger means it (SQLite's 0/1 a boolean)."""
    fix = _PROJECT_FIX.get(key)
    return fix(value) if fix is not None and value is not None else value


def stored_milestones(conn: Connection, ids: list[int]) -> dict[int, list[dict]]:
    """The projects' milestones in id order (booleans and dates as such), by project."""
    out: dict[int, list[dict]] = {}
    rows = fetch_in(conn, _MILESTONE, _MILESTONE_NAMES, "project_id", ids, order_by="id")
    for record in _records(rows, _MILESTONE_NAMES, _MILESTONE_FIXES):
        out.setdefault(record["project_id"], []).append(record)
    return out


def project_ids_by_code(conn: Connection, codes: list[str]) -> dict[str, int]:
    """The ledger's projects of these codes, code -> id."""
    return dict(fetch_in(conn, _PROJECT, ("code", "id"), "code", codes))  # type: ignore[arg-type]


@contextmanager
def import_cache(conn: Connection) -> Iterator[None]:
    """SQLite: a 64 MiB page cache for the import, the connection's own size again after it."""
    if conn.dialect.name != "sqlite":
        yield
        return
    cache = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql("PRAGMA cache_size=-65536")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(cache)}")  # type: ignore[arg-type]


def _references(what: str) -> list:
    if what == "unit":
        return [Project.__table__.c.unit_id, Problem.__table__.c.owner_unit_id,  # type: ignore[attr-defined]
                Trip.__table__.c.unit_id, Target.__table__.c.unit_id,  # type: ignore[attr-defined]
                Chain.__table__.c.lead_unit_id, UserUnit.__table__.c.unit_id]  # type: ignore[attr-defined]
    return [Project.__table__.c.chain_id]  # type: ignore[attr-defined]


def drop_if_unused(conn: Connection, what: str, ident: int) -> bool:
    """Delete the unit or chain `ident` with its insert events when nothing refers to it; returns
    whether it went."""
    if any(conn.execute(select(exists().where(column == ident))).scalar() for column in _references(what)):
        return False
    table = (Unit if what == "unit" else Chain).__table__  # type: ignore[attr-defined]
    events = Event.__table__  # type: ignore[attr-defined]
    conn.execute(delete(events).where(events.c.entity == what, events.c.entity_id == ident))
    conn.execute(delete(table).where(table.c.id == ident))
    return True
