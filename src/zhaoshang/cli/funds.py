"""`zs funds add/list`: 实际到位资金, funds actually in place, by project and month."""

from typing import Annotated

import typer

from zhaoshang.cli._common import (
    ByOpt,
    DryRunOpt,
    Fmt,
    FormatOpt,
    OutOpt,
    done,
    new_app,
    output,
    parse_opt,
    reading,
    writing,
)

app = new_app("实际到位资金 funds in place by project and month: add, list.\n\n"
              "例 example: zs funds add ZD-011 --month 2023-06 --amount 1.2亿")


def _month(value: str):  # type: ignore[no-untyped-def]
    from zhaoshang.vocabulary.dates import parse_date

    parsed = parse_date(value)
    if parsed is None:
        raise ValueError("需要年月，例如 2023-06")
    return parsed.first.replace(day=1)


@app.command("add")
def add(
    code: Annotated[str, typer.Argument(help="项目编号 project code.")],
    month: Annotated[str, typer.Option("--month", help="月份 the month, e.g. 2023-06.")],
    amount: Annotated[str, typer.Option("--amount", help="金额 amount: 1.2亿, 3000万, 500万美元 (bare numbers: 万元).")],
    source: Annotated[str | None, typer.Option(
        "--source", help="来源 省外 / 省内 / 外资 (default: 外资 for 美元, else 省外).")] = None,
    cumulative: Annotated[bool, typer.Option(
        "--cumulative", help="累计 the amount is the year's running total to --month (1-6月累计), not the month's.")
    ] = False,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """登记到位资金 Record a project's funds in place in one month; entering a month again corrects it
    (audited). With --cumulative the amount is the total since January, and the month gets the
    difference from the months already known.

    例 example: zs funds add ZD-011 --month 2023-06 --amount 1.2亿 --source 省外
    """
    from zhaoshang.services.funds import add_funds, parse_source

    day = parse_opt("--month", _month, month)
    kind = parse_opt("--source", parse_source, source) if source is not None else None
    with writing("funds add", by, dry_run=dry_run) as ctx:
        row = add_funds(ctx, code, day, amount, source=kind, cumulative_figure=cumulative)
    if not row["changed"]:
        done(f"没有变化：{row['code']} {row['month']} {row['source']}到位资金仍为 {row['amount']} {row['currency']}")
        return
    done(f"已登记 {row['code']} {row['name']} {row['month']} {row['source']}到位资金 {row['amount']} {row['currency']}"
         f"（当年累计 {row['ytd']} {row['currency']}）")


@app.command("list")
def list_(
    code: Annotated[str | None, typer.Option("--code", help="项目编号 one project.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="年份 year.")] = None,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="责任单位 unit.")] = None,
    fmt: FormatOpt = Fmt.table,
    out: OutOpt = None,
) -> None:
    """到位资金列表 Funds in place, month by month, with each project's running total for the year.

    例 example: zs funds list --year 2023 --unit 税郭镇
    """
    from zhaoshang.services.funds import list_funds
    from zhaoshang.vocabulary.columns import Col

    with reading() as session:
        rows = list_funds(session, code=code, year=year, unit=unit)
    output(rows, [Col("code", "项目编号", "Code", "code"), Col("name", "项目名称", "Project"),
                  Col("unit", "责任单位", "Unit"), Col("month", "月份", "Month"), Col("source", "来源", "Source"),
                  Col("amount_wan", "到位(万元)", "Funds (10k CNY)", "int", optional=True),
                  Col("amount_usd_wan", "到位外资(万美元)", "Foreign (10k USD)", "usd", optional=True),
                  Col("ytd_wan", "当年累计(万元)", "Year to date", "int", optional=True),
                  Col("ytd_usd_wan", "当年累计(万美元)", "Year to date USD", "usd", optional=True)], fmt, out)
