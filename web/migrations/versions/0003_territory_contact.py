"""Territory contact (name, email, phone) named in the territory's emails

Revision ID: 0003_territory_contact
Revises: 0002_notification_delivery
Create Date: 2026-12-02 10:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_territory_contact'
down_revision = '0002_notification_delivery'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('territory', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table('territory', schema=None) as batch_op:
        batch_op.drop_column('contact_phone')
        batch_op.drop_column('contact_email')
        batch_op.drop_column('contact_name')
