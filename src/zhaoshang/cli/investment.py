"""`zs investment set`: a project's plan for a year and its completed investment to a month."""

from typing import Annotated

import typer

from zhaoshang.cli._common import ByOpt, DryRunOpt, done, new_app, writing

app = new_app("年度计划投资与完成投资 a project's investment plan for the year and investment completed.\n\n"
              "例 example: zs investment set ZD-003 --year 2023 --plan 5000 --month 2023-08 --completed 3200")


@app.callback()
def group() -> None:
    """年度计划投资与完成投资 a project's investment plan for the year and investment completed."""


@app.command("set")
def set_(
    code: Annotated[str, typer.Argument(help="项目编号 project code.", show_default=False)],
    year: Annotated[int | None, typer.Option("--year", help="计划的年度 the plan's year.")] = None,
    plan: Annotated[int | None, typer.Option("--plan", help="年度计划投资（万元） the year's plan in 万元.")] = None,
    month: Annotated[str | None, typer.Option(
        "--month", help="完成投资截至的月份 YYYY-MM the month completed investment runs to.")] = None,
    completed: Annotated[int | None, typer.Option(
        "--completed", help="当年1月至该月累计完成投资（万元） cumulative for the year to that month, 万元.")] = None,
    monthly: Annotated[bool, typer.Option(
        "--monthly", help="--completed 是该月当月的数 the figure is that month's own, not cumulative.")] = False,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """设置计划与完成投资 Set a project's plan for a year and/or its completed investment to a month
    (cumulative for the year, or with --monthly the month's own amount); audited.

    例 example: zs investment set ZD-003 --year 2023 --plan 5000 --month 2023-08 --completed 3200
    """
    from zhaoshang.errors import BadValue
    from zhaoshang.services import users
    from zhaoshang.services.investment import set_investment
    from zhaoshang.services.projects import get_project

    when = None
    if month is not None:
        parts = month.strip().replace("/", "-").split("-")
        if len(parts) != 2 or not all(p.isdigit() for p in parts) or not 1 <= int(parts[1]) <= 12:
            raise BadValue(f"--month “{month}”无效。", "写作 YYYY-MM，例如 2023-08。")
        when = (int(parts[0]), int(parts[1]))
    if year is None and plan is not None and when is not None:
        year = when[0]
    with writing("investment set", by, dry_run=dry_run) as ctx:
        project = get_project(ctx.session, code)
        users.require_projects(ctx, {project.id})
        changed = set_investment(ctx, project.id, year=year, plan=plan, month=when,  # type: ignore[arg-type]
                                 completed=completed, monthly=monthly)
    done(f"{project.code} 投资已更新" if changed else f"{project.code} 投资无变化")
