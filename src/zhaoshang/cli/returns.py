"""`zs returns template/collect/status`: the units' weekly returns (周报表) out, in, and chased."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zhaoshang.cli import _common
from zhaoshang.cli._common import ByOpt, DryRunOpt, day_or_today, err, new_app, reading, writing
from zhaoshang.errors import BadValue

if TYPE_CHECKING:
    import datetime as dt

    from zhaoshang.services.returns.collect import Received

app = new_app("周报表 weekly returns from the units: template, collect, status.\n\n"
              "例 example: zs returns template --out 周报表/2023-W26 && zs returns collect 收件箱/ && "
              "zs returns status --remind")

AsOfOpt = Annotated[str | None, typer.Option(
    "--as-of", help="哪一周：含这一天的 ISO 周 the week holding this day (default: today in ZS_TZ).")]


@app.command("template")
def template(
    out: Annotated[Path, typer.Option("--out", "-o", help="写入目录 directory for the workbooks.", file_okay=False)],
    as_of: AsOfOpt = None,
    unit: Annotated[list[str] | None, typer.Option("--unit", "-u", help="只写这些单位 only these units (repeatable).")]
        = None,
) -> None:
    """报表模板 One workbook per unit for the week, named 2023-W26-税郭镇.xlsx: the unit's live projects
    pre-filled (code and name locked), this week's columns, rows for new projects, 外出招商, 填报说明.
    Every unit but the leadership gets one, a unit without a live project too.

    例 example: zs returns template --as-of 2023-06-26 --out 周报表/2023-W26
    """
    from zhaoshang.render.returns import write_template
    from zhaoshang.services.returns.template import templates

    day = day_or_today("--as-of", as_of)
    if out.exists() and not out.is_dir():
        raise BadValue(f"--out “{out}”不是目录。")
    with reading() as session:
        made = templates(session, day, unit)
    out.mkdir(parents=True, exist_ok=True)
    for t in made:
        write_template(out / t.file_name, t)
    if made:
        first = made[0]
        err(f"已写入 {len(made)} 个报表模板到 {out}（{first.week_label}，报送截止 {first.due_text}）")


@app.command("collect")
def collect(
    paths: Annotated[list[Path], typer.Argument(help="收到的报表 returned workbooks, or directories of them.",
                                                show_default=False, metavar="FILE|DIR")],
    as_of: AsOfOpt = None,
    received_at: Annotated[str | None, typer.Option(
        "--received-at", help="收到时间 when they came, e.g. \"2023-06-30 16:20\" (ZS_TZ; default: now).")] = None,
    plain: Annotated[bool, typer.Option(
        "--plain", help="不是报表模板的工作簿按普通台账导入 import a workbook that is no return as a plain ledger.")]
        = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="输出格式 table | json.")] = "table",
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """收表 Import the units' returns of the week: each recognised by its template (else its file name or
    the unit it names), imported for that unit only, recorded with the time it came and what it
    changed. The same file twice changes nothing; a corrected return replaces the first and says
    what changed. A return for another week is refused unless --as-of names that week.

    例 example: zs returns collect 收件箱/ --as-of 2023-06-30 --received-at "2023-06-30 16:20"
    """
    from zhaoshang import config
    from zhaoshang.render.collect import print_collected
    from zhaoshang.services.returns.collect import Options, return_files
    from zhaoshang.vocabulary.weeks import week_of

    if fmt not in ("table", "json"):
        raise BadValue(f"--format {fmt} 不适用于 zs returns collect。", "可用：table、json。")
    day = day_or_today("--as-of", as_of)
    for path in paths:
        if not path.exists():
            raise BadValue(f"文件或目录不存在：{path}")
    files, skipped = return_files(paths)
    opts = Options(week_of(day), _moment("--received-at", received_at), config.zone(), plain=plain)
    got = [_one(path, opts, by, dry_run) for path in files] + skipped
    with reading() as session:
        from zhaoshang.services.returns.status import week_status

        status = week_status(session, day, opts.zone)
    if fmt == "json":
        from zhaoshang.render import to_json

        sys.stdout.write(to_json([g.json() for g in got]))
    print_collected(got, status, opts.zone, dry_run=dry_run)
    if any(g.outcome == "refused" or (g.result is not None and g.result.rejected) for g in got):
        raise typer.Exit(1)


def _one(path: Path, opts, by: str | None, dry_run: bool) -> Received:  # type: ignore[no-untyped-def]
    """One file in a unit of work of its own; a failed import is rolled back and recorded as refused."""
    from zhaoshang.errors import Busy, SchemaError, ZsError
    from zhaoshang.services.returns.collect import ImportFailed, Received, collect, refuse

    try:
        with writing("returns collect", by, dry_run=dry_run) as ctx:
            return collect(ctx, path, opts)
    except ImportFailed as failed:
        if isinstance(failed.cause, (Busy, SchemaError)):
            raise failed.cause from None
        got = failed.received
        if not dry_run:
            with writing("returns collect", by) as ctx:
                refuse(ctx, got, failed.message)
        got.outcome, got.reason = "refused", failed.message
        return got
    except (Busy, SchemaError):
        raise
    except ZsError as exc:  # this file could not be taken; the others still are
        return Received(path, "refused", week=opts.week, reason=f"{path.name}：{exc.message}")


def _moment(option: str, value: str | None) -> dt.datetime:
    """A day and time in ZS_TZ (or now), as aware UTC."""
    import datetime as dt

    from zhaoshang import config

    if value is None:
        return config.utcnow()
    text = value.strip().replace("T", " ").replace("/", "-")
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise BadValue(f"{option} “{value}”不是时间。", "写作 2023-06-30 16:20。") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=config.zone())
    return moment.astimezone(dt.UTC)


@app.command("status")
def status(
    as_of: AsOfOpt = None,
    remind: Annotated[bool, typer.Option(
        "--remind", help="催报：生成可贴到工作群的催报消息 the chasing message for the office's group chat.")] = False,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="输出格式 table | json | csv | md | xlsx | html | text.")] = "table",
    out: _common.OutOpt = None,
) -> None:
    """报送情况 Per unit in the official order: 按时 (with the time), 迟报, 无变化, 退回, 未报, for the week
    holding --as-of. --remind prints the 催报 message naming the missing units and the deadline.
    JSON: one object per unit {unit, status (on_time, late, unchanged, refused, missing),
    received_at, file, changes}.

    例 example: zs returns status --as-of 2023-06-30 --remind
    """
    from zhaoshang import config
    from zhaoshang.reports.returns import reminder, status_report

    formats = ("table", "json", "csv", "md", "xlsx", "html", "text")
    if fmt not in formats:
        raise BadValue(f"--format {fmt} 无效。", f"可用：{'、'.join(formats)}。")
    day = day_or_today("--as-of", as_of)
    with reading() as session:
        if remind:
            from zhaoshang.services.settings import get_setting

            text = reminder(session, day, config.utcnow(), get_setting(session, "district"))
        else:
            report = status_report(session, day, config.utcnow())
    if remind:
        if out is not None:
            out.write_text(text, encoding="utf-8")
            err(f"已写入 {out}")
        else:
            sys.stdout.write(text)
        return
    from zhaoshang.render.report import emit_report

    emit_report(report, _common.file_format(fmt, out), out, _common.state.lang)
    if out is not None:
        err(f"已写入 {out}")
