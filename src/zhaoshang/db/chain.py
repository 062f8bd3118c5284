"""The audit log's hash chain: every event sealed, in the order its transaction committed, with the
SHA-256 of its canonical JSON (sorted keys, UTF-8) together with the previous seal's hash.

Seals live in their own table (`event_seal`: seq, event_id, prev, hash), written when a writer
commits: SQLite seals in `seal_pending` (the writer holds the file's lock anyway); PostgreSQL seals in
a deferred trigger (db/audit_pg.py) that takes the chain's lock only while the transaction commits,
so concurrent writers do not queue on the chain's head while they work.

`verify` walks the seals, recomputes every hash and names each event that does not fit (changed,
deleted, added outside zs), then replays every project from its events and names each project row
whose current state the history cannot explain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

# The tables holding ledger state whose every change is an event. On PostgreSQL each gets the
# trigger that writes the event a change made outside zs lacks (db/audit_pg.py). The value is the
# table's key: "id", or the column an entity_id-0 event names in its `field` (settings by key).
# A new table of ledger state adds one line here.
AUDITED: dict[str, str] = {
    "project": "id",
    "milestone": "id",
    "problem": "id",
    "review": "id",
    "unit": "id",
    "chain": "id",
    "progress_note": "id",
    "unit_return": "id",
    "trip": "id",
    "trip_project": "id",
    "campaign": "id",
    "target": "id",
    "setting": "key",
}

# Columns a project's events do not carry: bookkeeping that changes with every write.
UNREPLAYED = frozenset({"id", "created_at", "updated_at"})
EVENT_FIELDS = ("id", "entity", "entity_id", "project_id", "at", "actor", "source", "field", "old", "new")
BATCH = 2000


def at_text(value: Any) -> str:
    """An event's time as the hash keeps it: UTC, microseconds, no zone suffix (naive means UTC)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def digest(event: dict[str, Any], prev: str | None) -> str:
    """SHA-256 (hex) of the event's canonical JSON with the previous hash under "prev"."""
    data = {k: event[k] for k in EVENT_FIELDS}
    data["at"] = at_text(event["at"])
    data["prev"] = prev
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _has_seals(conn: Connection) -> bool:
    from sqlalchemy import inspect

    return inspect(conn).has_table("event_seal")


def _events(conn: Connection, where: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    from sqlalchemy import text

    cols = ", ".join(EVENT_FIELDS)
    result = conn.execute(text(f"SELECT {cols} FROM event WHERE {where} ORDER BY id"), params)
    for row in result.mappings():
        yield dict(row)


def head(conn: Connection) -> tuple[int, str | None]:
    from sqlalchemy import text

    row = conn.execute(text("SELECT event_id, hash FROM event_seal ORDER BY seq DESC LIMIT 1")).first()
    return (0, None) if row is None else (int(row[0]), row[1])


def seal_pending(conn: Connection) -> int:
    """SQLite, at commit: seal the events written since the last seal, in id order. Returns how many."""
    from sqlalchemy import text

    if not _has_seals(conn):
        return 0
    last_sealed = conn.execute(text("SELECT max(event_id) FROM event_seal")).scalar() or 0
    _, prev = head(conn)
    rows = []
    for event in _events(conn, "id > :last", {"last": last_sealed}):
        sealed = digest(event, prev)
        rows.append({"event_id": event["id"], "prev": prev, "hash": sealed})
        prev = sealed
    if rows:
        conn.execute(text("INSERT INTO event_seal (event_id, prev, hash) VALUES (:event_id, :prev, :hash)"), rows)
    return len(rows)


def seal_all(conn: Connection) -> int:
    """A ledger that had no chain gets one: every event, in id order (the migration)."""
    from sqlalchemy import text

    _, prev = head(conn)
    rows: list[dict[str, Any]] = []
    total = 0
    for event in _events(conn, "id NOT IN (SELECT event_id FROM event_seal)", {}):
        digest_ = digest(event, prev)
        rows.append({"event_id": event["id"], "prev": prev, "hash": digest_})
        prev = digest_
        if len(rows) >= BATCH:
            conn.execute(text("INSERT INTO event_seal (event_id, prev, hash) VALUES (:event_id, :prev, :hash)"), rows)
            total += len(rows)
            rows = []
    if rows:
        conn.execute(text("INSERT INTO event_seal (event_id, prev, hash) VALUES (:event_id, :prev, :hash)"), rows)
        total += len(rows)
    return total


# --------------------------------------------------------------------------- verifying


@dataclass
class Finding:
    """One thing the history cannot account for: an event that does not fit, or a row it cannot explain."""

    kind: str  # changed / deleted / unsealed / broken / unexplained / unrecorded / vanished
    event_id: int | None
    entity: str | None
    message: str


@dataclass
class Verdict:
    events: int
    projects: int
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return not self.findings


def _describe(event: dict[str, Any]) -> str:
    what = f"{event['entity']} #{event['entity_id']}"
    if event.get("field"):
        what += f" {event['field']}"
    return f"{what}, {at_text(event['at'])[:19]} UTC, {event['actor']}"


def verify(conn: Connection) -> Verdict:
    """Walk the chain, then replay every project from its events."""
    from sqlalchemy import text

    findings: list[Finding] = []
    prev: str | None = None
    sealed: set[int] = set()
    count = 0
    seals = conn.execute(text("SELECT seq, event_id, prev, hash FROM event_seal ORDER BY seq")).all()
    for start in range(0, len(seals), BATCH):
        chunk = seals[start:start + BATCH]
        ids = [s[1] for s in chunk]
        events = {e["id"]: e for e in _events(conn, "id IN (" + ",".join(str(i) for i in ids) + ")", {})}
        for _seq, event_id, stored_prev, stored_hash in chunk:
            count += 1
            sealed.add(event_id)
            event = events.get(event_id)
            if stored_prev != prev:
                findings.append(Finding("broken", event_id, None,
                                        f"event #{event_id}: its seal does not follow the one before "
                                        "(a seal was removed, added or reordered)"))
            if event is None:
                findings.append(Finding("deleted", event_id, None, f"event #{event_id} was deleted"))
            elif digest(event, stored_prev) != stored_hash:
                findings.append(Finding("changed", event_id, event["entity"],
                                        f"event #{event_id} was changed after it was written ({_describe(event)})"))
            prev = stored_hash
    for event in _events(conn, "id NOT IN (SELECT event_id FROM event_seal)", {}):
        count += 1
        findings.append(Finding("unsealed", event["id"], event["entity"],
                                f"event #{event['id']} was added outside zs ({_describe(event)})"))
    projects, unexplained = replay_projects(conn)
    findings.extend(unexplained)
    return Verdict(count, projects, findings)


def _text(value: Any) -> str | None:
    """A value as events keep it (services/audit.as_text), from a row or from an insert's JSON."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _python_type(column: Any) -> Any:
    try:
        return column.type.python_type
    except NotImplementedError:
        return None


def replay_projects(conn: Connection) -> tuple[int, list[Finding]]:
    """Every project as its events say it is now, against the row the ledger holds."""

    state: dict[int, dict[str, Any]] = {}
    for event in _events(conn, "entity = 'project'", {}):
        ident = event["entity_id"]
        if event["field"] is None:
            if event["old"] is None and event["new"] is not None:
                try:
                    data = json.loads(event["new"])
                except ValueError:  # an event edited into nonsense: the chain names it already
                    data = {}
                state[ident] = {k: _text(v) for k, v in data.items() if not isinstance(v, (list, dict))}
            elif event["new"] is None:
                state.pop(ident, None)
        elif ident in state:
            state[ident][event["field"]] = event["new"]
    from sqlalchemy import select

    from zhaoshang.models import Project

    table = Project.__table__  # type: ignore[attr-defined]
    rows = conn.execute(select(table).order_by(table.c.id)).mappings().all()
    flags = {c.name for c in table.c if _python_type(c) is bool}
    findings: list[Finding] = []
    for row in rows:
        ident = row["id"]
        told = state.pop(ident, None)
        if told is None:
            findings.append(Finding("unrecorded", None, "project", f"project {row['code']} has no history "
                                    "(added outside zs, or its events were deleted)"))
            continue
        for column, value in row.items():
            if column in UNREPLAYED or column not in told:
                continue
            now, then = _text(value), told[column]
            if column in flags and then in ("0", "1"):  # a flag some writers kept as 0/1
                then = "true" if then == "1" else "false"
            if now != then:
                findings.append(Finding("unexplained", None, "project",
                                        f"project {row['code']}: {column} is {now!r} in the ledger, its history "
                                        f"says {then!r} (changed outside zs)"))
    for ident, told in sorted(state.items()):
        findings.append(Finding("vanished", None, "project",
                                f"project {told.get('code') or ident} was deleted outside zs"))
    return len(rows), findings
