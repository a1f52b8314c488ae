"""authority actions: requests awaiting a second approver (four-eyes) (placeholder: filled in by the work on it; an empty step until then)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 19:20:00
"""

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
