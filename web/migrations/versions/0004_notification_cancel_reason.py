"""Why a notification was cancelled (opted out, demo history, recipient erased)

Revision ID: 0004_notification_cancel_reason
Revises: 0003_territory_contact
Create Date: 2026-12-02 13:30:00.000000

Cancelled rows used to carry their reason as English text in last_error (and the outbox
said "the person opted out" for every one of them); the text becomes a code.
"""
import warnings

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_notification_cancel_reason'
down_revision = '0003_territory_contact'
branch_labels = None
depends_on = None

REASONS = "cancel_reason IS NULL OR cancel_reason IN ('opted_out', 'demo_history', 'recipient_erased')"
# The notes earlier versions wrote in last_error, and the code each becomes.
NOTES = {
    "recipient opted out of non-essential emails": "opted_out",
    "Demo history: written while the demo was seeded, never sent.": "demo_history",
}


def upgrade():
    # SQLite rebuilds the table by reflection, which warns about user's expression index.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection")
        with op.batch_alter_table('notification', schema=None) as batch_op:
            batch_op.add_column(sa.Column('cancel_reason', sa.String(length=20), nullable=True))
            batch_op.create_check_constraint('cancel_reason', REASONS)
    notification = sa.table(
        'notification',
        sa.column('status', sa.String),
        sa.column('last_error', sa.Text),
        sa.column('cancel_reason', sa.String),
    )
    for note, code in NOTES.items():
        op.execute(
            notification.update()
            .where(notification.c.status == 'cancelled', notification.c.last_error == note)
            .values(cancel_reason=code, last_error=None)
        )


def downgrade():
    notification = sa.table(
        'notification',
        sa.column('last_error', sa.Text),
        sa.column('cancel_reason', sa.String),
    )
    for note, code in NOTES.items():
        op.execute(
            notification.update()
            .where(notification.c.cancel_reason == code)
            .values(last_error=note)
        )
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection")
        with op.batch_alter_table('notification', schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f('ck_notification_cancel_reason'), type_='check')
            batch_op.drop_column('cancel_reason')
