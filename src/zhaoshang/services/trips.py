"""外出招商: outbound promotion trips, and the projects each one visited."""

from __future__ import annotations

import datetime as dt
import re

from sqlmodel import Session, col, select

from zhaoshang.errors import BadValue, NotFound
from zhaoshang.models import Project, Trip, TripProject, Unit
from zhaoshang.services import audit
from zhaoshang.services.context import Ctx
from zhaoshang.services.directory import add_unit, find_unit

# The district's main leaders (区主要领导): its party secretary and its head — not a deputy, and not a
# town's 党委书记. The same for a county (县委书记、县长) or a city (市委书记、市长).
MAIN_LEADER = re.compile(r"[区县市]委书记|(?<![副镇乡])[区县市]长")
LEADERSHIP_NAME = "区委区政府"  # the unit the main leaders' trips belong to (DESIGN §10)
LEADERSHIP_NAMES = re.compile(r"^[区县市]委[区县市]政府$")


def is_main_leader(leader: str | None) -> bool:
    """区委书记, 区长, "区委书记、区长", 县长 … lead a main-leader trip; 副区长 or 党委书记 do not."""
    return bool(leader and MAIN_LEADER.search(leader))


def trip_unit(ctx: Ctx, unit: str | None, main_leader: bool) -> Unit:
    """The unit a trip is recorded under. The main leaders' own unit (区委区政府, outside every ranking)
    is made the first time a trip names it on a ledger that has none, and is the unit of a main
    leader's trip that names no unit."""
    if unit is None and not main_leader:
        raise BadValue("缺少 --unit。", "主要领导带队的外出招商可不填（记在区委区政府下）。")
    leadership = ctx.session.exec(select(Unit).where(Unit.kind == "leadership").order_by(Unit.id)).first()
    if unit is None:
        if leadership is not None:
            return leadership
        unit = LEADERSHIP_NAME
    name = unit.strip()
    exact = ctx.session.exec(select(Unit).where(Unit.name == name)).first()
    if exact is None and leadership is None and LEADERSHIP_NAMES.match(name):
        made = add_unit(ctx, name, kind="leadership")
        ctx.warn(f"已新建区领导单位“{name}”（类别 区领导，不参加排名）：主要领导的外出招商记在它下面。")
        return made
    return exact or find_unit(ctx, name)


def add_trip(ctx: Ctx, unit: str | None, date: dt.date, *, leader: str | None = None, main_leader: bool = False,
             destination: str | None = None, region: str | None = None, visits: int | None = None,
             negotiations: int = 0, note: str | None = None, projects: list[str] | None = None) -> Trip:
    """Record a trip. A main leader named in --leader makes it a main-leader trip; the projects it
    visited are linked (each audited), and the visit count is at least their number."""
    main_leader = main_leader or is_main_leader(leader)
    visited = _projects(ctx.session, projects or [])
    if visits is None:
        visits = len(visited)
    if visits < 0 or negotiations < 0:
        raise BadValue("走访和洽谈次数不能为负数。")
    if visits < len(visited):
        raise BadValue(f"--visits {visits} 少于 --project 所列的 {len(visited)} 个项目。",
                       "不填 --visits 时按所列项目数计。")
    trip = Trip(unit_id=trip_unit(ctx, unit, main_leader).id, date=date, leader=leader,  # type: ignore[arg-type]
                is_main_leader=main_leader, destination=destination, region=region, visits=visits,
                negotiations=negotiations, note=note)
    ctx.session.add(trip)
    ctx.session.flush()
    audit.record_insert(ctx, "trip", trip)
    for project in visited:
        link = TripProject(trip_id=trip.id, project_id=project.id)  # type: ignore[arg-type]
        ctx.session.add(link)
        ctx.session.flush()
        audit.record_insert(ctx, "trip_project", link, project_id=project.id)
    return trip


def _projects(session: Session, codes: list[str]) -> list[Project]:
    from zhaoshang.services.projects import get_project

    found: list[Project] = []
    for code in codes:
        project = get_project(session, code)
        if project not in found:
            found.append(project)
    return found


def visited_codes(session: Session, trip_ids: list[int]) -> dict[int, list[str]]:
    """The codes of the projects each trip visited, in the order they were given."""
    out: dict[int, list[str]] = {}
    for start in range(0, len(trip_ids), 900):
        rows = session.exec(
            select(TripProject.trip_id, Project.code).join(Project, col(Project.id) == TripProject.project_id)
            .where(col(TripProject.trip_id).in_(trip_ids[start:start + 900])).order_by(TripProject.id)
        ).all()
        for trip_id, code in rows:
            out.setdefault(trip_id, []).append(code)
    return out


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
    trips = session.exec(query.order_by(Trip.date, Trip.id)).all()
    codes = visited_codes(session, [t.id for t, _ in trips if t.id is not None])
    return [
        {"id": t.id, "date": t.date.isoformat(), "unit": unit_name, "leader": t.leader,
         "is_main_leader": bool(t.is_main_leader), "destination": t.destination, "region": t.region,
         "visits": t.visits, "negotiations": t.negotiations, "note": t.note, "projects": codes.get(t.id, [])}
        for t, unit_name in trips
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
    """Correct a trip (its unit by name, counts not negative), audited. Returns the fields changed. A
    main leader named as the new leader makes it a main-leader trip, unless the change says otherwise."""
    trip = _trip(ctx.session, trip_id)
    values = dict(changes)
    if "unit" in values:
        values["unit_id"] = find_unit(ctx, values.pop("unit")).id
    if "is_main_leader" not in values and is_main_leader(values.get("leader")):
        values["is_main_leader"] = True
    if values.get("visits", 0) < 0 or values.get("negotiations", 0) < 0:
        raise BadValue("走访和洽谈次数不能为负数。")
    if not values:
        raise BadValue("没有要修改的内容。", "例如 --visits 5 或 --date 2023-05-12。")
    return audit.apply_changes(ctx, "trip", trip, values)


def unlink(ctx: Ctx, links: list[TripProject]) -> None:
    """Remove trip–project links (a trip or a project deleted), each audited."""
    for link in links:
        audit.record_delete(ctx, "trip_project", link, project_id=link.project_id)
        ctx.session.delete(link)
    ctx.session.flush()


def delete_trip(ctx: Ctx, trip_id: int | str) -> Trip:
    """Remove a trip recorded by mistake, with its project links; the audit log keeps them."""
    trip = _trip(ctx.session, trip_id)
    unlink(ctx, list(ctx.session.exec(select(TripProject).where(TripProject.trip_id == trip.id)).all()))
    audit.record_delete(ctx, "trip", trip)
    ctx.session.delete(trip)
    ctx.session.flush()
    return trip
