"""index for the reports' 挂帅项目 count (a full scan of project otherwise)

Revision ID: 0003_reports
Revises: 0002
Create Date: 2026-11-29
"""

from alembic import op

revision = "0003_reports"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.create_index("ix_project_marshal_stage", ["marshal", "stage", "unit_id", "chain_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_index("ix_project_marshal_stage")
