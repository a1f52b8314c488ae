"""the province dashboard: what its aggregates need (placeholder: filled in by the work on it; an empty step until then)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 19:20:00
"""

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
