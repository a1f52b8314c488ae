"""An integrity error of the database becomes the same Conflict a service's check gives, naming the field
and never the value (backend/services/conflicts.py). Real errors from the database under test."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.exc import IntegrityError

from backend.models import Person, RegistrationSpecialty
from backend.services.conflicts import conflict_from_integrity_error
from tests import factories as f


def _integrity_error(session, *rows) -> IntegrityError:
    with pytest.raises(IntegrityError) as caught, session.begin_nested():
        session.add_all(rows)
        session.flush()
    return caught.value


def _copy_of(p: Person) -> Person:
    return Person(name="另一人", sex=p.sex, birth_date=p.birth_date, id_number=p.id_number)


def test_a_duplicate_id_number_at_insert_is_person_exists(session):
    p = f.person(session)
    c = conflict_from_integrity_error(_integrity_error(session, _copy_of(p)))
    assert (c.status, c.code, c.details) == (409, "person_exists", {"field": "id_number"})
    assert p.id_number not in f"{c.message}{c.message_en}{c.details}"


def test_a_duplicate_credit_code_and_username_have_their_codes(session, svc):
    from backend.models import Account, Enterprise
    e = f.enterprise(session, svc.catalogue)
    c = conflict_from_integrity_error(_integrity_error(session, Enterprise(name="重复公司", short_name="重复", uscc=e.uscc,
                                                                         province_code=e.province_code)))
    assert (c.code, c.details) == ("enterprise_exists", {"field": "uscc"})
    a = f.account(session, role="inspector")
    c = conflict_from_integrity_error(_integrity_error(session, Account(username=a.username, password_hash="x",
                                                                        role="inspector")))
    assert (c.code, c.details) == ("username_taken", {"field": "username"})


def test_other_unique_constraints_name_their_columns(session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock, specialties=("JZ",))
    today = dt.date.today()
    dup = RegistrationSpecialty(registration_id=reg.id, specialty_code="JZ", valid_from=today, valid_until=today)
    c = conflict_from_integrity_error(_integrity_error(session, dup))
    assert (c.status, c.code) == (409, "conflict")
    assert c.details == {"field": "registration_id, specialty_code", "constraint": "unique"}
    assert c.message and c.message_en


def test_a_missing_value_names_its_column(session):
    c = conflict_from_integrity_error(_integrity_error(session, Person(name=None, sex="M", birth_date=dt.date(1980, 1, 1),
                                                                      id_number=f.id_number(dt.date(1980, 1, 1), "M"))))
    assert (c.code, c.details) == ("conflict", {"field": "name", "constraint": "not_null"})
