"""`zs milestones add/list/overdue`."""

from typing import Annotated

import typer

from zhaoshang.cli import _common
from zhaoshang.cli._common import (
    ByOpt,
    DryRunOpt,
    Fmt,
    FormatOpt,
    OutOpt,
    day_or_today,
    err,
    ledger_date_opt,
    new_app,
    output,
    reading,
    writing,
)

app = new_app("项目节点 milestones: add, list, overdue.\n\n例 example: zs milestones overdue --as-of 2023-06-30")


@app.command("add")
def add(
    code: Annotated[str, typer.Argument(help="项目编号 project code.")],
    kind: Annotated[str, typer.Argument(help="节点 signed, started, groundbreaking(奠基), capacity(达产), visit, other…")],
    planned: Annotated[str | None, typer.Option("--planned", help="计划日期 planned date.")] = None,
    done: Annotated[str | None, typer.Option("--done", help="完成日期 date done.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="备注 note.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="完成日期晚于今天也记为完成 record a done date after today.")] = False,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """添加节点 Add a planned and/or done milestone. A done stage beyond the project's stage advances it.

    例 example: zs milestones add P-001 started --planned 2023-09-30
    """
    from zhaoshang.services.milestones import add_milestone, parse_kind

    kind_key = parse_kind(kind)
    with writing("milestones add", by, dry_run=dry_run) as ctx:
        row, what = add_milestone(ctx, code, kind_key, planned=ledger_date_opt("--planned", planned),
                                  done=ledger_date_opt("--done", done), note=note, force=force)
    from zhaoshang.vocabulary.labels import MILESTONE_ZH

    name = MILESTONE_ZH.get(kind_key, kind_key)
    if what == "unchanged":
        err(f"项目“{code}”已有这个节点（{name}），没有变化。")
        return
    verb = "已添加节点" if what == "added" else "已更新节点"
    _common.done(f"{verb} {code} {name}：计划 {row['planned_on'] or '—'}，完成 {row['done_on'] or ('是' if row['done'] else '—')}")


@app.command("list")
def list_(
    code: Annotated[str | None, typer.Argument(help="项目编号 (omit for all).")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="节点类型 milestone kind.")] = None,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="责任单位 unit.")] = None,
    fmt: FormatOpt = Fmt.table,
    out: OutOpt = None,
) -> None:
    """节点列表 List milestones.

    例 example: zs milestones list P-001
    """
    from zhaoshang.services.milestones import list_milestones, parse_kind
    from zhaoshang.vocabulary.listings import MILESTONES

    with reading() as session:
        rows = list_milestones(session, code, parse_kind(kind) if kind else None, unit)
    output(rows, MILESTONES, fmt, out)


@app.command("overdue")
def overdue(
    as_of: Annotated[str | None, typer.Option("--as-of", help="截至日期 as of (default: today).")] = None,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="责任单位 unit.")] = None,
    fmt: FormatOpt = Fmt.table,
    out: OutOpt = None,
) -> None:
    """逾期节点 Planned milestones not done by their date.

    例 example: zs milestones overdue --as-of 2023-06-30
    """
    from zhaoshang.services.milestones import overdue as overdue_rows
    from zhaoshang.vocabulary.listings import OVERDUE

    with reading() as session:
        rows = overdue_rows(session, day_or_today("--as-of", as_of), unit)
    output(rows, OVERDUE, fmt, out)
