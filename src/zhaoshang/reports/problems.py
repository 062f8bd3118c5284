"""问题协调 and 联审 in the cadence reports (an extension, see reports/extensions.py).

- Weekly dispatch: per unit the problems raised and resolved in the week and, at its last day, the
  open and the overdue ones (problems_raised, problems_resolved, problems_open, problems_overdue),
  the list of overdue problems with their owner and days late, and a sentence in the prose.
- Monthly bulletin: per unit the problems resolved in the month and how many of them by their
  deadline (problems_resolved, problems_resolved_on_time).
- Annual certification: the projects signed in the year whose review was not complete when they
  signed (lists.signed_unreviewed).

Problems count under their owner unit; a report narrowed to a unit counts the problems that unit
owns, one narrowed to a chain the problems of that chain's projects.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from zhaoshang.reports.periods import zh_day
from zhaoshang.reports.prose import en_count
from zhaoshang.services import pending, problems
from zhaoshang.vocabulary.columns import Col
from zhaoshang.vocabulary.listings import PROBLEMS

if TYPE_CHECKING:
    from zhaoshang.reports.extensions import ExtensionContext
    from zhaoshang.reports.model import Report

WEEK_COLUMNS = [
    Col("problems_raised", "本周新提问题", "Raised", "int"),
    Col("problems_resolved", "本周解决", "Resolved", "int"),
    Col("problems_open", "未解决问题", "Open", "int"),
    Col("problems_overdue", "其中逾期", "Overdue", "int"),
]
MONTH_COLUMNS = [
    Col("problems_resolved", "解决问题", "Problems resolved", "int"),
    Col("problems_resolved_on_time", "其中按期解决", "On time", "int"),
    Col("problems_resolved_late", "其中超期解决", "Late", "int"),
]
OVERDUE_KEYS = ("id", "code", "name", "text", "owner", "raised_on", "due_on", "days_late")
OVERDUE_COLUMNS = [replace(c, optional=False) for c in PROBLEMS if c.key in OVERDUE_KEYS[1:]]
UNREVIEWED_COLUMNS = [
    Col("code", "项目编号", "Code", "code"),
    Col("name", "项目名称", "Project"),
    Col("investment_wan", "总投资\n(亿元)", "Investment\n(100M CNY)", "yi"),
    Col("unit", "责任单位", "Unit"),
    Col("stage", "阶段", "Stage", "stage"),
    Col("signed_on", "签约时间", "Signed", "date"),
    Col("reviewed", "已审", "Reviewed", "int"),
    Col("criteria", "标准数", "Criteria", "int"),
    Col("failed", "不通过", "Failed", "names"),
    Col("_missing", "未审", "Missing", "i18n"),
]
UNREVIEWED_KEYS = ("code", "name", "investment_wan", "unit", "chain", "stage", "signed_on", "reviewed", "criteria",
                   "failed", "missing")


def extend(report: Report, ctx: ExtensionContext) -> None:
    if report.kind == "week":
        _week(report, ctx)
    elif report.kind == "month":
        _month(report, ctx)
    elif report.kind == "year":
        _year(report, ctx)


def _scope(ctx: ExtensionContext) -> dict[str, Any]:
    return {"unit_id": ctx.directory.scope.unit_id, "chain_id": ctx.directory.scope.chain_id}


def _per_unit(ctx: ExtensionContext, counts: dict[int | None, dict], keys: list[str]) -> tuple[dict, dict]:
    """Every unit's values (0 when it has none) and the totals over all problems in scope."""
    zero = dict.fromkeys(keys, 0)
    values: dict[Any, dict] = {u.id: {**zero, **counts.get(u.id, {})} for u in ctx.directory.units}
    values[None] = {**zero, **counts.get(None, {})}
    totals = {k: sum(v.get(k, 0) for v in counts.values()) for k in keys}
    return values, totals


def _place(ctx: ExtensionContext) -> tuple[str, str]:
    names = [n for n in (ctx.directory.unit_name, ctx.directory.chain_name) if n]
    return (" · ".join(names), " · ".join(names)) if names else ("全区", "the district")


def _week(report: Report, ctx: ExtensionContext) -> None:
    period = ctx.period
    counts = problems.problem_counts(ctx.session, period.start, period.cutoff, ctx.as_of, **_scope(ctx))
    keys = [c.key for c in WEEK_COLUMNS]
    values, totals = _per_unit(ctx, counts, keys)
    report.add_unit_columns(WEEK_COLUMNS, values, totals,
                            table=("problems_by_unit", f"问题协调：分单位（截至{zh_day(ctx.as_of)}）",
                                   f"Problems by owner unit (as of {ctx.as_of})"))
    rows = _overdue_list(report, ctx)
    zh, en = _place(ctx)
    by_unit: dict[str, int] = {}
    for r in rows:
        by_unit[r["owner"] or "未明确责任单位"] = by_unit.get(r["owner"] or "未明确责任单位", 0) + 1
    who = "、".join(f"{u}{n}个" for u, n in sorted(by_unit.items(), key=lambda x: -x[1]))
    report.prose_zh.append(
        f"截至{zh_day(ctx.as_of)}，{zh}未解决问题{totals['problems_open']}个，其中逾期{totals['problems_overdue']}个"
        + (f"（{who}）" if who else "")
        + f"；本周新提问题{totals['problems_raised']}个，解决{totals['problems_resolved']}个。")
    report.prose_en.append(
        f"As of {ctx.as_of}, {en} has {en_count(totals['problems_open'], 'open problem')}, "
        f"{totals['problems_overdue']} of them "
        f"overdue; {totals['problems_raised']} were raised and {totals['problems_resolved']} resolved this week.")


def _overdue_list(report: Report, ctx: ExtensionContext) -> list[dict]:
    """The problems overdue at the report's cut-off, with their owner and days late."""
    late = problems.overdue_problems(ctx.session, ctx.as_of, **_scope(ctx))
    rows = [{k: r[k] for k in OVERDUE_KEYS} for r in late]
    report.add_list("problems_overdue", "逾期未解决问题", "Overdue problems", OVERDUE_COLUMNS, rows,
                    terminal=["code", "name", "text", "owner", "due_on", "days_late"])
    return rows


def _month(report: Report, ctx: ExtensionContext) -> None:
    period = ctx.period
    counts = problems.resolved_on_time(ctx.session, period.start, period.cutoff, **_scope(ctx))
    keys = [c.key for c in MONTH_COLUMNS]
    values, totals = _per_unit(ctx, counts, keys)
    report.add_unit_columns(MONTH_COLUMNS, values, totals,
                            table=("problems_resolved_by_unit", f"问题协调：{period.label('zh')}解决问题（分单位）",
                                   f"Problems resolved in {period.label('en')}, by owner unit"))
    n, on_time = totals["problems_resolved"], totals["problems_resolved_on_time"]
    zh, en = _place(ctx)
    report.prose_zh.append(f"{period.label('zh')}，{zh}解决问题{n}个，其中按期解决{on_time}个"
                           + (f"、超期解决{n - on_time}个" if n > on_time else "") + "。")
    report.prose_en.append(f"In {period.label('en')}, {en} resolved {n} problems, {on_time} of them by their deadline.")
    _overdue_list(report, ctx)  # the bulletin's 存在问题 names them


def _year(report: Report, ctx: ExtensionContext) -> None:
    period = ctx.period
    found = pending.signed_without_complete_review(ctx.session, period.start, period.cutoff)
    d = ctx.directory
    rows = [{**{k: r[k] for k in UNREVIEWED_KEYS}, "_missing": _missing(r)} for r in found
            if d.unit_name in (None, r["unit"]) and d.chain_name in (None, r["chain"])]
    report.add_list("signed_unreviewed", "签约时联审未完成的项目", "Signed without a complete review",
                    UNREVIEWED_COLUMNS, rows,
                    terminal=["code", "name", "unit", "signed_on", "reviewed", "failed", "_missing"])
    zh, _ = _place(ctx)
    failed = sum(1 for r in rows if r["failed"])
    report.prose_zh.append(f"{period.start.year}年{zh}签约项目中，{len(rows)}个签约时未完成联审"
                           + (f"（其中{failed}个有未通过的标准）" if failed else "") + "。")
    report.prose_en.append(f"{len(rows)} projects signed in {period.start.year} had no complete joint review "
                           f"when they signed.")


def _missing(row: dict) -> tuple[str, str]:
    """The criteria without a verdict, as a table shows them: all of them say 未联审."""
    if not row["reviewed"]:
        return ("全部（未联审）", "all (not reviewed)")
    return ("、".join(row["missing"]), ", ".join(row["missing"]))
