"""What every command shares: global state, option types, the ledger session, errors, output.

Only light imports at module level: `zs --help` must not load SQLAlchemy, pandas, openpyxl or alembic.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from zhaoshang import config
from zhaoshang.errors import BadValue, SchemaError, ZsError

if TYPE_CHECKING:
    from sqlmodel import Session

    from zhaoshang.services.context import Ctx
    from zhaoshang.vocabulary.columns import Col
    from zhaoshang.vocabulary.dates import LedgerDate

T = TypeVar("T")


def new_app(help: str | None = None, *, group: bool = True) -> typer.Typer:
    """A command group (or, with group=False, a one-command app) with plain, fast help."""
    return typer.Typer(no_args_is_help=group, add_completion=False, rich_markup_mode=None, help=help,
                       pretty_exceptions_enable=False, context_settings={"help_option_names": ["-h", "--help"]})


@dataclass
class State:
    db: str | None = None
    lang: str = "zh"
    dry_run: bool = False  # the last unit of work was a --dry-run: done() says what it would do

    @property
    def url(self) -> str:
        return config.database_url(self.db)


state = State()


class Fmt(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"
    xlsx = "xlsx"
    html = "html"


FormatOpt = Annotated[Fmt, typer.Option("--format", "-f", help="输出格式 output format.")]
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="写入文件 write to FILE (xlsx 必须).",
                                             dir_okay=False, writable=True)]
ByOpt = Annotated[str | None, typer.Option("--by", help="操作人 who makes the change (default: $ZS_USER or OS user).")]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="只检查不写入 check only, write nothing.")]


# --------------------------------------------------------------------------- messages


def err(message: str) -> None:
    """One line (or a few) on stderr."""
    sys.stderr.write(message.rstrip("\n") + "\n")
    sys.stderr.flush()


# A change's message says what was done; after a --dry-run, what would be.
_WOULD = {"已添加": "将添加", "已创建": "将创建", "已设定": "将设定", "已登记": "将登记", "已修改": "将修改",
          "已删除": "将删除", "已作废": "将作废", "已解决": "将记为已解决", "已对应": "将对应", "已授予": "将授予",
          "已收回": "将收回", "已新建": "将新建", "已撤销": "将撤销"}


def done(message: str, would: str | None = None) -> None:
    """The line a change ends with: "已添加项目 P-0015 …", or after --dry-run "将添加项目 P-0015 …"
    (`would`, else the first past-tense verb of `message` turned future)."""
    if state.dry_run:
        if would is None:
            verb = min((v for v in _WOULD if v in message), key=message.index, default=None)
            would = message.replace(verb, _WOULD[verb], 1) if verb else f"将：{message}"
        message = would
    err(message)


def fail(exc: ZsError) -> None:
    err(f"错误：{exc.message}" + (f" {exc.hint}" if exc.hint else ""))


def bad_option(option: str, exc: ValueError) -> BadValue:
    return BadValue(f"{option} {exc}")


def parse_opt(option: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a parser; a ValueError becomes one BadValue line naming the option."""
    try:
        return fn(*args, **kwargs)
    except ValueError as exc:
        raise bad_option(option, exc) from None


def split_list(values: list[str]) -> list[str]:
    """A repeatable option's values, each of which may be a list: 产业准入、布局规划 / a,b / a，b / a；b."""
    import re

    return [part.strip() for value in values for part in re.split(r"[、，,；;]", value) if part.strip()]


def day_opt(option: str, value: str | None) -> dt.date | None:
    """An option that must be a whole day (as-of dates, trip dates)."""
    if value is None:
        return None
    from zhaoshang.vocabulary.dates import parse_date

    parsed = parse_opt(option, parse_date, value, year=config.today().year)
    if parsed is None:
        return None
    if parsed.day is None:
        raise BadValue(f"{option} 需要具体到日的日期，而不是“{value}”。")
    return parsed.first


def day_or_today(option: str, value: str | None) -> dt.date:
    """day_opt, or today (ZS_TZ) when the option is not given."""
    return day_opt(option, value) or config.today()


def stage_opt(session: Session, option: str, value: str) -> str:
    """A stage word, including the district's own words (zs stages map)."""
    from zhaoshang.services.stages import word_map
    from zhaoshang.vocabulary.stages import parse_stage

    return parse_opt(option, parse_stage, value, word_map(session))


def ledger_date_opt(option: str, value: str | None, year: int | None = None) -> LedgerDate | None:
    if value is None:
        return None
    from zhaoshang.vocabulary.dates import parse_date

    return parse_opt(option, parse_date, value, year=year or config.today().year)


# --------------------------------------------------------------------------- ledger access


def require_exists(url: str) -> None:
    from zhaoshang.db.engine import check_sqlite_file, sqlite_path

    path = sqlite_path(url)
    if path is not None and not Path(path).exists():
        raise SchemaError(f"账本文件不存在：{path}", "先运行 zs init（或用 --db / ZS_DB 指定账本）。")
    check_sqlite_file(url)


@contextmanager
def reading() -> Iterator[Session]:
    """A read-only session on a ledger at the current schema."""
    from zhaoshang.db.engine import session_scope
    from zhaoshang.db.schema import require_current

    url = state.url
    require_exists(url)
    with session_scope(url) as session:
        require_current(session.connection())
        yield session


@contextmanager
def writing(command: str, by: str | None = None, *, dry_run: bool = False) -> Iterator[Ctx]:
    """One unit of work for a change: committed when the block ends, rolled back on any error or on
    --dry-run. Warnings collected by the services go to stderr either way."""
    from zhaoshang.db.engine import session_scope
    from zhaoshang.db.schema import require_current
    from zhaoshang.services.context import Ctx

    url = state.url
    require_exists(url)
    ctx: Ctx | None = None
    try:
        with session_scope(url, write=True) as session:
            require_current(session.connection())
            ctx = Ctx(session=session, actor=config.actor(by), source=f"zs {command}",
                      today=config.today(), now=config.utcnow())
            from zhaoshang.services.users import guard

            guard(ctx, by)  # who acts, and what that user may change
            from zhaoshang.services.context import bind

            bind(ctx)  # PostgreSQL: the transaction's time and the context its triggers record
            yield ctx
            if dry_run:
                raise _DryRun
    except _DryRun:
        state.dry_run = True
    finally:
        if ctx is not None:
            for warning in ctx.warnings:
                err(f"注意：{warning}")
    if state.dry_run:
        err("（试运行 dry run：未写入）")


class _DryRun(Exception):
    """Raised inside the unit of work to roll it back after a --dry-run."""


NOT_WRITTEN = (".xls", ".xlsm", ".xlsb", ".ods", ".et", ".pdf", ".doc", ".wps")
SUFFIX_FORMAT = {".xlsx": "xlsx", ".docx": "docx", ".json": "json", ".csv": "csv", ".md": "md", ".html": "html",
                 ".htm": "html"}
BINARY = ("xlsx", "docx")  # formats only a file can hold


def file_format(fmt: str, out: Path | None) -> str:
    """What to write: --format; without it (the table), --out's extension says (--out 6月通报.xlsx
    writes a workbook, --out 台账.csv a CSV). A workbook under another extension, or other text
    under .xlsx, is refused: Excel could not open it."""
    if out is None:
        if fmt in BINARY:
            raise BadValue(f"--format {fmt} 需要 --out FILE。")
        return fmt
    if not out.parent.is_dir():
        raise BadValue(f"--out 的目录不存在：{out.parent}", "先建好目录，或换一个路径。")
    if out.suffix.lower() in NOT_WRITTEN:
        raise BadValue(f"zs 不写 {out.suffix} 文件：{out.name}", "可写 .xlsx、.csv、.md、.json、.html、.txt。")
    by_name = SUFFIX_FORMAT.get(out.suffix.lower())
    if by_name is None or by_name == fmt:
        return fmt
    if fmt == "table":
        return by_name
    if fmt in BINARY or by_name in BINARY:
        raise BadValue(f"--format {fmt} 与文件名“{out.name}”不符。",
                       f"写 Excel 用 --out 文件名.xlsx、Word 用 --out 文件名.docx；写 {fmt} 换一个扩展名。")
    return fmt


def output(rows: list[dict], columns: list[Col], fmt: Fmt, out: Path | None, *, title: str | None = None,
           data: Any = None) -> None:
    from zhaoshang.render import emit

    chosen = file_format(fmt.value, out)
    if chosen == "docx":
        raise BadValue("Word（.docx）只用于报表和成绩单（zs report、zs scorecard）。", "清单可写 .xlsx、.csv、.md、.json、.html。")
    emit(rows, columns, fmt=chosen, out=out, lang=state.lang, title=title, data=data)
    if out is not None:
        err(f"已写入 {out}")


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()
