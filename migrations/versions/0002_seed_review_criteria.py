"""seed the eight joint-review criteria and the review gate setting

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CRITERIA = ["产业准入", "布局规划", "环境保护", "能耗", "投资强度", "利税", "科技研发能力", "人才支撑"]


def upgrade() -> None:
    criterion = sa.table("review_criterion", sa.column("name", sa.String), sa.column("sort_order", sa.Integer))
    op.bulk_insert(criterion, [{"name": name, "sort_order": order} for order, name in enumerate(CRITERIA, 1)])
    setting = sa.table("setting", sa.column("key", sa.String), sa.column("value", sa.String))
    op.bulk_insert(setting, [{"key": "review_gate", "value": "warn"}])


def downgrade() -> None:
    op.execute("DELETE FROM setting WHERE key = 'review_gate'")
    op.execute("DELETE FROM review_criterion")
