"""Projects: add, list, show, update, advance through the stages, and their history."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, exists, or_
from sqlmodel import Session, col, func, select

from zhaoshang import config
from zhaoshang.errors import BadValue, Conflict, NotFound
from zhaoshang.models import Chain, Event, Milestone, Project, ProjectSupport, Unit
from zhaoshang.services import audit
from zhaoshang.services.context import Ctx
from zhaoshang.services.directory import find_chain, find_unit
from zhaoshang.services.gate import gate  # the joint-review gate before signing
from zhaoshang.services.leaders import projects_led_by
from zhaoshang.services.project_extras import add_extras
from zhaoshang.vocabulary.amounts import format_yi
from zhaoshang.vocabulary.dates import LedgerDate, iso
from zhaoshang.vocabulary.labels import ENTITY_ZH, FIELD_ZH, MILESTONE_ZH
from zhaoshang.vocabulary.milestones import stage_dates
from zhaoshang.vocabulary.stages import STAGE_DATE_KEY, STAGE_RANK, STAGE_ZH, STAGES, TERMINATED
from zhaoshang.vocabulary.text import shown, text_problem
from zhaoshang.vocabulary.verdicts import VERDICT_ZH
from zhaoshang.vocabulary.weeks import week_stem

MARSHAL_MIN_WAN = 100_000  # 10 亿元


@dataclass
class ProjectInput:
    """One project as a clerk or a ledger row gives it; names are resolved by the service."""

    name: str
    code: str | None = None
    investor: str | None = None
    investment_wan: int | None = None
    investment_usd_wan: int | None = None
    chain: str | None = None
    unit: str | None = None
    stage: str = "lead"
    stage_date: LedgerDate | None = None
    stage_dates: dict[str, LedgerDate] = field(default_factory=dict)
    marshal: bool = False
    source_region: str | None = None
    sector: str | None = None
    progress: str | None = None
    note: str | None = None


@dataclass
class ProjectFilter:
    stage: list[str] | None = None
    unit: str | None = None
    chain: str | None = None
    min_wan: int | None = None
    max_wan: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    date_stage: str | None = None
    search: str | None = None
    marshal: bool | None = None
    leader: str | None = None  # 包保领导, by name
    role: str = "lead"  # with unit: lead (责任单位), support (配合单位) or any


# --------------------------------------------------------------------------- reading


def get_project(session: Session, code: str) -> Project:
    project = session.exec(select(Project).where(Project.code == code.strip())).first()
    if project is None:
        raise NotFound(f"项目“{code}”不存在。", "用 zs projects list --search 查找编号。")
    return project


def listing_row(project: Any, unit: str | None, chain: str | None, dates: dict[str, LedgerDate]) -> dict:
    """A project as every listing shows it: exactly the JSON keys of DESIGN §4."""
    return {
        "code": project.code,
        "name": project.name,
        "investor": project.investor,
        "investment_wan": project.investment_wan,
        "investment_usd_wan": project.investment_usd_wan,
        "chain": chain,
        "unit": unit,
        "stage": project.stage,
        "signed_on": iso(dates.get("signed_on")),
        "ready_on": iso(dates.get("ready_on")),
        "started_on": iso(dates.get("started_on")),
        "produced_on": iso(dates.get("produced_on")),
        "marshal": bool(project.marshal),
    }


def listing_query() -> Any:
    """The project columns listing_row reads, with the unit's and chain's names (as unit, chain)."""
    P, U, C = Project.__table__, Unit.__table__, Chain.__table__  # type: ignore[attr-defined]
    return (
        select(P.c.id, P.c.code, P.c.name, P.c.investor, P.c.investment_wan, P.c.investment_usd_wan, P.c.stage,
               P.c.marshal, U.c.name.label("unit"), C.c.name.label("chain"))
        .select_from(P.outerjoin(U, U.c.id == P.c.unit_id).outerjoin(C, C.c.id == P.c.chain_id))
    )


def list_projects(session: Session, flt: ProjectFilter | None = None) -> list[dict]:
    """The listing rows of the projects that pass the filter. Reads columns through SQLAlchemy Core:
    a listing needs no ORM objects, and skipping them is a tenth of a short command's run."""
    flt = flt or ProjectFilter()
    P, M = Project.__table__, Milestone.__table__  # type: ignore[attr-defined]
    query = listing_query()
    conditions = []
    if flt.stage:
        conditions.append(P.c.stage.in_(flt.stage))
    if flt.unit:
        unit_id = find_unit(session, flt.unit).id
        supports = P.c.id.in_(select(ProjectSupport.project_id).where(ProjectSupport.unit_id == unit_id))  # type: ignore[arg-type]
        conditions.append({"lead": P.c.unit_id == unit_id, "support": supports}.get(
            flt.role, or_(P.c.unit_id == unit_id, supports)))
    if flt.leader:
        conditions.append(P.c.id.in_(projects_led_by(session.connection(), flt.leader)))
    if flt.chain:
        conditions.append(P.c.chain_id == find_chain(session, flt.chain).id)
    if flt.min_wan is not None:
        conditions.append(P.c.investment_wan >= flt.min_wan)
    if flt.max_wan is not None:
        conditions.append(P.c.investment_wan <= flt.max_wan)
    if flt.marshal is not None:
        conditions.append(P.c.marshal == flt.marshal)
    if flt.search:
        needle = flt.search.strip()
        conditions.append(or_(*(c.contains(needle, autoescape=True) for c in (P.c.code, P.c.name, P.c.investor))))
    if flt.date_from or flt.date_to:
        kinds = [flt.date_stage] if flt.date_stage else list(STAGE_DATE_KEY)
        window = [M.c.project_id == P.c.id, M.c.done, M.c.kind.in_(kinds)]
        if flt.date_from:
            window.append(M.c.done_on >= flt.date_from)
        if flt.date_to:
            window.append(M.c.done_on <= flt.date_to)
        conditions.append(exists().where(and_(*window)))
    if conditions:
        query = query.where(and_(*conditions))
    session.flush()  # a Core statement does not autoflush
    rows = session.connection().execute(query.order_by(P.c.id)).all()
    ids = [r.id for r in rows]
    dates = stage_dates(session, ids if len(ids) <= 5000 else select(P.c.id)) if ids else {}
    return add_extras(session.connection(), [listing_row(r, r.unit, r.chain, dates.get(r.id, {})) for r in rows], ids)


def listing(session: Session, project: Project) -> dict:
    """One project's listing row."""
    unit = session.get(Unit, project.unit_id) if project.unit_id else None
    chain = session.get(Chain, project.chain_id) if project.chain_id else None
    dates = stage_dates(session, [project.id]).get(project.id, {})  # type: ignore[list-item]
    return listing_row(project, unit.name if unit else None, chain.name if chain else None, dates)


def show_project(session: Session, code: str) -> dict:
    from zhaoshang.services.notes import notes_of

    project = get_project(session, code)
    milestones = session.exec(
        select(Milestone).where(Milestone.project_id == project.id).order_by(Milestone.id)
    ).all()
    row = add_extras(session.connection(), [listing(session, project)], [project.id])[0]  # type: ignore[list-item]
    row.update(
        source_region=project.source_region,
        sector=project.sector,
        progress=project.progress,
        note=project.note,
        milestones=[milestone_row(m) for m in milestones],
        notes=notes_of(session, project.id),  # type: ignore[arg-type]
    )
    return row


def milestone_row(m: Milestone) -> dict:
    return {
        "kind": m.kind,
        "planned_on": iso(LedgerDate.stored(m.planned_on, m.planned_precision)),
        "done": bool(m.done),
        "done_on": iso(LedgerDate.stored(m.done_on, m.precision)),
        "note": m.note,
    }


def _trail(session: Session, code: str) -> tuple[int, int, int | None]:
    """(project id, first event id, last event id or None) of the project `code` names: a live one
    from its insert event on (a voided project's id may have been given to a later one), else a
    voided one up to its delete event."""
    project = session.exec(select(Project).where(Project.code == code.strip())).first()
    P = Event.entity == "project"
    if project is not None:
        assert project.id is not None
        first = session.exec(select(func.max(Event.id)).where(
            P, Event.entity_id == project.id, col(Event.field).is_(None), col(Event.old).is_(None))).one()
        return project.id, first or 0, None
    needle = audit.dict_json({"code": code.strip()})[1:-1]  # '"code": "P-0001"' as a delete event keeps it
    voided = session.exec(select(Event).where(
        P, col(Event.field).is_(None), col(Event.new).is_(None), col(Event.old).contains(needle, autoescape=True))
        .order_by(col(Event.id).desc())).first()
    if voided is None:
        get_project(session, code)  # raises NotFound
    assert voided is not None
    first = session.exec(select(func.max(Event.id)).where(
        P, Event.entity_id == voided.entity_id, col(Event.field).is_(None), col(Event.old).is_(None),
        Event.id < voided.id)).one()
    return voided.entity_id, first or 0, voided.id


def history(session: Session, code: str) -> list[dict]:
    """A project's audit trail, its milestones' included, oldest first — also of a voided project."""
    project_id, first, last = _trail(session, code)
    query = (select(Event)
             .where(or_(and_(Event.entity == "project", Event.entity_id == project_id), Event.project_id == project_id),
                    Event.id >= first)
             .order_by(Event.id))
    if last is not None:
        query = query.where(Event.id <= last)
    events = session.exec(query).all()
    kinds = dict(session.exec(select(Milestone.id, Milestone.kind).where(Milestone.project_id == project_id)).all())
    names = {("unit_id", str(i)): n for i, n in session.exec(select(Unit.id, Unit.name)).all()}
    names |= {("chain_id", str(i)): n for i, n in session.exec(select(Chain.id, Chain.name)).all()}
    rows = []
    # A milestone's kind as each event saw it: its insert or delete event names it (a deleted
    # milestone's id may be reused by a later one of another kind).
    live: dict[int, str] = {}
    for e in events:
        if e.entity == "milestone" and e.field is None and (e.new or e.old):
            live[e.entity_id] = json.loads(e.new or e.old or "{}").get("kind") or kinds.get(e.entity_id, "?")
        kind = live.get(e.entity_id) or kinds.get(e.entity_id) if e.entity == "milestone" else None
        rows.append(event_row(e, {e.entity_id: kind} if kind else {}, names))
    return rows


def _describe(e: Event, kinds: dict[int, str], names: dict[tuple[str, str | None], str]) -> str:
    if e.entity == "milestone":
        kind = MILESTONE_ZH.get(kinds.get(e.entity_id, ""), kinds.get(e.entity_id, "?"))
        if e.field is None:
            data = json.loads(e.new or e.old or "{}")
            when = data.get("done_on") or data.get("planned_on") or "无日期"
            if data.get("precision") == "month" and data.get("done_on"):
                when = when[:7]
            return f"{'新增' if e.old is None else '删除'}节点 {kind} {when}"
        return f"节点{kind} {FIELD_ZH.get(e.field, e.field)}: {e.old or '—'} → {e.new or '—'}"
    if e.entity in ("review", "problem"):
        return _describe_review_problem(e, names)
    if e.entity == "project" and e.field is None and e.new is None:
        if e.source.startswith("zs import undo"):
            return "删除项目（撤销导入）"
        return f"作废项目：{e.source.split('（', 1)[1].rstrip('）')}" if "（" in e.source else "作废项目"
    if e.entity == "trip_project":
        trip = json.loads(e.new or e.old or "{}").get("trip_id")
        return f"外出招商 #{trip} 走访" if e.old is None else f"撤销外出招商 #{trip} 的走访记录"
    if e.entity == "progress_note":
        if e.field is None:
            data = json.loads(e.new or e.old or "{}")
            said = "；".join(f"{label}：{data[k]}" for k, label in (("progress", "本周进展"), ("next_step", "下步计划"))
                            if data.get(k))
            return f"{week_stem(_day(data.get('week')) or dt.date.min)} {said}"
        if e.field in ("progress", "next_step"):
            return f"{'本周进展' if e.field == 'progress' else '下步计划'}: {e.old or '—'} → {e.new or '—'}"
    if e.entity == "funds":  # 到位资金 2023-06 省外 2000万元 / 到位资金 #12 金额: 2000 → 2500
        data = json.loads(e.new or e.old or "{}") if e.field is None else {}
        unit = "万美元" if data.get("source") == "foreign" else "万元"
        if e.field is None:
            source = {"outside": "省外", "inside": "省内", "foreign": "外资"}.get(data.get("source"), "")
            return f"{'删除' if e.old else ''}到位资金 {str(data.get('month'))[:7]} {source} {data.get('amount')}{unit}"
        return f"到位资金 #{e.entity_id} 金额: {e.old or '—'} → {e.new or '—'}"
    if e.field == "review_gate":
        return f"越过联审（{e.old}）：{e.new}"
    entity = ENTITY_ZH.get(e.entity, e.entity)
    if e.field is None:
        if e.old is not None:
            return f"删除{entity}"
        # An imported project's event carries its milestones (one event per row keeps imports fast).
        stones = json.loads(e.new or "{}").get("milestones") if e.entity == "project" else None
        if stones:
            return f"新建{entity}（{'，'.join(_stone(m) for m in stones)}）"
        return f"新建{entity}"
    old, new = e.old, e.new
    label = FIELD_ZH.get(e.field, e.field)
    if e.field in ("unit_id", "chain_id"):
        old, new = names.get((e.field, old), old), names.get((e.field, new), new)
    elif e.field == "stage":
        old, new = STAGE_ZH.get(old or "", old), STAGE_ZH.get(new or "", new)
    elif e.field == "investment_wan":  # money reads in 亿元 (the JSON keeps the stored 万元)
        label = "总投资"
        old, new = (f"{format_yi(int(v))}亿元" if v and v.lstrip("-").isdigit() else v for v in (old, new))
    return f"{label}: {old or '—'} → {new or '—'}"


def _describe_review_problem(e: Event, names: dict[tuple[str, str | None], str]) -> str:
    if e.entity == "review" and e.field is not None:  # a ledger corrected a review of that day
        old, new = e.old, e.new
        if e.field == "verdict":
            old, new = VERDICT_ZH.get(old or "", old), VERDICT_ZH.get(new or "", new)
        return f"联审 #{e.entity_id} {FIELD_ZH.get(e.field, e.field)}: {old or '—'} → {new or '—'}"
    if e.entity == "review":
        data = json.loads(e.new or e.old or "{}")
        verdict = VERDICT_ZH.get(data.get("verdict"), data.get("verdict"))
        note = f"（{data['note']}）" if data.get("note") else ""
        action = "联审" if e.old is None else "删除联审"
        return f"{action} {data.get('criterion')}：{verdict} {data.get('reviewed_on') or ''}{note}".rstrip()
    if e.field is None:
        data = json.loads(e.new or e.old or "{}")
        owner = names.get(("unit_id", str(data.get("owner_unit_id"))), "—")
        action = "新增问题" if e.old is None else "删除问题"
        return f"{action} #{e.entity_id}：{data.get('text')}（责任单位 {owner}，时限 {data.get('due_on') or '—'}）"
    if e.field == "resolved_on" and e.old is None:
        return f"问题 #{e.entity_id} 已解决 {e.new}"
    if e.field == "resolution" and e.old is None:
        return f"问题 #{e.entity_id} 解决情况：{e.new}"
    old, new = e.old, e.new
    if e.field == "owner_unit_id":
        old, new = names.get(("unit_id", old), old), names.get(("unit_id", new), new)
    return f"问题 #{e.entity_id} {FIELD_ZH.get(e.field, e.field)}: {old or '—'} → {new or '—'}"


def _stone(m: dict) -> str:
    """A milestone kept in an import's event: "签约 2023-04-20", "开工 计划 2023-09"."""
    kind = MILESTONE_ZH.get(m.get("kind", ""), m.get("kind", ""))
    if m.get("done"):
        when = LedgerDate.stored(_day(m.get("done_on")), m.get("precision"))
        return f"{kind} {when}" if when else kind
    planned = LedgerDate.stored(_day(m.get("planned_on")), m.get("planned_precision"))
    return f"{kind} 计划 {planned}" if planned else kind


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def event_row(e: Event, kinds: dict[int, str] | None = None,
              names: dict[tuple[str, str | None], str] | None = None) -> dict:
    at = e.at if e.at.tzinfo else e.at.replace(tzinfo=dt.UTC)
    return {
        "at": at.astimezone(config.zone()).isoformat(timespec="seconds"),
        "actor": e.actor,
        "source": e.source,
        "entity": e.entity,
        "field": e.field,
        "old": e.old,
        "new": e.new,
        "change": _describe(e, kinds or {}, names or {}),
    }


# --------------------------------------------------------------------------- writing


def next_code(session: Session) -> str:
    """The next P-NNNN after every project the ledger has held: a voided project's code is not reused."""
    voided = session.exec(select(func.max(Event.entity_id)).where(Event.entity == "project")).one() or 0
    n = max(session.exec(select(func.max(Project.id))).one() or 0, voided) + 1
    while True:
        code = f"P-{n:04d}"
        if not session.exec(select(Project.id).where(Project.code == code)).first():
            return code
        n += 1


def _stage_milestone(session: Session, project_id: int, kind: str) -> Milestone | None:
    return session.exec(
        select(Milestone).where(Milestone.project_id == project_id, Milestone.kind == kind)
        .order_by(col(Milestone.done).desc(), Milestone.id)
    ).first()


def mark_done(ctx: Ctx, project: Project, kind: str, when: LedgerDate | None,
              note: str | None = None) -> tuple[Milestone, bool]:
    """Record a done milestone of `kind` (creating it, or completing a planned one), audited.
    Returns the milestone and whether anything changed."""
    assert project.id is not None
    milestone = _stage_milestone(ctx.session, project.id, kind)
    day, precision = (when.first, when.precision) if when else (None, None)
    if milestone is None:
        milestone = Milestone(project_id=project.id, kind=kind, done=True, done_on=day, precision=precision,
                              note=note)
        ctx.session.add(milestone)
        ctx.session.flush()
        audit.record_insert(ctx, "milestone", milestone, project_id=project.id)
        return milestone, True
    changes: dict[str, Any] = {"done": True}
    if when is not None or not milestone.done:
        changes.update(done_on=day, precision=precision)
    if note:
        changes["note"] = note
    changed = audit.apply_changes(ctx, "milestone", milestone, changes, project_id=project.id)
    return milestone, bool(changed)


def _furthest(stages: list[str]) -> str:
    return max(stages, key=lambda s: STAGE_RANK[s])


def add_project(ctx: Ctx, inp: ProjectInput, *, force: bool = False, allow_duplicate: bool = False) -> Project:
    name = inp.name.strip()
    if not name:
        raise BadValue("项目名称不能为空。")
    for key, text in (("name", name), ("code", (inp.code or "").strip()), ("investor", inp.investor or "")):
        if reason := text_problem(text, key):
            raise BadValue(f"{reason}：“{shown(text)}”。")
    session = ctx.session
    code = (inp.code or "").strip() or next_code(session)
    if session.exec(select(Project.id).where(Project.code == code)).first():
        raise Conflict(f"项目编号“{code}”已存在。", f"用 zs projects show {code} 查看，或换一个编号。")
    unit_id = find_unit(ctx, inp.unit).id if inp.unit else None
    chain_id = find_chain(ctx, inp.chain).id if inp.chain else None
    if not allow_duplicate:
        from zhaoshang.services.imports.match import same_projects

        twins = same_projects(session.connection(), name, inp.investor, unit_id)
        if twins:
            who = f"投资方“{inp.investor}”" if inp.investor else "没有投资方、责任单位相同"
            raise Conflict(f"项目“{name}”（{who}）已在账本中：{'、'.join(twins)}。",
                           f"用 zs projects show {twins[0]} 查看、zs projects update 修改；确是另一个项目，"
                           "加 --allow-duplicate（导入时请给两个项目各填项目编号）。")
    stage = resolve_entry_stage(ctx, inp)
    for kind, day in entry_milestones(inp).items():
        if day is not None:
            not_yet(ctx, kind, day, force=force)
    if inp.marshal and (inp.investment_wan or 0) < MARSHAL_MIN_WAN:
        ctx.warn(f"挂帅项目“{name}”总投资不足 10 亿元。")
    project = Project(
        code=code, name=name, investor=inp.investor, investment_wan=inp.investment_wan,
        investment_usd_wan=inp.investment_usd_wan, chain_id=chain_id, unit_id=unit_id,
        source_region=inp.source_region, marshal=inp.marshal, stage=stage, sector=inp.sector,
        progress=inp.progress, note=inp.note, created_at=ctx.now, updated_at=ctx.now,
    )
    session.add(project)
    session.flush()
    audit.record_insert(ctx, "project", project, project_id=project.id)
    for kind, when in entry_milestones(inp).items():
        mark_done(ctx, project, kind, when)
    if stage in STAGE_RANK and STAGE_RANK[stage] >= STAGE_RANK["signed"]:
        signed = entry_milestones(inp).get("signed")
        gate(ctx, project, stage, force=False, reason=None, on=signed.last if signed else None,
                    warn_only=True)
    return project


def entry_milestones(inp: ProjectInput) -> dict[str, LedgerDate | None]:
    """The done milestones a project entered at a stage gets (DESIGN §10): its stage, with the given
    date or none, plus every stage whose date is given."""
    milestones: dict[str, LedgerDate | None] = dict(inp.stage_dates)
    if inp.stage_date is not None or inp.stage not in milestones:
        milestones[inp.stage] = inp.stage_date if inp.stage_date is not None else milestones.get(inp.stage)
    return milestones


def resolve_entry_stage(ctx: Ctx, inp: ProjectInput) -> str:
    """The stage word and the dates given may disagree: the furthest wins, with a warning."""
    if inp.stage == TERMINATED:
        return TERMINATED
    dated = [s for s in inp.stage_dates if s in STAGE_RANK]
    if not dated:
        return inp.stage
    furthest = _furthest([inp.stage, *dated])
    if furthest != inp.stage:
        ctx.warn(f"项目“{inp.name}”阶段为{STAGE_ZH[inp.stage]}，但已填{STAGE_ZH[furthest]}时间：按{STAGE_ZH[furthest]}处理。")
    return furthest


def update_project(ctx: Ctx, code: str, changes: dict[str, Any]) -> list[str]:
    """Change plain fields; `unit`/`chain` take names. Returns the fields that really changed."""
    project = get_project(ctx.session, code)
    values = dict(changes)
    if "code" in values:
        new_code = str(values["code"]).strip()
        if new_code != project.code and ctx.session.exec(
            select(Project.id).where(Project.code == new_code)
        ).first():
            raise Conflict(f"项目编号“{new_code}”已存在。")
        values["code"] = new_code
    if "unit" in values:
        unit = values.pop("unit")
        values["unit_id"] = find_unit(ctx, unit).id if unit else None
    if "chain" in values:
        chain = values.pop("chain")
        values["chain_id"] = find_chain(ctx, chain).id if chain else None
    if "name" in values and not str(values["name"]).strip():
        raise BadValue("项目名称不能为空。")
    for key in ("name", "code", "investor"):
        if isinstance(values.get(key), str) and (reason := text_problem(values[key].strip(), key)):
            raise BadValue(f"{reason}：“{shown(values[key])}”。")
    changed = audit.apply_changes(ctx, "project", project, values, project_id=project.id)
    if changed:
        project.updated_at = ctx.now
    if {"marshal", "investment_wan"} & set(changed) and project.marshal and \
            (project.investment_wan or 0) < MARSHAL_MIN_WAN:
        ctx.warn(f"挂帅项目“{project.name}”总投资不足 10 亿元。")
    return changed


@dataclass
class AdvanceResult:
    code: str
    old_stage: str
    new_stage: str
    date: str | None
    cleared: list[str]
    changed: bool


def advance(ctx: Ctx, code: str, stage: str, when: LedgerDate | None, *, force: bool = False,
            reason: str | None = None) -> AdvanceResult:
    """Move a project to `stage`, recording the stage milestone.

    Forward moves may skip stages. Backward moves, and reopening a terminated project, need `force`;
    a backward move clears the later stage milestones. Every change is audited; a forced one names
    the reason in the event's source."""
    project = get_project(ctx.session, code)
    assert project.id is not None
    if reason and not force and stage != TERMINATED:
        raise BadValue("--reason 只和 --force 一起用，或在终止时说明原因。",
                       "越过联审、退回阶段用 --force --reason；终止：zs projects advance CODE 终止 --reason …。")
    old = project.stage
    backward = stage != old and stage != TERMINATED and (old == TERMINATED or STAGE_RANK[stage] < STAGE_RANK[old])
    if backward and not (force and (reason or "").strip()):
        frm, to = STAGE_ZH[old], STAGE_ZH[stage]
        raise Conflict(f"项目“{project.code}”当前为{frm}，退回到{to}需要 --force --reason。",
                       "--reason 说明原因（记入变更记录）；退回会清除之后阶段的节点。")
    if when is None:
        # Keep the date a stage already has; a stage newly reached going forward is reached today. A
        # stage gone back to without a date is known but undated: it counts in no report window.
        existing = _stage_milestone(ctx.session, project.id, stage)
        if (existing is None or not existing.done) and not backward:
            when = LedgerDate.of(ctx.today)
    source = ctx.source + (f" --force（{reason}）" if force and reason else " --force" if force else
                           f"（{reason}）" if reason else "")
    cleared: list[str] = []
    if stage == old:
        if when is None or not mark_done(ctx, project, stage, when)[1]:
            return AdvanceResult(project.code, old, stage, None, [], False)
        project.updated_at = ctx.now
        return AdvanceResult(project.code, old, stage, when.iso(), [], True)
    if when is not None:
        not_yet(ctx, stage, when, force=force)
    gate(ctx, project, stage, force=force, reason=reason, on=when.last if when else None)
    if backward:
        later = [s for s in STAGES if STAGE_RANK[s] > STAGE_RANK[stage]] + [TERMINATED]
        for milestone in ctx.session.exec(
            select(Milestone).where(Milestone.project_id == project.id, Milestone.done,
                                    col(Milestone.kind).in_(later))
        ).all():
            audit.record_delete(ctx, "milestone", milestone, project_id=project.id)
            ctx.session.delete(milestone)
            cleared.append(milestone.kind)
        ctx.session.flush()
    mark_done(ctx, project, stage, when, note=(reason or "").strip() or None if stage == TERMINATED else None)
    project.stage = stage
    project.updated_at = ctx.now
    audit.record(ctx, "project", project.id, "stage", old, stage, project_id=project.id, source=source)
    if when is not None and stage in STAGE_RANK:
        _warn_out_of_order(ctx, project, stage, when)
    return AdvanceResult(project.code, old, stage, iso(when), cleared, True)


def not_yet(ctx: Ctx, kind: str, when: LedgerDate, *, force: bool) -> None:
    """A done date that has not happened yet (LedgerDate.after) is refused unless --force, which
    records it with a warning. (A ledger row's such date is its plan: see importers/parse.py.)"""
    if not when.after(ctx.today):
        return
    what = f"{MILESTONE_ZH.get(kind, kind)}日期 {when} 晚于今天（{ctx.today}）"
    if not force:
        raise BadValue(f"{what}：还没到的日期不能记为已完成。",
                       f"计划日期用 zs milestones add 项目编号 {kind} --planned {when}；确已发生，加 --force。")
    ctx.warn(f"{what}，已按 --force 记为完成。")


def _warn_out_of_order(ctx: Ctx, project: Project, stage: str, when: LedgerDate) -> None:
    dates = stage_dates(ctx.session, [project.id]).get(project.id, {})  # type: ignore[list-item]
    for earlier in STAGES[: STAGE_RANK[stage]]:
        previous = dates.get(STAGE_DATE_KEY[earlier])
        if previous is not None and previous.first > when.last:
            ctx.warn(f"{STAGE_ZH[stage]}日期 {when} 早于{STAGE_ZH[earlier]}日期 {previous}。")

