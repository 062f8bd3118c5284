"""签约批次: what became of one signing event — of the projects signed on a day (or in a month), how many
have started (or are ready) and how many produce by as-of, and their amounts."""

from __future__ import annotations

import datetime as dt
import statistics

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from zhaoshang.reports import common
from zhaoshang.reports.metrics import M, P, _first_of_its_stage
from zhaoshang.reports.model import Report, Section
from zhaoshang.reports.prose import yi
from zhaoshang.vocabulary.columns import Col
from zhaoshang.vocabulary.dates import LedgerDate
from zhaoshang.vocabulary.milestones import done

STATUS = {
    "signed": ("签约", "Signed"),
    "started": ("已开工或具备开工条件", "Started or ready"),
    "producing": ("已投产", "Producing"),
    "not_started": ("尚未开工", "Not started"),
}


def cohort_ids(session: Session, when: LedgerDate, scope: common.Scope) -> list[int]:
    """Projects whose signing date (the earliest) is `when`: that day, or any date in that month."""
    m = M.alias("m")
    if when.day is not None:
        date_cond = and_(m.c.done_on == when.first, or_(m.c.precision.is_(None), m.c.precision != "month"))
    else:
        date_cond = and_(m.c.done_on >= when.first, m.c.done_on <= when.last)
    query = (select(m.c.project_id).select_from(m.join(P, P.c.id == m.c.project_id))
             .where(m.c.kind == "signed", done(m), date_cond, _first_of_its_stage(m), *scope.project_conditions()))
    return [pid for (pid,) in session.connection().execute(query)]


def _on_or_before(text: str | None, as_of: dt.date) -> bool:
    if not text:
        return False
    parts = [int(x) for x in text.split("-")]
    return LedgerDate(parts[0], parts[1], parts[2] if len(parts) > 2 else None).last <= as_of  # a month: once over


def _started_on(row: dict) -> str | None:
    """The earlier of ready_on and started_on (a day date before a month date of the same month)."""
    dates = [x for x in (row["ready_on"], row["started_on"]) if x]
    return min(dates, key=lambda t: (t[:7], t[8:] or "99")) if dates else None


def build(session: Session, when: LedgerDate, as_of: dt.date, *, unit: str | None = None,
          chain: str | None = None) -> Report:
    d = common.directory(session, unit, chain)
    rows = common.project_rows(session, cohort_ids(session, when, d.scope))
    order = {u.name: i for i, u in enumerate(d.units)}
    listed = []
    for row in sorted(rows.values(), key=lambda r: (order.get(r["unit"], 10**6), r["code"])):
        started = _started_on(row)
        is_started = _on_or_before(started, as_of)
        is_producing = _on_or_before(row["produced_on"], as_of)
        days = None
        if is_started and started and len(started) == 10 and row["signed_on"] and len(row["signed_on"]) == 10:
            days = (dt.date.fromisoformat(started) - dt.date.fromisoformat(row["signed_on"])).days
        listed.append({**row, "started": is_started, "producing": is_producing, "days_to_start": days})
    groups = {
        "signed": listed,
        "started": [r for r in listed if r["started"]],
        "producing": [r for r in listed if r["producing"]],
        "not_started": [r for r in listed if not r["started"]],
    }
    summary = {k: {"count": len(v), "investment_wan": sum(r["investment_wan"] or 0 for r in v),
                   "investment_usd_wan": sum(r["investment_usd_wan"] or 0 for r in v)} for k, v in groups.items()}
    waits = [r["days_to_start"] for r in listed if r["days_to_start"] is not None]
    median = statistics.median(waits) if waits else None
    status_rows = [{"status": k, "_label": STATUS[k], **summary[k],
                    "share": round(summary[k]["count"] / len(listed), 4) if listed else None} for k in STATUS]
    label = when.iso()
    n, s = summary["signed"], summary["started"]
    zh = (f"{_zh(when)}集中签约的项目{n['count']}个，总投资{yi(n['investment_wan'])}亿元；"
          f"截至{as_of.year}年{as_of.month}月{as_of.day}日，已开工或具备开工条件{s['count']}个、总投资{yi(s['investment_wan'])}亿元，"
          f"已投产{summary['producing']['count']}个，尚未开工{summary['not_started']['count']}个"
          + (f"；签约到开工中位数{median:g}天" if median is not None else "") + "。")
    en = (f"Signed on {label}: {n['count']} projects worth {yi(n['investment_wan'])} (100M yuan); as of {as_of}, "
          f"{s['count']} started or ready, {summary['producing']['count']} producing, "
          f"{summary['not_started']['count']} not started.")
    sections = [Section("summary", f"签约批次 {label}：进展", f"Cohort signed {label}: progress", [
        Col("_label", "状态", "Status", "i18n"),
        Col("count", "项目数", "Projects", "int"),
        Col("share", "占比", "Share", "pct"),
        Col("investment_wan", "总投资(亿元)", "Investment (100M)", "yi"),
        Col("investment_usd_wan", "外资(万美元)", "Foreign (10k USD)", "usd", optional=True),
    ], status_rows)]
    columns = [*common.LIST_COLUMNS, Col("days_to_start", "签约至开工\n天数", "Days to\nstart", "int")]
    cohort = Section("cohort", f"{label} 签约项目", f"Signed {label}", columns, listed,
                     terminal=["code", "name", "investment_wan", "investment_usd_wan", "unit", "stage", "started_on",
                               "ready_on", "produced_on", "days_to_start"])
    return Report(kind="cohort", title_zh=f"签约批次 {label}（截至 {as_of}）",
                  title_en=f"Cohort signed {label} (as of {as_of})",
                  totals={**{k: v for k, v in summary.items()}, "median_days_to_start": median},
                  sections=sections, lists=[cohort], prose_zh=[zh], prose_en=[en],
                  meta={"signed_on": label, "as_of": as_of.isoformat()})


def _zh(when: LedgerDate) -> str:
    return f"{when.year}年{when.month}月" + (f"{when.day}日" if when.day else "")
