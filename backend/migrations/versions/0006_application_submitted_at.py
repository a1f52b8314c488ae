"""applications.submitted_at: when an application was first filed (the renewal window is judged then)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 13:40:00

The first submission's time, kept when a returned application is corrected and resubmitted: a renewal
filed inside its window is not lost to the daily lapse job, nor to a late decision (issue 8). Existing
rows are filled from their first "submit" event.
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("submitted_at", sa.DateTime(), nullable=True))
    op.execute("""
        UPDATE applications SET submitted_at = (
            SELECT MIN(e.at) FROM application_events e
            WHERE e.application_id = applications.id AND e.action = 'submit')
    """)


def downgrade():
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("submitted_at")
