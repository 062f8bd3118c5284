"""Units (责任单位) and chains (产业链): adding them, listing them, finding them by name."""

from __future__ import annotations

import difflib
from typing import Any, TypeVar

from sqlmodel import Session, func, select

from zhaoshang.errors import BadValue, Conflict, NotFound
from zhaoshang.models import UNIT_KINDS, Chain, Unit
from zhaoshang.services import audit
from zhaoshang.services.context import Ctx
from zhaoshang.vocabulary.text import name_key, normalize_text

T = TypeVar("T", Unit, Chain)

UNIT_KIND_WORDS = {
    "town": "town", "镇街": "town", "镇": "town", "街道": "town",
    "department": "department", "部门": "department", "产业链牵头部门": "department", "牵头部门": "department",
    "soe": "soe", "国企": "soe", "区属国有企业": "soe", "国有企业": "soe",
    "leadership": "leadership", "领导": "leadership", "区领导": "leadership", "区委区政府": "leadership",
    "other": "other", "其他": "other",
}


def parse_unit_kind(value: str) -> str:
    kind = UNIT_KIND_WORDS.get(normalize_text(value).lower())
    if kind is None:
        raise BadValue(f"单位类别“{value}”无效。", f"可用：{', '.join(UNIT_KINDS)}（或 镇街/部门/国企）。")
    return kind


def _find(ctx: Ctx | Session, model: type[T], label: str, name: str, hint_cmd: str) -> T:
    """Exact name first, then the normalised name if it is unambiguous (with a warning when there is a
    Ctx to carry it); else NotFound with suggestions."""
    session = ctx.session if isinstance(ctx, Ctx) else ctx
    given, name = name, name.strip()
    row = session.exec(select(model).where(model.name == name)).first()
    if row is not None:
        return row
    rows = session.exec(select(model)).all()
    key = name_key(name)
    close = [r for r in rows if name_key(r.name) == key] if key else []
    if len(close) == 1:
        if isinstance(ctx, Ctx):
            ctx.warn(f"{label}“{given}”按“{close[0].name}”处理。")
        return close[0]
    names = [r.name for r in rows]
    suggestions = difflib.get_close_matches(name, names, n=3, cutoff=0.3)
    suggestions += [n for n in names if key and (key in n or name_key(n) in name) and n not in suggestions]
    hint = f"最接近的：{'、'.join(suggestions[:3])}。" if suggestions else ""
    raise NotFound(f"{label}“{name}”不存在。", hint + f"用 {hint_cmd} 查看或添加。")


def find_unit(ctx: Ctx | Session, name: str) -> Unit:
    return _find(ctx, Unit, "责任单位", name, "zs units list / zs units add")


def find_chain(ctx: Ctx | Session, name: str) -> Chain:
    return _find(ctx, Chain, "产业链", name, "zs chains list / zs chains add")


def _refuse_twin(ctx: Ctx, model: type[T], label: str, name: str, renamed: Any = None) -> None:
    """A name that differs from an existing one only where matching looks past (white space, full
    width, a leading 区/市/县, a trailing 产业链/产业/链) would make every later match ambiguous.
    `renamed`: the row taking the name, which does not clash with itself."""
    others = [r for r in ctx.session.exec(select(model)).all() if renamed is None or r.id != renamed.id]
    if any(r.name == name for r in others):
        raise Conflict(f"{label}“{name}”已存在。")
    key = name_key(name)
    if not key:  # a name that is nothing but 区 or 县: only the exact name can clash
        return
    twin = next((r.name for r in others if name_key(r.name) == key), None)
    if twin is not None:
        raise Conflict(f"{label}“{name}”与已有的“{twin}”按同一名称匹配（只差空格、全半角或区、产业链等字样）。",
                       f"用“{twin}”；确是另一个{label}，请换一个能区分的名称。")


def add_unit(ctx: Ctx, name: str, kind: str = "other", leader: str | None = None,
             sort_order: int | None = None, unit_class: str | None = None) -> Unit:
    name = name.strip()
    if not name:
        raise BadValue("单位名称不能为空。")
    _refuse_twin(ctx, Unit, "责任单位", name)
    if sort_order is None:
        sort_order = (ctx.session.exec(select(func.max(Unit.sort_order))).one() or 0) + 1
    unit = Unit(name=name, kind=parse_unit_kind(kind), leader=leader, sort_order=sort_order,
                unit_class=unit_class)
    ctx.session.add(unit)
    ctx.session.flush()
    audit.record_insert(ctx, "unit", unit)
    return unit


def add_chain(ctx: Ctx, name: str, chief: str | None = None, anchor_firm: str | None = None,
              lead_unit: str | None = None, sort_order: int | None = None) -> Chain:
    name = name.strip()
    if not name:
        raise BadValue("产业链名称不能为空。")
    _refuse_twin(ctx, Chain, "产业链", name)
    lead_unit_id = find_unit(ctx, lead_unit).id if lead_unit else None
    if sort_order is None:
        sort_order = (ctx.session.exec(select(func.max(Chain.sort_order))).one() or 0) + 1
    chain = Chain(name=name, chief=chief, anchor_firm=anchor_firm, lead_unit_id=lead_unit_id,
                  sort_order=sort_order)
    ctx.session.add(chain)
    ctx.session.flush()
    audit.record_insert(ctx, "chain", chain)
    return chain


def list_units(session: Session) -> list[dict]:
    units = session.exec(select(Unit).order_by(Unit.sort_order, Unit.id)).all()
    return [
        {"name": u.name, "kind": u.kind, "leader": u.leader, "sort_order": u.sort_order, "class": u.unit_class}
        for u in units
    ]


def list_chains(session: Session) -> list[dict]:
    units = {u.id: u.name for u in session.exec(select(Unit)).all()}
    chains = session.exec(select(Chain).order_by(Chain.sort_order, Chain.id)).all()
    return [
        {"name": c.name, "chief": c.chief, "anchor_firm": c.anchor_firm,
         "lead_unit": units.get(c.lead_unit_id) if c.lead_unit_id else None, "sort_order": c.sort_order}
        for c in chains
    ]


def place(ctx: Ctx, model: type[T], row: Any, order: int) -> None:
    """Put a unit (or chain) at `order` in the official order, the others moving down one, every
    number that changes audited; the order stays 1, 2, 3 … without gaps or twins."""
    if order < 1:
        raise BadValue(f"--order {order} 无效：排序从 1 开始。")
    others = [r for r in ctx.session.exec(select(model).order_by(model.sort_order, model.id)).all()
              if r.id != row.id]
    others.insert(min(order, len(others) + 1) - 1, row)
    entity = "unit" if model is Unit else "chain"
    for number, item in enumerate(others, 1):
        if item.sort_order != number:
            audit.apply_changes(ctx, entity, item, {"sort_order": number})


def update_unit(ctx: Ctx, name: str, *, new_name: str | None = None, kind: str | None = None,
                leader: str | None = None, unit_class: str | None = None, order: int | None = None) -> list[str]:
    """Correct a unit: its name (a twin of another is refused), kind, leader, class, place in the order."""
    unit = find_unit(ctx, name)
    changes: dict[str, Any] = {}
    if new_name is not None and new_name.strip() != unit.name:
        _refuse_twin(ctx, Unit, "责任单位", new_name.strip(), renamed=unit)
        changes["name"] = new_name.strip()
    if kind is not None:
        changes["kind"] = parse_unit_kind(kind)
    if leader is not None:
        changes["leader"] = leader.strip() or None
    if unit_class is not None:
        changes["unit_class"] = unit_class.strip() or None
    changed = audit.apply_changes(ctx, "unit", unit, changes) if changes else []
    if order is not None and order != unit.sort_order:
        place(ctx, Unit, unit, order)
        changed.append("sort_order")
    if not changed and not changes and order is None:
        raise BadValue("没有要修改的内容。", "例如 --order 3、--class 一类 或 --leader 张三。")
    return changed


def update_chain(ctx: Ctx, name: str, *, new_name: str | None = None, chief: str | None = None,
                 anchor_firm: str | None = None, lead_unit: str | None = None, order: int | None = None) -> list[str]:
    """Correct a chain: name, chief (链长), anchor firm (链主), lead department, place in the order."""
    chain = find_chain(ctx, name)
    changes: dict[str, Any] = {}
    if new_name is not None and new_name.strip() != chain.name:
        _refuse_twin(ctx, Chain, "产业链", new_name.strip(), renamed=chain)
        changes["name"] = new_name.strip()
    if chief is not None:
        changes["chief"] = chief.strip() or None
    if anchor_firm is not None:
        changes["anchor_firm"] = anchor_firm.strip() or None
    if lead_unit is not None:
        changes["lead_unit_id"] = find_unit(ctx, lead_unit).id if lead_unit.strip() else None
    changed = audit.apply_changes(ctx, "chain", chain, changes) if changes else []
    if order is not None and order != chain.sort_order:
        place(ctx, Chain, chain, order)
        changed.append("sort_order")
    if not changes and order is None:
        raise BadValue("没有要修改的内容。", "例如 --chief 张三 或 --lead-unit 区工信局。")
    return changed
