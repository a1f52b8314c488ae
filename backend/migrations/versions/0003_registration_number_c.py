"""registration numbers by prefix on PostgreSQL

Revision ID: 0003
Revises: 0002

A new registration number takes the highest serial under its prefix (services.registry). On SQLite the
unique index's BINARY collation already orders by code point; on PostgreSQL the prefix range is compared
in COLLATE "C" and needs an index in that collation (PostgreSQL-only, so not in the model).
"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute('CREATE INDEX IF NOT EXISTS ix_registrations_number_c ON registrations (registration_number COLLATE "C")')


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_registrations_number_c")
