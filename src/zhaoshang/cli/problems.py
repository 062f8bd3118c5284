"""`zs problems add/list/resolve`: the problems a dispatch meeting coordinates (问题协调)."""

from typing import Annotated

import typer

from zhaoshang.cli._common import (
    ByOpt,
    DryRunOpt,
    Fmt,
    FormatOpt,
    OutOpt,
    day_opt,
    day_or_today,
    done,
    err,
    ledger_date_opt,
    new_app,
    output,
    reading,
    writing,
)

app = new_app("问题协调 problems a dispatch coordinates: add, list, resolve, update.\n\n例 example: zs problems list --open --as-of 2023-06-30")


@app.command("add")
def add(
    code: Annotated[str, typer.Argument(help="项目编号 project code.")],
    text: Annotated[str, typer.Argument(help="存在问题 what blocks the project.")],
    owner: Annotated[str, typer.Option("--owner", help="责任单位 the unit that must solve it.")],
    due: Annotated[str, typer.Option("--due", help="解决时限 deadline (2023-06-30; 2023年6月 = end of June).")],
    raised: Annotated[str | None, typer.Option("--raised", help="提出日期 raised on (default: today).")] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """登记问题 Record a problem with its owner unit and deadline.

    例 example: zs problems add P-001 "用地指标未落实" --owner 区自然资源局 --due 2023-06-20 --raised 2023-05-08
    """
    from zhaoshang.services.problems import add_problem

    deadline = ledger_date_opt("--due", due)
    raised_on = day_or_today("--raised", raised)
    assert deadline is not None
    with writing("problems add", by, dry_run=dry_run) as ctx:
        problem = add_problem(ctx, code, text, owner, deadline.last, raised=raised_on)
    done(f"已登记问题 #{problem.id}（{code}，时限 {problem.due_on}）")


@app.command("list")
def list_(
    open_only: Annotated[bool, typer.Option("--open", help="未解决（含逾期） open, overdue included.")] = False,
    overdue: Annotated[bool, typer.Option("--overdue", help="已逾期 overdue only, most days late first.")] = False,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="责任单位 owner unit.")] = None,
    project: Annotated[str | None, typer.Option("--project", "-p", help="项目编号 project code.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="截至日期 as of (default: today).")] = None,
    fmt: FormatOpt = Fmt.table,
    out: OutOpt = None,
) -> None:
    """问题列表 Problems raised by a day, with their state that day.

    例 example: zs problems list --overdue --as-of 2023-06-30
    """
    from zhaoshang.services.directory import find_unit
    from zhaoshang.services.problems import list_problems
    from zhaoshang.services.projects import get_project
    from zhaoshang.vocabulary.listings import PROBLEMS

    day = day_or_today("--as-of", as_of)
    with reading() as session:
        rows = list_problems(
            session, day, open_only=open_only, overdue_only=overdue,
            unit_id=find_unit(session, unit).id if unit else None,
            project_id=get_project(session, project).id if project else None)
    output(rows, PROBLEMS, fmt, out)


@app.command("resolve")
def resolve(
    problem_id: Annotated[str, typer.Argument(help="问题编号 problem id (from zs problems list).")],
    note: Annotated[str, typer.Option("--note", help="解决情况 how it was solved.")],
    on: Annotated[str | None, typer.Option("--on", help="解决日期 resolved on (default: today).")] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """问题已解决 Mark a problem resolved, with how.

    例 example: zs problems resolve 3 --note "指标已调剂到位" --on 2023-06-18
    """
    from zhaoshang.services.problems import resolve_problem

    day = day_opt("--on", on)
    with writing("problems resolve", by, dry_run=dry_run) as ctx:
        problem = resolve_problem(ctx, problem_id, note, day)
        late = problem.due_on is not None and problem.resolved_on is not None and problem.resolved_on > problem.due_on
    done(f"问题 #{problem.id} 已解决 {problem.resolved_on}" + (f"（超过时限 {problem.due_on}）" if late else ""))


@app.command("update")
def update(
    problem_id: Annotated[str, typer.Argument(help="问题编号 problem id (from zs problems list).")],
    text: Annotated[str | None, typer.Option("--text", help="问题内容 the problem's wording.")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="责任单位 owner unit.")] = None,
    due: Annotated[str | None, typer.Option("--due", help="解决时限 deadline.")] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """修改问题 Correct a problem: wording, owner unit, deadline (audited).

    例 example: zs problems update 3 --due 2023-08-31 --owner 区自然资源局
    """
    from zhaoshang.cli._common import ledger_date_opt
    from zhaoshang.services.problems import update_problem
    from zhaoshang.vocabulary.labels import FIELD_ZH

    when = ledger_date_opt("--due", due)
    day = when.last if when is not None else None  # a month's deadline is its last day
    with writing("problems update", by, dry_run=dry_run) as ctx:
        changed = update_problem(ctx, problem_id, text=text, owner=owner, due=day)
    names = "、".join(FIELD_ZH.get(f, f) for f in changed)
    if changed:
        done(f"问题 #{problem_id} 已修改：{names}")
    else:
        err(f"问题 #{problem_id} 没有变化。")
