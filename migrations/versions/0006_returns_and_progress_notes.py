"""units' weekly returns (unit_return), progress notes per project and week (progress_note), and the
ledger's own id (setting ledger_id) that a return template carries

Revision ID: 0006_returns
Revises: 0008_trips
Create Date: 2026-12-03
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0006_returns"
down_revision = "0008_trips"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "progress_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("progress", sa.Text(), nullable=True),
        sa.Column("next_step", sa.Text(), nullable=True),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], name=op.f("fk_progress_note_project_id_project")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_note")),
        sa.UniqueConstraint("project_id", "week", name=op.f("uq_progress_note_project_id_week")),
    )
    with op.batch_alter_table("progress_note", schema=None) as batch_op:
        batch_op.create_index("ix_progress_note_week", ["week"], unique=False)
    op.create_table(
        "unit_return",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("file_name", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("changes", sa.Text(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["import_batch_id"], ["import_batch.id"],
                                name=op.f("fk_unit_return_import_batch_id_import_batch")),
        sa.ForeignKeyConstraint(["supersedes_id"], ["unit_return.id"],
                                name=op.f("fk_unit_return_supersedes_id_unit_return")),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_unit_return_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_return")),
    )
    with op.batch_alter_table("unit_return", schema=None) as batch_op:
        batch_op.create_index("ix_unit_return_week_unit_id", ["week", "unit_id"], unique=False)
    setting = sa.table("setting", sa.column("key", sa.String), sa.column("value", sa.String))
    op.bulk_insert(setting, [{"key": "ledger_id", "value": str(uuid.uuid4())}])


def downgrade() -> None:
    op.execute("DELETE FROM setting WHERE key = 'ledger_id'")
    with op.batch_alter_table("unit_return", schema=None) as batch_op:
        batch_op.drop_index("ix_unit_return_week_unit_id")
    op.drop_table("unit_return")
    with op.batch_alter_table("progress_note", schema=None) as batch_op:
        batch_op.drop_index("ix_progress_note_week")
    op.drop_table("progress_note")
