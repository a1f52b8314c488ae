"""presentations (a holder's live QR code): no table, an empty step that keeps the chain 0013 -> 0014 -> 0015 -> 0016

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 09:00:00

A live code (services/issuance/presentations.py) is made on demand from the copy's stored token, signed and
forgotten: it lives at most 120 s, verification reads the copy it names, and nothing about it is stored.
"""

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
