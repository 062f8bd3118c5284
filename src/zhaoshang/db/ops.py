"""Creating and upgrading a ledger (imports alembic: only `zs init` and `zs db …` come here)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from zhaoshang.db.engine import check_sqlite_file, connect, sqlite_path
from zhaoshang.db.schema import current_revision
from zhaoshang.errors import BadValue, Conflict, NotFound, SchemaError


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
        check_sqlite_file(url)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    with connect(url, write=True) as conn:
        before = current_revision(conn)
        if before is None and path is not None and _has_tables(conn):
            raise BadValue(f"“{path}”是别的 SQLite 数据库，不是 zs 账本；zs init 不会改动它。",
                           "用 --db 指定一个新文件名，或已有的 zs 账本。")
        migrate.upgrade(conn)
        after = current_revision(conn)
        refresh_security(conn)
    assert after is not None
    return before, after


def _has_tables(conn) -> bool:  # type: ignore[no-untyped-def]
    from sqlalchemy import inspect

    return bool(inspect(conn).get_table_names())


def refresh_security(conn) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL: the audit triggers on every audited table (db/audit_pg.py); with users, the
    policies and grants on new tables too (db/security.py)."""
    if conn.dialect.name != "postgresql":
        return
    from zhaoshang.db import audit_pg, security

    audit_pg.install(conn)

    if security.installed(conn):
        security.install(conn)


def backup_sqlite(path: str, dest: str) -> None:
    """SQLite's online backup: a consistent copy even while others write. The copy is one
    self-contained file (rollback journal, not WAL)."""
    import sqlite3

    from zhaoshang import config

    src = sqlite3.connect(path, timeout=config.busy_timeout())
    try:
        out = sqlite3.connect(dest)
        try:
            src.backup(out)
            out.execute("PRAGMA journal_mode=DELETE")
        finally:
            out.close()
    finally:
        src.close()


@dataclass
class LedgerFile:
    """What a SQLite ledger file holds, as `zs db backup/restore` report it."""

    path: str
    revision: str
    projects: int


def _server_tool(url: str, verb: str) -> BadValue:
    """On PostgreSQL the server's own tools back up and restore (roles and policies included)."""
    from sqlalchemy.engine import make_url

    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=True)
    tool = {"backup": f"pg_dump --format=custom --file=FILE '{libpq}'",
            "restore": f"pg_restore --clean --if-exists --dbname='{libpq}' FILE"}[verb]
    return BadValue(f"zs db {verb} 只用于 SQLite 账本；PostgreSQL 账本请用 {tool}")


def read_ledger_file(path: str) -> LedgerFile:
    """Open a SQLite file read-only and check it is a zs ledger this zs can use."""
    import sqlite3

    from zhaoshang.db.migrate import known_revisions

    file = Path(path)
    if not file.is_file():
        raise NotFound(f"文件不存在：{path}")
    try:
        conn = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BadValue(f"“{path}”不是 zs 账本：{exc}") from None
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"alembic_version", "project", "unit", "event"} <= tables:
            raise BadValue(f"“{path}”不是 zs 账本（缺少账本的表）。")
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        projects = conn.execute("SELECT count(*) FROM project").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BadValue(f"“{path}”不是 zs 账本：{exc}") from None
    finally:
        conn.close()
    if check != "ok":
        raise BadValue(f"“{path}”已损坏（quick_check：{check}）。")
    if revision is None or revision[0] not in known_revisions():
        found = revision[0] if revision else "无"
        raise BadValue(f"“{path}”的结构版本 {found} 不是本程序认识的版本（可能来自更新的 zs）。")
    return LedgerFile(path, revision[0], projects)


def backup_ledger(url: str, dest: str, *, overwrite: bool = False) -> LedgerFile:
    """Copy a SQLite ledger with the online backup API, consistent even while others write. The copy
    is written beside its destination and renamed into place, so a failed backup leaves nothing."""
    import os

    path = sqlite_path(url)
    if path is None:
        raise _server_tool(url, "backup")
    target = Path(dest)
    if target.exists() and target.resolve() == Path(path).resolve():
        raise BadValue(f"备份文件不能是账本本身：{dest}")
    if target.exists() and not overwrite:
        raise Conflict(f"备份文件已存在：{dest}", "加 --yes 覆盖，或换一个文件名。")
    if target.is_dir():
        raise BadValue(f"“{dest}”是目录，请给出备份文件名。")
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        backup_sqlite(path, str(temp))
        try:
            info = read_ledger_file(str(temp))
        except BadValue as exc:  # the copy is as the ledger is: say so of the ledger
            raise BadValue(f"账本“{path}”无法备份：{exc.message.replace(str(temp), '副本')}",
                           "账本可能已损坏：用 zs db check 检查，用 zs db restore 从较早的备份恢复。") from None
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    return LedgerFile(str(target), info.revision, info.projects)


def restore_ledger(url: str, source: str, *, overwrite: bool = False) -> tuple[LedgerFile, str | None]:
    """Put a backup in the ledger's place. The ledger it replaces is kept as a .bak first.
    Returns what was restored and the path of that safety copy (None when there was no ledger)."""
    import datetime as dt
    import sqlite3

    from zhaoshang import config
    from zhaoshang.db.engine import dispose_all

    path = sqlite_path(url)
    if path is None:
        raise _server_tool(url, "restore")
    info = read_ledger_file(source)
    if Path(source).resolve() == Path(path).resolve():
        raise BadValue(f"“{source}”就是账本本身。")
    kept = None
    if Path(path).exists():
        if not overwrite:
            current = _projects_in(path)
            raise Conflict(f"恢复会覆盖账本 {path}（现有 {current} 个项目）。",
                           "确认请加 --yes（原账本会先另存为 .bak）。")
        dispose_all()
        with connect(url, write=True):  # wait for a running writer, up to the busy timeout
            pass
        dispose_all()
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        kept = f"{path}.before-restore-{stamp}.bak"
        backup_sqlite(path, kept)
    else:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)
    try:
        out = sqlite3.connect(path, timeout=config.busy_timeout())
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()
    return info, kept


def _projects_in(path: str) -> int | str:
    import sqlite3

    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT count(*) FROM project").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return "?"


def upgrade_ledger(url: str) -> tuple[str | None, str, str | None]:
    """Upgrade to head; a SQLite ledger that needs it is backed up first. Returns (before, after, backup)."""
    import datetime as dt

    from zhaoshang.db import migrate
    from zhaoshang.db.schema import HEAD

    backup = None
    with connect(url) as conn:
        before = current_revision(conn)
    if before is not None and before != HEAD and before not in migrate.known_revisions():
        raise SchemaError(unknown_revision(before))
    path = sqlite_path(url)
    if before != HEAD and before is not None and path is not None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = f"{path}.{before}-{stamp}.bak"
        backup_sqlite(path, backup)
    with connect(url, write=True) as conn:
        migrate.upgrade(conn)
        after = current_revision(conn)
        refresh_security(conn)
    assert after is not None
    return before, after, backup


def check_ledger(url: str) -> list[str]:
    """What is wrong with the ledger's schema: behind head, or different from the models."""
    from zhaoshang.db import migrate
    from zhaoshang.db.schema import HEAD

    with connect(url) as conn:
        if conn.dialect.name == "sqlite":  # the file itself first: a damaged page fails every command
            damage = [r[0] for r in conn.exec_driver_sql("PRAGMA quick_check").fetchall()]
            if damage != ["ok"]:
                return [f"账本文件已损坏：{damage[0]}", "用 zs db restore 从备份恢复。"]
        revision = current_revision(conn)
        if revision is None:
            return ["账本尚未初始化（ledger not initialised）：运行 zs init。"]
        if revision != HEAD:
            return [unknown_revision(revision) if revision not in migrate.known_revisions() else
                    f"账本结构版本为 {revision}，最新为 {HEAD}（ledger is behind）：运行 zs db upgrade。"]
        diffs = migrate.model_differences(conn)
    return [f"模型与账本结构不一致 models and schema differ: {d}" for d in diffs]


def verify_ledger(url: str):  # type: ignore[no-untyped-def]
    """The audit log's chain and every project's replay (db/chain.py), in one read transaction."""
    from zhaoshang.db.chain import Verdict, verify
    from zhaoshang.db.schema import require_current

    with connect(url) as conn:
        if conn.dialect.name == "postgresql":  # one snapshot: the chain and the rows as of one moment
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        require_current(conn)
        verdict: Verdict = verify(conn)
    return verdict


def unknown_revision(revision: str) -> str:
    return (f"账本结构版本 {revision} 不是这个 zs 认识的版本（可能来自更新的 zs）："
            "请升级 zs，或从备份恢复（zs db restore）。")
