"""site checks: the inspectors' signed inspection records

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 21:00:00

One row per site check (backend/models/inspection.py): client_id unique, so that the app's retried sync of a
check made offline finds the record it made instead of making a second; the inspector's own records and the
authority's list read (account_id, created_at) and created_at.
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "inspections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(24), nullable=False),
        sa.Column("client_id", sa.String(36), nullable=False),
        sa.Column("body_hash", sa.String(64), nullable=False),
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("accounts.id"), nullable=True),
        sa.Column("inspector", sa.String(64), nullable=False),
        sa.Column("organisation", sa.String(200), nullable=False),
        sa.Column("site", sa.JSON(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("people", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("public_id"),
        sa.UniqueConstraint("client_id"),
    )
    op.create_index("ix_inspections_account_created", "inspections", ["account_id", "created_at"])
    op.create_index("ix_inspections_created", "inspections", ["created_at"])


def downgrade():
    op.drop_index("ix_inspections_created", table_name="inspections")
    op.drop_index("ix_inspections_account_created", table_name="inspections")
    op.drop_table("inspections")
