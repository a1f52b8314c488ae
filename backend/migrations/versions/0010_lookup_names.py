"""lookup: names walked with their filters (placeholder: filled in by the work on it; an empty step until then)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 19:20:00
"""

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
