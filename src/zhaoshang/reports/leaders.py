"""周调度 by leader in charge (`zs report --week --by leader`): per 包保领导, the projects they answer
for, how many are signed, started and stalled, their open problems and the week's progress notes.
A project without a leader is under its chain's 链长, marked as such; one with neither is listed
under 未明确包保领导."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlmodel import Session

from zhaoshang.models import Chain, Problem, ProgressNote, Project
from zhaoshang.reports import periods
from zhaoshang.reports.model import Report, Section
from zhaoshang.services.leaders import all_links
from zhaoshang.vocabulary.columns import Col
from zhaoshang.vocabulary.milestones import stage_dates
from zhaoshang.vocabulary.stages import SIGNED_OR_LATER, STAGE_RANK, TERMINATED
from zhaoshang.vocabulary.weeks import week_of

NO_LEADER = ("未明确包保领导", "No leader in charge")
COLUMNS = [
    Col("leader", "包保领导", "Leader"),
    Col("projects", "项目", "Projects", "int"),
    Col("signed", "已签约", "Signed", "int"),
    Col("started", "已开工", "Started", "int"),
    Col("stalled", "停滞", "Stalled", "int"),
    Col("problems_open", "未解决问题", "Open problems", "int"),
    Col("notes", "本周进展", "Notes this week", "int"),
]
NOTE_COLUMNS = [
    Col("leader", "包保领导", "Leader"),
    Col("code", "项目编号", "Code", "code"),
    Col("name", "项目名称", "Project"),
    Col("progress", "本周进展", "Progress"),
    Col("next_step", "下步计划", "Next step"),
]


def build(session: Session, as_of: dt.date, *, stall_days: int = 90) -> Report:
    period = periods.of_kind("week", as_of)
    cutoff = period.cutoff
    conn = session.connection()
    P, C = Project.__table__, Chain.__table__  # type: ignore[attr-defined]
    projects = {r.id: r for r in conn.execute(
        select(P.c.id, P.c.code, P.c.name, P.c.stage, C.c.chief)
        .select_from(P.outerjoin(C, C.c.id == P.c.chain_id)).where(P.c.stage != TERMINATED).order_by(P.c.id))}
    groups: dict[str, list[int]] = {}
    marked: set[str] = set()
    led: set[int] = set()
    for pid, _leader_id, _written, name, title in all_links(conn):
        if pid in projects:
            groups.setdefault(f"{name}（{title}）" if title else name, []).append(pid)
            led.add(pid)
    for pid, p in projects.items():
        if pid in led:
            continue
        key = f"{p.chief}（链长）" if p.chief else NO_LEADER[0]
        if p.chief:
            marked.add(key)
        groups.setdefault(key, []).append(pid)
    dates = stage_dates(session, list(projects)) if projects else {}
    stall_before = cutoff - dt.timedelta(days=stall_days)
    Pr = Problem.__table__  # type: ignore[attr-defined]
    open_problems = dict(conn.execute(
        select(Pr.c.project_id, func.count()).where(
            or_(Pr.c.raised_on.is_(None), Pr.c.raised_on <= cutoff),
            or_(Pr.c.resolved_on.is_(None), Pr.c.resolved_on > cutoff)).group_by(Pr.c.project_id)).all())
    N = ProgressNote.__table__  # type: ignore[attr-defined]
    notes = {r.project_id: r for r in conn.execute(select(N).where(and_(N.c.week == week_of(cutoff))))}

    def stalled(pid: int) -> bool:
        p = projects[pid]
        signed = dates.get(pid, {}).get("signed_on")
        return p.stage in ("signed", "ready") and signed is not None and signed.first <= stall_before

    def figures(pids: list[int]) -> dict[str, int]:
        return {"projects": len(pids), "signed": sum(projects[p].stage in SIGNED_OR_LATER for p in pids),
                "started": sum(STAGE_RANK.get(projects[p].stage, 0) >= STAGE_RANK["started"] for p in pids),
                "stalled": sum(stalled(p) for p in pids), "problems_open": sum(open_problems.get(p, 0) for p in pids),
                "notes": sum(p in notes for p in pids)}

    rows, note_rows = [], []
    for key in sorted(groups, key=lambda k: (k == NO_LEADER[0], k in marked, k)):
        pids = groups[key]
        rows.append({"leader": key, "chief": key in marked, **figures(pids)})
        note_rows += [{"leader": key, "code": projects[p].code, "name": projects[p].name,
                       "progress": notes[p].progress, "next_step": notes[p].next_step} for p in pids if p in notes]
    totals = figures(list(projects))  # each project once, however many leaders it has
    total: dict[str, Any] = {"leader": "合计（不重复计）", **totals}
    report = Report("week", f"周调度 {period.label('zh')} · 分包保领导",
                    f"Weekly dispatch, {period.label('en')} · by leader", period=period, totals=totals)
    report.sections.append(Section(
        "by_leader", "分包保领导", "By leader in charge", COLUMNS, rows, total,
        note_zh="没有包保领导的项目记在所属产业链的链长名下，标“（链长）”；停滞：签约满"
                f"{stall_days}天未开工。",
        note_en=f"Projects without a leader in charge are under their chain's chief, marked; stalled: signed over "
                f"{stall_days} days ago and not started."))
    report.lists.append(Section("notes", "本周进展", "This week's progress", NOTE_COLUMNS, note_rows))
    report.as_of = as_of
    return report
