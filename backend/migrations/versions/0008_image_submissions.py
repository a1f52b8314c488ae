"""image_submissions: 入库登记, the holders' photo and signature images and their review (issue 10)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 10:00:00

One row per upload of a photo or signature image: the normalised image (never the upload itself), its facts,
who uploaded it (the holder, or the authority on the holder's behalf), and the review: pending, approved,
returned with a reason, or withdrawn. An approved one is copied to persons.photo / persons.signature, which
is what copies print. Images stored before this revision stay the persons' current ones, without a row here.
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "image_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=24), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("mime", sa.String(length=32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("source", sa.JSON(), nullable=False),
        sa.Column("checks", sa.JSON(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=16), nullable=False),
        sa.Column("uploader", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("lock_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("public_id"),
    )
    with op.batch_alter_table("image_submissions") as batch:
        batch.create_index("ix_image_submissions_state_created", ["state", "created_at"], unique=False)
        batch.create_index("ix_image_submissions_person_kind", ["person_id", "kind"], unique=False)


def downgrade():
    with op.batch_alter_table("image_submissions") as batch:
        batch.drop_index("ix_image_submissions_person_kind")
        batch.drop_index("ix_image_submissions_state_created")
    op.drop_table("image_submissions")
