"""The audit log's hash chain: every event sealed with the SHA-256 of its canonical JSON (sorted keys,
UTF-8), and every commit's events chained to the commits before.

`event_seal` (event_id, txn, digest) holds each event's digest and the commit (txn) that wrote it;
`event_block` (seq, txn, prev, hash) chains the commits in the order they committed: hash =
SHA-256(prev + SHA-256 of the commit's digests in event order, one a line). The digests are worked
out while the transaction runs; only the block is written at commit, under the chain's lock, so
concurrent writers hold that lock for a moment, not for their whole transaction. SQLite seals in
`seal_pending` when a writer commits (it holds the file's lock anyway); PostgreSQL in triggers
(db/audit_pg.py).

`verify` recomputes every event's digest and every block, names each event that does not fit
(changed, deleted, added outside zs) and each commit whose events no longer add up, then replays
every project from its events and names each project row whose current state the history cannot
explain.
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
    "funds": "id",
    "leader": "id",
    "project_leader": "id",
    "project_support": "id",
    "investment_plan": "id",
    "investment_done": "id",
}

# Columns a project's events do not carry: bookkeeping that changes with every write.
UNREPLAYED = frozenset({"id", "created_at", "updated_at"})
EVENT_FIELDS = ("id", "entity", "entity_id", "project_id", "at", "actor", "source", "field", "old", "new")
BATCH = 2000


def at_text(value: Any) -> str:
    """An event's time as the hash keeps it: UTC, microseconds, no zone suffix (naive means UTC)."""
    if isinstance(value, str):
        if len(value) == 26 and value[10] == " ":  # SQLite's stored form already
            return value
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest(event: dict[str, Any]) -> str:
    """SHA-256 (hex) of the event's canonical JSON."""
    data = {k: event[k] for k in EVENT_FIELDS}
    data["at"] = at_text(event["at"])
    return sha(json.dumps(data, sort_keys=True, ensure_ascii=False))


def block_hash(prev: str | None, digests: list[str]) -> str:
    """A commit's link: SHA-256 of the previous block's hash and of its events' digests."""
    return sha((prev or "") + sha("\n".join(digests)))


def _has_seals(conn: Connection) -> bool:
    from sqlalchemy import inspect

    return inspect(conn).has_table("event_block")


def _events(conn: Connection, where: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    from sqlalchemy import text

    cols = ", ".join(EVENT_FIELDS)
    result = conn.execute(text(f"SELECT {cols} FROM event WHERE {where} ORDER BY id"), params)
    for row in result:
        yield dict(zip(EVENT_FIELDS, row, strict=True))


def _head(conn: Connection) -> tuple[int, str | None]:
    from sqlalchemy import text

    row = conn.execute(text("SELECT txn, hash FROM event_block ORDER BY seq DESC LIMIT 1")).first()
    return (0, None) if row is None else (int(row[0]), row[1])


def seal_pending(conn: Connection) -> int:
    """SQLite, at commit: the events written since the last seal become one block. Returns how many."""
    from sqlalchemy import text

    if not _has_seals(conn):
        return 0
    last = conn.execute(text("SELECT max(event_id) FROM event_seal")).scalar() or 0
    return _seal(conn, "id > :last", {"last": last})


def seal_all(conn: Connection) -> int:
    """A ledger that had no chain gets one: every event, as one block (the migration)."""
    return _seal(conn, "id NOT IN (SELECT event_id FROM event_seal)", {})


def _seal(conn: Connection, where: str, params: dict[str, Any]) -> int:
    from sqlalchemy import text

    rows = [(e["id"], digest(e)) for e in _events(conn, where, params)]
    if not rows:
        return 0
    txn, prev = _head(conn)
    txn = max(txn, conn.execute(text("SELECT coalesce(max(txn), 0) FROM event_seal")).scalar() or 0) + 1
    marker = "?" if conn.dialect.name == "sqlite" else "%s"
    for start in range(0, len(rows), BATCH):  # the driver's executemany: a large import seals fast
        conn.exec_driver_sql(f"INSERT INTO event_seal (event_id, txn, digest) VALUES ({marker}, {marker}, {marker})",
                             [(ident, txn, d) for ident, d in rows[start:start + BATCH]])
    conn.execute(text("INSERT INTO event_block (txn, prev, hash) VALUES (:t, :p, :h)"),
                 {"t": txn, "p": prev, "h": block_hash(prev, [d for _, d in rows])})
    return len(rows)


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
    """Every event against its digest, every commit against its block, then every project replayed."""
    from sqlalchemy import text

    findings: list[Finding] = []
    seals = conn.execute(text("SELECT event_id, txn, digest FROM event_seal ORDER BY event_id")).all()
    by_txn: dict[int, list[tuple[int, str]]] = {}
    count = 0
    for start in range(0, len(seals), BATCH):
        chunk = seals[start:start + BATCH]
        events = {e["id"]: e for e in _events(conn, f"id BETWEEN {chunk[0][0]} AND {chunk[-1][0]}", {})}
        for event_id, txn, stored in chunk:
            count += 1
            by_txn.setdefault(txn, []).append((event_id, stored))
            event = events.get(event_id)
            if event is None:
                findings.append(Finding("deleted", event_id, None, f"event #{event_id} was deleted"))
            elif digest(event) != stored:
                findings.append(Finding("changed", event_id, event["entity"],
                                        f"event #{event_id} was changed after it was written ({_describe(event)})"))
    for event in _events(conn, "id NOT IN (SELECT event_id FROM event_seal)", {}):
        count += 1
        findings.append(Finding("unsealed", event["id"], event["entity"],
                                f"event #{event['id']} was added outside zs ({_describe(event)})"))
    prev: str | None = None
    for seq, txn, stored_prev, stored_hash in conn.execute(
            text("SELECT seq, txn, prev, hash FROM event_block ORDER BY seq")).all():
        members = by_txn.pop(txn, [])
        what = f"the commit of events #{members[0][0]}–#{members[-1][0]}" if members else \
            f"commit {seq} (all its events gone)"
        if stored_prev != prev or block_hash(prev, [d for _, d in members]) != stored_hash:
            findings.append(Finding("broken", members[0][0] if members else None, None,
                                    f"{what} does not add up: an event or its seal was removed or added, "
                                    "or the commits before it were changed"))
        prev = stored_hash
    for _txn, members in sorted(by_txn.items()):
        findings.append(Finding("broken", members[0][0], None,
                                f"events #{members[0][0]}–#{members[-1][0]} belong to no sealed commit"))
    findings.sort(key=lambda f: (f.event_id is None, f.event_id or 0))
    projects, unexplained = replay_projects(conn)
    findings.extend(unexplained)
    return Verdict(count, projects, findings)


def as_text(value: Any) -> str | None:
    """A value as events keep it in old/new (ISO dates, true/false, plain text), from a row or from an
    insert's JSON: the one rule the writers and the replay share."""
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
                state[ident] = {k: as_text(v) for k, v in data.items() if not isinstance(v, (list, dict))}
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
            now, then = as_text(value), told[column]
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
