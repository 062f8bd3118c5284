"""Is the ledger at the schema this code expects? Read alembic_version; never import alembic here."""

from __future__ import annotations

from zhaoshang.errors import SchemaError

# The newest migration in migrations/versions (a test keeps the two in step).
HEAD = "0007_funds"


def current_revision(conn) -> str | None:  # type: ignore[no-untyped-def]
    from sqlalchemy import inspect, text

    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def require_current(conn) -> None:  # type: ignore[no-untyped-def]
    """Refuse to work on a ledger that is not initialised or not at HEAD."""
    revision = current_revision(conn)
    if revision == HEAD:
        return
    if revision is None:
        raise SchemaError("账本尚未初始化（ledger not initialised）。", "先运行 zs init。")
    raise SchemaError(
        f"账本结构版本为 {revision}，本程序需要 {HEAD}（ledger schema is behind）。",
        "请先运行 zs db upgrade（会先自动备份）。",
    )
