"""the dashboard's expiring count and the register's lists by filters alone, each read from one index

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 22:00:00

The dashboard's 'expiring' chart counts registrations in force (有效) whose earliest active specialty ends
within 30/90/180 days. With the registration's status only on `registrations`, each of the ~165,000 specialties
ending within 180 days (at 1,000,000 registrations) was joined back to its registration: 600 ms on PostgreSQL,
the dashboard's largest part. The status is now copied onto the specialties by the database's triggers, as 0010
copies the holder's name, kind and province (whoever writes: the ORM, the import's COPY, set_status, a hand-made
UPDATE, which is corrected), and one index (valid_until, status, reg_status, kind_code, registration_id) holds
everything the chart reads, so its count is one range of one index. That index starts as the two it replaces
(ix_reg_specialties_valid_until, 0001; ix_reg_specialties_until_status, 0013) did, so their readers (the
register's expiry filter and walk, the notices' daily scan) read it instead, and a write of a specialty
maintains one index fewer than before (the import's cost). The register's expiry walk (services/register/
search.py) reads kind, province and status from the same index entries (province_code is in it for that).

The register's lists by filters alone (no text typed) are now in the holder's name order, each through the
lookup index of 0010 whose equality leads with a filter (kind, province, employer); ix_reg_lookup_status adds
the status on PostgreSQL (a list of 暂扣 in a province walked 1.1 million rows to count its 2,000 before).
"""
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

INDEX = ("CREATE INDEX IF NOT EXISTS ix_reg_specialties_until ON registration_specialties "
         "(valid_until, status, reg_status, kind_code, province_code, registration_id)")
# PostgreSQL only: SQLite's planner, with no statistics (nothing runs ANALYZE there), takes an index led by
# the status for any `status IN (...) AND person_id IN (...)`, e.g. the import's and the conflicts' reads
# of a person's held registrations, and walks every active registration (the import: 150 s -> 210 s a million).
STATUS_INDEX = ('CREATE INDEX IF NOT EXISTS ix_reg_lookup_status ON registrations (status, person_name COLLATE "C", '
                "person_id, id) INCLUDE (province_code, kind_code, enterprise_id)")
OLD_INDEXES = ("ix_reg_specialties_valid_until", "ix_reg_specialties_until_status")

PG_FUNCTIONS = [
    """CREATE OR REPLACE FUNCTION jz_specialty_person_name() RETURNS trigger AS $$
    BEGIN
        SELECT person_name, person_id, kind_code, province_code, status
          INTO NEW.person_name, NEW.person_id, NEW.kind_code, NEW.province_code, NEW.reg_status
          FROM registrations WHERE id = NEW.registration_id;
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION jz_registration_copies_changed() RETURNS trigger AS $$
    BEGIN
        UPDATE registration_specialties
           SET person_name = NEW.person_name, person_id = NEW.person_id, kind_code = NEW.kind_code,
               province_code = NEW.province_code, reg_status = NEW.status
         WHERE registration_id = NEW.id;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
]
PG_TRIGGERS = [
    "DROP TRIGGER IF EXISTS trg_specialties_person_name ON registration_specialties",
    "CREATE TRIGGER trg_specialties_person_name BEFORE INSERT OR UPDATE OF registration_id, person_name, person_id, "
    "kind_code, province_code, reg_status ON registration_specialties FOR EACH ROW "
    "EXECUTE FUNCTION jz_specialty_person_name()",
    "DROP TRIGGER IF EXISTS trg_registrations_copies ON registrations",
    "CREATE TRIGGER trg_registrations_copies AFTER UPDATE OF person_id, person_name, kind_code, province_code, status "
    "ON registrations FOR EACH ROW EXECUTE FUNCTION jz_registration_copies_changed()",
]
# SQLite: AFTER triggers write the copy (0010); a hand-made UPDATE of a copied column on a specialty is put
# back by trg_specialties_copy_upd (recursive_triggers is off, so its own UPDATE does not fire it again). Its
# WHEN keeps it from writing each row again after the insert trigger's own UPDATE (which fires it too):
# without it a million imported specialties cost 50 s more.
SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS trg_specialties_person_name",
    """CREATE TRIGGER trg_specialties_person_name AFTER INSERT ON registration_specialties BEGIN
        UPDATE registration_specialties SET (person_name, person_id, kind_code, province_code, reg_status) =
               (SELECT person_name, person_id, kind_code, province_code, status FROM registrations
                 WHERE id = NEW.registration_id)
         WHERE id = NEW.id;
    END""",
    """CREATE TRIGGER trg_specialties_copy_upd AFTER UPDATE OF registration_id, reg_status
    ON registration_specialties
    WHEN NEW.reg_status IS NOT (SELECT status FROM registrations WHERE id = NEW.registration_id) BEGIN
        UPDATE registration_specialties SET (person_name, person_id, kind_code, province_code, reg_status) =
               (SELECT person_name, person_id, kind_code, province_code, status FROM registrations
                 WHERE id = NEW.registration_id)
         WHERE id = NEW.id;
    END""",
    "DROP TRIGGER IF EXISTS trg_registrations_copies",
    """CREATE TRIGGER trg_registrations_copies AFTER UPDATE OF person_id, person_name, kind_code, province_code, status
    ON registrations BEGIN
        UPDATE registration_specialties SET (person_name, person_id, kind_code, province_code, reg_status) =
               (NEW.person_name, NEW.person_id, NEW.kind_code, NEW.province_code, NEW.status)
         WHERE registration_id = NEW.id;
    END""",
]


def upgrade():
    pg = op.get_bind().dialect.name == "postgresql"
    op.execute("ALTER TABLE registration_specialties ADD COLUMN reg_status VARCHAR(16)")
    op.execute("UPDATE registration_specialties SET reg_status = "
               "(SELECT r.status FROM registrations r WHERE r.id = registration_specialties.registration_id)")
    for statement in (PG_FUNCTIONS + PG_TRIGGERS) if pg else SQLITE_TRIGGERS:
        op.execute(statement)
    for name in OLD_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    op.execute(INDEX)
    if pg:
        op.execute(STATUS_INDEX)
        op.execute("ANALYZE registration_specialties")
        op.execute("ANALYZE registrations")


def downgrade():
    pg = op.get_bind().dialect.name == "postgresql"
    op.execute("DROP INDEX IF EXISTS ix_reg_specialties_until")
    op.execute("DROP INDEX IF EXISTS ix_reg_lookup_status")
    op.execute("CREATE INDEX IF NOT EXISTS ix_reg_specialties_valid_until ON registration_specialties (valid_until)")
    op.execute("CREATE INDEX IF NOT EXISTS ix_reg_specialties_until_status ON registration_specialties "
               "(valid_until, status, registration_id)")
    if pg:
        op.execute("""CREATE OR REPLACE FUNCTION jz_specialty_person_name() RETURNS trigger AS $$
    BEGIN
        SELECT person_name, person_id, kind_code, province_code
          INTO NEW.person_name, NEW.person_id, NEW.kind_code, NEW.province_code
          FROM registrations WHERE id = NEW.registration_id;
        RETURN NEW;
    END $$ LANGUAGE plpgsql""")
        op.execute("""CREATE OR REPLACE FUNCTION jz_registration_copies_changed() RETURNS trigger AS $$
    BEGIN
        UPDATE registration_specialties SET person_name = NEW.person_name WHERE registration_id = NEW.id;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""")
        op.execute("DROP TRIGGER IF EXISTS trg_specialties_person_name ON registration_specialties")
        op.execute("CREATE TRIGGER trg_specialties_person_name BEFORE INSERT OR UPDATE OF registration_id, "
                   "person_name, person_id, kind_code, province_code ON registration_specialties FOR EACH ROW "
                   "EXECUTE FUNCTION jz_specialty_person_name()")
        op.execute("DROP TRIGGER IF EXISTS trg_registrations_copies ON registrations")
        op.execute("CREATE TRIGGER trg_registrations_copies AFTER UPDATE OF person_id, person_name, kind_code, "
                   "province_code ON registrations FOR EACH ROW EXECUTE FUNCTION jz_registration_copies_changed()")
    else:
        for t in ("trg_specialties_copy_upd", "trg_specialties_person_name", "trg_registrations_copies"):
            op.execute(f"DROP TRIGGER IF EXISTS {t}")
        op.execute("""CREATE TRIGGER trg_specialties_person_name AFTER INSERT ON registration_specialties BEGIN
        UPDATE registration_specialties SET (person_name, person_id, kind_code, province_code) =
               (SELECT person_name, person_id, kind_code, province_code FROM registrations
                 WHERE id = NEW.registration_id)
         WHERE id = NEW.id;
    END""")
        op.execute("""CREATE TRIGGER trg_registrations_copies AFTER UPDATE OF person_id, person_name, kind_code,
    province_code ON registrations BEGIN
        UPDATE registration_specialties SET (person_name, person_id, kind_code, province_code) =
               (NEW.person_name, NEW.person_id, NEW.kind_code, NEW.province_code)
         WHERE registration_id = NEW.id;
    END""")
    # the column itself (SQLite 3.35+ drops a column in place; nothing references it any more)
    op.execute("ALTER TABLE registration_specialties DROP COLUMN reg_status")
