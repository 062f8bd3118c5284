"""`zs units add/list` and `zs chains add/list`."""

from typing import Annotated

import typer

from zhaoshang.cli._common import ByOpt, DryRunOpt, Fmt, FormatOpt, OutOpt, err, new_app, output, reading, writing

units_app = new_app("责任单位 accountable units: add, list.")
chains_app = new_app("产业链 industrial chains: add, list.")


@units_app.command("add")
def add_unit(
    name: Annotated[str, typer.Argument(help="单位名称 unit name.")],
    kind: Annotated[str, typer.Option("--kind", help="类别 town|department|soe|leadership|other (或 镇街/部门/国企).")] = "other",
    leader: Annotated[str | None, typer.Option("--leader", help="负责人 leader.")] = None,
    order: Annotated[int | None, typer.Option("--order", help="官方排序 official order (default: last).")] = None,
    unit_class: Annotated[str | None, typer.Option("--class", help="分类 class, e.g. 一类 / 二类.")] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """添加责任单位 Add an accountable unit.

    例 example: zs units add 区工信局 --kind department --class 一类
    """
    from zhaoshang.services.directory import add_unit as add

    with writing("units add", by, dry_run=dry_run) as ctx:
        unit = add(ctx, name, kind, leader, order, unit_class)
    err(f"已添加责任单位 {unit.name}（序号 {unit.sort_order}）")


@units_app.command("list")
def list_units(fmt: FormatOpt = Fmt.table, out: OutOpt = None) -> None:
    """责任单位列表 Units in the official order.

    例 example: zs units list --format json
    """
    from zhaoshang.render.columns import UNITS
    from zhaoshang.services.directory import list_units as rows_of

    with reading() as session:
        rows = rows_of(session)
    output(rows, UNITS, fmt, out)


@chains_app.command("add")
def add_chain(
    name: Annotated[str, typer.Argument(help="产业链名称 chain name.")],
    chief: Annotated[str | None, typer.Option("--chief", help="链长 the district leader in charge.")] = None,
    anchor_firm: Annotated[str | None, typer.Option("--anchor-firm", help="链主企业 anchor firm.")] = None,
    lead_unit: Annotated[str | None, typer.Option("--lead-unit", help="牵头部门 lead department (a unit).")] = None,
    order: Annotated[int | None, typer.Option("--order", help="排序 order (default: last).")] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """添加产业链 Add an industrial chain.

    例 example: zs chains add 高端装备 --chief 张三 --anchor-firm 中环 --lead-unit 区工信局
    """
    from zhaoshang.services.directory import add_chain as add

    with writing("chains add", by, dry_run=dry_run) as ctx:
        chain = add(ctx, name, chief, anchor_firm, lead_unit, order)
    err(f"已添加产业链 {chain.name}")


@chains_app.command("list")
def list_chains(fmt: FormatOpt = Fmt.table, out: OutOpt = None) -> None:
    """产业链列表 Chains with chief, anchor firm and lead department.

    例 example: zs chains list
    """
    from zhaoshang.render.columns import CHAINS
    from zhaoshang.services.directory import list_chains as rows_of

    with reading() as session:
        rows = rows_of(session)
    output(rows, CHAINS, fmt, out)
