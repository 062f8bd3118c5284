"""`zs report`: 周调度, 月通报, 季评价, 年认定, the stage funnel and signing cohorts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from zhaoshang.cli import _common
from zhaoshang.cli._common import OutOpt, day_or_today, err, new_app, reading
from zhaoshang.errors import BadValue

if TYPE_CHECKING:
    from zhaoshang.reports.model import Report


class ReportFmt(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"
    xlsx = "xlsx"
    html = "html"
    text = "text"
    docx = "docx"


ReportFormatOpt = Annotated[ReportFmt, typer.Option(
    "--format", "-f", help="输出格式 output format (text: 通报开头的文字段落 the bulletin's opening paragraph; "
                      "docx: Word 通报 a Word bulletin, with --out).")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="截至日期 as of (default: today in ZS_TZ).")]
AsKnownAtOpt = Annotated[str | None, typer.Option(
    "--as-known-at", help="按某一时刻的账本重现 as the ledger was at DATETIME (from the audit log), "
                          "e.g. \"2023-07-01 09:00\".")]
UnitOpt = Annotated[str | None, typer.Option("--unit", "-u", help="只看一个责任单位 one unit only.")]
ChainOpt = Annotated[str | None, typer.Option("--chain", "-c", help="只看一条产业链 one chain only.")]
RulesOpt = Annotated[Path | None, typer.Option("--rules", help="评分规则文件 scoring rules (TOML).", dir_okay=False)]


@contextmanager
def ledger(as_known_at: str | None) -> Iterator[Any]:
    """The ledger now, or as it was at --as-known-at (rebuilt from the audit log)."""
    if as_known_at is None:
        with reading() as session:
            yield session
        return
    from zhaoshang import config
    from zhaoshang.reports.known_at import first_change, parse_moment, session_at

    moment = parse_moment(as_known_at)
    with reading() as session:  # the ledger exists and is at the current schema
        first = first_change(session)
    if first is None or moment < first:
        since = f"{first.astimezone(config.zone()):%Y-%m-%d %H:%M}" if first else "—"
        err(f"注意：账本的变更记录从 {since} 开始，{as_known_at} 时账本还是空的。")
    with session_at(_common.state.url, moment) as past:
        yield past


LimitOpt = Annotated[int, typer.Option(
    "--limit", help="表格中每个项目名单最多显示几行 rows of each project list in a table (0: all; files carry all).",
    min=0)]


def emit(report: Report, fmt: ReportFmt, out: Path | None, limit: int = 50) -> None:
    from zhaoshang.render.report import emit_report

    emit_report(report, _common.file_format(fmt.value, out), out, _common.state.lang, limit or None)
    if out is not None:
        err(f"已写入 {out}")


def report(
    week: Annotated[bool, typer.Option("--week", help="周调度 weekly dispatch (ISO week holding --as-of; the default).")] = False,
    month: Annotated[bool, typer.Option("--month", help="月通报 monthly bulletin: ranking, change on last month.")] = False,
    quarter: Annotated[bool, typer.Option("--quarter", help="季评价 quarterly evaluation: scores with their parts.")] = False,
    year: Annotated[bool, typer.Option("--year", help="年认定 annual certification: signed and started this year, ≥ 1 亿元.")] = False,
    funnel: Annotated[bool, typer.Option("--funnel", help="阶段漏斗 stage funnel and conversion per unit.")] = False,
    cohort: Annotated[bool, typer.Option("--cohort", help="签约批次 what became of one day's signings (with --signed-on).")] = False,
    signed_on: Annotated[str | None, typer.Option("--signed-on", help="--cohort 的签约日期（或月份）signing day or month.")] = None,
    as_of: AsOfOpt = None,
    unit: UnitOpt = None,
    chain: ChainOpt = None,
    stall_days: Annotated[int | None, typer.Option(
        "--stall-days", help="签约多少天未开工算停滞 days signed and not started (default 90, or the rules file's).",
        min=1)] = None,
    campaign: Annotated[str | None, typer.Option(
        "--campaign", help="月、季评分所对照的目标 the targets monthly and quarterly scores compare with "
                           "(default: the year's 年度目标, else the campaign holding --as-of).")] = None,
    rules: RulesOpt = None,
    backlog: Annotated[bool, typer.Option(
        "--backlog", help="列出截至当日全部停滞项目和逾期节点 list every stalled project and overdue milestone "
                          "at the cut-off (default: those of the period; the counts of all are always shown).")] = False,
    by: Annotated[str | None, typer.Option(
        "--by", help="周调度按 leader（包保领导）分列 the weekly dispatch by leader in charge.")] = None,
    as_known_at: AsKnownAtOpt = None,
    fmt: ReportFormatOpt = ReportFmt.table,
    out: OutOpt = None,
    limit: LimitOpt = 50,
) -> None:
    """周调度/月通报/季评价/年认定 The four cadences (window and year-to-date per unit and chain, the
    project lists behind every number), the stage funnel, and signing cohorts.

    例 example: zs report --week --as-of 2023-06-30; zs report --month --format xlsx --out 6月通报.xlsx;
    zs report --month --format docx --out 6月通报.docx;
    zs report --cohort --signed-on 2023-06-26; zs report --year --format text
    """
    chosen = [name for name, on in (("week", week), ("month", month), ("quarter", quarter), ("year", year),
                                    ("funnel", funnel), ("cohort", cohort)) if on]
    if len(chosen) > 1:
        raise typer.BadParameter("只能选一种：" + " / ".join(f"--{c}" for c in chosen), param_hint="--week/--month/…")
    kind = chosen[0] if chosen else "week"
    if kind == "cohort" and not signed_on:
        raise BadValue("--cohort 需要 --signed-on DATE（例如 2023-06-26）。")
    if signed_on and kind != "cohort":
        raise BadValue("--signed-on 只用于 --cohort。")
    day = day_or_today("--as-of", as_of)
    from zhaoshang.reports import build

    rule_set = None
    if rules is not None:
        from zhaoshang.reports.rules import load_rules

        rule_set = load_rules(rules)
    when = None
    if signed_on:
        from zhaoshang.cli._common import ledger_date_opt

        when = ledger_date_opt("--signed-on", signed_on)
    if by is not None and (by != "leader" or kind != "week"):
        raise BadValue(f"--by “{by}”无效。", "可用：zs report --week --by leader。")
    with ledger(as_known_at) as session:
        if by == "leader":
            from zhaoshang.reports import leaders

            emit(leaders.build(session, day, stall_days=stall_days or 90), fmt, out, limit)
            return
        result = build.report(session, kind, day, unit=unit, chain=chain, stall_days=stall_days,
                              campaign=campaign, rules=rule_set, signed_on=when, backlog=backlog,
                              chart=_common.file_format(fmt.value, out) in ("html", "xlsx"))
    emit(result, fmt, out, limit)


app = new_app(group=False)
app.command("report")(report)
