"""`zs db upgrade/current/check/backup/restore`: the ledger's schema and safety."""

from pathlib import Path
from typing import Annotated

import typer

from zhaoshang.cli import _common
from zhaoshang.cli._common import err, new_app

app = new_app("账本结构与安全 schema and safety: upgrade, current, check, verify, backup, restore.\n\n例 example: zs db backup 台账-备份.db")

YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="确认覆盖 overwrite without asking.")]


@app.command("upgrade")
def upgrade() -> None:
    """升级账本结构 Upgrade the ledger to the newest schema (a SQLite ledger is backed up first).

    例 example: zs db upgrade
    """
    from zhaoshang.db.ops import upgrade_ledger, where

    url = _common.state.url
    _common.require_exists(url)
    before, after, backup = upgrade_ledger(url)
    if before == after:
        err(f"账本已是最新（schema {after}）：{where(url)}")
        return
    err(f"已升级账本 {before} → {after}：{where(url)}" + (f"（升级前备份：{backup}）" if backup else ""))


@app.command("current")
def current() -> None:
    """当前结构版本 Print the ledger's schema revision and the newest one this zs knows.

    例 example: zs db current
    """
    from zhaoshang.db.engine import connect
    from zhaoshang.db.schema import HEAD, current_revision

    url = _common.state.url
    _common.require_exists(url)
    with connect(url) as conn:
        revision = current_revision(conn)
    typer.echo(f"{revision or '(none)'}" + (" (head)" if revision == HEAD else f" (head is {HEAD})"))


QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="成功时不输出 say nothing on success (cron).")]


@app.command("check")
def check(quiet: QuietOpt = False) -> None:
    """检查结构与变更记录 Exit 1 when the ledger is behind, differs from the models, or its audit
    log does not verify (zs db verify).

    例 example: zs db check && echo ok
    """
    from zhaoshang.db.ops import check_ledger, verify_ledger

    url = _common.state.url
    _common.require_exists(url)
    problems = check_ledger(url)
    if problems:
        for line in problems:
            err(line)
        raise typer.Exit(1)
    if not quiet:
        err("账本结构正常 schema ok")
    _report(verify_ledger(url), quiet)


@app.command("verify")
def verify(quiet: QuietOpt = False) -> None:
    """核验变更记录 Walk the audit log's hash chain and replay every project from its events.

    Names each event that does not fit (changed, deleted or added outside zs) and each project
    whose current state its history cannot explain (edited outside zs). Exit 1 on any finding, so
    cron can run it: `--quiet` says nothing when all is well.

    例 example: zs db verify --quiet && echo ok
    """
    from zhaoshang.db.ops import verify_ledger

    url = _common.state.url
    _common.require_exists(url)
    _report(verify_ledger(url), quiet)


SHOWN_FINDINGS = 50


def _report(verdict, quiet: bool) -> None:  # type: ignore[no-untyped-def]
    if verdict.ok:
        if not quiet:
            err(f"变更记录完整 audit log verifies：{verdict.events} 条记录，{verdict.projects} 个项目与记录相符")
        return
    first = verdict.findings[0]
    err(f"变更记录被改动 audit log does not verify：{len(verdict.findings)} 处；first: {first.message}")
    for finding in verdict.findings[1:SHOWN_FINDINGS]:
        err(f"  {finding.message}")
    if len(verdict.findings) > SHOWN_FINDINGS:
        err(f"  … {len(verdict.findings) - SHOWN_FINDINGS} more")
    raise typer.Exit(1)


@app.command("backup")
def backup(
    path: Annotated[Path, typer.Argument(help="备份文件 backup file to write.", dir_okay=False)],
    yes: YesOpt = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="成功时不输出 say nothing on success (cron).")] = False,
) -> None:
    """备份账本 Copy a SQLite ledger to FILE while others may be writing (SQLite's online backup).

    The copy is one self-contained file, written beside FILE and renamed into place. An existing
    FILE is kept unless --yes. PostgreSQL ledgers are backed up with pg_dump.

    例 example: zs db backup 备份/台账-$(date +%F).db
    """
    from zhaoshang.db.ops import backup_ledger

    url = _common.state.url
    _common.require_exists(url)
    info = backup_ledger(url, str(path), overwrite=yes)
    if not quiet:
        err(f"已备份账本到 {info.path}（schema {info.revision}，{info.projects} 个项目）")


@app.command("restore")
def restore(
    path: Annotated[Path, typer.Argument(help="备份文件 a backup made by zs db backup.", dir_okay=False)],
    yes: YesOpt = False,
) -> None:
    """从备份恢复 Replace the SQLite ledger with a backup (checked to be a zs ledger first).

    Refuses to overwrite an existing ledger without --yes; the ledger it replaces is kept as
    LEDGER.before-restore-STAMP.bak. PostgreSQL ledgers are restored with pg_restore.

    例 example: zs db restore 备份/台账-2023-06-30.db --yes
    """
    from zhaoshang.db.ops import restore_ledger, where
    from zhaoshang.db.schema import HEAD

    url = _common.state.url
    info, kept = restore_ledger(url, str(path), overwrite=yes)
    kept_note = f"；原账本另存为 {kept}" if kept else ""
    err(f"已从 {info.path} 恢复账本 {where(url)}（schema {info.revision}，{info.projects} 个项目{kept_note}）")
    if info.revision != HEAD:
        err(f"注意：备份的结构版本 {info.revision} 旧于 {HEAD}，请运行 zs db upgrade。")
