"""initial ledger schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-28 20:33:10.462256
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=False),
    sa.Column('rules_version', sa.String(), nullable=True),
    sa.Column('rules', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign')),
    sa.UniqueConstraint('name', name=op.f('uq_campaign_name'))
    )
    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(), nullable=False),
    sa.Column('source', sa.String(), nullable=False),
    sa.Column('field', sa.String(), nullable=True),
    sa.Column('old', sa.Text(), nullable=True),
    sa.Column('new', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_at'), ['at'], unique=False)
        batch_op.create_index('ix_event_entity_entity_id', ['entity', 'entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_project_id'), ['project_id'], unique=False)

    op.create_table('import_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(), nullable=True),
    sa.Column('file_name', sa.String(), nullable=False),
    sa.Column('sha256', sa.String(), nullable=False),
    sa.Column('sheet', sa.String(), nullable=True),
    sa.Column('rows_read', sa.Integer(), nullable=False),
    sa.Column('inserted', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('message', sa.String(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch'))
    )
    op.create_table('review_criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_criterion'))
    )
    op.create_table('setting',
    sa.Column('key', sa.String(), nullable=False),
    sa.Column('value', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('stage_word',
    sa.Column('word', sa.String(), nullable=False),
    sa.Column('stage', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('word', name=op.f('pk_stage_word'))
    )
    op.create_table('unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('leader', sa.String(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('unit_class', sa.String(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit')),
    sa.UniqueConstraint('name', name=op.f('uq_unit_name'))
    )
    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('role', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user')),
    sa.UniqueConstraint('name', name=op.f('uq_user_name'))
    )
    op.create_table('chain',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('chief', sa.String(), nullable=True),
    sa.Column('anchor_firm', sa.String(), nullable=True),
    sa.Column('lead_unit_id', sa.Integer(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['lead_unit_id'], ['unit.id'], name=op.f('fk_chain_lead_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chain')),
    sa.UniqueConstraint('name', name=op.f('uq_chain_name'))
    )
    op.create_table('target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('metric', sa.String(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_target_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_target_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_target')),
    sa.UniqueConstraint('campaign_id', 'unit_id', 'metric', name=op.f('uq_target_campaign_id_unit_id_metric'))
    )
    op.create_table('trip',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('leader', sa.String(), nullable=True),
    sa.Column('is_main_leader', sa.Boolean(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('destination', sa.String(), nullable=True),
    sa.Column('region', sa.String(), nullable=True),
    sa.Column('visits', sa.Integer(), nullable=False),
    sa.Column('negotiations', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_trip_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trip'))
    )
    with op.batch_alter_table('trip', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trip_date'), ['date'], unique=False)
        batch_op.create_index(batch_op.f('ix_trip_unit_id'), ['unit_id'], unique=False)

    op.create_table('user_unit',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_user_unit_unit_id_unit')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_unit_user_id_user')),
    sa.PrimaryKeyConstraint('user_id', 'unit_id', name=op.f('pk_user_unit'))
    )
    op.create_table('project',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('investor', sa.String(), nullable=True),
    sa.Column('investment_wan', sa.Integer(), nullable=True),
    sa.Column('investment_usd_wan', sa.Integer(), nullable=True),
    sa.Column('chain_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('source_region', sa.String(), nullable=True),
    sa.Column('marshal', sa.Boolean(), nullable=False),
    sa.Column('stage', sa.String(), nullable=False),
    sa.Column('sector', sa.String(), nullable=True),
    sa.Column('progress', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['chain_id'], ['chain.id'], name=op.f('fk_project_chain_id_chain')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_project_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project')),
    sa.UniqueConstraint('code', name=op.f('uq_project_code'))
    )
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_chain_id'), ['chain_id'], unique=False)
        batch_op.create_index('ix_project_name_investor', ['name', 'investor'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_stage'), ['stage'], unique=False)
        batch_op.create_index('ix_project_unit_id_stage', ['unit_id', 'stage'], unique=False)

    op.create_table('milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=True),
    sa.Column('planned_precision', sa.String(), nullable=True),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('precision', sa.String(), nullable=True),
    sa.Column('note', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_milestone_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestone'))
    )
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.create_index('ix_milestone_done_planned_on', ['done', 'planned_on'], unique=False)
        batch_op.create_index('ix_milestone_kind_done_on', ['kind', 'done_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_milestone_project_id'), ['project_id'], unique=False)

    op.create_table('problem',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('owner_unit_id', sa.Integer(), nullable=True),
    sa.Column('raised_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('resolved_on', sa.Date(), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['unit.id'], name=op.f('fk_problem_owner_unit_id_unit')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_problem_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_problem'))
    )
    with op.batch_alter_table('problem', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_problem_owner_unit_id'), ['owner_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_problem_project_id'), ['project_id'], unique=False)

    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('criterion', sa.String(), nullable=False),
    sa.Column('verdict', sa.String(), nullable=False),
    sa.Column('reviewer', sa.String(), nullable=True),
    sa.Column('reviewed_on', sa.Date(), nullable=True),
    sa.Column('note', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_review_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review'))
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_project_id'), ['project_id'], unique=False)


def downgrade() -> None:

    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_project_id'))

    op.drop_table('review')
    with op.batch_alter_table('problem', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_problem_project_id'))
        batch_op.drop_index(batch_op.f('ix_problem_owner_unit_id'))

    op.drop_table('problem')
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestone_project_id'))
        batch_op.drop_index('ix_milestone_kind_done_on')
        batch_op.drop_index('ix_milestone_done_planned_on')

    op.drop_table('milestone')
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_index('ix_project_unit_id_stage')
        batch_op.drop_index(batch_op.f('ix_project_stage'))
        batch_op.drop_index('ix_project_name_investor')
        batch_op.drop_index(batch_op.f('ix_project_chain_id'))

    op.drop_table('project')
    op.drop_table('user_unit')
    with op.batch_alter_table('trip', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trip_unit_id'))
        batch_op.drop_index(batch_op.f('ix_trip_date'))

    op.drop_table('trip')
    op.drop_table('target')
    op.drop_table('chain')
    op.drop_table('user')
    op.drop_table('unit')
    op.drop_table('stage_word')
    op.drop_table('setting')
    op.drop_table('review_criterion')
    op.drop_table('import_batch')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_project_id'))
        batch_op.drop_index('ix_event_entity_entity_id')
        batch_op.drop_index(batch_op.f('ix_event_at'))

    op.drop_table('event')
    op.drop_table('campaign')

