"""季评价: the quarterly evaluation — each unit's score with its parts (completion per metric against
the year's targets pro rata, weights from the rules file, deductions and bonuses), and its rank."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from zhaoshang.reports import base, common
from zhaoshang.reports.model import Report, Section
from zhaoshang.reports.month import basis
from zhaoshang.reports.rules import Rules
from zhaoshang.reports.scoring import Scoring, UnitScore, periodic, rnd
from zhaoshang.vocabulary.columns import Col
from zhaoshang.vocabulary.figures import percent


def build(session: Session, as_of: dt.date, *, unit: str | None = None, chain: str | None = None,
          stall_days: int = 90, campaign: str | None = None, rules: Rules | None = None,
          backlog: bool = False) -> Report:
    d = common.directory(session, unit, chain)
    report, _, _ = base.cadence(session, d, "quarter", as_of, stall_days, backlog)
    period = report.period
    assert period is not None
    scoring = periodic(session, common.directory(session), period.cutoff, campaign, rules)  # district ranks
    report.sections.insert(0, scores_section(scoring, {u.id for u in d.units}))
    if scoring is not None:
        report.meta["score_basis"] = basis(scoring) | {"weights": scoring.rules.weights, "cap": scoring.rules.cap}
        report.chart = scoring.chart("任务进度与时间进度", "Task progress against time")
    return base.finish(session, d, report, period)


def unit_json(s: UnitScore) -> dict:
    return {
        "unit": s.unit.name,
        "rank": s.rank,
        "score": rnd(s.score),
        "weighted_mean": rnd(s.weighted_mean),
        "ahead": s.ahead,
        "metrics": {t.metric: {"actual": t.actual, "target": rnd(t.target), "full_target": t.full_target,
                               "completion": rnd(t.completion), "weight": t.weight, "value": rnd(t.value),
                               "contribution": rnd(t.contribution)} for t in s.terms},
        "adjustments": [{"rule": a.rule.kind, "label": a.rule.label(), "count": a.count, "per": a.rule.per,
                         "value": rnd(a.value), "projects": [p["code"] for p in a.projects]}
                        for a in s.adjustments],
        "adjustment": rnd(sum(a.value for a in s.adjustments)),
    }


def scores_section(scoring: Scoring | None, unit_ids: set[int | None] | None = None) -> Section:
    if scoring is None:
        return Section("scores", "单位得分", "Scores", [common.unit_col()], [],
                       note_zh="账本中没有年度目标或会战，无法评分（用 zs campaign create/target 设定年度目标）。",
                       note_en="No targets in the ledger: nothing to score.")
    rows = [unit_json(s) for s in scoring.units if unit_ids is None or s.unit.id in unit_ids]
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0))
    used = [m for m in scoring.rules.weights if any(m in r["metrics"] and r["metrics"][m]["completion"] is not None
                                                   for r in rows)]
    cols = [Col("rank", "排名", "Rank", "int"), common.unit_col(),
            Col("score", "序时\n得分", "Pace\nscore", "score")]
    for m in used:
        zh, en, _ = common.METRIC_LABELS[m]
        cols.append(Col(f"metrics.{m}.completion", f"{zh.replace(chr(10), '')}\n完成率",
                        f"{en.replace(chr(10), ' ')}\ncompletion", "pct"))
    cols.append(Col("adjustment", "加减分", "Adjust-\nments", "score"))
    assert scoring.campaign is not None
    note_zh = (f"序时得分 = Σ权重×min(序时完成率, 封顶{scoring.rules.cap:g})/Σ权重 + 加减分"
               "（序时完成率 = 完成 ÷（目标 × 时间进度）；zs scorecard 的得分按全部目标计）；"
               f"对照“{scoring.campaign.name}”，"
               f"时间进度{percent(scoring.time_progress)}，评分规则 {scoring.rules.version}；"
               "用 zs scorecard --explain 单位 查看每一项。")
    note_en = (f"Pace score = Σ weight × min(pro-rata completion, {scoring.rules.cap:g}) / Σ weight + adjustments "
               "(zs scorecard scores against the full targets); "
               f"targets of {scoring.campaign.name}, rules {scoring.rules.version}.")
    return Section("scores", "单位得分及构成", "Scores and their parts", cols, rows, note_zh=note_zh, note_en=note_en)
