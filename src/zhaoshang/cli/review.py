"""`zs review add/show/pending/gate` and `zs review criteria list/set/add/drop`: 联审."""

from collections.abc import Callable
from typing import Annotated, Any

import typer

from zhaoshang.cli import _common
from zhaoshang.cli._common import (
    ByOpt,
    DryRunOpt,
    Fmt,
    FormatOpt,
    OutOpt,
    day_or_today,
    done,
    err,
    new_app,
    output,
    reading,
    split_list,
    writing,
)

app = new_app("联审 joint review: add, show, pending, gate, criteria.\n\n例 example: zs review pending --as-of 2023-06-30")
criteria_app = new_app("联审标准 the review criteria, versioned by date: list, set, add, drop.\n\n例 example: zs review criteria add 安全生产 --from 2024-01-01")
app.add_typer(criteria_app, name="criteria")

CodeArg = Annotated[str, typer.Argument(help="项目编号 project code.")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="截至日期 as of (default: today).")]
FromOpt = Annotated[str | None, typer.Option("--from", help="启用日期 in force from (default: today).")]


@app.command("add")
def add(
    code: CodeArg,
    criterion: Annotated[list[str] | None, typer.Option(
        "--criterion", "-c", help="联审标准 criterion: 能耗, or a list 产业准入、布局规划 (repeatable).")] = None,
    verdict: Annotated[str, typer.Option("--verdict", "-v", help="结论 pass|conditional|fail (通过/有条件通过/不通过).")] = "",
    all_criteria: Annotated[bool, typer.Option("--all", help="对所有在用标准 every criterion in force.")] = False,
    on: Annotated[str | None, typer.Option("--on", help="联审日期 date of the review (default: today).")] = None,
    reviewer: Annotated[str | None, typer.Option("--reviewer", help="审查单位或人 reviewer (default: --by).")] = None,
    note: Annotated[str | None, typer.Option("--note", help="意见 conditions or reasons.")] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """登记联审结论 Record a joint-review verdict on one or more criteria of a project.

    例 example: zs review add P-001 --criterion 产业准入、布局规划 --verdict 通过 --on 2023-05-10
    """
    from zhaoshang.errors import BadValue
    from zhaoshang.services.criteria import criteria_in_force
    from zhaoshang.services.review import add_review, parse_verdict
    from zhaoshang.vocabulary.verdicts import VERDICT_ZH

    if not verdict:
        raise BadValue("缺少 --verdict。", "可用：pass|conditional|fail（通过/有条件通过/不通过）。")
    if not criterion and not all_criteria:
        raise BadValue("缺少 --criterion。", "例如 --criterion 能耗，或用 --all 对所有在用标准。")
    key = parse_verdict(verdict)
    day = day_or_today("--on", on)
    with writing("review add", by, dry_run=dry_run) as ctx:
        names = criteria_in_force(ctx.session, day) if all_criteria else split_list(criterion or [])
        recorded = [add_review(ctx, code, name, key, on=day, reviewer=reviewer or by, note=note) for name in names]
    new = [r.criterion for r, created in recorded if created]
    same = [r.criterion for r, created in recorded if not created]
    if new:
        done(f"已登记联审 {code} {day}：{'、'.join(new)} {VERDICT_ZH[key]}")
    if same:
        err(f"{code} 已有相同结论：{'、'.join(same)}")


def _title(detail: dict) -> str:
    if _common.state.lang == "en":
        state = "complete" if detail["complete"] else "; ".join(
            part for part in (f"failed {', '.join(detail['failed'])}" if detail["failed"] else "",
                              f"{len(detail['missing'])} missing" if detail["missing"] else "") if part)
        return f"{detail['code']} {detail['name']} review: {state}"
    state = "完整" if detail["complete"] else "；".join(
        part for part in (f"不通过 {'、'.join(detail['failed'])}" if detail["failed"] else "",
                          f"未审 {len(detail['missing'])} 项" if detail["missing"] else "") if part)
    return f"{detail['code']} {detail['name']} 联审：{state}"


@app.command("show")
def show(code: CodeArg, as_of: AsOfOpt = None, fmt: FormatOpt = Fmt.table, out: OutOpt = None) -> None:
    """项目联审情况 Each criterion in force with its latest verdict; earlier verdicts below.

    例 example: zs review show P-001
    """
    from zhaoshang.services.review import show_review
    from zhaoshang.vocabulary.listings import REVIEW_STATUS, REVIEWS

    day = day_or_today("--as-of", as_of)
    with reading() as session:
        detail = show_review(session, code, day)
    if fmt is Fmt.json:
        output([], [], fmt, out, data=detail)
        return
    unreviewed = "missing" if _common.state.lang == "en" else "未审"
    rows = [dict(r, criterion=r["criterion"] if r["in_force"] else f"{r['criterion']}（已停用）",
                 verdict=r["verdict"] or unreviewed) for r in detail["criteria"]]
    output(rows, REVIEW_STATUS, fmt, out, title=_title(detail))
    if out is None and len(detail["reviews"]) > sum(1 for r in detail["criteria"] if r["verdict"]):
        output(detail["reviews"], REVIEWS, fmt, None, title="All reviews" if _common.state.lang == "en" else "联审记录")


@app.command("pending")
def pending(
    as_of: AsOfOpt = None,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="责任单位 unit.")] = None,
    signed: Annotated[bool, typer.Option("--signed", help="只看已签约及以后 only signed or later.")] = False,
    fmt: FormatOpt = Fmt.table,
    out: OutOpt = None,
) -> None:
    """联审未完成 Projects in negotiation or later whose review is incomplete or failed.

    例 example: zs review pending --as-of 2023-06-30 --format json
    """
    from zhaoshang.services.directory import find_unit
    from zhaoshang.services.pending import pending as pending_rows
    from zhaoshang.vocabulary.listings import REVIEW_PENDING

    day = day_or_today("--as-of", as_of)
    with reading() as session:
        unit_id = find_unit(session, unit).id if unit else None
        rows = pending_rows(session, day, unit_id=unit_id, min_stage="signed" if signed else "negotiating")
    output(rows, REVIEW_PENDING, fmt, out,
           title=f"Incomplete reviews {day}" if _common.state.lang == "en" else f"联审未完成 {day}")


@app.command("gate")
def gate(
    mode: Annotated[str | None, typer.Argument(
        help="warn（缺审只提醒）| require（缺审不能签约）; omit to show the setting.")] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """联审把关 Show or set what a missing review does to signing: warn or require.

    A failed criterion blocks signing either way (unless --force --reason).

    例 example: zs review gate require
    """
    from zhaoshang.services.gate import set_gate, setting

    if mode is None:
        with reading() as session:
            typer.echo(setting(session, "review_gate", "warn"))
        return
    with writing("review gate", by, dry_run=dry_run) as ctx:
        changed = set_gate(ctx, mode)
        value = setting(ctx.session, "review_gate", "warn")
    if changed:
        done(f"联审把关：{value}", would=f"联审把关将设为：{value}")
    else:
        err(f"联审把关：{value}（未变）")


@criteria_app.command("list")
def criteria_list(
    on: Annotated[str | None, typer.Option("--on", help="哪一天在用 in force on (default: today).")] = None,
    all_versions: Annotated[bool, typer.Option("--all", help="所有版本 every version, with dates.")] = False,
    fmt: FormatOpt = Fmt.table,
    out: OutOpt = None,
) -> None:
    """联审标准 The criteria in force on a day, or every version.

    例 example: zs review criteria list --all
    """
    from zhaoshang.services.criteria import list_criteria
    from zhaoshang.vocabulary.listings import CRITERIA

    day = None if all_versions else day_or_today("--on", on)
    with reading() as session:
        rows = list_criteria(session, day)
    output(rows, CRITERIA, fmt, out)


def _change_criteria(command: str, date_from: str | None, by: str | None, dry_run: bool,
                     apply: Callable[..., Any]) -> None:
    """Change the criteria from a day on (default: today) in one unit of work, and say what changed."""
    day = day_or_today("--from", date_from)
    with writing(f"review criteria {command}", by, dry_run=dry_run) as ctx:
        change = apply(ctx, day)
    parts = [f"新增 {'、'.join(change.added)}" if change.added else "",
             f"停用 {'、'.join(change.dropped)}" if change.dropped else "",
             f"调整顺序 {'、'.join(change.reordered)}" if change.reordered else ""]
    text = "；".join(p for p in parts if p)
    if text:
        done(f"联审标准自 {change.on} 起：{text}", would=f"联审标准将自 {change.on} 起：{text}")
    else:
        err("联审标准没有变化。")


@criteria_app.command("set")
def criteria_set(
    names: Annotated[list[str], typer.Argument(help="标准 the whole list, in order.")],
    date_from: FromOpt = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """设定联审标准 Make these the criteria from a date on; earlier reviews keep their meaning.

    例 example: zs review criteria set 产业准入 布局规划 环境保护 能耗 投资强度 利税 科技研发能力 人才支撑 安全生产 --from 2024-01-01
    """
    from zhaoshang.services.criteria import set_criteria

    _change_criteria("set", date_from, by, dry_run, lambda ctx, day: set_criteria(ctx, names, day))


@criteria_app.command("add")
def criteria_add(
    name: Annotated[str, typer.Argument(help="标准 criterion.")],
    date_from: FromOpt = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """增加联审标准 Add a criterion from a date on.

    例 example: zs review criteria add 安全生产 --from 2024-01-01
    """
    from zhaoshang.services.criteria import add_criterion

    _change_criteria("add", date_from, by, dry_run, lambda ctx, day: add_criterion(ctx, name, day))


@criteria_app.command("drop")
def criteria_drop(
    name: Annotated[str, typer.Argument(help="标准 criterion.")],
    date_from: FromOpt = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """停用联审标准 Stop using a criterion from a date on (reviews made before keep it).

    例 example: zs review criteria drop 人才支撑 --from 2024-01-01
    """
    from zhaoshang.services.criteria import drop_criterion

    _change_criteria("drop", date_from, by, dry_run, lambda ctx, day: drop_criterion(ctx, name, day))
