"""The audit trail: every insert, update, stage change and delete becomes an Event row."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlmodel import SQLModel

from zhaoshang.models import Event
from zhaoshang.services.context import Ctx


def as_text(value: Any) -> str | None:
    """How a value is kept in old/new: ISO dates, true/false, plain text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


# An Event row as the bulk writers insert it (db.bulk.Bulk.insert).
EVENT_COLUMNS = ("entity", "entity_id", "project_id", "at", "actor", "source", "field", "old", "new")


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


def record_delete(ctx: Ctx, entity: str, obj: SQLModel, *, project_id: int | None = None) -> Event:
    event = Event(entity=entity, entity_id=obj.id, project_id=project_id, at=ctx.now,  # type: ignore[attr-defined]
                  actor=ctx.actor, source=ctx.source, field=None, old=row_json(obj), new=None)
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
