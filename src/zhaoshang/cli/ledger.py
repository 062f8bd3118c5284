"""Top-level ledger commands: `zs init` and `zs add-project`."""

from collections.abc import Callable
from typing import Annotated, Any

import typer

from zhaoshang.cli import _common
from zhaoshang.cli._common import (
    ByOpt,
    DryRunOpt,
    Fmt,
    FormatOpt,
    done,
    err,
    interactive,
    ledger_date_opt,
    new_app,
    parse_opt,
    reading,
    stage_opt,
    writing,
)
from zhaoshang.errors import BadValue, NotFound


def init(
    sample: Annotated[bool, typer.Option("--sample", help="载入示例区县 load the sample district (sample_data/).")] = False,
    by: ByOpt = None,
) -> None:
    """创建或升级账本 Create the ledger, or upgrade it to the newest schema.

    例 example: zs --db 台账.db init --sample
    """
    from zhaoshang.db.ops import init_ledger, where

    url = _common.state.url
    before, after = init_ledger(url)
    if before == after:
        err(f"账本已是最新（schema {after}）：{where(url)}")
    elif before is None:
        err(f"已创建账本（schema {after}）：{where(url)}")
    else:
        err(f"已升级账本 {before} → {after}：{where(url)}")
    if sample:
        from zhaoshang.cli.io import load_sample

        load_sample(by)


def _prompt(label: str, current: str | None, check: Callable[[str], Any], default: str = "") -> str | None:
    """At a terminal, ask for a missing value until it parses; an empty answer leaves it unset."""
    if current is not None:
        return current
    while True:
        answer = typer.prompt(label, default=default, show_default=bool(default)).strip()
        if not answer:
            return None
        try:
            check(answer)
            return answer
        except (ValueError, BadValue, NotFound) as exc:
            err(f"  {exc}")


def _known(kind: str) -> Callable[[str], Any]:
    """A prompt's check that the unit or chain exists (add-project never creates them)."""
    def check(answer: str) -> None:
        from zhaoshang.services.directory import find_chain, find_unit

        with reading() as session:
            (find_chain if kind == "chain" else find_unit)(session, answer)
    return check


def add_project(
    name: Annotated[str, typer.Argument(help="项目名称 project name.")],
    investor: Annotated[str | None, typer.Option("--investor", help="投资方 investor.")] = None,
    amount: Annotated[str | None, typer.Option(
        "--amount", help="总投资 amount: 10.3亿、5000万、1200万美元; a bare number is in --amount-unit.")] = None,
    amount_unit: Annotated[str, typer.Option(
        "--amount-unit", help="裸数字的单位 unit of a bare number: 亿元 | 万元 | 万美元.")] = "亿元",
    chain: Annotated[str | None, typer.Option("--chain", help="所属产业链 chain (must exist).")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="责任单位 accountable unit (must exist).")] = None,
    stage: Annotated[str | None, typer.Option(
        "--stage", help="阶段 stage: lead, negotiating, signed, started… or 在谈/已签约/在建…")] = None,
    date: Annotated[str | None, typer.Option(
        "--date", help="进入该阶段的日期 date the stage was reached: 2023-06-26, 2023年6月…")] = None,
    code: Annotated[str | None, typer.Option("--code", help="项目编号 code (default: next P-NNNN).")] = None,
    marshal: Annotated[bool, typer.Option("--marshal", help="挂帅项目 a chain's headline project (≥ 10 亿元).")] = False,
    region: Annotated[str | None, typer.Option("--region", help="来源地 source region.")] = None,
    sector: Annotated[str | None, typer.Option("--sector", help="产业类别 sector.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="备注 note.")] = None,
    allow_duplicate: Annotated[bool, typer.Option(
        "--allow-duplicate", help="与已有项目同名同投资方也添加 add even if the same project is in the ledger.")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="日期晚于今天也记为完成 record a stage date after today as done.")] = False,
    fmt: FormatOpt = Fmt.table,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """添加项目 Add one project. At a terminal it asks for what is missing; in a script it never asks.

    例 example: zs add-project 中环智能制造产业园 --investor 中环 --amount 60亿 --chain 高端装备
    --unit 区工信局 --stage signed --date 2023-05-20 --code P-001
    """
    from zhaoshang import config
    from zhaoshang.services.projects import ProjectInput, add_project, listing
    from zhaoshang.vocabulary.amounts import parse_investment
    from zhaoshang.vocabulary.dates import parse_date
    from zhaoshang.vocabulary.stages import COUNTED_STAGES, parse_stage

    if interactive():
        investor = _prompt("投资方 investor", investor, str)
        amount = _prompt("总投资 amount (如 10.3亿)", amount, lambda a: parse_investment(a, amount_unit))
        chain = _prompt("产业链 chain", chain, _known("chain"))
        unit = _prompt("责任单位 unit", unit, _known("unit"))
        stage = _prompt("阶段 stage", stage, parse_stage, "线索")
        date = _prompt("日期 date", date, parse_date, config.today().isoformat())
    money = parse_opt("--amount", parse_investment, amount, amount_unit) if amount else None
    inp = ProjectInput(
        name=name, code=code, investor=(investor or "").strip() or None,
        investment_wan=money.wan if money else None,
        investment_usd_wan=money.usd_wan if money else None,
        chain=chain, unit=unit,
        stage_date=ledger_date_opt("--date", date), marshal=marshal,
        source_region=region, sector=sector, note=note,
    )
    with writing("add-project", by, dry_run=dry_run) as ctx:
        if stage:
            inp.stage = stage_opt(ctx.session, "--stage", stage)
        project = add_project(ctx, inp, force=force, allow_duplicate=allow_duplicate)
        if inp.stage_date is None and inp.stage in COUNTED_STAGES:
            ctx.warn("未给出日期：该阶段不计入任何统计期（可用 zs projects advance … --date 补上）。")
        row = listing(ctx.session, project)
    done(f"已添加项目 {project.code} {project.name}")
    if fmt is Fmt.json:
        from zhaoshang.render import to_json

        typer.echo(to_json(row), nl=False)


init_app = new_app(group=False)
init_app.command("init")(init)
add_app = new_app(group=False)
add_app.command("add-project")(add_project)
