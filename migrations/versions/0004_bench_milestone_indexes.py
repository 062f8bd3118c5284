"""milestone indexes for the report windows: a covering (kind, done_on, …) range and (project_id, kind)

Revision ID: 0004_bench
Revises: 0003_reports
Create Date: 2026-11-29
"""

from alembic import op

revision = "0004_bench"
down_revision = "0003_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.drop_index("ix_milestone_project_id")
        batch_op.drop_index("ix_milestone_kind_done_on")
        batch_op.create_index("ix_milestone_kind_done_on", ["kind", "done_on", "done", "precision", "project_id"],
                              unique=False)
        batch_op.create_index("ix_milestone_project_id_kind", ["project_id", "kind", "done_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.drop_index("ix_milestone_project_id_kind")
        batch_op.drop_index("ix_milestone_kind_done_on")
        batch_op.create_index("ix_milestone_kind_done_on", ["kind", "done_on"], unique=False)
        batch_op.create_index("ix_milestone_project_id", ["project_id"], unique=False)
