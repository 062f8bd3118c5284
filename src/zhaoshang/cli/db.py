"""`zs db upgrade/current/check`: the ledger's schema."""

import typer

from zhaoshang.cli import _common
from zhaoshang.cli._common import err, new_app

app = new_app("账本结构与安全 schema and safety: upgrade, current, check.")


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


@app.command("check")
def check() -> None:
    """检查结构 Exit 1 when the ledger is behind or differs from the models.

    例 example: zs db check && echo ok
    """
    from zhaoshang.db.ops import check_ledger

    url = _common.state.url
    _common.require_exists(url)
    problems = check_ledger(url)
    if problems:
        for line in problems:
            err(line)
        raise typer.Exit(1)
    err("账本结构正常 schema ok")
