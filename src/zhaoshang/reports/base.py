"""The body every cadence report shares: window and year-to-date numbers per unit and chain, the
project lists behind them, stalled projects, overdue milestones, trips and the bulletin prose."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from zhaoshang.reports import common, compare, extensions, metrics, periods, prose
from zhaoshang.reports.common import Directory
from zhaoshang.reports.metrics import Breakdown
from zhaoshang.reports.model import Report, Section
from zhaoshang.reports.periods import Period

TITLES = {
    "week": ("周调度", "Weekly dispatch"),
    "month": ("月通报", "Monthly bulletin"),
    "quarter": ("季评价", "Quarterly evaluation"),
    "year": ("年认定", "Annual certification"),
}


def scope_label(d: Directory) -> str | None:
    names = [n for n in (d.unit_name, d.chain_name) if n]
    return " · ".join(names) if names else None


def cadence(session: Session, d: Directory, kind: str, as_of: dt.date, stall_days: int = 90,
            backlog: bool = False) -> tuple[Report, Breakdown, Breakdown]:
    """The shared report of a cadence, and its window and year-to-date breakdowns. Its stalled and
    overdue lists hold the window's (those that became stalled or fell overdue in it), or with
    `backlog` all of them at the cut-off."""
    period = periods.of_kind(kind, as_of)
    ytd_period = periods.ytd(period.cutoff)
    window = metrics.measure(session, period, d.scope)
    ytd = metrics.measure(session, ytd_period, d.scope, stock=False)
    metrics.copy_stock(window, ytd)
    compared = compare.compare(session, period, d.scope)
    year_before = compare.year_to_date(session, ytd_period, d.scope)
    zh, en = TITLES[kind]
    scope = scope_label(d)
    report = Report(
        kind=kind,
        title_zh=f"{zh} {period.label('zh')}" + (f" · {scope}" if scope else ""),
        title_en=f"{en}, {period.label('en')}" + (f" · {scope}" if scope else ""),
        period=period,
        totals=window.total,
        ytd=ytd.total,
        sections=common.standard_sections(d, period, ytd_period, window, ytd, extra=compared.extra()),
    )
    report.compared = {"window": compared, "ytd": year_before}
    comparison_sections(report, compared)
    common.letterhead(session, report, as_of)
    if scope:
        report.meta["scope"] = {"unit": d.unit_name, "chain": d.chain_name}
    report.lists = common.window_lists(session, d, period)
    # The lists hold the window's projects (DESIGN §10): those that became stalled or fell overdue in
    # it, unless `backlog` asks for all; "backlog" counts all of them at the window's cut-off.
    since = None if backlog else period.start
    stalled, counts = common.stalled_and_backlog(session, d, period.cutoff, stall_days, since)
    report.meta["backlog"] = counts
    report.lists.append(common.list_section("stalled", stalled, common.STALLED_COLUMNS))
    report.lists.append(common.list_section(
        "overdue_milestones", common.overdue(session, d, period.cutoff, since=since), common.OVERDUE_COLUMNS))
    backlog_notes(report.lists[-2], report.lists[-1], counts, stall_days, period.cutoff, backlog)
    report.lists.append(common.list_section("trips", common.trips(session, d, period), common.TRIP_COLUMNS))
    report.prose_zh, report.prose_en = prose.bulletin(period, window.total, ytd.total, scope, scope)
    comparison_prose(report, period, ytd_period, window, ytd, compared, year_before)
    return report, window, ytd


def comparison_prose(report: Report, period: Period, ytd_period: Period, window: Breakdown, ytd: Breakdown,
                     compared: compare.Compared, year_before: compare.YearToDate) -> None:
    """同比 of the year so far (with 已超过去年全年总量), then 同比 and 环比 of the window."""
    paragraphs = [prose.comparison("年度累计与去年同期相比", "Year to date against a year earlier", ytd.total,
                                   year_before.last_year.total, whole_year=year_before.whole_last_year.total)]
    if period.kind != "year":
        paragraphs.append(prose.comparison(f"本期与去年同期（{compared.last_year_period.label('zh')}）相比",
                                           f"This period against {compared.last_year_period.label('en')}",
                                           window.total, compared.last_year.total))
    if period.kind != "year":  # a year's window before it is the year a year earlier: said once, as 同比
        paragraphs.append(prose.comparison(f"本期与上期（{compared.previous_period.label('zh')}）相比",
                                           f"This period against {compared.previous_period.label('en')}",
                                           window.total, compared.previous.total, word="环比"))
    for zh, en in paragraphs:
        if zh:
            report.prose_zh.append(zh)
            report.prose_en.append(en)


YOY_SHOWN = (("new_signed", "签约", "Signed"), ("new_signed_wan", "签约额", "Amount"),
             ("new_started", "开工", "Started"), ("funds_wan", "到位资金", "Funds"))


def comparison_sections(report: Report, compared: compare.Compared) -> None:
    """A terminal table of 同比 per unit (this period, a year earlier, the change in percent)."""
    from zhaoshang.vocabulary.columns import Col

    by_unit = report.section("by_unit")
    if by_unit is None:
        return
    for row in [*by_unit.rows, *([by_unit.total] if by_unit.total else [])]:
        before = row.get("last_year") or {}
        row["_yoy"] = {k: None if (p := compare.pct(row.get(k), before.get(k))) is None else p / 100
                       for k, _, _ in YOY_SHOWN}
    cols = [common.unit_col()]
    for key, zh, en in YOY_SHOWN:
        kind = common.METRIC_LABELS[key][2]
        optional = key != "new_signed"  # a narrow terminal leaves these out first (and says so)
        cols += [Col(key, f"{zh}\n本期", f"{en}\nnow", kind, optional),
                 Col(f"last_year.{key}", f"{zh}\n去年同期", f"{en}\nyear ago", kind, optional),
                 Col(f"_yoy.{key}", f"{zh}\n同比", f"{en}\nYoY", "pct", optional)]
    period = compared.last_year_period
    report.sections.insert(report.sections.index(by_unit) + 1, Section(
        "by_unit_yoy", f"同比：与{period.label('zh')}相比（金额：亿元）",
        f"Year on year: against {period.label('en')} (amounts in 100M yuan)", cols, by_unit.rows, by_unit.total,
        by_unit.ids, in_json=False))


def backlog_notes(stalled: Section, overdue: Section, counts: dict[str, int], stall_days: int,
                  cutoff: dt.date, backlog: bool) -> None:
    """Under the stalled and overdue lists: how many are new in the period and how many in all."""
    day = f"{cutoff.year}年{cutoff.month}月{cutoff.day}日"
    if backlog:
        stalled.note_zh = f"签约满{stall_days}天未开工：截至{day}共{counts['stalled']}个。"
        stalled.note_en = f"Signed over {stall_days} days ago and not started: {counts['stalled']} as of {cutoff}."
        overdue.note_zh = f"截至{day}共逾期{counts['overdue_milestones']}个。"
        overdue.note_en = f"{counts['overdue_milestones']} overdue as of {cutoff}."
        return
    stalled.note_zh = (f"签约满{stall_days}天未开工：本期新增{len(stalled.rows)}个，截至{day}共{counts['stalled']}个"
                       "（--backlog 列出全部）。")
    stalled.note_en = (f"Signed over {stall_days} days ago and not started: {len(stalled.rows)} new in this period, "
                       f"{counts['stalled']} in all as of {cutoff} (--backlog lists them all).")
    overdue.note_zh = (f"本期新逾期{len(overdue.rows)}个，截至{day}共逾期{counts['overdue_milestones']}个"
                       "（--backlog 列出全部）。")
    overdue.note_en = (f"{len(overdue.rows)} fell overdue in this period, {counts['overdue_milestones']} overdue "
                       f"in all as of {cutoff} (--backlog lists them all).")


def campaign_chart(session: Session, d: Directory, report: Report, as_of: dt.date) -> None:
    """The progress chart of the campaign running on as-of, if one is (shown by the html form)."""
    from sqlmodel import col, select

    from zhaoshang.models import Campaign
    from zhaoshang.reports.scoring import campaign_rules, score

    running = session.exec(
        select(Campaign).where(col(Campaign.start_on) <= as_of, col(Campaign.end_on) >= as_of)
        .order_by(col(Campaign.start_on).desc(), col(Campaign.id).desc())
    ).first()
    if running is None:
        return
    scoring = score(session, d, running, as_of, campaign_rules(running))
    report.chart = scoring.chart(f"{running.name}：任务进度与时间进度", f"{running.name}: task progress against time")


def finish(session: Session, d: Directory, report: Report, period: Period) -> Report:
    extensions.apply(report, extensions.ExtensionContext(session, d, period, period.cutoff))
    return report
