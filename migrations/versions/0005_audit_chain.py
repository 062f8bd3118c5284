"""the audit log's hash chain (event_seal, event_block); on PostgreSQL the audit and seal triggers

Revision ID: 0005_audit_chain
Revises: 0006_returns
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_audit_chain"
down_revision = "0006_returns"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_seal",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("txn", sa.BigInteger(), nullable=False),
        sa.Column("digest", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_event_seal")),
    )
    with op.batch_alter_table("event_seal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_seal_txn"), ["txn"], unique=False)
    op.create_table(
        "event_block",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("txn", sa.BigInteger(), nullable=False),
        sa.Column("prev", sa.String(), nullable=True),
        sa.Column("hash", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_event_block")),
        sa.UniqueConstraint("txn", name=op.f("uq_event_block_txn")),
    )
    op.create_table(
        "event_block_request",
        sa.Column("txn", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("txn", name=op.f("pk_event_block_request")),
    )
    from zhaoshang.db import audit_pg, chain

    conn = op.get_bind()
    chain.seal_all(conn)  # the events the ledger already has, in id order
    audit_pg.install(conn)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        from zhaoshang.db.chain import AUDITED

        conn.exec_driver_sql("DROP TRIGGER IF EXISTS zs_digest ON public.event")
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS zs_request ON public.event_seal")
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS zs_seal ON public.event_block_request")
        for table in AUDITED:
            conn.exec_driver_sql(f'DROP TRIGGER IF EXISTS zs_audit ON public."{table}"')
        for fn in ("zs_audit_row()", "zs_digest_event()", "zs_request_block()", "zs_seal_block()",
                   "zs_writer_lock()", "zs_event_json(public.event)", "zs_sha(text)", "zs_row_json(jsonb)",
                   "zs_event_source()", "zs_event_actor()", "zs_context()"):
            conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS public.{fn}")
    op.drop_table("event_block_request")
    op.drop_table("event_block")
    op.drop_table("event_seal")
