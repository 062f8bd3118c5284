"""问题协调: the difficulties a dispatch meeting works on (存在问题 / 需协调事项), each with an owner
unit and a deadline.

Definitions (DESIGN §10), all at a day `as_of`:
- a problem exists from its raised_on (an unknown raised_on: it has always existed, and it counts
  as raised in no window);
- open: exists and not resolved by as_of (resolved_on <= as_of is resolved); open includes overdue;
- overdue: open and due_on < as_of; days late = as_of - due_on;
- resolved on time: resolved_on <= due_on (a problem without a deadline is on time);
- problems count under their owner unit; a ledger problem is the same problem when its project and
  its normalised text are (re-importing a ledger changes nothing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, or_
from sqlmodel import Session, col, select

from zhaoshang.errors import BadValue, Conflict, NotFound
from zhaoshang.models import Problem, Project, Unit
from zhaoshang.services import audit, users
from zhaoshang.services.context import Ctx
from zhaoshang.services.directory import find_unit
from zhaoshang.vocabulary.dates import iso
from zhaoshang.vocabulary.problems import clean_problem, is_no_problem, problem_key, split_problems

METRICS = ("problems_raised", "problems_resolved", "problems_open", "problems_overdue")
text_key = problem_key
clean_text = clean_problem


# --------------------------------------------------------------------------- SQL conditions


def _exists_by(as_of: Any) -> Any:
    return or_(col(Problem.raised_on).is_(None), col(Problem.raised_on) <= as_of)


def _open_at(as_of: Any) -> Any:
    return and_(_exists_by(as_of), or_(col(Problem.resolved_on).is_(None), col(Problem.resolved_on) > as_of))


def _overdue_at(as_of: Any) -> Any:
    return and_(_open_at(as_of), col(Problem.due_on).is_not(None), col(Problem.due_on) < as_of)


def _between(column: Any, start: dt.date, end: dt.date) -> Any:
    return and_(col(column) >= start, col(column) <= end)


def _count(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


# --------------------------------------------------------------------------- writing


def _problem(session: Session, problem_id: int | str) -> Problem:
    text = str(problem_id).strip().lstrip("#")
    problem = session.get(Problem, int(text)) if text.isdigit() else None
    if problem is None:
        raise NotFound(f"问题 #{text} 不存在。", "用 zs problems list 查看编号。")
    return problem


def _same(session: Session, project_id: int, text: str) -> Problem | None:
    key = text_key(text)
    for p in session.exec(select(Problem).where(Problem.project_id == project_id).order_by(Problem.id)).all():
        if text_key(p.text) == key:
            return p
    return None


def add_problem(ctx: Ctx, code: str, text: str, owner: str, due: dt.date, *,
                raised: dt.date | None = None) -> Problem:
    """A problem a clerk enters: owner unit and deadline required; raised today unless given."""
    from zhaoshang.services.projects import get_project

    project = get_project(ctx.session, code)
    text = clean_text(text)
    if is_no_problem(text):
        raise BadValue("问题内容不能为空。")
    unit = find_unit(ctx, owner)
    assert project.id is not None
    existing = _same(ctx.session, project.id, text)
    if existing is not None:
        raise Conflict(f"项目“{project.code}”已有这个问题（#{existing.id}）。",
                       f"用 zs problems list --project {project.code} 查看。")
    raised = raised or ctx.today
    if due < raised:
        raise BadValue(f"--due {due} 早于提出日期 {raised}。")
    problem = Problem(project_id=project.id, text=text, owner_unit_id=unit.id, raised_on=raised, due_on=due)
    ctx.session.add(problem)
    ctx.session.flush()
    audit.record_insert(ctx, "problem", problem, project_id=project.id)
    return problem


@dataclass
class ProblemRow:
    """One ledger row's problem, for record_problems. None means the row does not state it."""

    project_id: int
    text: str | None
    owner_unit_id: int | None = None
    due_on: dt.date | None = None
    raised_on: dt.date | None = None
    source: str | None = None
    resolved_on: dt.date | None = None
    resolution: str | None = None


@dataclass
class RecordCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: RecordCounts) -> None:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged


def record_problem(ctx: Ctx, project_id: int, text: str | None, owner_unit_id: int | None,
                   due_on: dt.date | None, raised_on: dt.date | None = None,
                   source: str | None = None) -> bool:
    """One ledger row's problem (see record_problems). Returns True when a new problem was recorded."""
    row = ProblemRow(project_id, text, owner_unit_id, due_on, raised_on, source)
    return record_problems(ctx, [row]).inserted > 0


_COLUMNS = ("id", "project_id", "text", "owner_unit_id", "raised_on", "due_on", "resolved_on", "resolution")
_STATED = ("owner_unit_id", "raised_on", "due_on", "resolved_on", "resolution")


def record_problems(ctx: Ctx, rows: Iterable[ProblemRow], bulk: Any = None, *, split: bool = True,
                    raised: dt.date | None = None) -> RecordCounts:
    """Ledger rows' problems, as an import gives them, in one pass.

    A problem is the same problem when its project and its normalised text are: a new one is
    inserted (owned by the project's unit when the row names no owner); a known one takes what the
    row states — owner, dates (an extended 解决时限, a 办结时间), resolution — and every change is
    audited; what the row leaves blank stays as it is, so a resolved problem stays resolved. "无" or
    blank cells record nothing; a cell numbering several problems (1.…；2.…) records each (unless
    `split` is false: a sheet of problems holds one a row). A new problem without a 提出时间 is raised on
    `raised` (a weekly return's day), else on no known day.

    One query per 900 projects finds the problems they already have; new problems and every audit
    event go in as bulk inserts (`bulk`: the caller's db.bulk.Bulk, else one on the session's
    connection), changes as grouped updates. Nothing goes through ORM objects one by one."""
    from sqlalchemy import select as core_select

    from zhaoshang.db.bulk import Bulk

    items = [(r, text) for r in rows if not is_no_problem(r.text)
             for text in (split_problems(r.text) if split else [clean_text(r.text)])]  # type: ignore[arg-type]
    counts = RecordCounts()
    if not items:
        return counts
    ctx.session.flush()
    conn = ctx.session.connection()
    bulk = bulk or Bulk(conn)
    users.require_projects(ctx, {r.project_id for r, _ in items})  # bulk writes pass by the flush checks
    table = Problem.__table__  # type: ignore[attr-defined]
    projects = Project.__table__  # type: ignore[attr-defined]
    known: dict[tuple[int, str], dict] = {}
    units: dict[int, int | None] = {}
    ids = sorted({r.project_id for r, _ in items})
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        for row in conn.execute(core_select(*(table.c[c] for c in _COLUMNS))
                                .where(table.c.project_id.in_(chunk)).order_by(table.c.id)):
            known.setdefault((row[1], text_key(row[2])), dict(zip(_COLUMNS, row, strict=True)))
        units |= dict(conn.execute(  # type: ignore[arg-type]
            core_select(projects.c.id, projects.c.unit_id).where(projects.c.id.in_(chunk))).all())
    writes = audit.BulkWrite(ctx, bulk)
    for r, text in items:
        key = (r.project_id, text_key(text))
        stated = {k: v for k in _STATED if (v := getattr(r, k)) is not None}
        source = r.source or ctx.source
        found = known.get(key)
        if found is None:
            record = dict.fromkeys(_COLUMNS) | {"project_id": r.project_id, "text": text} | stated
            if record["owner_unit_id"] is None:
                record["owner_unit_id"] = units.get(r.project_id)
            if record["raised_on"] is None:  # a weekly return's new problem was raised in its week
                record["raised_on"] = raised
            known[key] = record
            writes.insert("problem", table, _COLUMNS, record, source)
            counts.inserted += 1
            continue
        changes = {k: v for k, v in stated.items() if found[k] != v}
        writes.change("problem", table, found, changes, source)
        # A problem recorded earlier in this pass takes the later row's values: still one insert.
        if changes and found["id"] is not None:
            counts.updated += 1
        else:
            counts.unchanged += 1
    writes.write()
    return counts


def resolve_problem(ctx: Ctx, problem_id: int | str, note: str, on: dt.date | None = None) -> Problem:
    problem = _problem(ctx.session, problem_id)
    note = clean_text(note)
    if not note:
        raise BadValue("--note 不能为空：写明怎么解决的。")
    on = on or ctx.today
    if problem.resolved_on is not None:
        raise Conflict(f"问题 #{problem.id} 已于 {problem.resolved_on} 解决：{problem.resolution or ''}")
    if problem.raised_on is not None and on < problem.raised_on:
        raise BadValue(f"--on {on} 早于问题提出日期 {problem.raised_on}。")
    audit.apply_changes(ctx, "problem", problem, {"resolved_on": on, "resolution": note},
                        project_id=problem.project_id)
    return problem


def update_problem(ctx: Ctx, problem_id: int | str, *, text: str | None = None, owner: str | None = None,
                   due: dt.date | None = None) -> list[str]:
    """Correct a problem: its wording, its owner unit, its deadline (extended or brought forward),
    audited. Returns the fields that changed."""
    problem = _problem(ctx.session, problem_id)
    changes: dict[str, Any] = {}
    if text is not None:
        text = clean_text(text)
        if is_no_problem(text):
            raise BadValue("问题内容不能为空。")
        other = _same(ctx.session, problem.project_id, text)
        if other is not None and other.id != problem.id:
            raise Conflict(f"这个项目已有同样的问题（#{other.id}）。")
        changes["text"] = text
    if owner is not None:
        changes["owner_unit_id"] = find_unit(ctx, owner).id
    if due is not None:
        if problem.raised_on is not None and due < problem.raised_on:
            raise BadValue(f"--due {due} 早于提出日期 {problem.raised_on}。")
        changes["due_on"] = due
    if not changes:
        raise BadValue("没有要修改的内容。", "例如 --due 2023-08-31 或 --owner 区自然资源局。")
    return audit.apply_changes(ctx, "problem", problem, changes, project_id=problem.project_id)


# --------------------------------------------------------------------------- reading


def _status(resolved_on: dt.date | None, due_on: dt.date | None, as_of: dt.date) -> str:
    if resolved_on is not None and resolved_on <= as_of:
        return "resolved"
    if due_on is not None and due_on < as_of:
        return "overdue"
    return "open"


def list_problems(session: Session, as_of: dt.date, *, open_only: bool = False, overdue_only: bool = False,
                  unit_id: int | None = None, project_id: int | None = None,
                  chain_id: int | None = None) -> list[dict]:
    """Problems known at `as_of` (raised by then), with their state that day; overdue ones carry the
    days late. Open includes overdue. Sorted by id, or most days late first when only overdue ones
    are asked for."""
    owner = Unit.__table__.alias("owner")  # type: ignore[attr-defined]
    query = (
        select(Problem.id, Project.code, Project.name, Problem.text, owner.c.name, Problem.raised_on,
               Problem.due_on, Problem.resolved_on, Problem.resolution)
        .join(Project, col(Project.id) == Problem.project_id)
        .outerjoin(owner, owner.c.id == Problem.owner_unit_id)
        .where(_exists_by(as_of))
    )
    if overdue_only:
        query = query.where(_overdue_at(as_of))
    elif open_only:
        query = query.where(_open_at(as_of))
    if unit_id is not None:
        query = query.where(Problem.owner_unit_id == unit_id)
    if project_id is not None:
        query = query.where(Problem.project_id == project_id)
    if chain_id is not None:
        query = query.where(Project.chain_id == chain_id)
    query = query.order_by(col(Problem.due_on), Problem.id) if overdue_only else query.order_by(Problem.id)
    rows = []
    for pid, code, name, text, owner_name, raised_on, due_on, resolved_on, resolution in session.exec(query).all():
        status = _status(resolved_on, due_on, as_of)
        rows.append({
            "id": pid, "code": code, "name": name, "text": text, "owner": owner_name,
            "raised_on": iso(raised_on), "due_on": iso(due_on),
            "resolved_on": iso(resolved_on) if status == "resolved" else None,
            "status": status,
            "days_late": (as_of - due_on).days if status == "overdue" and due_on else None,
            "resolution": resolution if status == "resolved" else None,
        })
    return rows


def overdue_problems(session: Session, as_of: dt.date, unit_id: int | None = None,
                     chain_id: int | None = None) -> list[dict]:
    """The problems overdue at `as_of`, most days late first, each with its owner and days late."""
    return list_problems(session, as_of, overdue_only=True, unit_id=unit_id, chain_id=chain_id)


def _scoped(query: Any, unit_id: int | None, chain_id: int | None) -> Any:
    """Problems of one owner unit and/or of the projects of one chain."""
    if unit_id is not None:
        query = query.where(Problem.owner_unit_id == unit_id)
    if chain_id is not None:
        query = query.where(col(Problem.project_id).in_(select(Project.id).where(Project.chain_id == chain_id)))
    return query


def projects_with_open_problems(session: Session, as_of: dt.date) -> dict[int, int]:
    """The projects with problems open at `as_of`, and how many each."""
    query = select(Problem.project_id, func.count()).where(_open_at(as_of)).group_by(Problem.project_id)
    return {pid: int(n) for pid, n in session.exec(query).all()}  # type: ignore[call-overload]


def problem_counts(session: Session, start: dt.date, end: dt.date, as_of: dt.date, *, unit_id: int | None = None,
                   chain_id: int | None = None) -> dict[int | None, dict]:
    """Per owner unit (None: no owner): problems raised and resolved in [start, end], open and overdue
    at `as_of` (of one owner unit, of one chain's projects). One aggregate query; units with no
    problems are left out."""
    query = (
        select(
            Problem.owner_unit_id,
            _count(_between(Problem.raised_on, start, end)).label("problems_raised"),
            _count(_between(Problem.resolved_on, start, end)).label("problems_resolved"),
            _count(_open_at(as_of)).label("problems_open"),
            _count(_overdue_at(as_of)).label("problems_overdue"),
        )
        .group_by(Problem.owner_unit_id)
    )
    out: dict[int | None, dict] = {}
    for owner, *values in session.exec(_scoped(query, unit_id, chain_id)).all():
        out[owner] = {k: int(v) for k, v in zip(METRICS, values, strict=True)}
    return out


def resolved_on_time(session: Session, start: dt.date, end: dt.date, *, unit_id: int | None = None,
                     chain_id: int | None = None) -> dict[int | None, dict]:
    """Per owner unit: problems resolved in [start, end], how many of them by their deadline (a
    problem without one counts as on time), and how many late. One aggregate query."""
    on_time = or_(col(Problem.due_on).is_(None), col(Problem.resolved_on) <= col(Problem.due_on))
    query = (
        select(Problem.owner_unit_id, func.count().label("resolved"), _count(on_time).label("on_time"))
        .where(_between(Problem.resolved_on, start, end))
        .group_by(Problem.owner_unit_id)
    )
    return {
        owner: {"problems_resolved": int(n), "problems_resolved_on_time": int(ok),
                "problems_resolved_late": int(n) - int(ok)}
        for owner, n, ok in session.exec(_scoped(query, unit_id, chain_id)).all()
    }
