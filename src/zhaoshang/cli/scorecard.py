"""`zs scorecard`: a campaign's scorecard (会战成绩单), and every term of one unit's score."""

from __future__ import annotations

from typing import Annotated

import typer

from zhaoshang.cli._common import OutOpt, day_or_today, new_app
from zhaoshang.cli.report import AsKnownAtOpt, AsOfOpt, ReportFmt, ReportFormatOpt, RulesOpt, emit, ledger


def scorecard(
    campaign: Annotated[str | None, typer.Option(
        "--campaign", help="会战 campaign (default: the one whose window holds --as-of, else the latest started).")] = None,
    as_of: AsOfOpt = None,
    rules: RulesOpt = None,
    explain: Annotated[str | None, typer.Option("--explain", help="逐项解释该单位的得分 every term of UNIT's score.")] = None,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="只看一个责任单位 one unit only.")] = None,
    as_known_at: AsKnownAtOpt = None,
    fmt: ReportFormatOpt = ReportFmt.table,
    out: OutOpt = None,
) -> None:
    """会战成绩单 Per unit and metric: actual, target, completion, time progress, ahead or behind
    (时间过半、任务超半), score and rank, with a district summary.

    例 example: zs scorecard --as-of 2023-07-23; zs scorecard --explain 区工信局; zs scorecard --format json
    """
    from zhaoshang.reports import scorecard as card

    day = day_or_today("--as-of", as_of)
    rule_set = None
    if rules is not None:
        from zhaoshang.reports.rules import load_rules

        rule_set = load_rules(rules)
    with ledger(as_known_at) as session:
        if explain:
            result = card.explain(session, day, explain, campaign=campaign, rules=rule_set)
        else:
            result = card.build(session, day, campaign=campaign, rules=rule_set, unit=unit)
    emit(result, fmt, out)


app = new_app(group=False)
app.command("scorecard")(scorecard)
