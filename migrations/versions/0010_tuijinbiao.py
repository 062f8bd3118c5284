"""the whole 推进表: leaders in charge (leader, project_leader), supporting units (project_support), the
year's investment plan (investment_plan) and monthly completed investment (investment_done), and the
project's construction scope (project.scope)

Revision ID: 0010_tuijinbiao
Revises: 0007_funds
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_tuijinbiao"
down_revision = "0007_funds"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, other: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{other}.id"], name=op.f(f"fk_{table}_{column}_{other}"))


def _indexes(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scope", sa.Text(), nullable=True))
    op.create_table(
        "leader",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leader")),
        sa.UniqueConstraint("name", name=op.f("uq_leader_name")),
    )
    op.create_table(
        "project_leader",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("leader_id", sa.Integer(), nullable=False),
        sa.Column("written", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _fk("project_leader", "project_id", "project"),
        _fk("project_leader", "leader_id", "leader"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_leader")),
        sa.UniqueConstraint("project_id", "leader_id", name=op.f("uq_project_leader_project_id_leader_id")),
    )
    _indexes("project_leader", "project_id", "leader_id")
    op.create_table(
        "project_support",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _fk("project_support", "project_id", "project"),
        _fk("project_support", "unit_id", "unit"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_support")),
        sa.UniqueConstraint("project_id", "unit_id", name=op.f("uq_project_support_project_id_unit_id")),
    )
    _indexes("project_support", "project_id", "unit_id")
    op.create_table(
        "investment_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("plan_wan", sa.Integer(), nullable=True),
        _fk("investment_plan", "project_id", "project"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investment_plan")),
        sa.UniqueConstraint("project_id", "year", name=op.f("uq_investment_plan_project_id_year")),
    )
    _indexes("investment_plan", "project_id")
    op.create_table(
        "investment_done",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("amount_wan", sa.Integer(), nullable=False),
        _fk("investment_done", "project_id", "project"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investment_done")),
        sa.UniqueConstraint("project_id", "month", name=op.f("uq_investment_done_project_id_month")),
    )
    _indexes("investment_done", "project_id")


def downgrade() -> None:
    for table, columns in (("investment_done", ("project_id",)), ("investment_plan", ("project_id",)),
                           ("project_support", ("unit_id", "project_id")),
                           ("project_leader", ("leader_id", "project_id"))):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
        op.drop_table(table)
    op.drop_table("leader")
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_column("scope")
