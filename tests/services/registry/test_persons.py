"""Persons in the registry: what an ID number says, named errors in the edge's field shape, photos stored
with their audit record."""
import datetime as dt
import io

import pytest
from PIL import Image
from sqlalchemy import select

from backend.models import AuditEvent
from backend.services.registry import persons
from backend.services.registry.errors import IdNumberMismatch, InvalidIdNumber, PersonNotFound
from backend.services.uploads.errors import UnsupportedFileType
from tests import factories as f


def test_sex_and_birth_date_follow_the_id_number(session):
    idn = f.id_number(dt.date(1990, 5, 6), "F")
    p = persons.create_person(session, name="林小雨", id_number=idn, actor="test")
    assert (p.sex, p.birth_date) == ("F", dt.date(1990, 5, 6))


def test_what_disagrees_with_the_id_number_is_named_field_by_field(session):
    idn = f.id_number(dt.date(1990, 5, 6), "F")
    with pytest.raises(IdNumberMismatch) as e:
        persons.create_person(session, name="林小雨", id_number=idn, sex="M", birth_date=dt.date(1990, 5, 7),
                              actor="test")
    assert e.value.status == 422 and e.value.code == "validation_failed"
    assert {k: v["code"] for k, v in e.value.details["fields"].items()} == {"sex": "mismatch", "birth_date": "mismatch"}
    with pytest.raises(InvalidIdNumber) as e:
        persons.create_person(session, name="林小雨", id_number=idn[:17] + ("0" if idn[17] != "0" else "1"),
                              actor="test")
    assert e.value.details["fields"]["id_number"]["code"] == "checksum"


@pytest.mark.parametrize("person_id", [0, -1, 2**31, 10**30])
def test_an_id_beyond_the_column_names_nobody(session, person_id):
    with pytest.raises(PersonNotFound) as e:
        persons.get_person(session, person_id)
    assert (e.value.status, e.value.code, e.value.message) == (404, "person_not_found", "未找到该人员")


def test_a_photo_is_stored_with_its_audit_record(session):
    p = f.person(session)
    buf = io.BytesIO()
    Image.new("RGB", (30, 40), (200, 180, 160)).save(buf, "PNG")
    persons.store_image(session, p.id, "photo", buf.getvalue(), "test")
    assert (p.photo, p.photo_mime) == (buf.getvalue(), "image/png")
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "person.photo", AuditEvent.entity_id == str(p.id)))
    assert event.data == {"bytes": len(buf.getvalue()), "mime": "image/png"}
    with pytest.raises(UnsupportedFileType):
        persons.store_image(session, p.id, "signature", b"GIF89a....", "test")
    assert p.signature is None
