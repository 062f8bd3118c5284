"""Import batches: the log of `zs import` runs, and taking one back (`zs import undo BATCH`).

An import writes its rows and their audit events in one transaction, every event stamped with the
moment the import ran — the moment its import_batch row keeps — and its actor: those events are the
batch. Undo walks them newest first and reverts each through the normal event-writing paths: a row
the batch inserted is deleted (a project with everything that belongs to it), a field it changed
gets its old value back, a setting or stage word it set is set back. So the audit log records the
undo, and `--as-known-at` still shows the ledger as it was between the import and the undo. Where a
later change touched the same rows, undo is refused, naming them, unless --force --reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_
from sqlmodel import Session, SQLModel, col, select

from zhaoshang import config
from zhaoshang.errors import BadValue, Conflict, NotFound
from zhaoshang.models import Chain, Event, ImportBatch, Project, Setting, StageWord, Trip, Unit
from zhaoshang.services import audit
from zhaoshang.services.context import Ctx
from zhaoshang.services.void import remove_project

STATUS_ZH = {"done": "已导入", "failed": "失败", "dry-run": "试运行", "undone": "已撤销"}
SHOWN = 5  # later changes named in a refusal


def _models() -> dict[str, type[SQLModel]]:
    """Audited entities by the name their events carry (the table's name)."""
    return {m.__tablename__: m for m in SQLModel.__subclasses__()  # type: ignore[attr-defined]
            if getattr(m, "__table__", None) is not None and "id" in m.__table__.c}  # type: ignore[attr-defined]


def log(session: Session) -> list[dict]:
    """Every import, newest first, with what it did."""
    rows = session.exec(select(ImportBatch).order_by(col(ImportBatch.id).desc())).all()
    return [{"id": b.id, "at": _local(b.at), "actor": b.actor, "file": b.file_name, "sheet": b.sheet,
             "rows_read": b.rows_read, "inserted": b.inserted, "updated": b.updated, "unchanged": b.unchanged,
             "rejected": b.rejected, "status": b.status, "status_zh": STATUS_ZH.get(b.status, b.status),
             "message": b.message} for b in rows]


def _local(at: Any) -> str:
    import datetime as dt

    aware = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    return aware.astimezone(config.zone()).isoformat(timespec="seconds")


@dataclass
class Undone:
    batch: int
    file: str
    deleted: dict[str, int] = field(default_factory=dict)  # entity -> rows the batch inserted, now gone
    restored: int = 0  # fields set back
    forced: bool = False


def get_batch(session: Session, batch_id: int | str) -> ImportBatch:
    try:
        batch = session.get(ImportBatch, int(str(batch_id).lstrip("#")))
    except ValueError:
        batch = None
    if batch is None:
        raise NotFound(f"导入批次 #{batch_id} 不存在。", "用 zs import log 查看批次编号。")
    return batch


def batch_events(session: Session, batch: ImportBatch) -> list[Event]:
    """The events the batch wrote: its moment and its actor."""
    return list(session.exec(select(Event).where(Event.at == batch.at, Event.actor == batch.actor)
                             .order_by(Event.id)).all())


def later_changes(session: Session, events: list[Event]) -> list[Event]:
    """Events after the batch on rows it touched: the same row, or any row of a project it touched;
    and rows outside the batch that use a unit or chain it created."""
    if not events:
        return []
    last = events[-1].id
    projects = sorted({e.project_id for e in events if e.project_id} |
                      {e.entity_id for e in events if e.entity == "project"})
    rows: dict[str, set[int]] = {}
    for e in events:
        if e.entity not in ("project", "setting", "stage_word"):
            rows.setdefault(e.entity, set()).add(e.entity_id)
    found: dict[int, Event] = {}
    conditions = [col(Event.project_id).in_(projects[i:i + 900]) for i in range(0, len(projects), 900)]
    for entity, ids in rows.items():
        ordered = sorted(ids)
        conditions += [and_(Event.entity == entity, col(Event.entity_id).in_(ordered[i:i + 900]))
                       for i in range(0, len(ordered), 900)]
    keys = {(e.entity, e.field) for e in events if e.entity in ("setting", "stage_word")}
    conditions += [and_(Event.entity == entity, Event.field == key) for entity, key in keys]
    for condition in conditions:
        for e in session.exec(select(Event).where(Event.id > last, condition)).all():
            found[e.id] = e  # type: ignore[index]
    return [found[i] for i in sorted(found)]


def _users_of(session: Session, events: list[Event]) -> list[str]:
    """Rows outside the batch that use a unit or chain the batch created (they would be left dangling)."""
    made = {(e.entity, e.entity_id) for e in events if e.field is None and e.old is None}
    projects = {i for entity, i in made if entity == "project"}
    trips = {i for entity, i in made if entity == "trip"}
    out = []
    for entity, ident in sorted(made):
        if entity == "unit":
            users = session.exec(select(Project.code).where(Project.unit_id == ident,
                                                            col(Project.id).not_in(projects or [0]))).all()
            users += [f"外出招商 #{t}" for t in session.exec(select(Trip.id).where(
                Trip.unit_id == ident, col(Trip.id).not_in(trips or [0]))).all()]
            name = session.get(Unit, ident)
        elif entity == "chain":
            users = list(session.exec(select(Project.code).where(Project.chain_id == ident,
                                                                 col(Project.id).not_in(projects or [0]))).all())
            name = session.get(Chain, ident)
        else:
            continue
        if users and name is not None:
            out.append(f"{name.name}（{'、'.join(users[:SHOWN])}{'…' if len(users) > SHOWN else ''} 在用）")
    return out


def undo(ctx: Ctx, batch_id: int | str, *, force: bool = False, reason: str | None = None) -> Undone:
    """Revert what batch `batch_id` inserted and changed, newest first, every step audited."""
    session = ctx.session
    batch = get_batch(session, batch_id)
    reason = (reason or "").strip() or None
    if batch.status == "undone":
        raise Conflict(f"导入批次 #{batch.id}（{batch.file_name}）已经撤销过。", batch.message or None)
    if batch.status != "done":
        raise BadValue(f"导入批次 #{batch.id}（{batch.file_name}）{STATUS_ZH.get(batch.status, batch.status)}，"
                       "没有写入任何内容，不用撤销。")
    if force and reason is None:
        raise Conflict(f"强制撤销导入批次 #{batch.id} 需要说明原因。", "加 --reason \"…\"（记入变更记录）。")
    events = batch_events(session, batch)
    later = later_changes(session, events)
    used = _users_of(session, events)
    if (later or used) and not force:
        changed = _describe(session, later, used)
        raise Conflict(f"导入批次 #{batch.id}（{batch.file_name}）之后，这些记录又被改过：{changed}。",
                       "先看 zs projects history；确要撤销（覆盖之后的改动），用 --force --reason 说明原因。")
    why = f" --force（{reason}）" if force else f"（{reason}）" if reason else ""
    ctx.source = f"zs import undo #{batch.id}{why}"
    done = Undone(batch.id, batch.file_name, forced=bool(later or used))  # type: ignore[arg-type]
    models = _models()
    for e in reversed(events):
        _revert(ctx, e, models, done)
    session.flush()
    message = f"{_local(ctx.now)[:16].replace('T', ' ')} {ctx.actor} 撤销" + (f"：{reason}" if reason else "")
    audit.apply_changes(ctx, "import_batch", batch, {"status": "undone", "message": message})
    return done


def _revert(ctx: Ctx, e: Event, models: dict[str, type[SQLModel]], done: Undone) -> None:
    session = ctx.session
    if e.entity in ("setting", "stage_word"):
        _set_back(ctx, e)
        done.restored += 1
        return
    model = models.get(e.entity)
    if model is None:
        return
    row = session.get(model, e.entity_id)
    if e.field is not None:  # a change: the old value back
        if row is not None and e.field in model.__table__.c:  # type: ignore[attr-defined]
            value = audit.from_text(model.__table__.c[e.field], e.old)  # type: ignore[attr-defined]
            if audit.apply_changes(ctx, e.entity, row, {e.field: value}, project_id=e.project_id):
                done.restored += 1
                if isinstance(row, Project):
                    row.updated_at = ctx.now
        return
    if e.old is None:  # inserted by the batch: gone again (unless a later change removed it already)
        if row is None:
            return
        if isinstance(row, Project):
            remove_project(ctx, row, ctx.source)
        else:
            audit.record_delete(ctx, e.entity, row, project_id=e.project_id)
            session.delete(row)
            session.flush()
        done.deleted[e.entity] = done.deleted.get(e.entity, 0) + 1
    elif row is None:  # deleted by the batch: put back
        data = json.loads(e.old)
        table = model.__table__  # type: ignore[attr-defined]
        restored = model(**{c.name: audit.from_text(c, data.get(c.name)) for c in table.columns if c.name in data})
        session.add(restored)
        session.flush()
        audit.record_insert(ctx, e.entity, restored, project_id=e.project_id)


def _set_back(ctx: Ctx, e: Event) -> None:
    """A ledger setting or a stage word keyed by its name (the event's field)."""
    session = ctx.session
    key = e.field or ""
    if e.entity == "setting":
        row: Any = session.get(Setting, key)
        current = row.value if row is not None else None
    else:
        row = session.get(StageWord, key)
        current = row.stage if row is not None else None
    if current == e.old:
        return
    if row is not None:
        session.delete(row)
        session.flush()
    if e.old is not None:
        session.add(Setting(key=key, value=e.old) if e.entity == "setting" else StageWord(word=key, stage=e.old))
    audit.record(ctx, e.entity, 0, key, current, e.old)


def _describe(session: Session, later: list[Event], used: list[str]) -> str:
    """The later changes, by project code where there is one: "P-0003（2026-12-03 王科长 zs projects advance）"."""
    codes: dict[int, str] = {}
    ids = sorted({e.project_id for e in later if e.project_id})
    for i in range(0, len(ids), 900):
        codes |= dict(session.exec(select(Project.id, Project.code).where(col(Project.id).in_(ids[i:i + 900]))).all())
    seen: list[str] = []
    for e in later:
        what = codes.get(e.project_id or 0) or \
            (f"项目 #{e.project_id}" if e.project_id else f"{e.entity} #{e.entity_id}")
        text = f"{what}（{_local(e.at)[:16].replace('T', ' ')} {e.actor} {e.source}）"
        if not any(s.startswith(what + "（") for s in seen):
            seen.append(text)
    parts = seen[:SHOWN] + (["…"] if len(seen) > SHOWN else []) + [f"责任单位/产业链 {u}" for u in used]
    return "；".join(parts)

