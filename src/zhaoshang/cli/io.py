"""`zs import` and `zs export`: Excel (and CSV) in and out; `zs init --sample` loads the sample district."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zhaoshang.cli._common import ByOpt, DryRunOpt, Fmt, FormatOpt, err, new_app, writing
from zhaoshang.errors import BadValue, ZsError
from zhaoshang.vocabulary.dates import FIRST_YEAR, LAST_YEAR

if TYPE_CHECKING:
    from zhaoshang.services.imports import ImportOptions, ImportResult

SAMPLE = "shizhong-2023.xlsx"
PROGRESS_MIN_BYTES = 1 << 20  # show a progress bar from about 10 000 rows


class _Strict(Exception):
    """Raised inside the unit of work to roll back an import that had row errors under --strict."""


def sample_path() -> Path:
    """The sample workbook: inside the installed package, or sample_data/ of a checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "sample_data" / SAMPLE, package.parent.parent / "sample_data" / SAMPLE):
        if candidate.is_file():
            return candidate
    raise BadValue(f"找不到示例台账 {SAMPLE}。", "请重新安装 zhaoshang，或在源码目录中运行。")


def import_(
    file: Annotated[Path, typer.Argument(help="台账文件 ledger file: .xlsx .xlsm .xls .ods .csv", show_default=False)],
    sheet: Annotated[str | None, typer.Option("--sheet", help="只导入这个工作表（也可以是隐藏表）only this sheet.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="没有年份的日期（6月26日）用这一年 year of year-less dates.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="有任何一行出错就什么都不写 write nothing if any row fails.")] = False,
    map_file: Annotated[Path | None, typer.Option(
        "--map", help="列名/阶段词对应表 TOML: [columns] \"项目负责单位\" = \"unit\"; [stages] \"已摘地\" = \"signed\".",
        dir_okay=False)] = None,
    errors_out: Annotated[Path | None, typer.Option(
        "--errors", help="把被拒绝的行和原因写入 OUT.xlsx，改好后可再导入 write rejected rows to OUT.xlsx.",
        dir_okay=False)] = None,
    no_create: Annotated[bool, typer.Option(
        "--no-create", help="不认识的责任单位/产业链算错误，不新建 unknown units and chains are row errors.")] = False,
    fmt: FormatOpt = Fmt.table,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """导入台账 Import a ledger workbook or CSV (projects, units, chains, trips, targets).

    Re-importing updates in place (by 项目编号, else 名称+投资方); the same file twice changes
    nothing. Row errors are listed as FILE:SHEET!CELL and exit 1 even when good rows landed.

    例 example: zs import 台账.xlsx --year 2023 --errors 错误.xlsx
    """
    from zhaoshang.services.imports import ImportOptions

    if fmt not in (Fmt.table, Fmt.json):
        raise typer.BadParameter(f"{fmt.value} 不适用于 zs import（可用：table、json）。", param_hint="--format")
    options = ImportOptions(sheet=sheet, year=year, create=not no_create)
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        raise typer.BadParameter(f"{year} 不合理（应在 {FIRST_YEAR}—{LAST_YEAR} 年间）。", param_hint="--year")
    if errors_out is not None:
        writable_output(errors_out, "--errors")
    if map_file is not None:
        from zhaoshang.importers.header import load_map

        options.column_map, options.stage_words = load_map(map_file)
    try:
        result = run_import(file, options, by=by, dry_run=dry_run, strict=strict, command="import")
    except StrictFailed as failed:  # nothing landed; the rejected rows still go to --errors
        _write_errors(errors_out, failed.result)
        raise typer.Exit(1) from None
    if fmt is Fmt.json:
        from zhaoshang.render import to_json

        sys.stdout.write(to_json(result.as_json()))
    _write_errors(errors_out, result)
    if result.rejected:
        raise typer.Exit(1)


def writable_output(path: Path, option: str) -> None:
    """An output file named by an option must be writable before any work starts (usage error, exit 2)."""
    import os

    if path.suffix.lower() != ".xlsx":
        raise typer.BadParameter(f"“{path.name}”需要 .xlsx 扩展名。", param_hint=option)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise typer.BadParameter(f"目录不存在：{parent}", param_hint=option)
    if path.exists() and not path.is_file():
        raise typer.BadParameter(f"{path} 不是普通文件。", param_hint=option)
    if not os.access(path if path.exists() else parent, os.W_OK):
        raise typer.BadParameter(f"没有写入 {path} 的权限。", param_hint=option)


def _write_errors(errors_out: Path | None, result: ImportResult) -> None:
    if errors_out is not None and result.rejected_sheets:
        from zhaoshang.render.sheetxml import write_rejected

        write_rejected(errors_out, result)
        err(f"被拒绝的行已写入 {errors_out}（改好后可再导入）")


class StrictFailed(Exception):
    """A --strict import with row errors: nothing written; the result says what was wrong."""

    def __init__(self, result: ImportResult) -> None:
        super().__init__("strict")
        self.result = result


def run_import(file: Path, options: ImportOptions, *, by: str | None, dry_run: bool, strict: bool,
               command: str) -> ImportResult:
    """Import in one unit of work and print the summary; a file that cannot be imported, or a --strict
    import with row errors, leaves only a failed-import record."""
    from zhaoshang.importers.guards import check_path, file_digest
    from zhaoshang.render.imports import print_summary
    from zhaoshang.services.imports import import_file

    result: ImportResult | None = None
    try:
        check_path(file)  # a FIFO, a device or a file over the size cap: refused before the ledger is locked
    except ZsError as exc:
        _record(file, exc.message, by, dry_run, options, None)
        raise
    options.sha256 = options.sha256 or file_digest(file)  # read once, outside the write lock
    progress = _progress_bar(file)
    try:
        with writing(command, by, dry_run=dry_run) as ctx:
            result = import_file(ctx, file, options, progress.update if progress else None)
            if strict and result.rejected:
                raise _Strict
    except _Strict:
        assert result is not None
        _close(progress)
        print_summary(result, strict=True)
        _record(file, f"--strict：{result.rejected} 行被拒绝", by, dry_run, options, result)
        raise StrictFailed(result) from None
    except ZsError as exc:
        from zhaoshang.errors import Busy, SchemaError

        _close(progress)
        if not isinstance(exc, (Busy, SchemaError)):  # a ledger we could not write to records nothing
            _record(file, exc.message, by, dry_run, options, result)
        raise
    _close(progress)
    print_summary(result, dry_run=dry_run)
    return result


def _record(file: Path, message: str, by: str | None, dry_run: bool, options: ImportOptions,
            result: ImportResult | None) -> None:
    if dry_run:
        return
    from zhaoshang.services.imports import record_failure

    try:
        with writing("import", by) as ctx:
            record_failure(ctx, file, message, file_name=options.file_name, result=result, digest=options.sha256)
    except ZsError:
        pass


class _Bar:
    """Rows read so far, on stderr (only at a terminal, only for large files)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(TextColumn("导入"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                                 console=Console(file=sys.stderr), transient=True)
        self.task = self.progress.add_task("import", total=None)
        self.progress.start()

    def update(self, done: int, total: int) -> None:
        self.progress.update(self.task, completed=done, total=max(total, done))

    def close(self) -> None:
        self.progress.stop()


def _progress_bar(file: Path) -> _Bar | None:
    try:
        big = file.stat().st_size >= PROGRESS_MIN_BYTES
    except OSError:
        return None
    if not big or not sys.stderr.isatty():
        return None
    return _Bar()


def _close(bar: _Bar | None) -> None:
    if bar is not None:
        bar.close()


def export(
    out: Annotated[Path, typer.Argument(help="输出文件 FILE.xlsx", dir_okay=False, show_default=False)],
) -> None:
    """导出整个账本 Export the whole ledger as a printable workbook that zs import reads back unchanged.

    例 example: zs export 台账-2023-07-01.xlsx
    """
    from zhaoshang import config
    from zhaoshang.cli._common import reading
    from zhaoshang.render.sheetxml import write_ledger
    from zhaoshang.services.export import ledger_tables

    if out.suffix.lower() != ".xlsx":
        raise BadValue(f"导出文件需要 .xlsx 扩展名，而不是“{out.name}”。")
    if not out.parent.exists():
        raise BadValue(f"目录不存在：{out.parent}")
    with reading() as session:
        tables = ledger_tables(session, config.today())
        write_ledger(out, tables)
    counts = "，".join(f"{t.name} {t.count}" for t in tables.sheets)
    err(f"已导出 {out}：{counts}")


def load_sample(by: str | None = None) -> None:
    """`zs init --sample`: import sample_data/ into the ledger just created."""
    from zhaoshang.services.imports import ImportOptions

    path = sample_path()
    result = run_import(path, ImportOptions(), by=by, dry_run=False, strict=False, command="init --sample")
    if result.rejected:
        raise typer.Exit(1)


export_app = new_app(group=False)
export_app.command("export")(export)
