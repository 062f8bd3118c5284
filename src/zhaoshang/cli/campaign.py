"""`zs campaign create/target/list`."""

from pathlib import Path
from typing import Annotated

import typer

from zhaoshang.cli._common import (
    ByOpt,
    DryRunOpt,
    Fmt,
    FormatOpt,
    OutOpt,
    day_opt,
    done,
    err,
    new_app,
    output,
    parse_opt,
    reading,
    writing,
)

app = new_app("会战与目标 campaigns and targets: create, target, targets, rules, list.\n\n"
              "例 example: zs campaign targets 百日会战 --template 目标.xlsx")


@app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="会战名称 campaign name.")],
    start: Annotated[str, typer.Option("--start", help="开始日期（第 1 天）start date, day 1.")],
    days: Annotated[int | None, typer.Option("--days", help="天数 length in days.")] = None,
    end: Annotated[str | None, typer.Option("--end", help="结束日期（含）end date, inclusive.")] = None,
    rules: Annotated[Path | None, typer.Option(
        "--rules", help="评分规则文件 scoring rules (TOML; default: the shipped default-2023).", dir_okay=False)] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """创建会战 Create a campaign (or a year's targets: --start 2023-01-01 --end 2023-12-31).

    例 example: zs campaign create 百日会战 --start 2023-04-15 --days 100
    """
    from zhaoshang.reports.rules import default_rules, load_rules
    from zhaoshang.services.campaigns import create_campaign

    start_on = day_opt("--start", start)
    assert start_on is not None
    rule_set = load_rules(rules) if rules is not None else default_rules()
    with writing("campaign create", by, dry_run=dry_run) as ctx:
        camp = create_campaign(ctx, name, start_on, end_on=day_opt("--end", end), days=days,
                               rules_version=rule_set.version, rules=rule_set.text)
    done(f"已创建会战 {camp.name}：{camp.start_on} 至 {camp.end_on}（{(camp.end_on - camp.start_on).days + 1} 天）")


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
    from zhaoshang.services.campaigns import MONEY_METRICS, parse_metric, set_target
    from zhaoshang.vocabulary.amounts import parse_amount

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
    from zhaoshang.vocabulary.labels import METRIC_ZH

    if changed:
        done(f"已设定目标 {name} / {unit} / {METRIC_ZH[key]} = {value}")
    else:
        err(f"目标没有变化：{name} / {unit} / {METRIC_ZH[key]} = {value}。")


@app.command("targets")
def targets(
    name: Annotated[str, typer.Argument(help="会战名称 campaign.")],
    file: Annotated[Path | None, typer.Option(
        "--file", help="读入目标表 read the targets from FILE (.xlsx/.csv, as --template writes it).",
        dir_okay=False)] = None,
    template: Annotated[Path | None, typer.Option(
        "--template", help="写出目标模板 write a template FILE.xlsx: a row per unit, a column per metric.",
        dir_okay=False)] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """会战目标表 Every unit's targets from one sheet: --template writes it (the units in the official
    order, the metrics as columns, the targets set so far), --file reads it back — each change audited,
    rows naming another campaign refused.

    例 example: zs campaign targets 百日会战 --template 目标.xlsx && zs campaign targets 百日会战 --file 目标.xlsx
    """
    from zhaoshang.errors import BadValue

    if (file is None) == (template is None):
        raise BadValue("请给出 --template 或 --file 之一。", "先 --template 目标.xlsx 写模板，填好后 --file 目标.xlsx 读入。")
    if template is not None:
        from zhaoshang import config
        from zhaoshang.render.sheetxml import write_ledger
        from zhaoshang.services.export import target_template

        if template.suffix.lower() != ".xlsx":
            raise BadValue(f"模板需要 .xlsx 扩展名，而不是“{template.name}”。")
        if not template.parent.is_dir():
            raise BadValue(f"--template 的目录不存在：{template.parent}")
        with reading() as session:
            tables = target_template(session, name, config.today())
            write_ledger(template, tables)
        err(f"已写出 {name} 的目标模板 {template}：{tables.sheets[0].count} 个单位")
        return
    assert file is not None
    from zhaoshang.cli.io import run_import
    from zhaoshang.services.campaigns import get_campaign
    from zhaoshang.services.imports import ImportOptions

    with reading() as session:
        campaign = get_campaign(session, name).name
    options = ImportOptions(kinds=frozenset({"target"}), campaign=campaign)
    result = run_import(file, options, by=by, dry_run=dry_run, strict=False, command="campaign targets")
    if result.rejected:
        raise typer.Exit(1)


@app.command("rules")
def rules_(
    name: Annotated[str, typer.Argument(help="会战名称 campaign.")],
    file: Annotated[Path | None, typer.Option("--file", help="新的评分规则文件 new rules (TOML).", dir_okay=False)] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """评分规则 Show the scoring rules a campaign is scored by, or set them with --file.

    例 example: zs campaign rules 百日会战 --file 2023规则.toml
    """
    from zhaoshang.reports.rules import load_rules
    from zhaoshang.reports.scoring import campaign_rules
    from zhaoshang.services.campaigns import get_campaign, set_rules

    if file is None:
        with reading() as session:
            camp = get_campaign(session, name)
            rule_set = campaign_rules(camp)
        recorded = "" if camp.rules else "（未记录，使用默认规则）"
        err(f"{camp.name}：评分规则 {rule_set.version}{recorded}")
        typer.echo(rule_set.text, nl=not rule_set.text.endswith("\n"))
        return
    rule_set = load_rules(file)
    with writing("campaign rules", by, dry_run=dry_run) as ctx:
        changed = set_rules(ctx, name, rule_set.version, rule_set.text)
    if changed:
        done(f"{name}：评分规则改为 {rule_set.version}", would=f"{name}：评分规则将改为 {rule_set.version}")
    else:
        err("评分规则没有变化。")


@app.command("list")

def list_(
    name: Annotated[str | None, typer.Argument(help="会战名称：列出其目标 show this campaign's targets.")] = None,
    fmt: FormatOpt = Fmt.table,
    out: OutOpt = None,
) -> None:
    """会战列表 Campaigns, or one campaign's targets.

    例 example: zs campaign list 百日会战
    """
    from zhaoshang.services.campaigns import list_campaigns, list_targets
    from zhaoshang.vocabulary.listings import CAMPAIGNS, TARGETS

    with reading() as session:
        if name:
            rows = list_targets(session, name)
            if fmt is not Fmt.json:  # money targets read as money: 8.00亿元, not 80,000 (万元)
                rows = [r | {"value": target_text(r["metric"], r["value"])} for r in rows]
            output(rows, TARGETS, fmt, out)
        else:
            output(list_campaigns(session), CAMPAIGNS, fmt, out)


def target_text(metric: str, value: int) -> str | int:
    from zhaoshang.vocabulary.amounts import format_yi

    if metric.endswith("_usd_wan"):
        return f"{value:,}万美元"
    if metric.endswith("_wan"):
        return f"{format_yi(value)}亿元"
    return value
