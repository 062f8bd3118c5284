"""`zs trips add/list`."""

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
    reading,
    split_list,
    writing,
)

app = new_app("外出招商 outbound promotion trips: add, list, update, delete.\n\n例 example: zs trips list --main-leader --from 2023-01-01 --to 2023-06-30")


@app.command("add")
def add(
    date: Annotated[str, typer.Option("--date", help="出发日期 date.")],
    unit: Annotated[str | None, typer.Option(
        "--unit", "-u", help="单位 unit (主要领导带队可不填：记在区委区政府下).")] = None,
    leader: Annotated[str | None, typer.Option(
        "--leader", help="带队领导 leader (区委书记、区长 即主要领导带队).")] = None,
    main_leader: Annotated[bool, typer.Option("--main-leader", help="区主要领导带队 led by a main district leader.")] = False,
    destination: Annotated[str | None, typer.Option("--destination", help="目的地 destination.")] = None,
    region: Annotated[str | None, typer.Option("--region", help="区域 region (长三角、珠三角…).")] = None,
    project: Annotated[list[str] | None, typer.Option(
        "--project", "-p", help="走访的项目编号 a project visited (repeatable, or P-001,P-002).")] = None,
    visits: Annotated[int | None, typer.Option(
        "--visits", help="走访项目数 projects visited (default: the --project count).")] = None,
    negotiations: Annotated[int, typer.Option("--negotiations", help="参与洽谈数 negotiations joined.")] = 0,
    note: Annotated[str | None, typer.Option("--note", help="备注 note.")] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """登记外出招商 Record an outbound promotion trip, with the projects it visited.

    例 example: zs trips add --unit 区委区政府 --leader 区委书记 --date 2023-05-10 --destination 深圳 --project ZD-003 --project ZD-047 --negotiations 1
    """
    from zhaoshang.services.trips import add_trip

    day = day_opt("--date", date)
    assert day is not None
    with writing("trips add", by, dry_run=dry_run) as ctx:
        trip = add_trip(ctx, unit, day, leader=leader, main_leader=main_leader, destination=destination,
                        region=region, visits=visits, negotiations=negotiations, note=note,
                        projects=split_list(project or []))
    where = f" {destination}" if destination else ""
    done(f"已登记外出招商 #{trip.id} {trip.date}{where}" + ("（主要领导带队）" if trip.is_main_leader else ""))


@app.command("list")
def list_(
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="单位 unit.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="起 from.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="止 to.")] = None,
    main_leader: Annotated[bool | None, typer.Option("--main-leader/--others", help="只看主要领导（其他）.")] = None,
    fmt: FormatOpt = Fmt.table,
    out: OutOpt = None,
) -> None:
    """外出招商列表 List trips.

    例 example: zs trips list --main-leader --from 2023-01-01 --to 2023-06-30
    """
    from zhaoshang.services.trips import list_trips
    from zhaoshang.vocabulary.columns import Col
    from zhaoshang.vocabulary.listings import TRIPS

    with reading() as session:
        rows = list_trips(session, unit, day_opt("--from", date_from), day_opt("--to", date_to), main_leader)
    output(rows, [Col("id", "编号", "No.", "int"), *TRIPS, Col("projects", "走访项目编号", "Projects visited", "names")],
           fmt, out)


@app.command("update")
def update(
    trip_id: Annotated[str, typer.Argument(help="编号 trip id (from zs trips list).")],
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="单位 unit.")] = None,
    date: Annotated[str | None, typer.Option("--date", help="出发日期 date.")] = None,
    leader: Annotated[str | None, typer.Option("--leader", help="带队领导 leader.")] = None,
    main_leader: Annotated[bool | None, typer.Option("--main-leader/--not-main-leader",
                                                     help="区主要领导带队（或不是）.")] = None,
    destination: Annotated[str | None, typer.Option("--destination", help="目的地 destination.")] = None,
    region: Annotated[str | None, typer.Option("--region", help="区域 region.")] = None,
    visits: Annotated[int | None, typer.Option("--visits", help="走访项目数 projects visited.")] = None,
    negotiations: Annotated[int | None, typer.Option("--negotiations", help="参与洽谈数 negotiations.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="备注 note.")] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """修改外出招商 Correct a trip (audited).

    例 example: zs trips update 12 --visits 5 --negotiations 2
    """
    from zhaoshang.services.trips import update_trip
    from zhaoshang.vocabulary.labels import FIELD_ZH

    changes = {k: v for k, v in (("unit", unit), ("leader", leader), ("is_main_leader", main_leader),
                                 ("destination", destination), ("region", region), ("visits", visits),
                                 ("negotiations", negotiations), ("note", note)) if v is not None}
    if date is not None:
        changes["date"] = day_opt("--date", date)
    with writing("trips update", by, dry_run=dry_run) as ctx:
        changed = update_trip(ctx, trip_id, changes)
    names = "、".join({"leader": "带队领导"}.get(f) or FIELD_ZH.get(f, f) for f in changed)
    if changed:
        done(f"外出招商 #{trip_id} 已修改：{names}")
    else:
        err(f"外出招商 #{trip_id} 没有变化。")


@app.command("delete")
def delete(
    trip_id: Annotated[str, typer.Argument(help="编号 trip id (from zs trips list).")],
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """删除外出招商 Remove a trip recorded by mistake (the audit log keeps it).

    例 example: zs trips delete 12
    """
    from zhaoshang.services.trips import delete_trip

    with writing("trips delete", by, dry_run=dry_run) as ctx:
        trip = delete_trip(ctx, trip_id)
    done(f"已删除外出招商 #{trip_id}（{trip.date} {trip.destination or ''}）")
