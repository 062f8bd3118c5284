"""`zs units add/list` and `zs chains add/list`."""

from typing import Annotated

import typer

from zhaoshang.cli._common import ByOpt, DryRunOpt, Fmt, FormatOpt, OutOpt, done, err, new_app, output, reading, writing

units_app = new_app("责任单位 accountable units: add, list, update.\n\n例 example: zs units add 税郭镇 --kind town")
chains_app = new_app("产业链 industrial chains: add, list, update.\n\n例 example: zs chains add 高端装备 --lead-unit 区工信局")


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
    from zhaoshang.models import Unit
    from zhaoshang.services.directory import add_unit as add
    from zhaoshang.services.directory import place

    with writing("units add", by, dry_run=dry_run) as ctx:
        unit = add(ctx, name, kind, leader, None, unit_class)
        if order is not None:  # in its place, the others moving down
            place(ctx, Unit, unit, order)
    done(f"已添加责任单位 {unit.name}（序号 {unit.sort_order}）")


@units_app.command("update")
def update_unit(
    name: Annotated[str, typer.Argument(help="单位名称 unit name.")],
    new_name: Annotated[str | None, typer.Option("--name", help="新名称 new name.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="类别 town|department|soe|leadership|other.")] = None,
    leader: Annotated[str | None, typer.Option("--leader", help="负责人 leader.")] = None,
    order: Annotated[int | None, typer.Option("--order", help="官方排序 place in the official order.")] = None,
    unit_class: Annotated[str | None, typer.Option("--class", help="分类 class, e.g. 一类 / 二类.")] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """修改责任单位 Correct a unit: name, kind, leader, class, place in the order (audited).

    例 example: zs units update 税郭镇 --order 2 --class 一类
    """
    from zhaoshang.services.directory import update_unit as update
    from zhaoshang.vocabulary.labels import FIELD_ZH

    with writing("units update", by, dry_run=dry_run) as ctx:
        changed = update(ctx, name, new_name=new_name, kind=kind, leader=leader, unit_class=unit_class, order=order)
    names = "、".join(FIELD_ZH.get(f, f) for f in changed)
    if changed:
        done(f"已修改责任单位 {new_name or name}：{names}")
    else:
        err(f"{name} 没有变化。")


@units_app.command("list")
def list_units(fmt: FormatOpt = Fmt.table, out: OutOpt = None) -> None:
    """责任单位列表 Units in the official order.

    例 example: zs units list --format json
    """
    from zhaoshang.services.directory import list_units as rows_of
    from zhaoshang.vocabulary.listings import UNITS

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
    from zhaoshang.models import Chain
    from zhaoshang.services.directory import add_chain as add
    from zhaoshang.services.directory import place

    with writing("chains add", by, dry_run=dry_run) as ctx:
        chain = add(ctx, name, chief, anchor_firm, lead_unit, None)
        if order is not None:
            place(ctx, Chain, chain, order)
    done(f"已添加产业链 {chain.name}")


@chains_app.command("update")
def update_chain(
    name: Annotated[str, typer.Argument(help="产业链名称 chain name.")],
    new_name: Annotated[str | None, typer.Option("--name", help="新名称 new name.")] = None,
    chief: Annotated[str | None, typer.Option("--chief", help="链长 chief.")] = None,
    anchor_firm: Annotated[str | None, typer.Option("--anchor-firm", help="链主企业 anchor firm.")] = None,
    lead_unit: Annotated[str | None, typer.Option("--lead-unit", help="牵头部门 lead department.")] = None,
    order: Annotated[int | None, typer.Option("--order", help="排序 place in the order.")] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """修改产业链 Correct a chain: name, chief, anchor firm, lead department, order (audited).

    例 example: zs chains update 高端装备 --chief 李四
    """
    from zhaoshang.services.directory import update_chain as update
    from zhaoshang.vocabulary.labels import FIELD_ZH

    with writing("chains update", by, dry_run=dry_run) as ctx:
        changed = update(ctx, name, new_name=new_name, chief=chief, anchor_firm=anchor_firm, lead_unit=lead_unit,
                         order=order)
    names = "、".join(FIELD_ZH.get(f, f) for f in changed)
    if changed:
        done(f"已修改产业链 {new_name or name}：{names}")
    else:
        err(f"{name} 没有变化。")


@chains_app.command("list")
def list_chains(fmt: FormatOpt = Fmt.table, out: OutOpt = None) -> None:
    """产业链列表 Chains with chief, anchor firm and lead department.

    例 example: zs chains list
    """
    from zhaoshang.services.directory import list_chains as rows_of
    from zhaoshang.vocabulary.listings import CHAINS

    with reading() as session:
        rows = rows_of(session)
    output(rows, CHAINS, fmt, out)
