"""The ledger as it was at a past moment, rebuilt from the audit log (`--as-known-at`).

The current ledger is copied into a temporary SQLite file and every event after the moment is undone
there, newest first: a row inserted later is deleted (with the milestones a bulk import embedded in
its project's insert event), a later update gets its old value back, a row deleted later is put back.
The normal report then runs on the copy, so a past bulletin prints exactly as it printed then.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from zhaoshang import config
from zhaoshang.errors import BadValue

CHILD_TABLES = ("milestone", "review", "problem", "trip_project")  # rows that belong to a project


def parse_moment(text: str, tz: str | None = None) -> dt.datetime:
    """An aware UTC datetime from "2023-07-01 09:00", "2023-07-01T09:00:00+08:00" or a bare day
    ("2023-06-30": the end of that day). Times without an offset are in the ledger's time zone."""
    value = text.strip()
    zone = config.zone(tz)
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            moment = dt.datetime.combine(day, dt.time.max)
        else:
            moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise BadValue(f"--as-known-at “{text}”不是日期时间。", "例如 2023-07-01 或 \"2023-07-01 09:00\"。") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(dt.UTC)


def _utc(value: dt.datetime) -> dt.datetime:
    """An aware UTC datetime (a naive one is taken as UTC, the form the ledger stores)."""
    return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)


@contextmanager
def session_at(url: str, moment: dt.datetime) -> Iterator[Any]:
    """A read-only Session on a temporary copy of the ledger as it was at `moment`."""
    from sqlalchemy import create_engine
    from sqlmodel import Session

    from zhaoshang.db.engine import sqlite_path

    workdir = Path(tempfile.mkdtemp(prefix="zs-known-at-"))
    copy = workdir / "ledger.db"
    engine = None
    try:
        path = sqlite_path(url)
        if path is not None:
            _copy_sqlite(path, copy)
            engine = create_engine(f"sqlite:///{copy}")
        else:
            engine = create_engine(f"sqlite:///{copy}")
            _copy_any(url, engine)
        with engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            undo_after(conn, moment)
        with Session(engine) as session:
            yield session
    finally:
        if engine is not None:
            engine.dispose()
        shutil.rmtree(workdir, ignore_errors=True)


def first_change(session: Any) -> dt.datetime | None:
    """When the ledger's audit log begins (None: it is empty)."""
    from sqlalchemy import func, select

    from zhaoshang.models import Event

    first = session.connection().execute(select(func.min(Event.at))).scalar()
    return _utc(first) if first is not None else None


def _copy_sqlite(path: str, dest: Path) -> None:
    from zhaoshang.db.ops import backup_sqlite

    backup_sqlite(path, str(dest))
    import sqlite3

    con = sqlite3.connect(dest)
    try:
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()


def _copy_any(url: str, engine: Any) -> None:
    """Copy a ledger on another database (PostgreSQL) into the SQLite file behind `engine`."""
    from sqlalchemy import insert, select

    from zhaoshang.db.engine import connect
    from zhaoshang.models import SQLModel

    SQLModel.metadata.create_all(engine)
    with connect(url) as src, engine.begin() as dst:
        for table in SQLModel.metadata.sorted_tables:
            batch: list[dict] = []
            for row in src.execute(select(table)).mappings():
                batch.append({k: _utc(v) if isinstance(v, dt.datetime) else v for k, v in row.items()})
                if len(batch) >= 5000:
                    dst.execute(insert(table), batch)
                    batch = []
            if batch:
                dst.execute(insert(table), batch)


# --------------------------------------------------------------------------- undo


def coerce(column: Any, value: Any) -> Any:
    """A value from an event (text in old/new, or a JSON value) as the column stores it."""
    from zhaoshang.services.audit import from_text

    return from_text(column, value)


def _row(table: Any, data: dict) -> dict:
    return {c.name: coerce(c, data.get(c.name)) for c in table.columns if c.name in data}


def undo_after(conn: Any, moment: dt.datetime) -> int:
    """Undo, newest first, every event after `moment` on the ledger behind `conn`. Returns how many."""
    from sqlalchemy import delete, insert, select, update

    from zhaoshang.models import SQLModel

    tables = SQLModel.metadata.tables
    event = tables["event"]
    cutoff = _utc(moment)
    rows = conn.execute(
        select(event).where(event.c.at > cutoff).order_by(event.c.at.desc(), event.c.id.desc())
    ).mappings().all()
    for e in rows:
        entity, entity_id, field = e["entity"], e["entity_id"], e["field"]
        if entity == "stage_word" and field:  # the word is the field, the stage the value
            words = tables["stage_word"]
            conn.execute(delete(words).where(words.c.word == field))
            if e["old"] is not None:
                conn.execute(insert(words).values(word=field, stage=e["old"]))
            continue
        table = tables.get(entity)
        if table is None or "id" not in table.c:
            continue
        if field is not None:
            if field in table.c:
                conn.execute(update(table).where(table.c.id == entity_id)
                             .values({field: coerce(table.c[field], e["old"])}))
        elif e["old"] is None and e["new"] is not None:  # inserted later: remove it
            if entity == "project":
                for child in CHILD_TABLES:
                    if child in tables:
                        conn.execute(delete(tables[child]).where(tables[child].c.project_id == entity_id))
            conn.execute(delete(table).where(table.c.id == entity_id))
        elif e["old"] is not None and e["new"] is None:  # deleted later: put it back
            data = json.loads(e["old"])
            conn.execute(delete(table).where(table.c.id == entity_id))
            conn.execute(insert(table).values(_row(table, data)))
            if entity == "project":
                _restore_embedded(conn, tables, data)
    conn.execute(delete(event).where(event.c.at > cutoff))
    return len(rows)


def _restore_embedded(conn: Any, tables: Any, data: dict) -> None:
    """A project row written by a bulk import carries its milestones in the same JSON."""
    from sqlalchemy import delete, insert

    milestone = tables["milestone"]
    for m in data.get("milestones") or []:
        if isinstance(m, dict) and m.get("id") is not None:
            conn.execute(delete(milestone).where(milestone.c.id == m["id"]))
            conn.execute(insert(milestone).values(_row(milestone, {**m, "project_id": data.get("id")})))
