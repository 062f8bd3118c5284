"""The audit trail: every insert, update, stage change and delete becomes an Event row."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlmodel import SQLModel

from zhaoshang.db.chain import as_text
from zhaoshang.models import Event
from zhaoshang.services.context import Ctx

if TYPE_CHECKING:
    from sqlalchemy import Table

    from zhaoshang.db.bulk import Bulk




# An Event row as the bulk writers insert it (db.bulk.Bulk.insert).
EVENT_COLUMNS = ("entity", "entity_id", "project_id", "at", "actor", "source", "field", "old", "new")


def from_text(column: Any, value: Any) -> Any:
    """A value as an event keeps it (as_text, or a JSON value) back in the form `column` stores."""
    if value is None:
        return None
    try:  # a TypeDecorator (the aware UTCDateTime of created_at) says its type through its impl
        python_type = getattr(column.type, "impl", column.type).python_type
    except NotImplementedError:  # pragma: no cover - every column of ours has one
        return value
    if python_type is bool:
        return value is True or str(value).lower() in ("true", "1")
    if python_type is int:
        return int(value)
    if python_type is dt.datetime:
        moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
        return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    if python_type is dt.date:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return str(value) if not isinstance(value, str) else value


def row_json(obj: SQLModel) -> str:
    return dict_json({key: value for key, value in obj.__dict__.items() if not key.startswith("_")})


def dict_json(data: dict[str, Any]) -> str:
    """A row as an insert or delete event keeps it: JSON with ISO dates and sorted keys."""
    return json.dumps({key: _jsonable(value) for key, value in data.items()}, ensure_ascii=False, sort_keys=True)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def record(ctx: Ctx, entity: str, entity_id: int, field: str | None, old: Any, new: Any,
           *, project_id: int | None = None, source: str | None = None) -> Event:
    event = Event(entity=entity, entity_id=entity_id, project_id=project_id, at=ctx.now, actor=ctx.actor,
                  source=source or ctx.source, field=field, old=as_text(old), new=as_text(new))
    ctx.session.add(event)
    return event


def record_insert(ctx: Ctx, entity: str, obj: SQLModel, *, project_id: int | None = None,
                  source: str | None = None) -> Event:
    event = Event(entity=entity, entity_id=obj.id, project_id=project_id, at=ctx.now,  # type: ignore[attr-defined]
                  actor=ctx.actor, source=source or ctx.source, field=None, old=None, new=row_json(obj))
    ctx.session.add(event)
    return event


def record_delete(ctx: Ctx, entity: str, obj: SQLModel, *, project_id: int | None = None,
                  source: str | None = None) -> Event:
    event = Event(entity=entity, entity_id=obj.id, project_id=project_id, at=ctx.now,  # type: ignore[attr-defined]
                  actor=ctx.actor, source=source or ctx.source, field=None, old=row_json(obj), new=None)
    ctx.session.add(event)
    return event


def apply_changes(ctx: Ctx, entity: str, obj: SQLModel, changes: dict[str, Any], *,
                  project_id: int | None = None) -> list[str]:
    """Set each changed attribute and record one event per field that really changed."""
    changed = []
    for name, value in changes.items():
        old = getattr(obj, name)
        if old == value:
            continue
        setattr(obj, name, value)
        record(ctx, entity, obj.id, name, old, value, project_id=project_id)  # type: ignore[attr-defined]
        changed.append(name)
    return changed


class BulkWrite:
    """Rows plus their audit events, written in bulk (db.bulk.Bulk), for the writers that take many
    rows at once: new rows get their ids up front and one insert event each (the row as JSON); a
    change to a stored row gets one event per field that changed. Events queue in order and go in
    as one insert at `flush` (or `write`), inside the caller's transaction."""

    def __init__(self, ctx: Ctx, bulk: Bulk) -> None:
        self.ctx = ctx
        self.bulk = bulk
        self.at = bulk.stamp(ctx.now)
        self.events: list[tuple] = []
        self._inserts: dict[Any, tuple[str, Sequence[str], list[tuple[dict, str]]]] = {}
        self._updates: dict[Any, list[dict]] = {}
        self._deletes: dict[Any, list[int]] = {}

    def event(self, entity: str, entity_id: int, project_id: int | None, source: str, field: str | None,
              old: Any, new: Any) -> None:
        self.events.append((entity, entity_id, project_id, self.at, self.ctx.actor, source, field,
                            as_text(old), as_text(new)))

    def insert(self, entity: str, table: Table, columns: Sequence[str], record: dict[str, Any], source: str) -> None:
        """A new row (`record` holds every column but id; it gets its id when written)."""
        self._inserts.setdefault(table, (entity, columns, []))[2].append((record, source))

    def change(self, entity: str, table: Table, row: dict[str, Any], changes: dict[str, Any], source: str,
               project_id: int | None = None) -> None:
        """Fields of a row (as read, or queued by insert) that take new values: audited and updated when
        the row is stored; a queued row just takes them."""
        if not changes:
            return
        stored = "id" in row and row["id"] is not None
        if stored:
            for name, value in changes.items():
                self.event(entity, row["id"], project_id if project_id is not None else row.get("project_id"),
                           source, name, row[name], value)
            self._updates.setdefault(table, []).append({"id": row["id"], **changes})
        row.update(changes)

    def delete(self, entity: str, table: Table, row: dict[str, Any], source: str,
               project_id: int | None = None) -> None:
        """A stored row (as read) taken out: its delete event keeps it as JSON."""
        self.event(entity, row["id"], project_id if project_id is not None else row.get("project_id"), source,
                   None, dict_json(row), None)
        self._deletes.setdefault(table, []).append(row["id"])

    def write_rows(self) -> None:
        """Store the queued changes and new rows (their insert events queue after the others)."""
        for table, ids in self._deletes.items():
            for i in range(0, len(ids), 900):
                self.bulk.conn.execute(table.delete().where(table.c.id.in_(ids[i:i + 900])))
        self._deletes = {}
        for table, updates in self._updates.items():
            self.bulk.update(table, updates)
        self._updates = {}
        for table, (entity, columns, new) in self._inserts.items():
            rows = []
            day = self.bulk.day
            # The rows go in with the ids their events name (a column list without "id" would let
            # PostgreSQL's sequence hand out others).
            stored = tuple(columns) if "id" in columns else ("id", *columns)
            for ident, (record, source) in zip(self.bulk.ids(table, len(new)), new, strict=True):
                record["id"] = ident
                values = {c: record[c] for c in columns}
                rows.append(tuple(day(v) if isinstance(v, dt.date) else v for v in (record[c] for c in stored)))
                self.event(entity, ident, record.get("project_id"), source, None, None, dict_json(values))
            self.bulk.insert(table, stored, rows)
        self._inserts = {}

    def flush(self) -> None:
        """Write the queued events."""
        self.bulk.insert(Event.__table__, EVENT_COLUMNS, self.events)  # type: ignore[attr-defined]
        self.events = []

    def write(self) -> None:
        self.write_rows()
        self.flush()
