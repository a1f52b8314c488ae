"""lookup: the holder's name on registrations and specialties, so each filter has an ordered index

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 19:20:00

Until now a name walk went over persons by name and joined each person to its registrations, checking the
filters on the way (0009): the work grew with the number of same-prefix names the filter throws away, which
at 10,000,000 registrations is tens of thousands of rows for a province or an employer. Here the holder's
name is copied onto the rows the filters read, so that each filter is an equality in front of the name in
one ordered index and a page is a range of it, whatever the size of the register:

    registrations.person_name               (person_name, person_id, id)             no filter
                                            (province_code, person_name, ...)        province
                                            (kind_code, person_name, ...)            kind
                                            (enterprise_id, person_name, ...)        employer (USCC, or text)
    registration_specialties.person_name,   (specialty_code, person_name, person_id, registration_id)
      person_id, kind_code, province_code   with kind and province read from the index      specialty

The copies are kept by the database itself, with triggers, whoever writes (the ORM, the demo seeder's COPY,
the import): a registration or specialty takes the name when inserted, and a person's new name reaches
every row of theirs in the same transaction (persons -> registrations -> specialties). A registration's
person, kind and province do not change, but if they did the copies would follow too. On PostgreSQL the
indexes compare in COLLATE "C" (see 0002) and carry what the other filters read (INCLUDE), so that a walk
with two filters stays index-only. ix_registrations_person_filters (0009), which served the old walk's
join, goes.
"""
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

PG_FUNCTIONS = [
    """CREATE OR REPLACE FUNCTION jz_registration_person_name() RETURNS trigger AS $$
    BEGIN
        SELECT name INTO NEW.person_name FROM persons WHERE id = NEW.person_id;
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION jz_specialty_person_name() RETURNS trigger AS $$
    BEGIN
        SELECT person_name, person_id, kind_code, province_code
          INTO NEW.person_name, NEW.person_id, NEW.kind_code, NEW.province_code
          FROM registrations WHERE id = NEW.registration_id;
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION jz_person_name_changed() RETURNS trigger AS $$
    BEGIN
        UPDATE registrations SET person_name = NEW.name WHERE person_id = NEW.id;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION jz_registration_copies_changed() RETURNS trigger AS $$
    BEGIN
        UPDATE registration_specialties SET person_name = NEW.person_name WHERE registration_id = NEW.id;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
]
PG_TRIGGERS = [
    "CREATE TRIGGER trg_registrations_person_name BEFORE INSERT OR UPDATE OF person_id, person_name "
    "ON registrations FOR EACH ROW EXECUTE FUNCTION jz_registration_person_name()",
    "CREATE TRIGGER trg_specialties_person_name BEFORE INSERT OR UPDATE OF registration_id, person_name, person_id, "
    "kind_code, province_code ON registration_specialties FOR EACH ROW EXECUTE FUNCTION jz_specialty_person_name()",
    "CREATE TRIGGER trg_registrations_copies AFTER UPDATE OF person_id, person_name, kind_code, province_code "
    "ON registrations FOR EACH ROW EXECUTE FUNCTION jz_registration_copies_changed()",
    "CREATE TRIGGER trg_persons_name AFTER UPDATE OF name ON persons FOR EACH ROW "
    "WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION jz_person_name_changed()",
]
PG_INDEXES = [
    'CREATE INDEX ix_reg_lookup_name ON registrations (person_name COLLATE "C", person_id, id) '
    "INCLUDE (province_code, kind_code, enterprise_id)",
    'CREATE INDEX ix_reg_lookup_province ON registrations (province_code, person_name COLLATE "C", person_id, id) '
    "INCLUDE (kind_code, enterprise_id)",
    'CREATE INDEX ix_reg_lookup_kind ON registrations (kind_code, person_name COLLATE "C", person_id, id) '
    "INCLUDE (province_code, enterprise_id)",
    'CREATE INDEX ix_reg_lookup_employer ON registrations (enterprise_id, person_name COLLATE "C", person_id, id) '
    "INCLUDE (province_code, kind_code)",
    'CREATE INDEX ix_spec_lookup ON registration_specialties (specialty_code, person_name COLLATE "C", person_id, '
    "registration_id) INCLUDE (kind_code, province_code)",
]
# SQLite: a row's own write is done when an AFTER trigger runs, so the trigger writes the copy then; the
# recursive_triggers pragma is off, so that UPDATE does not fire the triggers again.
SQLITE_TRIGGERS = [
    """CREATE TRIGGER trg_registrations_person_name AFTER INSERT ON registrations BEGIN
        UPDATE registrations SET person_name = (SELECT name FROM persons WHERE id = NEW.person_id)
         WHERE id = NEW.id;
    END""",
    """CREATE TRIGGER trg_registrations_person_name_upd AFTER UPDATE OF person_id, person_name ON registrations
    BEGIN
        UPDATE registrations SET person_name = (SELECT name FROM persons WHERE id = NEW.person_id)
         WHERE id = NEW.id AND person_name IS NOT (SELECT name FROM persons WHERE id = NEW.person_id);
    END""",
    """CREATE TRIGGER trg_specialties_person_name AFTER INSERT ON registration_specialties BEGIN
        UPDATE registration_specialties SET (person_name, person_id, kind_code, province_code) =
               (SELECT person_name, person_id, kind_code, province_code FROM registrations
                 WHERE id = NEW.registration_id)
         WHERE id = NEW.id;
    END""",
    """CREATE TRIGGER trg_registrations_copies AFTER UPDATE OF person_id, person_name, kind_code, province_code
    ON registrations BEGIN
        UPDATE registration_specialties SET (person_name, person_id, kind_code, province_code) =
               (NEW.person_name, NEW.person_id, NEW.kind_code, NEW.province_code)
         WHERE registration_id = NEW.id;
    END""",
    """CREATE TRIGGER trg_persons_name AFTER UPDATE OF name ON persons WHEN OLD.name IS NOT NEW.name BEGIN
        UPDATE registrations SET person_name = NEW.name WHERE person_id = NEW.id;
    END""",
]
SQLITE_INDEXES = [
    "CREATE INDEX ix_reg_lookup_name ON registrations (person_name, person_id, id)",
    "CREATE INDEX ix_reg_lookup_province ON registrations (province_code, person_name, person_id, id)",
    "CREATE INDEX ix_reg_lookup_kind ON registrations (kind_code, person_name, person_id, id)",
    "CREATE INDEX ix_reg_lookup_employer ON registrations (enterprise_id, person_name, person_id, id)",
    "CREATE INDEX ix_spec_lookup ON registration_specialties (specialty_code, person_name, person_id, registration_id, "
    "kind_code, province_code)",
]
INDEXES = ("ix_reg_lookup_name", "ix_reg_lookup_province", "ix_reg_lookup_kind", "ix_reg_lookup_employer",
           "ix_spec_lookup")


def upgrade():
    pg = op.get_bind().dialect.name == "postgresql"
    op.execute("ALTER TABLE registrations ADD COLUMN person_name VARCHAR(64)")
    op.execute("ALTER TABLE registration_specialties ADD COLUMN person_name VARCHAR(64)")
    op.execute("ALTER TABLE registration_specialties ADD COLUMN person_id INTEGER REFERENCES persons (id)")
    op.execute("ALTER TABLE registration_specialties ADD COLUMN kind_code VARCHAR(16)")
    op.execute("ALTER TABLE registration_specialties ADD COLUMN province_code VARCHAR(2)")
    op.execute("UPDATE registrations SET person_name = (SELECT name FROM persons WHERE persons.id = registrations.person_id)")
    op.execute("UPDATE registration_specialties SET (person_name, person_id, kind_code, province_code) = "
               "(SELECT r.person_name, r.person_id, r.kind_code, r.province_code "
               "FROM registrations r WHERE r.id = registration_specialties.registration_id)")
    for statement in (PG_FUNCTIONS + PG_TRIGGERS + PG_INDEXES) if pg else (SQLITE_TRIGGERS + SQLITE_INDEXES):
        op.execute(statement)
    op.execute("DROP INDEX IF EXISTS ix_registrations_person_filters")
    if pg:
        op.execute("ANALYZE registrations")
        op.execute("ANALYZE registration_specialties")


def downgrade():
    pg = op.get_bind().dialect.name == "postgresql"
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    if pg:
        op.execute("DROP TRIGGER IF EXISTS trg_persons_name ON persons")
        op.execute("DROP TRIGGER IF EXISTS trg_specialties_person_name ON registration_specialties")
        op.execute("DROP TRIGGER IF EXISTS trg_registrations_person_name ON registrations")
        op.execute("DROP TRIGGER IF EXISTS trg_registrations_copies ON registrations")
        for fn in ("jz_person_name_changed", "jz_specialty_person_name", "jz_registration_person_name",
                   "jz_registration_copies_changed"):
            op.execute(f"DROP FUNCTION IF EXISTS {fn}()")
        op.execute("CREATE INDEX IF NOT EXISTS ix_registrations_person_filters "
                   "ON registrations (person_id, id) INCLUDE (province_code, kind_code, enterprise_id)")
    else:
        for t in ("trg_persons_name", "trg_specialties_person_name", "trg_registrations_person_name_upd",
                  "trg_registrations_copies",
                  "trg_registrations_person_name"):
            op.execute(f"DROP TRIGGER IF EXISTS {t}")
    with op.batch_alter_table("registration_specialties") as b:
        b.drop_column("province_code")
        b.drop_column("kind_code")
        b.drop_column("person_id")
        b.drop_column("person_name")
    with op.batch_alter_table("registrations") as b:
        b.drop_column("person_name")
