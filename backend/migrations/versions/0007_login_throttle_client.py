"""login_throttle keyed by username and client address

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 15:00:00

A lockout per username alone let anyone lock the owner out of an account with five wrong passwords (issue
item 7). The counts are short-lived state (a lock lasts LOGIN_LOCK_MINUTES), and a row without an address
cannot be given one: the table is made anew, so failure counts and locks start from zero at the upgrade.
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _create(with_client: bool) -> None:
    columns = [sa.Column("username", sa.String(length=64), nullable=False)]
    if with_client:
        columns.append(sa.Column("client", sa.String(length=64), nullable=False))
    columns += [
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("last_failure_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("username", "client") if with_client else sa.PrimaryKeyConstraint("username"),
    ]
    op.create_table("login_throttle", *columns)
    op.create_index(op.f("ix_login_throttle_last_failure_at"), "login_throttle", ["last_failure_at"], unique=False)


def _drop() -> None:
    op.drop_index(op.f("ix_login_throttle_last_failure_at"), table_name="login_throttle")
    op.drop_table("login_throttle")


def upgrade():
    _drop()
    _create(with_client=True)


def downgrade():
    _drop()
    _create(with_client=False)
