"""the province dashboard: verifications per day, and the indexes its aggregates read

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 19:20:00

services/dashboard/charts.py aggregates the whole register in SQL. At 1,000,000 registrations a plain
GROUP BY reads every row of the table and, on SQLite, sorts them; these covering indexes let each
aggregate walk one index in the order of its groups instead (bench/dashboard_bench.py; at 1,000,000
registrations on SQLite all charts took 12.8 s without them, 1.4-1.5 s with them, on a loaded 2-CPU machine):
- ix_registrations_kind_status (kind_code, status, person_id, enterprise_id): counts by kind and status;
  the held 安管 B registrations of the 挂证 signal found by a seek;
- ix_registrations_employer_status (enterprise_id, status): counts by the employer's city;
- ix_registrations_person_employer (person_id, enterprise_id, status): persons held at two employers, and
  the probe for a constructor registration at the same employer;
- ix_reg_specialties_until_status (valid_until, status, registration_id): registrations expiring soon;
- ix_copies_issued_at: copies issued per day.
Indexes only (the verification_counts table is also in the models), so here and not in __table_args__.
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_registrations_kind_status", "registrations", "kind_code, status, person_id, enterprise_id"),
    ("ix_registrations_employer_status", "registrations", "enterprise_id, status"),
    ("ix_registrations_person_employer", "registrations", "person_id, enterprise_id, status"),
    ("ix_reg_specialties_until_status", "registration_specialties", "valid_until, status, registration_id"),
    ("ix_copies_issued_at", "certificate_copies", "issued_at"),
)


def upgrade():
    op.create_table(
        "verification_counts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "verdict"),
    )
    for name, table, cols in INDEXES:
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({cols})")


def downgrade():
    for name, _, _ in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    op.drop_table("verification_counts")
