"""The `zs` command line. Parses, calls a service, renders; nothing else.

Command groups load lazily: `zs --help` lists them from the table below without importing them, and
`zs projects list` imports only cli/projects.py. Command modules import Typer and the standard
library at module level; each command imports the services it needs when it runs.
"""

import importlib
import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from zhaoshang import __version__
from zhaoshang.cli import _common, _usage
from zhaoshang.cli._common import err, fail
from zhaoshang.errors import ZsError

# name -> (module, Typer attribute, one-line help), in the order `zs --help` lists them.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": ("zhaoshang.cli.ledger", "init_app", "创建或升级账本 create or upgrade the ledger"),
    "add-project": ("zhaoshang.cli.ledger", "add_app", "添加项目 add one project"),
    "projects": ("zhaoshang.cli.projects", "app", "项目台账 list, show, update, advance, delete, history"),
    "milestones": ("zhaoshang.cli.milestones", "app", "项目节点 milestones: add, list, overdue"),
    "trips": ("zhaoshang.cli.trips", "app", "外出招商 outbound promotion trips"),
    "funds": ("zhaoshang.cli.funds", "app", "实际到位资金 funds in place by month"),
    "units": ("zhaoshang.cli.units", "units_app", "责任单位 accountable units"),
    "chains": ("zhaoshang.cli.units", "chains_app", "产业链 industrial chains"),
    "campaign": ("zhaoshang.cli.campaign", "app", "会战与目标 campaigns and targets"),
    "report": ("zhaoshang.cli.report", "app", "周调度/月通报/季评价/年认定 reports, funnel, cohorts"),
    "scorecard": ("zhaoshang.cli.scorecard", "app", "会战成绩单 campaign scorecard"),
    "review": ("zhaoshang.cli.review", "app", "联审 joint review: add, show, pending, gate, criteria"),
    "problems": ("zhaoshang.cli.problems", "app", "问题协调 problems: add, list, resolve"),
    "investment": ("zhaoshang.cli.investment", "app", "计划与完成投资 a project's yearly plan and completed investment"),
    "stages": ("zhaoshang.cli.stages", "app", "阶段词 stage words of this district"),
    "returns": ("zhaoshang.cli.returns", "app", "周报表 weekly returns: template, collect, status"),
    "import": ("zhaoshang.cli.batches", "app", "导入台账 import ledger workbooks and CSV; log, undo"),
    "export": ("zhaoshang.cli.io", "export_app", "导出账本 export the whole ledger as xlsx"),
    "summary": ("zhaoshang.cli.summary", "app", "定时写报表 dated report files for cron"),
    "settings": ("zhaoshang.cli.settings", "app", "账本设置 district name, bulletin closing, returns deadline, usd rate"),
    "users": ("zhaoshang.cli.users", "app", "用户与权限 users, roles and units"),
    "db": ("zhaoshang.cli.db", "app", "账本结构与安全 schema and safety"),
}


class ZsGroup(TyperGroup):
    """The root group: lazy subcommands, and every ZsError as one line on stderr with exit code 1."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, attr, _ = COMMANDS[cmd_name]
            sub = getattr(importlib.import_module(module), attr)
            command = typer.main.get_command(sub)
            command.name = cmd_name
            self.commands[cmd_name] = _usage.finish(command, cmd_name)
        return self.commands.get(cmd_name)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Click's usage errors (exit 2) and its "Aborted!" in the product's voice, one line each."""
        _usage.finish(self, "zs")
        standalone = kwargs.pop("standalone_mode", True)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except typer._click.exceptions.NoArgsIsHelpError as exc:
            if not standalone:
                raise
            exc.show()
            code = exc.exit_code
        except typer._click.exceptions.UsageError as exc:
            if not standalone:
                raise
            err(_usage.message(exc))
            code = exc.exit_code
        except typer._click.exceptions.ClickException as exc:
            if not standalone:
                raise
            err(f"错误：{exc.format_message()}")
            code = exc.exit_code
        except typer.Abort:
            if not standalone:
                raise
            err("已取消 aborted")
            code = 1
        if not standalone:
            return code
        sys.exit(code if isinstance(code, int) else 0)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = [(name, COMMANDS[name][2]) for name in COMMANDS]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ZsError as exc:
            fail(exc)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err("已中断 interrupted")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            raise typer.Exit(0) from None
        except (typer.Exit, typer.Abort, typer._click.exceptions.ClickException):
            raise
        except Exception as exc:  # the last resort: one line, the details in a file
            last_resort(exc)
            raise typer.Exit(1) from None


def last_resort(exc: BaseException) -> None:
    """An error no check foresaw: one line naming the file the traceback went to (ZS_DEBUG=1 prints
    it), with the command line and the digest of every file it named, for the report that follows."""
    import datetime as dt
    import tempfile
    import traceback
    from pathlib import Path

    from zhaoshang.importers.guards import file_digest

    details = "".join(traceback.format_exception(exc))
    if os.environ.get("ZS_DEBUG") == "1":
        sys.stderr.write(details)
    lines = [f"zs {__version__} {dt.datetime.now().isoformat(timespec='seconds')}", f"argv: {sys.argv!r}"]
    for arg in sys.argv[1:]:
        try:
            if os.path.isfile(arg):
                lines.append(f"sha256 {file_digest(Path(arg))} {arg}")
        except (OSError, ValueError):
            continue
    where = "（无法写入详情）"
    try:
        fd, name = tempfile.mkstemp(prefix="zs-error-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n\n" + details)
        where = name
    except OSError:
        pass
    err(f"内部错误 internal error（{type(exc).__name__}）：账本未改动；详情已写入 {where}（ZS_DEBUG=1 直接显示）。")


app = typer.Typer(
    cls=ZsGroup,
    name="zs",
    help="zs — 招商引资台账 investment-promotion ledger.\n\n例 example: zs init --sample && zs report --week --as-of 2023-06-30",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"zs {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: Annotated[str | None, typer.Option(
        "--db", envvar="ZS_DB", help="账本 ledger: a SQLite file or a postgresql+psycopg:// URL (default ./zhaoshang.db).",
        show_default=False)] = None,
    lang: Annotated[str, typer.Option(
        "--lang", help="标签语言 labels, headings and report prose: zh | en (messages stay Chinese first).",
        envvar="ZS_LANG")] = "zh",
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="显示版本 show the version.")] = False,
) -> None:
    """zs — 招商引资台账 investment-promotion ledger."""
    if lang not in ("zh", "en"):
        raise typer.BadParameter("只能是 zh 或 en（zh or en）。", param_hint="--lang")
    _common.state = _common.State(db=db, lang=lang)


GLOBAL_OPTIONS = ("--db", "--lang")


def hoist_global_options(args: list[str]) -> list[str]:
    """`zs projects list --lang en` as a clerk types it means `zs --lang en projects list`: the
    global options (which take a value) move in front of the command. After `--` nothing moves."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    seen_command = False
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        name = arg.split("=", 1)[0]
        if seen_command and name in GLOBAL_OPTIONS:
            if "=" in arg:
                front.append(arg)
            else:
                front += args[i:i + 2]
                i += 1
        else:
            if not arg.startswith("-") and (not rest or rest[-1] not in GLOBAL_OPTIONS):
                seen_command = True
            rest.append(arg)
        i += 1
    return front + rest


def main() -> None:
    """The console script. After the command, close the ledger's connections, flush, and leave
    without tearing down every imported module (a third of a short command's time)."""
    try:
        app(args=hoist_global_options(sys.argv[1:]), prog_name="zs")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if isinstance(exc.code, str):
            err(exc.code)
    except ZsError as exc:  # raised outside a command (e.g. while parsing a callback)
        fail(exc)
        code = exc.exit_code
    except Exception as exc:  # pragma: no cover - invoke() catches what a command raises
        last_resort(exc)
        code = 1
    if "zhaoshang.db.engine" in sys.modules:
        sys.modules["zhaoshang.db.engine"].dispose_all()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    os._exit(code)
