"""funds in place (实际到位资金) per project, month and source (funds)

Revision ID: 0007_funds
Revises: 0005_audit_chain
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_funds"
down_revision = "0005_audit_chain"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "funds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], name=op.f("fk_funds_project_id_project")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funds")),
        sa.UniqueConstraint("project_id", "month", "source", name=op.f("uq_funds_project_id_month_source")),
    )
    with op.batch_alter_table("funds", schema=None) as batch_op:
        batch_op.create_index("ix_funds_month_project_id", ["month", "project_id", "source", "amount"], unique=False)
    from zhaoshang.db import audit_pg

    audit_pg.install(op.get_bind())  # PostgreSQL: the audit trigger on the new table (db/chain.AUDITED)


def downgrade() -> None:
    with op.batch_alter_table("funds", schema=None) as batch_op:
        batch_op.drop_index("ix_funds_month_project_id")
    op.drop_table("funds")
