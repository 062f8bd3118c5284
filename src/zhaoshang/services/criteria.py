"""联审标准: the criteria of the joint review, versioned by date.

The list of criteria is stored in the ledger and versioned by date (valid_from / valid_until), so a
review keeps the meaning it had when it was made and a project is judged by the criteria in force
when it signed. Changes are appended in date order, audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from zhaoshang.errors import BadValue, Conflict
from zhaoshang.models import ReviewCriterion
from zhaoshang.services import audit
from zhaoshang.services.context import Ctx
from zhaoshang.vocabulary.dates import iso
from zhaoshang.vocabulary.text import clean_cell, normalize_text


def _in_force(on: Any) -> Any:
    return and_(or_(col(ReviewCriterion.valid_from).is_(None), col(ReviewCriterion.valid_from) <= on),
                or_(col(ReviewCriterion.valid_until).is_(None), col(ReviewCriterion.valid_until) >= on))


def criteria_in_force(session: Session, on: dt.date) -> list[str]:
    rows = session.exec(
        select(ReviewCriterion).where(_in_force(on)).order_by(ReviewCriterion.sort_order, ReviewCriterion.id)
    ).all()
    return [r.name for r in rows]


def criteria_on(session: Session, day: dt.date, lists: dict[dt.date, list[str]]) -> list[str]:
    """criteria_in_force, read once per day for a run of projects."""
    if day not in lists:
        lists[day] = criteria_in_force(session, day)
    return lists[day]


def criteria_versions(session: Session, start: dt.date,
                       end: dt.date) -> list[tuple[tuple[dt.date, dt.date], list[str]]]:
    """The spans of [start, end] over which the list of criteria is constant, with that list."""
    breaks = {start}
    for r in session.exec(select(ReviewCriterion)).all():
        if r.valid_from and start < r.valid_from <= end:
            breaks.add(r.valid_from)
        if r.valid_until and start <= r.valid_until < end:
            breaks.add(r.valid_until + dt.timedelta(days=1))
    points = sorted(breaks)
    spans = []
    for i, a in enumerate(points):
        b = points[i + 1] - dt.timedelta(days=1) if i + 1 < len(points) else end
        spans.append(((a, b), criteria_in_force(session, a)))
    return spans


def list_criteria(session: Session, on: dt.date | None = None) -> list[dict]:
    """The criteria in force on a date, or (on=None) every version of the list."""
    query = select(ReviewCriterion)
    if on is not None:
        query = query.where(_in_force(on))
    rows = session.exec(query.order_by(col(ReviewCriterion.valid_from).asc().nulls_first(),
                                       ReviewCriterion.sort_order, ReviewCriterion.id)).all()
    if on is not None:
        rows = sorted(rows, key=lambda r: (r.sort_order, r.id))
    return [{"name": r.name, "sort_order": r.sort_order,
             "valid_from": iso(r.valid_from),
             "valid_until": iso(r.valid_until)} for r in rows]


@dataclass
class CriteriaChange:
    on: dt.date
    added: list[str]
    dropped: list[str]
    reordered: list[str]


def set_criteria(ctx: Ctx, names: list[str], on: dt.date) -> CriteriaChange:
    """Make `names` (in this order) the criteria in force from `on`. The rows before `on` are kept, so
    reviews made under the old list keep their meaning; changes are appended in date order."""
    wanted = [clean_cell(n) for n in names]
    if not wanted or not all(wanted):
        raise BadValue("联审标准不能为空。")
    dupes = sorted({n for n in wanted if wanted.count(n) > 1})
    if dupes:
        raise BadValue(f"联审标准重复：{'、'.join(dupes)}。")
    session = ctx.session
    rows = session.exec(select(ReviewCriterion)).all()
    changes = [r.valid_from for r in rows if r.valid_from] + \
              [r.valid_until + dt.timedelta(days=1) for r in rows if r.valid_until]
    latest = max(changes, default=None)
    if latest is not None and on < latest:
        raise Conflict(f"联审标准已有 {latest} 起的版本，不能再改 {on} 起的标准。",
                       f"用 --from {latest} 或更晚的日期。")
    current = [r for r in rows if (r.valid_from is None or r.valid_from <= on)
               and (r.valid_until is None or r.valid_until >= on)]
    by_name = {r.name: r for r in current}
    dropped, added, reordered = [], [], []
    for row in current:
        if row.name in wanted:
            continue
        dropped.append(row.name)
        if row.valid_from == on:  # added and dropped the same day: it was never in force
            audit.record_delete(ctx, "review_criterion", row)
            session.delete(row)
        else:
            audit.apply_changes(ctx, "review_criterion", row, {"valid_until": on - dt.timedelta(days=1)})
    for order, name in enumerate(wanted, 1):
        row = by_name.get(name)
        if row is None:
            row = ReviewCriterion(name=name, sort_order=order, valid_from=on)
            session.add(row)
            session.flush()
            audit.record_insert(ctx, "review_criterion", row)
            added.append(name)
        elif audit.apply_changes(ctx, "review_criterion", row, {"sort_order": order}):
            reordered.append(name)
    session.flush()
    return CriteriaChange(on, added, dropped, reordered)


def add_criterion(ctx: Ctx, name: str, on: dt.date) -> CriteriaChange:
    current = criteria_in_force(ctx.session, on)
    name = clean_cell(name)
    if name in current:
        raise Conflict(f"联审标准“{name}”已在使用。")
    return set_criteria(ctx, [*current, name], on)


def drop_criterion(ctx: Ctx, name: str, on: dt.date) -> CriteriaChange:
    current = criteria_in_force(ctx.session, on)
    name = clean_cell(name)
    if name not in current:
        raise BadValue(f"联审标准“{name}”不在 {on} 使用的标准中。", f"现有：{'、'.join(current)}。")
    return set_criteria(ctx, [c for c in current if c != name], on)


def criterion_named(session: Session, value: str, on: dt.date) -> str:
    """The criterion a user names, matched after normalisation against the list in force on `on`."""
    criteria = criteria_in_force(session, on)
    key = normalize_text(value)
    for name in criteria:
        if normalize_text(name) == key:
            return name
    raise BadValue(f"--criterion “{value}”不是 {on} 使用的联审标准。", f"可用：{'、'.join(criteria)}。")


class CriteriaIndex:
    """Every version of the criteria list, read once, to check many ledger rows against it."""

    def __init__(self, session: Session, today: dt.date) -> None:
        self.today = today
        self.rows = [(r.name, normalize_text(r.name), r.valid_from, r.valid_until)
                     for r in session.exec(select(ReviewCriterion).order_by(ReviewCriterion.sort_order,
                                                                            ReviewCriterion.id)).all()]

    def match(self, value: str, on: dt.date | None) -> str:
        """The criterion `value` names (after normalisation) in any version of the list: a review
        keeps the criterion it was made under even when the list changed from an earlier day since.
        Raises ValueError naming the criteria in force on `on` (today's list when undated)."""
        key = normalize_text(value)
        for name, norm, _, _ in self.rows:
            if norm == key:
                return name
        day = on or self.today
        in_force = [name for name, _, start, end in self.rows
                    if (start is None or start <= day) and (end is None or end >= day)]
        raise ValueError(f"“{value}”不是联审标准（可用：{'、'.join(dict.fromkeys(in_force))}）")


def record_criterion(ctx: Ctx, name: str, sort_order: int | None, valid_from: dt.date | None,
                     valid_until: dt.date | None) -> str:
    """A row of an exported 联审标准 sheet: the version of `name` that starts on `valid_from` takes
    the row's order and end date, or is added. Returns inserted, updated or unchanged."""
    name = clean_cell(name)
    if valid_from is not None and valid_until is not None and valid_until < valid_from:
        raise BadValue(f"联审标准“{name}”的停用日期 {valid_until} 早于启用日期 {valid_from}。")
    row = ctx.session.exec(select(ReviewCriterion).where(
        ReviewCriterion.name == name,
        col(ReviewCriterion.valid_from).is_(None) if valid_from is None else ReviewCriterion.valid_from == valid_from,
    )).first()
    if row is None:
        order = sort_order if sort_order is not None else \
            (ctx.session.exec(select(func.max(ReviewCriterion.sort_order))).one() or 0) + 1
        row = ReviewCriterion(name=name, sort_order=order, valid_from=valid_from, valid_until=valid_until)
        ctx.session.add(row)
        ctx.session.flush()
        audit.record_insert(ctx, "review_criterion", row)
        return "inserted"
    changes: dict[str, Any] = {"valid_until": valid_until}
    if sort_order is not None:
        changes["sort_order"] = sort_order
    return "updated" if audit.apply_changes(ctx, "review_criterion", row, changes) else "unchanged"
