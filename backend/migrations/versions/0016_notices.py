"""notices for holders and enterprises; the inspector's organisation and the notice preferences on accounts

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 10:00:00

services/notices: one row per event and recipient ("p:<person>" or "e:<enterprise>"), its key unique so that
an event makes its notice once however often the hooks or the daily job see it. accounts.organisation: the
inspecting organisation a holder is told of when an inspector checks their copy (never the inspector's own
data); accounts.notice_checks / notice_email: a holder may turn off the check notices, anyone the e-mails.
"""
import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("audience", sa.String(24), nullable=False),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("persons.id")),
        sa.Column("enterprise_id", sa.Integer(), sa.ForeignKey("enterprises.id")),
        sa.Column("key", sa.String(160), nullable=False, unique=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("registration_id", sa.Integer(), sa.ForeignKey("registrations.id")),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("title_en", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_en", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime()),
        sa.Column("mail_state", sa.String(8), nullable=False, server_default="pending"),
    )
    op.create_index("ix_notices_audience_id", "notices", ["audience", "id"])
    op.create_index("ix_notices_mail_state", "notices", ["mail_state", "id"])
    with op.batch_alter_table("accounts") as b:
        b.add_column(sa.Column("organisation", sa.String(100)))
        b.add_column(sa.Column("notice_checks", sa.Boolean(), nullable=False, server_default=sa.true()))
        b.add_column(sa.Column("notice_email", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade():
    with op.batch_alter_table("accounts") as b:
        b.drop_column("notice_email")
        b.drop_column("notice_checks")
        b.drop_column("organisation")
    op.drop_index("ix_notices_mail_state", "notices")
    op.drop_index("ix_notices_audience_id", "notices")
    op.drop_table("notices")
