"""Supporting units (配合单位): the units that help a project's accountable unit, never the accountable
unit itself (DESIGN §10); scoring credit stays with the lead unit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from zhaoshang.models import ProjectSupport, Unit
from zhaoshang.services import audit

S = ProjectSupport.__table__  # type: ignore[attr-defined]
U = Unit.__table__  # type: ignore[attr-defined]
COLS = ("id", "project_id", "unit_id", "position")


def support_of(conn: Connection, pids: Iterable[int]) -> dict[int, list[str]]:
    """Each project's supporting units by name, in their order."""
    out: dict[int, list[str]] = {}
    ids = sorted(set(pids))
    for i in range(0, len(ids), 900):
        for pid, name in conn.execute(select(S.c.project_id, U.c.name).join(U, U.c.id == S.c.unit_id)
                                      .where(S.c.project_id.in_(ids[i:i + 900]))
                                      .order_by(S.c.project_id, S.c.position, S.c.id)):
            out.setdefault(pid, []).append(name)
    return out


def supported_by(conn: Connection, unit_id: int) -> list[int]:
    """The projects a unit supports."""
    return list(conn.execute(select(S.c.project_id).where(S.c.unit_id == unit_id)).scalars())


def support_counts(conn: Connection, pids: Iterable[int] | None = None, *, live: bool = False) -> dict[int, int]:
    """Per unit, how many projects it supports (of `pids`, when given; with `live`, not terminated ones)."""
    from zhaoshang.models import Project
    from zhaoshang.vocabulary.stages import TERMINATED

    query = select(S.c.unit_id, func.count()).group_by(S.c.unit_id)
    if live:
        P = Project.__table__  # type: ignore[attr-defined]
        query = query.join(P, P.c.id == S.c.project_id).where(P.c.stage != TERMINATED)
    if pids is None:
        return dict(conn.execute(query).all())  # type: ignore[arg-type]
    out: dict[int, int] = {}
    ids = sorted(set(pids))
    for i in range(0, len(ids), 900):
        for unit, n in conn.execute(query.where(S.c.project_id.in_(ids[i:i + 900]))):
            out[unit] = out.get(unit, 0) + n
    return out


def set_support(writes: audit.BulkWrite, conn: Connection,
                wanted: Mapping[int, tuple[list[int], int | None, str]]) -> set[int]:
    """Each project's supporting units become those given (project -> (unit ids, its accountable
    unit, source)); the accountable unit is never its own supporter. Returns the projects changed."""
    if not wanted:
        return set()
    current: dict[int, list[dict]] = {}
    ids = sorted(wanted)
    for i in range(0, len(ids), 900):
        for row in conn.execute(select(S).where(S.c.project_id.in_(ids[i:i + 900])).order_by(S.c.position, S.c.id)):
            current.setdefault(row.project_id, []).append(dict(row._mapping))
    changed = set()
    for pid, (units, lead, source) in wanted.items():
        units = [u for u in dict.fromkeys(units) if u != lead]
        have = current.get(pid, [])
        if [r["unit_id"] for r in have] == units:
            continue
        changed.add(pid)
        for row in have:
            writes.delete("project_support", S, row, source, pid)
        for position, unit in enumerate(units):
            writes.insert("project_support", S, COLS, {"project_id": pid, "unit_id": unit, "position": position},
                          source)
    return changed
