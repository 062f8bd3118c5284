"""The year's investment plan and its completion in the month and year reports: per unit and chain
and in total, plan (年度计划投资), completed to date (1-N月完成投资) and completion rate, and the projects
below the share of the year already gone (时间过半、任务超半, applied to investment).

Completed investment is kept by month, so "to date" runs to the end of the report's cut-off month;
the time share is that month's share of the year (8月: 8/12). Terminated projects count in neither.
"""

from __future__ import annotations

from typing import Any

from zhaoshang.reports.extensions import ExtensionContext
from zhaoshang.reports.model import Report
from zhaoshang.reports.periods import zh_day
from zhaoshang.services.investment import ProjectInvestment, year_to_month
from zhaoshang.vocabulary.amounts import format_yi
from zhaoshang.vocabulary.columns import Col
from zhaoshang.vocabulary.figures import percent

KINDS = ("month", "year")
COLUMNS = [
    Col("plan_wan", "年度计划\n投资(万元)", "Year's plan\n(10k CNY)", "int"),
    Col("completed_wan", "累计完成\n投资(万元)", "Completed\n(10k CNY)", "int"),
    Col("completion_rate", "完成率", "Completion", "pct"),
]
BEHIND_COLUMNS = [
    Col("code", "项目编号", "Code", "code"),
    Col("name", "项目名称", "Project"),
    Col("unit", "责任单位", "Unit"),
    *COLUMNS,
]


def rate(completed: int, plan: int) -> float | None:
    """Completed over plan, to four decimals; None without a plan."""
    return round(completed / plan, 4) if plan else None


def figures(rows: list[ProjectInvestment]) -> dict[str, Any]:
    plan = sum(r.plan_wan or 0 for r in rows)
    completed = sum(r.completed_wan for r in rows)
    return {"plan_wan": plan, "completed_wan": completed, "completion_rate": rate(completed, plan)}


def extend(report: Report, ctx: ExtensionContext) -> None:
    if report.kind not in KINDS:
        return
    cutoff = ctx.period.cutoff
    year, month = cutoff.year, cutoff.month
    scope = ctx.directory.scope
    rows = year_to_month(ctx.session.connection(), year, month, unit_id=scope.unit_id, chain_id=scope.chain_id)
    if not rows:  # a ledger without plans or completed investment for the year: the report is as before
        return
    by_unit: dict[Any, list[ProjectInvestment]] = {}
    by_chain: dict[Any, list[ProjectInvestment]] = {}
    for r in rows:
        by_unit.setdefault(r.unit_id, []).append(r)
        by_chain.setdefault(r.chain_id, []).append(r)
    totals = figures(rows)
    label = ("investment_by_unit", f"年度计划投资完成情况：{year}年1-{month}月（截至{zh_day(cutoff)}）",
             f"Investment plan and completion, {year} to month {month}")
    units = {u.id: figures(by_unit.get(u.id, [])) for u in ctx.directory.units} | {None: figures(by_unit.get(None, []))}
    report.add_unit_columns(COLUMNS, units, totals, table=label)
    chains = {c.id: figures(by_chain.get(c.id, [])) for c in ctx.directory.chains} | \
        {None: figures(by_chain.get(None, []))}
    report.add_unit_columns(COLUMNS, chains, totals, section="by_chain",
                            table=("investment_by_chain", f"年度计划投资完成情况（分产业链）：{year}年1-{month}月",
                                   f"Investment plan and completion by chain, {year} to month {month}"))
    share = month / 12
    names = {u.id: u.name for u in ctx.directory.units}
    behind = [{"code": r.code, "name": r.name, "unit": names.get(r.unit_id), "plan_wan": r.plan_wan,
               "completed_wan": r.completed_wan, "completion_rate": rate(r.completed_wan, r.plan_wan or 0)}
              for r in rows if r.plan_wan and r.completed_wan < r.plan_wan * share]
    report.add_list("investment_behind", f"完成投资低于时间进度（{percent(share)}）的项目",
                    f"Projects whose completed investment is behind the time gone ({percent(share)})",
                    BEHIND_COLUMNS, behind)
    report.meta["investment"] = {"year": year, "month": month, "time_share": round(share, 4)}
    if totals["plan_wan"]:
        plan, done, pct = format_yi(totals["plan_wan"]), format_yi(totals["completed_wan"]), \
            percent(totals["completion_rate"])
        report.prose_zh.append(f"年度计划投资{plan}亿元，1-{month}月完成投资{done}亿元，占年度计划{pct}；"
                               f"{len(behind)}个项目低于时间进度。")
        report.prose_en.append(
            f"Investment planned for {year}: {plan} 100M yuan; completed to month {month}: {done} ({pct} of plan); "
            f"{len(behind)} projects behind the time gone.")
