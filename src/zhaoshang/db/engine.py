"""Engines are made when a command runs, one per process and URL, with SQLite's PRAGMAs per connection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from zhaoshang import config
from zhaoshang.errors import Busy, SchemaError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlmodel import Session

WRITE = "zs_write"
READ_MMAP = 256 << 20  # bytes of a SQLite ledger a reading command maps
WRITE_CACHE_KIB = 256 << 10  # most KiB of pages a writing command caches (allocated only as used)
# PostgreSQL: writers take this transaction-level advisory lock first (a clerk's writer shared, with
# its units' locks; db/audit_pg.py), as SQLite writers take the file's write lock with BEGIN
# IMMEDIATE: writers of the same rows queue (up to the busy timeout), so no change is made from a
# value another writer has already changed. Readers never wait.
WRITE_LOCK_KEY = 0x7A73_6C65_6467_6572  # "zsledger"


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


_engines: dict[tuple[str, float], Engine] = {}


def get_engine(url: str) -> Engine:
    """The engine for a URL (and busy timeout), made on first use in this process."""
    key = (url, config.busy_timeout())
    engine = _engines.get(key)
    if engine is None:
        engine = _engines[key] = _make_engine(url)
    return engine


def dispose_all() -> None:
    """Close every pooled connection (SQLite checkpoints its WAL when the last one closes)."""
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


def _make_engine(url: str) -> Engine:
    """SQLite: foreign keys, WAL and a busy timeout on every connection; writers BEGIN IMMEDIATE."""
    from sqlalchemy import create_engine, event

    timeout = config.busy_timeout()
    if not is_sqlite(url):
        return _make_server_engine(url, timeout)

    engine = create_engine(url, connect_args={"timeout": timeout, "isolation_level": None})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the lock up front, so two writers queue on the busy timeout instead of one
        # failing half-way with "database is locked". Readers map the file into memory: a report
        # over a large ledger reads its pages without copying them. Writers do not map it (an
        # import's memory stays what it needs) but may cache more pages: once a bulk import's
        # indexes outgrow SQLite's default 2 MiB cache, every insert rereads index pages.
        write = bool(conn.get_execution_options().get(WRITE))
        conn.exec_driver_sql(f"PRAGMA mmap_size={0 if write else READ_MMAP}")
        if write:
            conn.exec_driver_sql(f"PRAGMA cache_size=-{WRITE_CACHE_KIB}")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _make_server_engine(url: str, timeout: float) -> Engine:
    """PostgreSQL: times in UTC on every connection (event times read alike on both engines); a
    writer takes its lock first (db/audit_pg.py: a clerk its units', anyone else the ledger's),
    waiting at most the busy timeout."""
    from sqlalchemy import create_engine, event

    from zhaoshang.db.audit_pg import BEGIN_WRITE

    engine = create_engine(url, connect_args={"options": "-c TimeZone=UTC"})

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(WRITE):
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = {max(1, int(timeout * 1000))}; {BEGIN_WRITE}")

    return engine


def sqlite_path(url: str) -> str | None:
    if not is_sqlite(url):
        return None
    from sqlalchemy.engine.url import make_url

    path = make_url(url).database or ""  # sqlite:///x.db?timeout=5 is the file x.db
    return None if path in ("", ":memory:") or path.startswith("file:") else path


SQLITE_MAGIC = b"SQLite format 3\x00"


def check_sqlite_file(url: str) -> None:
    """A --db path that exists must be a SQLite file (an empty file becomes a new ledger): a
    workbook or any other file named by mistake gets one line, not the driver's traceback."""
    from zhaoshang.errors import BadValue

    path = sqlite_path(url)
    if path is None:
        return
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except IsADirectoryError:
        raise BadValue(f"“{path}”是目录，不是 zs 账本。", "用 --db 指定账本文件。") from None
    except OSError as exc:
        raise BadValue(f"无法读取账本“{path}”：{exc.strerror or exc}") from None
    if head and head != SQLITE_MAGIC:
        hint = "Excel 台账用 zs import 导入。" if Path(path).suffix.lower() in (".xlsx", ".xls", ".csv", ".ods") \
            else "用 --db 或 ZS_DB 指定 zs 账本文件。"
        raise BadValue(f"“{path}”不是 zs 账本（不是 SQLite 数据库文件）。", hint)


@contextmanager
def connect(url: str, *, write: bool = False) -> Iterator[Connection]:
    """A connection inside one transaction: committed when the block ends, rolled back on error."""
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.orm.exc import StaleDataError

    engine = get_engine(url)
    try:
        with engine.connect() as conn:
            if write:
                conn.execution_options(**{WRITE: True})
            with conn.begin():
                yield conn
                if write and is_sqlite(url):
                    from zhaoshang.db.chain import seal_pending

                    seal_pending(conn)  # the writer holds the file's lock: seal its events now
    except (DBAPIError, StaleDataError) as exc:
        translated = translate_operational(exc, url)
        if translated is exc:
            raise
        raise translated from exc


def translate_operational(exc: Exception, url: str) -> Exception:
    """The database's failures a user can meet, as one line each; anything else is left as it is."""
    from zhaoshang.errors import Forbidden

    orig = getattr(exc, "orig", exc)
    text = str(orig).lower()
    state = getattr(orig, "sqlstate", None)
    if state == "55P03" or (is_sqlite(url) and ("locked" in text or "busy" in text)):
        return Busy("ledger busy: an import is running（账本正被其他命令写入，请稍后再试）",
                    "可用 ZS_BUSY_TIMEOUT 调整等待秒数。")
    if state == "42501" or type(exc).__name__ == "StaleDataError":
        detail = str(orig).strip().splitlines()[0] if state else "the row is not yours to change"
        return Forbidden(f"账本拒绝了这次操作（权限不足）：{detail}", "请联系管理员（zs users list）。")
    if is_sqlite(url) and ("disk is full" in text or getattr(orig, "sqlite_errorname", "") == "SQLITE_IOERR_WRITE"):
        what = "磁盘已满" if "full" in text else "写入账本文件失败（磁盘已满、文件大小受限或磁盘故障）"
        where = sqlite_path(url) or url
        return SchemaError(f"{what}：{where}（{str(orig).strip()}）；这次的改动没有写入，账本保持原样。",
                           "腾出磁盘空间后重试；zs db check 检查账本。")
    if not is_sqlite(url) and (state in ("57P01", "57P02", "57P03") or "server closed the connection" in text
                               or "consuming input failed" in text or "connection is closed" in text):
        reason = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
        return SchemaError(f"与账本服务器的连接中断（{reason}）；这次的改动没有写入，账本保持原样。",
                           "服务器恢复后重试；zs db verify 可核验账本。")
    if is_sqlite(url) and ("malformed" in text or "not a database" in text or "disk i/o" in text):
        return SchemaError(f"账本文件已损坏：{sqlite_path(url) or url}（{str(orig).strip()}）",
                           "用 zs db restore 从备份恢复；zs db check 检查。")
    if "unable to open database" in text:
        return SchemaError(f"无法打开账本：{sqlite_path(url) or url}", "请检查路径和权限。")
    if "no such table" in text:
        return SchemaError("账本尚未初始化。", "先运行 zs init。")
    if not is_sqlite(url) and type(exc).__name__ == "OperationalError" \
            and (state is None or state.startswith(("08", "28", "3D", "57P"))):
        from sqlalchemy.engine import make_url

        where = make_url(url).render_as_string(hide_password=True)
        reason = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
        return SchemaError(f"无法连接账本 {where}：{reason}", "请检查服务器地址、数据库名、用户和密码。")
    return exc


@contextmanager
def session_scope(url: str, *, write: bool = False) -> Iterator[Session]:
    """One unit of work: a Session on one transaction. Services never commit; this block does."""
    from sqlmodel import Session

    with connect(url, write=write) as conn:
        session = Session(bind=conn, expire_on_commit=False, autoflush=True)
        try:
            yield session
            session.flush()
        finally:
            session.close()
