"""Creating and upgrading a ledger (imports alembic: only `zs init` and `zs db …` come here)."""

from __future__ import annotations

from pathlib import Path

from zhaoshang.db.engine import connect, sqlite_path
from zhaoshang.db.schema import current_revision


def where(url: str) -> str:
    """The ledger as a user knows it: a file path, or the URL without its password."""
    path = sqlite_path(url)
    if path is not None:
        return path
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def init_ledger(url: str) -> tuple[str | None, str]:
    """Create the ledger or upgrade it to head. Returns (revision before, revision after)."""
    from zhaoshang.db import migrate

    path = sqlite_path(url)
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    with connect(url, write=True) as conn:
        before = current_revision(conn)
        migrate.upgrade(conn)
        after = current_revision(conn)
    assert after is not None
    return before, after


def backup_sqlite(path: str, dest: str) -> None:
    """SQLite's online backup: a consistent copy even while others write."""
    import sqlite3

    src = sqlite3.connect(path)
    try:
        out = sqlite3.connect(dest)
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()


def upgrade_ledger(url: str) -> tuple[str | None, str, str | None]:
    """Upgrade to head; a SQLite ledger that needs it is backed up first. Returns (before, after, backup)."""
    import datetime as dt

    from zhaoshang.db import migrate
    from zhaoshang.db.schema import HEAD

    backup = None
    with connect(url) as conn:
        before = current_revision(conn)
    path = sqlite_path(url)
    if before != HEAD and before is not None and path is not None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = f"{path}.{before}-{stamp}.bak"
        backup_sqlite(path, backup)
    with connect(url, write=True) as conn:
        migrate.upgrade(conn)
        after = current_revision(conn)
    assert after is not None
    return before, after, backup


def check_ledger(url: str) -> list[str]:
    """What is wrong with the ledger's schema: behind head, or different from the models."""
    from zhaoshang.db import migrate
    from zhaoshang.db.schema import HEAD

    with connect(url) as conn:
        revision = current_revision(conn)
        if revision is None:
            return ["账本尚未初始化（ledger not initialised）：运行 zs init。"]
        if revision != HEAD:
            return [f"账本结构版本为 {revision}，最新为 {HEAD}（ledger is behind）：运行 zs db upgrade。"]
        diffs = migrate.model_differences(conn)
    return [f"模型与账本结构不一致 models and schema differ: {d}" for d in diffs]
