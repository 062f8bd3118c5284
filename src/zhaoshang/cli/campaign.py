"""`zs campaign create/target/list`."""

from typing import Annotated

import typer

from zhaoshang.cli._common import (
    ByOpt,
    DryRunOpt,
    Fmt,
    FormatOpt,
    OutOpt,
    day_opt,
    err,
    new_app,
    output,
    parse_opt,
    reading,
    writing,
)

app = new_app("会战与目标 campaigns and targets: create, target, list.")


@app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="会战名称 campaign name.")],
    start: Annotated[str, typer.Option("--start", help="开始日期（第 1 天）start date, day 1.")],
    days: Annotated[int | None, typer.Option("--days", help="天数 length in days.")] = None,
    end: Annotated[str | None, typer.Option("--end", help="结束日期（含）end date, inclusive.")] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """创建会战 Create a campaign (or a year's targets: --start 2023-01-01 --end 2023-12-31).

    例 example: zs campaign create 百日会战 --start 2023-04-15 --days 100
    """
    from zhaoshang.services.campaigns import create_campaign

    start_on = day_opt("--start", start)
    assert start_on is not None
    with writing("campaign create", by, dry_run=dry_run) as ctx:
        camp = create_campaign(ctx, name, start_on, end_on=day_opt("--end", end), days=days)
    err(f"已创建会战 {camp.name}：{camp.start_on} 至 {camp.end_on}（{(camp.end_on - camp.start_on).days + 1} 天）")


@app.command("target")
def target(
    name: Annotated[str, typer.Argument(help="会战名称 campaign.")],
    unit: Annotated[str, typer.Option("--unit", "-u", help="责任单位 unit.")],
    metric: Annotated[str, typer.Option("--metric", "-m", help="指标 new_signed, new_started, new_leads, new_signed_wan…")],
    value: Annotated[str, typer.Option("--value", help="目标值 count, or amount for *_wan (e.g. 20亿).")],
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """设定目标 Set one unit's target for one metric (creates or changes it).

    例 example: zs campaign target 百日会战 --unit 区工信局 --metric new_signed --value 3
    """
    from zhaoshang.errors import BadValue
    from zhaoshang.parsing import parse_amount
    from zhaoshang.services.campaigns import MONEY_METRICS, parse_metric, set_target

    key = parse_metric(metric)
    if key in MONEY_METRICS:
        amount = parse_opt("--value", parse_amount, value)
        if amount is None or amount.wan is None:
            raise BadValue(f"--value “{value}”不是人民币金额。")
        number = amount.wan
    else:
        try:
            number = int(value)
        except ValueError:
            raise BadValue(f"--value “{value}”不是整数。") from None
    with writing("campaign target", by, dry_run=dry_run) as ctx:
        _, changed = set_target(ctx, name, unit, key, number)
    err(f"已设定目标 {name} / {unit} / {key} = {value}" if changed else "目标没有变化。")


@app.command("list")
def list_(
    name: Annotated[str | None, typer.Argument(help="会战名称：列出其目标 show this campaign's targets.")] = None,
    fmt: FormatOpt = Fmt.table,
    out: OutOpt = None,
) -> None:
    """会战列表 Campaigns, or one campaign's targets.

    例 example: zs campaign list 百日会战
    """
    from zhaoshang.render.columns import CAMPAIGNS, TARGETS
    from zhaoshang.services.campaigns import list_campaigns, list_targets

    with reading() as session:
        if name:
            output(list_targets(session, name), TARGETS, fmt, out)
        else:
            output(list_campaigns(session), CAMPAIGNS, fmt, out)
