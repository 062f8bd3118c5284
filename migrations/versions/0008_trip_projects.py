"""the projects a trip visited (trip_project)

Revision ID: 0008_trips
Revises: 0004_bench
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_trips"
down_revision = "0004_bench"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trip_project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trip_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], name=op.f("fk_trip_project_project_id_project")),
        sa.ForeignKeyConstraint(["trip_id"], ["trip.id"], name=op.f("fk_trip_project_trip_id_trip")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trip_project")),
        sa.UniqueConstraint("trip_id", "project_id", name=op.f("uq_trip_project_trip_id_project_id")),
    )
    with op.batch_alter_table("trip_project", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trip_project_trip_id"), ["trip_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_trip_project_project_id"), ["project_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("trip_project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trip_project_project_id"))
        batch_op.drop_index(batch_op.f("ix_trip_project_trip_id"))
    op.drop_table("trip_project")
