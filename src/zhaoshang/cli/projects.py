"""`zs projects list/show/update/advance/history`."""

from typing import Annotated

import typer

from zhaoshang.cli import _common
from zhaoshang.cli._common import (
    ByOpt,
    DryRunOpt,
    Fmt,
    FormatOpt,
    OutOpt,
    day_opt,
    done,
    err,
    ledger_date_opt,
    new_app,
    output,
    parse_opt,
    reading,
    stage_opt,
    writing,
)

app = new_app("项目台账 projects: list, show, update, advance, delete, history.\n\n例 example: zs projects list --stage signed --unit 区工信局")

CodeArg = Annotated[str, typer.Argument(help="项目编号 project code.")]
BANDS = {"1": 10_000, "10": 100_000, "50": 500_000, "100": 1_000_000}


def _amount_wan(option: str, value: str | None) -> int | None:
    if value is None:
        return None
    from zhaoshang.errors import BadValue
    from zhaoshang.vocabulary.amounts import parse_amount

    amount = parse_opt(option, parse_amount, value)
    if amount is None or amount.wan is None:
        raise BadValue(f"{option} 需要人民币金额，而不是“{value}”。")
    return amount.wan


@app.command("list")
def list_(
    stage: Annotated[list[str] | None, typer.Option("--stage", "-s", help="阶段 stage (repeatable): signed, 在谈…")] = None,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="责任单位 unit.")] = None,
    chain: Annotated[str | None, typer.Option("--chain", "-c", help="产业链 chain.")] = None,
    band: Annotated[str | None, typer.Option("--band", help="金额档 amount band: 1, 10, 50 or 100 (≥ N 亿元).")] = None,
    min_amount: Annotated[str | None, typer.Option("--min-amount", help="总投资下限 at least, e.g. 5亿.")] = None,
    max_amount: Annotated[str | None, typer.Option("--max-amount", help="总投资上限 at most, e.g. 50亿.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="阶段日期起 stage date from (inclusive).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="阶段日期止 stage date to (inclusive).")] = None,
    date_of: Annotated[str | None, typer.Option(
        "--date-of", help="--from/--to 针对的阶段 the stage whose date --from/--to test (default: any stage).")] = None,
    search: Annotated[str | None, typer.Option("--search", "-q", help="按编号、名称、投资方搜索 text search.")] = None,
    marshal: Annotated[bool | None, typer.Option("--marshal/--no-marshal", help="只看（不看）挂帅项目.")] = None,
    leader: Annotated[str | None, typer.Option("--leader", help="包保领导 projects of this leader in charge.")] = None,
    role: Annotated[str, typer.Option(
        "--role", help="--unit 作为 lead（责任单位）、support（配合单位）或 any the unit's role.")] = "lead",
    fmt: FormatOpt = Fmt.table,
    out: OutOpt = None,
) -> None:
    """项目列表 List projects, filtered.

    例 example: zs projects list --stage signed --unit 区工信局 --band 10 --from 2023-04-15 --format json
    """
    from zhaoshang.errors import BadValue
    from zhaoshang.services.projects import ProjectFilter, list_projects
    from zhaoshang.vocabulary.listings import PROJECTS, PROJECTS_LISTING

    if band is not None and band not in BANDS:
        raise BadValue(f"--band “{band}”无效。", "可用：1、10、50、100（亿元以上）。")
    min_wan = _amount_wan("--min-amount", min_amount)
    if band is not None:
        min_wan = max(min_wan or 0, BANDS[band])
    flt = ProjectFilter(
        unit=unit, chain=chain, min_wan=min_wan, max_wan=_amount_wan("--max-amount", max_amount),
        date_from=day_opt("--from", date_from), date_to=day_opt("--to", date_to),
        search=search, marshal=marshal, leader=leader, role=role,
    )
    if role not in ("lead", "support", "any"):
        raise BadValue(f"--role “{role}”无效。", "可用：lead、support、any。")
    with reading() as session:
        flt.stage = [stage_opt(session, "--stage", s) for s in stage] if stage else None
        flt.date_stage = stage_opt(session, "--date-of", date_of) if date_of else None
        rows = list_projects(session, flt)
    columns = PROJECTS if fmt is Fmt.table else PROJECTS_LISTING
    output(rows, columns, fmt, out, title=None)


@app.command("show")
def show(code: CodeArg, fmt: FormatOpt = Fmt.table) -> None:
    """项目详情 Show one project with its milestones.

    例 example: zs projects show P-001
    """
    from zhaoshang.render import emit
    from zhaoshang.render import show as show_value
    from zhaoshang.services.projects import show_project
    from zhaoshang.vocabulary.listings import MILESTONES, PROJECT_DETAIL, PROJECTS_LISTING

    with reading() as session:
        detail = show_project(session, code)
    if fmt is Fmt.json:
        emit([], [], fmt="json", data=detail)
        return
    lang = _common.state.lang
    extra = [("source_region", "来源地", "Region"), ("sector", "产业类别", "Sector"),
             ("progress", "最新进展", "Progress"), ("scope", "建设内容及规模", "Scope"),
             ("planned_completion_on", "计划竣工时间", "Completion planned"), ("completed_on", "竣工时间", "Completed on"),
             ("note", "备注", "Remark")]
    fields = [(c.label(lang), show_value(detail[c.key], c.kind, lang)) for c in PROJECTS_LISTING]
    fields += [(en if lang == "en" else zh, detail[key] or "") for key, zh, en in extra if detail[key]]
    fields += investment_lines(detail, lang)
    emit([{"field": f, "value": v} for f, v in fields], PROJECT_DETAIL, fmt=fmt.value, lang=lang,
         title=f"{detail['code']} {detail['name']}")
    if detail["milestones"]:
        milestones = [{"code": detail["code"], "name": detail["name"], "unit": detail["unit"], **m}
                      for m in detail["milestones"]]
        emit(milestones, [c for c in MILESTONES if c.key not in ("code", "name", "unit")], fmt=fmt.value,
             lang=lang, title="Milestones" if lang == "en" else "节点")
    if detail["notes"]:
        from zhaoshang.vocabulary.listings import NOTES

        emit(detail["notes"], NOTES, fmt=fmt.value, lang=lang, title="Latest progress" if lang == "en" else "最近进展")


def investment_lines(detail: dict, lang: str) -> list[tuple[str, str]]:
    """The plan and completed investment per year as `projects show` prints them."""
    lines = []
    for year, plan in detail["plan_wan"].items():
        done = max(((m, v) for m, v in detail["completed_wan"].items() if m.startswith(f"{year}-")), default=None)
        text = f"{'待定' if plan is None else f'{plan} 万元'}"
        if done is not None:
            text += f"；1-{int(done[0][5:])}月完成 {done[1]} 万元" + (f"（{done[1] / plan:.1%}）" if plan else "")
        lines.append((f"{year} plan" if lang == "en" else f"{year}年计划投资", text))
    return lines


@app.command("note")
def note(
    code: CodeArg,
    text: Annotated[str, typer.Argument(help="本周进展 this week's progress.", show_default=False)],
    next_step: Annotated[str | None, typer.Option("--next", help="下步计划 the next step.")] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="哪一周：含这一天的 ISO 周 the week holding this day (default: today in ZS_TZ).")] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """进展 The week's progress note of a project (本周进展, and 下步计划 with --next): one per project
    and week, a second one for the same week replaces it; audited. The dispatch reads the latest.

    例 example: zs projects note ZD-003 "二期厂房主体封顶" --next "设备进场" --as-of 2023-06-30
    """
    from zhaoshang.services.notes import add_note
    from zhaoshang.services.projects import get_project
    from zhaoshang.vocabulary.weeks import week_short_zh

    day = _common.day_or_today("--as-of", as_of)
    with writing("projects note", by, dry_run=dry_run) as ctx:
        project = get_project(ctx.session, code)
        outcome = add_note(ctx, project, text, next_step, day)
    verb = {"inserted": "已记下", "updated": "已更新", "unchanged": "没有变化："}[outcome]
    err(f"{verb} {project.code} {week_short_zh(day)}的进展")


@app.command("update")
def update(
    code: CodeArg,
    name: Annotated[str | None, typer.Option("--name", help="项目名称.")] = None,
    investor: Annotated[str | None, typer.Option("--investor", help="投资方.")] = None,
    amount: Annotated[str | None, typer.Option("--amount", help="总投资 (10.3亿 / 5000万 / 1200万美元).")] = None,
    amount_unit: Annotated[str, typer.Option("--amount-unit", help="裸数字的单位 亿元 | 万元 | 万美元.")] = "亿元",
    chain: Annotated[str | None, typer.Option("--chain", help="产业链.")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="责任单位.")] = None,
    new_code: Annotated[str | None, typer.Option("--new-code", help="改项目编号 change the code.")] = None,
    marshal: Annotated[bool | None, typer.Option("--marshal/--no-marshal", help="挂帅项目.")] = None,
    region: Annotated[str | None, typer.Option("--region", help="来源地.")] = None,
    sector: Annotated[str | None, typer.Option("--sector", help="产业类别.")] = None,
    progress: Annotated[str | None, typer.Option("--progress", help="最新进展 progress note.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="备注.")] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """修改项目 Change a project's fields (each change is audited).

    例 example: zs projects update P-001 --amount 65亿 --progress "主体完工"
    """
    from zhaoshang.services.projects import update_project
    from zhaoshang.vocabulary.amounts import parse_investment

    changes: dict = {}
    if amount is not None:
        money = parse_opt("--amount", parse_investment, amount, amount_unit)
        if money is None or money.usd_wan is None:
            changes["investment_wan"] = money.wan if money else None
        if money is not None and money.usd_wan is not None:
            changes["investment_usd_wan"] = money.usd_wan
    for key, value in (("name", name), ("investor", investor), ("chain", chain), ("unit", unit),
                       ("code", new_code), ("marshal", marshal), ("source_region", region),
                       ("sector", sector), ("progress", progress), ("note", note)):
        if value is not None:  # text given empty clears the field ("" is never stored)
            changes[key] = (value.strip() or None) if isinstance(value, str) and key not in ("name", "code") \
                else value
    if not changes:
        from zhaoshang.errors import BadValue

        raise BadValue("没有要修改的内容。", "例如 --amount 65亿 或 --unit 区工信局。")
    with writing("projects update", by, dry_run=dry_run) as ctx:
        changed = update_project(ctx, code, changes)
    from zhaoshang.vocabulary.labels import FIELD_ZH

    names = [FIELD_ZH.get(f, f).replace("(万元)", "") for f in changed]
    if changed:
        done(f"已修改 {new_code or code}：{'、'.join(names)}")
    else:
        err(f"{code} 没有变化。")


@app.command("advance")
def advance(
    code: CodeArg,
    stage: Annotated[str, typer.Argument(help="目标阶段 stage: negotiating, signed, ready, started, producing, terminated…")],
    date: Annotated[str | None, typer.Option(
        "--date", help="日期 date reached (default: today; a stage already dated keeps its date).")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="允许退回、越过联审或晚于今天的日期 allow a backward move, override the review gate, "
                        "or a date after today.")] = False,
    reason: Annotated[str | None, typer.Option(
        "--reason", help="原因 why (recorded): with --force, or when terminating (终止).")] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """推进阶段 Move a project to a stage with a date; the stage milestone is recorded.

    例 example: zs projects advance P-001 started --date 2023-06-27
    """
    from zhaoshang.services.projects import advance as advance_project
    from zhaoshang.vocabulary.stages import STAGE_ZH

    when = ledger_date_opt("--date", date)
    with writing("projects advance", by, dry_run=dry_run) as ctx:
        target = stage_opt(ctx.session, "stage", stage)
        result = advance_project(ctx, code, target, when, force=force, reason=reason)
    if not result.changed:
        err(f"{result.code} 已处于{STAGE_ZH[target]}阶段。")
        return
    cleared = f"（清除：{'、'.join(STAGE_ZH.get(c, c) for c in result.cleared)}）" if result.cleared else ""
    day = f" {result.date}" if result.date else ""
    moved = f"{result.code}：{STAGE_ZH[result.old_stage]} → {STAGE_ZH[result.new_stage]}{day}{cleared}"
    done(moved, would=f"将推进 {moved}")


@app.command("delete")
def delete(
    code: CodeArg,
    force: Annotated[bool, typer.Option(
        "--force", help="已计入已发出的报表也作废 void even a project a report already counted.")] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="原因 why (recorded; needed with --force).")] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """作废项目 Void a project entered by mistake: it leaves the ledger with its milestones, reviews,
    problems and trip links; the audit log keeps all of it (history and --as-known-at still show it).
    A project a report already issued has counted stays, unless --force --reason; a project that is
    simply not going ahead is terminated instead (zs projects advance CODE 终止 --reason …).

    例 example: zs projects delete P-0015 --reason 重复录入
    """
    from zhaoshang.services.projects import get_project
    from zhaoshang.services.void import void_project

    with writing("projects delete", by, dry_run=dry_run) as ctx:
        voided = void_project(ctx, get_project(ctx.session, code), force=force, reason=reason)
    parts = [f"{label} {n}" for label, n in (("节点", voided.milestones), ("联审", voided.reviews),
                                              ("问题", voided.problems), ("走访", voided.trips)) if n]
    removed = f"，连同{'、'.join(parts)}" if parts else ""
    done(f"已作废项目 {voided.code} {voided.name}{removed}（变更记录保留）")


@app.command("history")
def history(code: CodeArg, fmt: FormatOpt = Fmt.table, out: OutOpt = None) -> None:
    """变更记录 A project's audit trail: who changed what, when, from where.

    例 example: zs projects history P-001
    """
    from zhaoshang.services.projects import history as project_history
    from zhaoshang.vocabulary.listings import HISTORY

    with reading() as session:
        rows = project_history(session, code)
    output(rows, HISTORY, fmt, out)
