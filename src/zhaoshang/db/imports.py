"""The import's SQL that is more than a bulk insert: the insert event of each new project, built by the
database from the rows just written; SQLite's page cache while a large file goes in; and taking back
a unit or chain an import created for rows it then rejected."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy import delete, exists, select, text

from zhaoshang.db.bulk import ROWS_PER_STATEMENT, Bulk
from zhaoshang.models import Chain, Event, Problem, Project, Target, Trip, Unit, UserUnit

if TYPE_CHECKING:
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
