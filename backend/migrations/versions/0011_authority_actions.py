"""authority actions: requests awaiting a second approver (four-eyes) (issue 13)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 19:20:00

One row per dangerous action of the authority (撤销, 吊销, bulk 注销, an enterprise's licence revoked or
bankrupt) filed by one authority account and approved or rejected by a second one: what, on which record, why,
the record's state when asked (a change since makes the request stale), who asked and who decided.
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "authority_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=24), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("target_type", sa.String(length=16), nullable=False),
        sa.Column("target", sa.String(length=64), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("requested_by_account", sa.Integer(), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_by_account", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decision_reason", sa.String(length=500), nullable=True),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("lock_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("public_id"),
    )
    with op.batch_alter_table("authority_requests") as batch:
        batch.create_index("ix_authority_requests_state_created", ["state", "created_at"], unique=False)
        batch.create_index("ix_authority_requests_target", ["target_type", "target"], unique=False)


def downgrade():
    with op.batch_alter_table("authority_requests") as batch:
        batch.drop_index("ix_authority_requests_target")
        batch.drop_index("ix_authority_requests_state_created")
    op.drop_table("authority_requests")
