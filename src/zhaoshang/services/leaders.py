"""Leaders in charge (包保领导): a person with a title, kept once and matched by name across projects
and imports; a project's leaders in the order and the words its ledger gives them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.engine import Connection

from zhaoshang.models import Leader, ProjectLeader
from zhaoshang.services import audit
from zhaoshang.vocabulary.text import normalize_text
from zhaoshang.vocabulary.tuijin import leader_of

L = Leader.__table__  # type: ignore[attr-defined]
PL = ProjectLeader.__table__  # type: ignore[attr-defined]
LEADER_COLS = ("id", "name", "title")
LINK_COLS = ("id", "project_id", "leader_id", "written", "position")


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), 900):
        yield ids[i:i + 900]


def as_written(text: str) -> str:
    """A leader as a link keeps them: the cell's words, a line break inside them taken out."""
    return normalize_text(text) if "\n" in text else text.strip()


def leaders_of(conn: Connection, pids: Iterable[int]) -> dict[int, list[str]]:
    """Each project's leaders as written, in their order."""
    out: dict[int, list[str]] = {}
    for chunk in _chunks(sorted(set(pids))):
        for pid, written in conn.execute(select(PL.c.project_id, PL.c.written).where(PL.c.project_id.in_(chunk))
                                         .order_by(PL.c.project_id, PL.c.position, PL.c.id)):
            out.setdefault(pid, []).append(written)
    return out


def projects_led_by(conn: Connection, name: str) -> list[int]:
    """The projects of the leader `name` (as written or the name alone)."""
    key = leader_of(name)[0]
    return list(conn.execute(select(PL.c.project_id).join(L, L.c.id == PL.c.leader_id)
                             .where(L.c.name == key)).scalars())


def all_links(conn: Connection) -> list[tuple[int, int, str, str, str | None]]:
    """(project id, leader id, as written, name, title) of every project's leaders."""
    return [tuple(r) for r in conn.execute(  # type: ignore[misc]
        select(PL.c.project_id, PL.c.leader_id, PL.c.written, L.c.name, L.c.title)
        .join(L, L.c.id == PL.c.leader_id).order_by(PL.c.project_id, PL.c.position, PL.c.id))]


def _leader_ids(writes: audit.BulkWrite, conn: Connection, people: Mapping[str, str | None],
                source: str) -> dict[str, int]:
    """The ids of leaders by name; a new name is a new leader, a title given where none was kept is kept."""
    found: dict[str, dict] = {}
    names = sorted(people)
    for i in range(0, len(names), 900):
        for row in conn.execute(select(L).where(L.c.name.in_(names[i:i + 900]))):
            found[row.name] = dict(row._mapping)
    for name in names:
        title = people[name]
        if name not in found:
            record = {"name": name, "title": title}
            writes.insert("leader", L, LEADER_COLS, record, source)
            found[name] = record
        elif title and not found[name]["title"]:
            writes.change("leader", L, found[name], {"title": title}, source)
    writes.write_rows()  # the new leaders' ids, before the links name them
    return {name: row["id"] for name, row in found.items()}


def _people(lists: Iterable[list[str]]) -> dict[str, str | None]:
    people: dict[str, str | None] = {}
    for written in lists:
        for text in written:
            name, title = leader_of(text)
            if title or name not in people:
                people[name] = title
    return people


def ensure_leaders(writes: audit.BulkWrite, conn: Connection, lists: Iterable[list[str]], source: str) -> None:
    """The leaders these lists name, created (and their events written) before anything links to
    them: taking an import back then unlinks before it removes a leader it created."""
    people = _people(lists)
    if people:
        _leader_ids(writes, conn, people, source)
        writes.flush()


def set_leaders(writes: audit.BulkWrite, conn: Connection, wanted: Mapping[int, tuple[list[str], str]]) -> set[int]:
    """Each project's leaders become those written (project -> (as written, source)); returns the
    projects whose leaders changed. Every link added or removed is audited."""
    if not wanted:
        return set()
    people = _people(written for written, _ in wanted.values())
    ids = _leader_ids(writes, conn, people, next(iter(wanted.values()))[1]) if people else {}
    current: dict[int, list[dict]] = {}
    for chunk in _chunks(sorted(wanted)):
        for row in conn.execute(select(PL).where(PL.c.project_id.in_(chunk)).order_by(PL.c.position, PL.c.id)):
            current.setdefault(row.project_id, []).append(dict(row._mapping))
    changed = set()
    for pid, (written, source) in wanted.items():
        links: list[tuple[int, str]] = []
        for text in written:
            ident = ids[leader_of(text)[0]]
            if ident not in [i for i, _ in links]:
                links.append((ident, as_written(text)))
        have = current.get(pid, [])
        if [(r["leader_id"], r["written"]) for r in have] == links:
            continue
        changed.add(pid)
        for row in have:
            writes.delete("project_leader", PL, row, source, pid)
        for position, (ident, text) in enumerate(links):
            writes.insert("project_leader", PL, LINK_COLS, {"project_id": pid, "leader_id": ident,
                                                                "written": text, "position": position}, source)
    return changed
