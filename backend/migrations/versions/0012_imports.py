"""imports of the existing register: batches, their progress and refused rows (placeholder: filled in by the work on it; an empty step until then)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 19:20:00
"""

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
