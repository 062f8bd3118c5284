"""`zs import`: `zs import FILE` imports a workbook or CSV (cli/io.py); `zs import log` lists the
imports and `zs import undo BATCH` takes one back."""

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from zhaoshang.cli._common import ByOpt, DryRunOpt, Fmt, FormatOpt, OutOpt, done, output, reading, writing
from zhaoshang.cli.io import import_


class ImportGroup(TyperGroup):
    """`zs import FILE …` runs the import; a first word that is one of the group's commands (log, undo)
    runs that instead. Its help page is the import's, with those commands listed before the example."""

    default_command = "file"

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        command = self.commands[self.default_command]
        sub = command.make_context(ctx.info_name, [], parent=ctx.parent, resilient_parsing=True)
        command.format_usage(sub, formatter)
        command.format_help_text(sub, formatter)
        command.format_options(sub, formatter)
        self.format_commands(ctx, formatter)
        command.format_epilog(sub, formatter)


app = typer.Typer(cls=ImportGroup, no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                  pretty_exceptions_enable=False, context_settings={"help_option_names": ["-h", "--help"]})
app.command("file", hidden=True)(import_)


@app.command("log")
def log(fmt: FormatOpt = Fmt.table, out: OutOpt = None) -> None:
    """导入记录 Every import, newest first: when, who, which file, what it did, and whether it was undone.

    例 example: zs import log
    """
    from zhaoshang.services.batches import log as batch_log
    from zhaoshang.vocabulary.listings import IMPORT_BATCHES, IMPORT_BATCHES_FULL

    with reading() as session:
        rows = batch_log(session)
    output(rows, IMPORT_BATCHES if fmt is Fmt.table and out is None else IMPORT_BATCHES_FULL, fmt, out)


@app.command("undo")
def undo(
    batch: Annotated[str, typer.Argument(help="导入批次编号 batch number (from zs import log).")],
    force: Annotated[bool, typer.Option(
        "--force", help="之后又改过的记录也撤销 undo even where a later change touched the same rows.")] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="原因 why (recorded; needed with --force).")] = None,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """撤销导入 Take back an import of the wrong file: what it inserted is deleted and what it changed
    gets its old value back, every step in the audit log (--as-known-at still shows the ledger as it
    was in between). Refused, naming them, where a later change touched the same rows, unless
    --force --reason.

    例 example: zs import undo 12 --reason 导错了文件
    """
    from zhaoshang.services.batches import undo as undo_batch

    with writing("import undo", by, dry_run=dry_run) as ctx:
        undone = undo_batch(ctx, batch, force=force, reason=reason)
    from zhaoshang.vocabulary.labels import ENTITY_ZH

    gone = "、".join(f"{ENTITY_ZH.get(k, k)} {n}" for k, n in undone.deleted.items())
    parts = [f"删除{gone}" if gone else "", f"恢复字段 {undone.restored}" if undone.restored else ""]
    what = "，".join(p for p in parts if p) or "没有需要恢复的内容"
    done(f"已撤销导入批次 #{undone.batch}（{undone.file}）：{what}")

