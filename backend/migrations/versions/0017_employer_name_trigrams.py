"""lookup: employers found by a part of their name through a trigram index (PostgreSQL)

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 20:40:00

The lookup's employer filter (and the console's employer search) match a part of the employer's name or short
name, `LIKE '%…%'`, which no B-tree serves: at 200,000 employers (the 10,000,000-registration register of
bench/seed_bench.py) the scan alone took 40-110 ms. pg_trgm's GIN indexes serve such a pattern of three
characters or more (Chinese characters make trigrams too: pg_trgm hashes multibyte ones); a two-character part
still scans, as before. pg_trgm ships with PostgreSQL (contrib) and is a trusted extension, so the database's
owner may create it; where it is not available the step leaves the search as it was (a scan) and says so.
SQLite: nothing (its enterprises are the demo's).
"""
import logging

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
INDEXES = {"ix_enterprises_name_trgm": "name", "ix_enterprises_short_name_trgm": "short_name"}


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    try:
        with bind.begin_nested():
            op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as e:  # noqa: BLE001 - not installed or not allowed: the search still works, by a scan
        log.warning("pg_trgm unavailable (%s): employers are matched by a scan", type(e).__name__)
        return
    for name, column in INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON enterprises USING gin ({column} gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name in INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
