"""What a unit's weekly return template holds (render/returns.py writes it): the unit, the week, the
ledger's id, the unit's live projects pre-filled, the stage words and chains of the dropdowns, and the
locked cells with their checksum.

Every unit but the leadership (区委区政府, outside the 27) owes a return every week, a unit without
a live project too: its template has the empty block for new projects. A project is live while it is
neither terminated nor producing, and a producing project stays in while it has an open problem.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from zhaoshang.errors import NotFound
from zhaoshang.models import Chain, Problem, Project, StageWord, Unit
from zhaoshang.services.directory import find_unit
from zhaoshang.services.leaders import leaders_of
from zhaoshang.services.projects import listing_query, listing_row
from zhaoshang.services.settings import get_setting, ledger_id, returns_deadline
from zhaoshang.services.support import support_of
from zhaoshang.vocabulary.milestones import stage_dates
from zhaoshang.vocabulary.returns import VERSION, Deadline, checksum
from zhaoshang.vocabulary.stages import ALL_STAGES, STAGE_ZH, TERMINATED
from zhaoshang.vocabulary.weeks import week_of, week_stem, week_zh

LEADERSHIP = "leadership"


@dataclass
class Template:
    district: str | None
    ledger: str  # the ledger's id
    unit: str
    unit_id: int
    week: dt.date  # its Monday
    due: Deadline
    projects: list[dict]  # listing rows plus "problems" (the open ones, as one cell states them)
    stage_words: list[str]
    chains: list[str]
    generated_on: dt.date
    version: str = VERSION
    locked: list[tuple[str, str]] = field(default_factory=list)  # (code, name) of each pre-filled row
    supported: list[dict] = field(default_factory=list)  # live projects the unit supports (配合单位): shown, not filled

    @property
    def year_month(self) -> tuple[int, int]:
        """The year and month of the week's Thursday (the ISO week's own year): the year whose plan
        the template shows and the month its 完成投资 runs to."""
        day = self.week + dt.timedelta(days=3)
        return day.year, day.month

    @property
    def stem(self) -> str:
        return week_stem(self.week)

    @property
    def week_label(self) -> str:
        return week_zh(self.week)

    @property
    def file_name(self) -> str:
        """2023-W26-税郭镇.xlsx"""
        return f"{self.stem}-{self.unit}.xlsx"

    @property
    def checksum(self) -> str:
        return checksum(self.locked)

    @property
    def due_text(self) -> str:
        return self.due.text(self.week)


def owing_units(session: Session) -> list[Unit]:
    """The units that owe a weekly return, in the official order: all but the leadership."""
    return [u for u in session.exec(select(Unit).order_by(Unit.sort_order, Unit.id)).scalars()  # type: ignore[call-overload]
            if u.kind != LEADERSHIP]


def templates(session: Session, day: dt.date, units: list[str] | None = None) -> list[Template]:
    """The templates of the week holding `day`: every owing unit's, or those of `units`."""
    if units:
        chosen = []
        for name in units:
            unit = find_unit(session, name)
            if unit.kind == LEADERSHIP:
                raise NotFound(f"“{unit.name}”是区领导，不报周报表。", "用 zs units list 查看责任单位。")
            if unit not in chosen:
                chosen.append(unit)
    else:
        chosen = owing_units(session)
    week = week_of(day)
    due = returns_deadline(session)
    words = [STAGE_ZH[s] for s in ALL_STAGES]
    words += sorted(w for w in session.exec(select(StageWord.word)).scalars() if w not in words)  # type: ignore[call-overload]
    chains = list(session.exec(select(Chain.name).order_by(Chain.sort_order, Chain.id)).scalars())  # type: ignore[call-overload]
    thursday = week + dt.timedelta(days=3)
    rows = live_projects(session, [u.id for u in chosen], (thursday.year, thursday.month))  # type: ignore[misc]
    district = get_setting(session, "district")
    ident = ledger_id(session)
    supported = supported_projects(session, [u.id for u in chosen])  # type: ignore[misc]
    out = []
    for unit in chosen:
        projects = rows.get(unit.id, [])  # type: ignore[arg-type]
        out.append(Template(district, ident, unit.name, unit.id, week, due, projects, words, chains,  # type: ignore[arg-type]
                            day, locked=[(p["code"], p["name"]) for p in projects],
                            supported=supported.get(unit.id, [])))  # type: ignore[arg-type]
    return out


def supported_projects(session: Session, unit_ids: list[int]) -> dict[int, list[dict]]:
    """Each unit's live projects as a supporting unit (配合单位), in code order: code, name, lead unit, stage.
    Their lead unit reports them; the supporting unit's template shows them in a section of its own."""
    from zhaoshang.models import ProjectSupport

    P, S, U = Project.__table__, ProjectSupport.__table__, Unit.__table__  # type: ignore[attr-defined]
    out: dict[int, list[dict]] = {}
    query = (select(S.c.unit_id, P.c.code, P.c.name, U.c.name.label("lead"), P.c.stage)
             .join(P, P.c.id == S.c.project_id).outerjoin(U, U.c.id == P.c.unit_id)
             .where(S.c.unit_id.in_(unit_ids), P.c.stage != TERMINATED).order_by(P.c.code))
    for unit_id, code, name, lead, stage in session.connection().execute(query):
        out.setdefault(unit_id, []).append({"code": code, "name": name, "unit": lead, "stage": stage})
    return out


def live_projects(session: Session, unit_ids: list[int], year_month: tuple[int, int]) -> dict[int, list[dict]]:
    """Each unit's live projects (in code order) as listing rows, with their open problems, the plan
    of the year and the completed investment of that year to the end of the month (万元)."""
    from zhaoshang.services.investment import months_of, plans_of
    from zhaoshang.vocabulary.cumulative import cumulative

    P, R = Project.__table__, Problem.__table__  # type: ignore[attr-defined]
    open_problem = and_(R.c.project_id == P.c.id, R.c.resolved_on.is_(None))
    has_open = select(R.c.id).where(open_problem).exists()
    query = listing_query().add_columns(P.c.unit_id).where(
        P.c.unit_id.in_(unit_ids), P.c.stage != TERMINATED,
        or_(P.c.stage != "producing", has_open)).order_by(P.c.code)
    conn = session.connection()
    found = list(conn.execute(query))
    dates = stage_dates(session, [r.id for r in found]) if found else {}
    problems: dict[int, list[str]] = {}
    if found:
        for pid, text in conn.execute(select(R.c.project_id, R.c.text).where(
                R.c.project_id.in_([r.id for r in found]), R.c.resolved_on.is_(None)).order_by(R.c.id)):
            problems.setdefault(pid, []).append(text)
    out: dict[int, list[dict]] = {}
    ids = [r.id for r in found]
    leaders, support = (leaders_of(conn, ids), support_of(conn, ids)) if found else ({}, {})
    plans, months = (plans_of(conn, ids), months_of(conn, ids)) if found else ({}, {})
    year, month = year_month
    for r in found:
        row = listing_row(r, r.unit, r.chain, dates.get(r.id, {}))
        row["leaders"], row["support_units"] = leaders.get(r.id, []), support.get(r.id, [])
        row["plan_wan"] = plans.get(r.id, {}).get(year)
        per_year = {m: a for (y, m), a in months.get(r.id, {}).items() if y == year}
        row["completed_wan"] = cumulative(per_year, month) if any(m <= month for m in per_year) else None
        texts = problems.get(r.id, [])
        row["problems"] = texts[0] if len(texts) == 1 else "；".join(f"{i}.{t}" for i, t in enumerate(texts, 1)) or None
        out.setdefault(r.unit_id, []).append(row)
    return out
