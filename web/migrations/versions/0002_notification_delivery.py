"""Notification delivery claims ('sending' + claimed_at), opt-outs, periodic job claims

Revision ID: 0002_notification_delivery
Revises: 0001_initial
Create Date: 2026-11-21 21:57:39.146741

"""
import warnings

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_notification_delivery'
down_revision = '0001_initial'
branch_labels = None
depends_on = None

OLD_STATUSES = "status IN ('pending', 'sent', 'failed', 'cancelled')"
NEW_STATUSES = "status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')"


def upgrade():
    op.create_table('scheduled_job_claim',
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_scheduled_job_claim'))
    )
    op.create_table('notification_opt_out',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_opt_out_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notification_opt_out'))
    )
    # SQLite rebuilds the table by reflection, which warns about user's expression index.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection")
        with op.batch_alter_table('notification', schema=None) as batch_op:
            batch_op.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))
            batch_op.drop_constraint(batch_op.f('ck_notification_status'), type_='check')
            batch_op.create_check_constraint('status', NEW_STATUSES)


def downgrade():
    op.execute("UPDATE notification SET status = 'pending' WHERE status = 'sending'")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection")
        with op.batch_alter_table('notification', schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f('ck_notification_status'), type_='check')
            batch_op.create_check_constraint('status', OLD_STATUSES)
            batch_op.drop_column('claimed_at')

    op.drop_table('notification_opt_out')
    op.drop_table('scheduled_job_claim')
