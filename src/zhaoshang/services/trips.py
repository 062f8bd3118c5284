"""外出招商: outbound promotion trips."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from zhaoshang.errors import BadValue, NotFound
from zhaoshang.models import Trip, Unit
from zhaoshang.services import audit
from zhaoshang.services.context import Ctx
from zhaoshang.services.directory import find_unit


def add_trip(ctx: Ctx, unit: str, date: dt.date, *, leader: str | None = None, main_leader: bool = False,
             destination: str | None = None, region: str | None = None, visits: int = 0,
             negotiations: int = 0, note: str | None = None) -> Trip:
    if visits < 0 or negotiations < 0:
        raise BadValue("走访和洽谈次数不能为负数。")
    trip = Trip(unit_id=find_unit(ctx, unit).id, date=date, leader=leader, is_main_leader=main_leader,  # type: ignore[arg-type]
                destination=destination, region=region, visits=visits, negotiations=negotiations, note=note)
    ctx.session.add(trip)
    ctx.session.flush()
    audit.record_insert(ctx, "trip", trip)
    return trip


def list_trips(session: Session, unit: str | None = None, date_from: dt.date | None = None,
               date_to: dt.date | None = None, main_leader: bool | None = None) -> list[dict]:
    query = select(Trip, Unit.name).join(Unit, col(Unit.id) == Trip.unit_id)
    if unit:
        query = query.where(Trip.unit_id == find_unit(session, unit).id)
    if date_from:
        query = query.where(col(Trip.date) >= date_from)
    if date_to:
        query = query.where(col(Trip.date) <= date_to)
    if main_leader is not None:
        query = query.where(Trip.is_main_leader == main_leader)
    return [
        {"id": t.id, "date": t.date.isoformat(), "unit": unit_name, "leader": t.leader,
         "is_main_leader": bool(t.is_main_leader), "destination": t.destination, "region": t.region,
         "visits": t.visits, "negotiations": t.negotiations, "note": t.note}
        for t, unit_name in session.exec(query.order_by(Trip.date, Trip.id)).all()
    ]


def _trip(session: Session, trip_id: int | str) -> Trip:
    try:
        trip = session.get(Trip, int(str(trip_id).lstrip("#")))
    except ValueError:
        trip = None
    if trip is None:
        raise NotFound(f"外出招商 #{trip_id} 不存在。", "用 zs trips list 查看编号。")
    return trip


def update_trip(ctx: Ctx, trip_id: int | str, changes: dict) -> list[str]:
    """Correct a trip (its unit by name, counts not negative), audited. Returns the fields changed."""
    trip = _trip(ctx.session, trip_id)
    values = dict(changes)
    if "unit" in values:
        values["unit_id"] = find_unit(ctx, values.pop("unit")).id
    if values.get("visits", 0) < 0 or values.get("negotiations", 0) < 0:
        raise BadValue("走访和洽谈次数不能为负数。")
    if not values:
        raise BadValue("没有要修改的内容。", "例如 --visits 5 或 --date 2023-05-12。")
    return audit.apply_changes(ctx, "trip", trip, values)


def delete_trip(ctx: Ctx, trip_id: int | str) -> Trip:
    """Remove a trip recorded by mistake; the audit log keeps it."""
    trip = _trip(ctx.session, trip_id)
    audit.record_delete(ctx, "trip", trip)
    ctx.session.delete(trip)
    ctx.session.flush()
    return trip
