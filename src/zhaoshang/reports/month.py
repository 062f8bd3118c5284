"""月通报: the monthly bulletin — units ranked by their score against the year's targets (pro rata,
序时进度), chains, and the change against the previous month."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session

from zhaoshang.reports import base, common, periods
from zhaoshang.reports.model import Figure, Report, Section, Series
from zhaoshang.reports.rules import Rules, default_rules
from zhaoshang.reports.scoring import Scoring, fallback_ranks, periodic, rnd
from zhaoshang.vocabulary.columns import Col
from zhaoshang.vocabulary.figures import percent

CHANGE_KEYS = ("new_leads", "new_planned", "new_signed", "new_signed_wan", "new_started", "new_started_wan",
               "new_producing", "trips", "main_leader_trips")
RANK_METRICS = ("new_signed", "new_signed_wan", "new_started", "new_started_wan")


def build(session: Session, as_of: dt.date, *, unit: str | None = None, chain: str | None = None,
          stall_days: int = 90, campaign: str | None = None, rules: Rules | None = None,
          backlog: bool = False) -> Report:
    d = common.directory(session, unit, chain)
    report, _, _ = base.cadence(session, d, "month", as_of, stall_days, backlog)
    period = report.period
    assert period is not None
    compared = report.compared["window"]
    prev_period, prev = compared.previous_period, compared.previous
    by_unit = report.section("by_unit")
    assert by_unit is not None
    for unit_id, row in zip(by_unit.ids, by_unit.rows, strict=True):
        _with_previous(row, prev.unit(unit_id))
    assert by_unit.total is not None
    _with_previous(by_unit.total, prev.total)
    report.sections.insert(1, Section(
        "change", f"环比：{period.label('zh')}与{prev_period.label('zh')}（签约额：亿元；开工含具备开工条件）",
        f"Change: {period.label('en')} against {prev_period.label('en')} "
        "(amounts in 100M yuan; started includes ready)",
        [common.unit_col(), *_change_columns()], by_unit.rows, by_unit.total, by_unit.ids, in_json=False))
    # Scores and ranks are the district's, whatever the report is narrowed to.
    district = common.directory(session)
    current = periodic(session, district, period.cutoff, campaign, rules)
    before = periodic(session, district, prev_period.cutoff, campaign, rules)
    report.sections.insert(0, ranking(d, by_unit, current, before, rules))
    report.figures.append(signed_and_started(d, by_unit, period))
    if current is not None:
        report.meta["ranking_basis"] = basis(current)
        report.chart = current.chart("任务进度与时间进度", "Task progress against time")
    else:
        keys = (rules or default_rules()).fallback
        report.meta["ranking_basis"] = {"fallback": keys}
    return base.finish(session, d, report, period)


def signed_and_started(d: common.Directory, by_unit: Section, period: periods.Period) -> Figure:
    """The month's new signings and starts of each ranked unit, as columns side by side."""
    ranked = {u.name for u in d.ranked_units()}
    rows = [r for r in by_unit.rows if r["unit"] in ranked]
    names = [r["unit"] for r in rows]
    return Figure("signed_started", f"{period.label('zh')}各单位新签约、新开工项目（个）",
                  f"Signed and started by unit, {period.label('en')}", "column", names, names,
                  [Series("新签约项目", "Signed", [r["new_signed"] for r in rows]),
                   Series("新开工或具备开工条件项目", "Started or ready", [r["new_started"] for r in rows])])


def _with_previous(row: dict, previous: dict[str, Any]) -> None:
    row.setdefault("previous", {k: previous.get(k) for k in CHANGE_KEYS})
    row["change"] = {k: (row.get(k) or 0) - (previous.get(k) or 0) if row.get(k) is not None else None
                     for k in CHANGE_KEYS}


CHANGE_SHOWN = {"new_signed": ("签约", "Signed"), "new_signed_wan": ("签约额", "Amount"),
                "new_started": ("开工", "Started")}


def _change_columns() -> list[Col]:
    cols = []
    for key, (zh, en) in CHANGE_SHOWN.items():
        kind = common.METRIC_LABELS[key][2]
        cols += [Col(key, f"{zh}\n本月", f"{en}\nnow", kind),
                 Col(f"previous.{key}", f"{zh}\n上月", f"{en}\nbefore", kind),
                 Col(f"change.{key}", f"{zh}\n增减", f"{en}\n+/-", "delta" if kind == "int" else "yi_delta")]
    return cols


def basis(s: Scoring) -> dict:
    assert s.campaign is not None
    return {"campaign": s.campaign.name, "rules_version": s.rules.version, "pro_rata": s.pro_rata,
            "day": s.day, "days": s.days, "time_progress": rnd(s.time_progress)}


RANK_COLUMNS = [
    Col("rank", "排名", "Rank", "int"),
    Col("unit", "责任单位", "Unit"),
    Col("score", "序时\n得分", "Pace\nscore", "score"),
    Col("progress", "任务\n进度", "Task\nprogress", "pct"),
    Col("_ahead_label", "序时\n进度", "On\npace", "i18n"),
    Col("previous_rank", "上月\n排名", "Last\nrank", "int"),
    Col("rank_change", "名次\n变化", "Rank\nchange", "delta"),
    *common.metric_columns(RANK_METRICS),
]


def ranking(d: common.Directory, by_unit: Section, current: Scoring | None, before: Scoring | None,
            rules: Rules | None) -> Section:
    """Units ranked: by score when there are targets, else by the rules' fallback metrics."""
    rows_by_name = {r["unit"]: r for r in by_unit.rows}
    names = [u.name for u in d.ranked_units()]
    out = []
    if current is not None:
        scores = {s.unit.name: s for s in current.units}
        previous = {s.unit.name: s.rank for s in before.units} if before is not None else {}
        for name in names:
            s = scores.get(name)
            out.append(_rank_row(name, rows_by_name.get(name, {}), s.score if s else None, s.rank if s else None,
                                 previous.get(name), s.progress if s else None, s.ahead if s else None))
    else:
        keys = (rules or default_rules()).fallback
        now = fallback_ranks([r for r in by_unit.rows if r["unit"] in names], keys)
        prev_rows = [{"unit": r["unit"], **(r.get("previous") or {})} for r in by_unit.rows if r["unit"] in names]
        prev_ranks = fallback_ranks(prev_rows, keys)
        for name in names:
            out.append(_rank_row(name, rows_by_name.get(name, {}), None, now.get(name), prev_ranks.get(name),
                                 None, None))
    order = {n: i for i, n in enumerate(names)}
    out.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, order[r["unit"]]))
    note_zh = note_en = None
    if current is None:
        note_zh = ("账本中没有年度目标或会战，按签约额、签约个数、开工额、开工个数依次排名"
                   "（评分规则 ranking.fallback）。")
        note_en = "No targets in the ledger: ranked by the rules' fallback metrics."
    else:
        assert current.campaign is not None
        note_zh, note_en = pro_rata_note(current)
    return Section("ranking", "单位排名", "Ranking", RANK_COLUMNS, out, note_zh=note_zh, note_en=note_en)


def pro_rata_note(s: Scoring) -> tuple[str, str]:
    """What a monthly or quarterly score measures, and how it differs from the scorecard's."""
    assert s.campaign is not None
    time = percent(s.time_progress)
    zh = (f"序时得分：对照“{s.campaign.name}”目标按序时进度评分，各项完成 ÷（目标 × 时间进度{time}，"
          f"第{s.day}天/共{s.days}天），封顶{s.rules.cap:g}，加权平均（评分规则 {s.rules.version}）。"
          "任务进度 = 完成 ÷ 全部目标，达到时间进度为超序时；zs scorecard 的得分按全部目标计，与序时得分不同。")
    en = (f"Pace score (pro rata): against the targets of {s.campaign.name} scaled to the time gone ({time}, day "
          f"{s.day} of {s.days}), each term capped at {s.rules.cap:g} (rules {s.rules.version}). Task progress "
          "is against the full targets; zs scorecard scores against the full targets, so its score differs.")
    return zh, en


def _rank_row(name: str, row: dict, score: float | None, rank: int | None, previous: int | None,
              progress: float | None, ahead: bool | None) -> dict:
    return {
        "rank": rank, "unit": name, "score": rnd(score), "progress": rnd(progress), "ahead": ahead,
        "_ahead_label": None if ahead is None else (("超序时", "ahead") if ahead else ("滞后", "behind")),
        "previous_rank": previous,
        "rank_change": (previous - rank) if previous is not None and rank is not None else None,
        **{k: row.get(k) for k in RANK_METRICS},
    }
