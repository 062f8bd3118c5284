"""阶段漏斗: how many projects reached each stage (lead → negotiating → signed → started or ready →
producing) per unit, the conversion from each stage to the next (签约→开工率), and the median days
spent between them.

A project has reached a stage when it has a done milestone of that stage or of a later one, dated by
as-of or undated (a project entered as signed passed through lead and negotiating). Projects that
were only planned (谋划) are not in the funnel; terminated ones count where they got to. Median days
use day-precision dates only.
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from typing import Any

from sqlalchemy import case, func, literal, or_, select
from sqlmodel import Session, col

from zhaoshang.reports import common
from zhaoshang.reports.metrics import M, P, Scope
from zhaoshang.reports.model import Report, Section
from zhaoshang.vocabulary.columns import Col
from zhaoshang.vocabulary.figures import percent
from zhaoshang.vocabulary.milestones import done, known_by
from zhaoshang.vocabulary.months import month_after

STEPS = ("lead", "negotiating", "signed", "started", "producing")
RANK = {"lead": 1, "negotiating": 2, "signed": 3, "ready": 4, "started": 4, "producing": 5}
TRANSITIONS = tuple(itertools.pairwise(STEPS))
STEP_ZH = {"lead": "线索", "negotiating": "在谈", "signed": "签约", "started": "开工", "producing": "投产"}
STEP_EN = {"lead": "Lead", "negotiating": "Talks", "signed": "Signed", "started": "Started", "producing": "Output"}


def _key(a: str, b: str) -> str:
    return f"{a}_{b}"


def reached_query(as_of: dt.date, scope: Scope) -> Any:
    rank = case(*((M.c.kind == k, literal(v)) for k, v in RANK.items()), else_=literal(0))
    furthest = (
        select(M.c.project_id, func.max(rank).label("r"))
        .where(done(M), col(M.c.kind).in_(list(RANK)), known_by(M, as_of, month_after(as_of)))
        .group_by(M.c.project_id)
        .subquery()
    )
    return (
        select(P.c.unit_id, furthest.c.r, func.count().label("n"))
        .select_from(furthest.join(P, P.c.id == furthest.c.project_id))
        .where(*scope.project_conditions())
        .group_by(P.c.unit_id, furthest.c.r)
    )


def terminated_query(as_of: dt.date, scope: Scope) -> Any:
    return (
        select(P.c.unit_id, func.count(func.distinct(M.c.project_id)).label("n"))
        .select_from(M.join(P, P.c.id == M.c.project_id))
        .where(M.c.kind == "terminated", done(M), known_by(M, as_of, month_after(as_of)),
               *scope.project_conditions())
        .group_by(P.c.unit_id)
    )


def dated_query(as_of: dt.date, scope: Scope) -> Any:
    return (
        select(M.c.project_id, P.c.unit_id, M.c.kind, M.c.done_on)
        .select_from(M.join(P, P.c.id == M.c.project_id))
        .where(done(M), col(M.c.kind).in_(list(RANK)), M.c.done_on.is_not(None), M.c.done_on <= as_of,
               or_(M.c.precision.is_(None), M.c.precision != "month"), *scope.project_conditions())
    )


def build(session: Session, as_of: dt.date, *, unit: str | None = None, chain: str | None = None) -> Report:
    d = common.directory(session, unit, chain)
    conn = session.connection()
    furthest: dict[int | None, dict[int, int]] = {}
    for unit_id, r, n in conn.execute(reached_query(as_of, d.scope)):
        if r:
            furthest.setdefault(unit_id, {})[r] = n
    terminated = dict(conn.execute(terminated_query(as_of, d.scope)).all())
    dates: dict[int, dict[str, dt.date]] = {}
    units_of: dict[int, int | None] = {}
    for pid, unit_id, kind, day in conn.execute(dated_query(as_of, d.scope)):
        step = "started" if kind == "ready" else kind
        seen = dates.setdefault(pid, {})
        if step not in seen or day < seen[step]:
            seen[step] = day
        units_of[pid] = unit_id
    spans: dict[int | None, dict[str, list[int]]] = {}
    for pid, seen in dates.items():
        for a, b in TRANSITIONS:
            if a in seen and b in seen and seen[b] >= seen[a]:
                spans.setdefault(units_of[pid], {}).setdefault(_key(a, b), []).append((seen[b] - seen[a]).days)
    entries = list(d.units)
    if d.scope.unit_id is None and (None in furthest or None in terminated):
        entries.append(common.Entry(None, None))
    rows = [_row(e.name, furthest.get(e.id, {}), terminated.get(e.id, 0), spans.get(e.id, {})) for e in entries]
    all_furthest: dict[int, int] = {}
    for counts in furthest.values():
        for r, n in counts.items():
            all_furthest[r] = all_furthest.get(r, 0) + n
    all_spans: dict[str, list[int]] = {}
    for s in spans.values():
        for k, v in s.items():
            all_spans.setdefault(k, []).extend(v)
    total = _row(common.TOTAL[0], all_furthest, sum(terminated.values()), all_spans)
    ids = [e.id for e in entries]
    scope = f" · {n}" if (n := " · ".join(x for x in (d.unit_name, d.chain_name) if x)) else ""
    counts = Section("funnel", "阶段漏斗与转化率", "Stage funnel and conversion", [
        common.unit_col(),
        *(Col(f"reached.{s}", f"{STEP_ZH[s]}\n(个)", STEP_EN[s], "int") for s in STEPS),
        Col("terminated", "终止\n(个)", "Ended", "int"),
        *(Col(f"conversion.{_key(a, b)}", f"{STEP_ZH[a]}→\n{STEP_ZH[b]}", f"{STEP_EN[a]}→\n{STEP_EN[b]}", "pct")
          for a, b in TRANSITIONS),
    ], rows, {k: v for k, v in total.items()}, ids,
        note_zh="开工含具备开工条件；转化率 = 到达下一阶段的项目数 ÷ 到达本阶段的项目数。",
        note_en="Talks = negotiating; Started includes ready to start; Output = producing. Conversion = reached the "
                "next stage ÷ reached this one.")
    medians = Section("time_in_stage", "各阶段停留天数（中位数）", "Median days between stages", [
        common.unit_col(),
        *(Col(f"median_days.{_key(a, b)}", f"{STEP_ZH[a]}→\n{STEP_ZH[b]}", f"{STEP_EN[a]}→\n{STEP_EN[b]}", "num")
          for a, b in TRANSITIONS),
        *(Col(f"samples.{_key(a, b)}", f"样本数\n{STEP_ZH[a]}→{STEP_ZH[b]}", f"Sample\n{STEP_EN[a]}→{STEP_EN[b]}",
              "int") for a, b in TRANSITIONS[2:3]),
    ], rows, total, ids, in_json=False)
    t = total
    zh = (f"截至{as_of.year}年{as_of.month}月{as_of.day}日，{(d.unit_name or d.chain_name or '全区')}进入漏斗的项目"
          f"{t['reached']['lead']}个：在谈及以后{t['reached']['negotiating']}个，签约{t['reached']['signed']}个，"
          f"开工或具备开工条件{t['reached']['started']}个，投产{t['reached']['producing']}个；"
          f"签约→开工率{_pct(t['conversion']['signed_started'])}。")
    en = (f"As of {as_of}: {t['reached']['lead']} projects in the funnel, {t['reached']['signed']} signed, "
          f"{t['reached']['started']} started or ready, {t['reached']['producing']} producing; signed→started "
          f"{_pct(t['conversion']['signed_started'])}.")
    return Report(kind="funnel", title_zh=f"项目阶段漏斗{scope}", title_en=f"Stage funnel{scope}",
                  totals={k: total[k] for k in ("reached", "terminated", "conversion", "median_days")},
                  sections=[counts, medians], prose_zh=[zh], prose_en=[en], meta={"as_of": as_of.isoformat()})


def _pct(x: float | None) -> str:
    return "—" if x is None else percent(x)


def _row(name: str, furthest: dict[int, int], terminated: int, spans: dict[str, list[int]]) -> dict:
    reached = {s: sum(n for r, n in furthest.items() if r >= i) for i, s in enumerate(STEPS, 1)}
    conversion = {_key(a, b): round(reached[b] / reached[a], 4) if reached[a] else None for a, b in TRANSITIONS}
    median = {_key(a, b): (round(float(statistics.median(spans[_key(a, b)])), 1) if spans.get(_key(a, b)) else None)
              for a, b in TRANSITIONS}
    samples = {_key(a, b): len(spans.get(_key(a, b), [])) for a, b in TRANSITIONS}
    return {"unit": name, "reached": reached, "terminated": terminated, "conversion": conversion,
            "median_days": median, "samples": samples}
