"""Persons: their record, a change of name or ID number (which supersedes their copies), and their photo and
signature images. Every change is audited.

The values arrive well-formed (the edge's models, or a workflow's checked draft); what is judged here is what
an ID number says: its check character and birth date, and the sex and birth date given beside it."""
from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Person, Registration
from backend.services import audit
from backend.services.checkdigits import id_number_facts
from backend.services.clock import Clock
from backend.services.conflicts import already_exists
from backend.services.registry.errors import IdNumberMismatch, InvalidIdNumber, PersonNotFound
from backend.services.registry.superseding import supersede_copies
from backend.services.uploads.photos import clean_upload

IMAGE_MAX_BYTES = 2 * 1024 * 1024      # a photo or signature image


def get_person(session: Session, person_id: int) -> Person:
    # an id beyond the column's range names nobody (and must not reach the driver)
    p = session.get(Person, person_id) if isinstance(person_id, int) and 0 < person_id < 2**31 else None
    if p is None:
        raise PersonNotFound()
    return p


def identity_facts(id_number: str, sex: str | None = None, birth_date: dt.date | None = None) -> tuple[dt.date, str]:
    """(birth date, sex) of an ID number (GB 11643), which a given sex or birth date must agree with."""
    facts = id_number_facts(id_number)
    if facts is None:
        raise InvalidIdNumber()
    birth, his_sex = facts
    mismatched = [name for name, given, true in (("sex", sex, his_sex), ("birth_date", birth_date, birth))
                  if given is not None and given != true]
    if mismatched:
        raise IdNumberMismatch(mismatched)
    return birth, his_sex


def create_person(session: Session, *, name: str, id_number: str, sex: str | None = None,
                  birth_date: dt.date | None = None, phone: str | None = None, actor: str) -> Person:
    birth_date, sex = identity_facts(id_number, sex, birth_date)
    if session.scalar(select(Person.id).where(Person.id_number == id_number)):
        raise already_exists("persons", "id_number")
    p = Person(name=name, id_number=id_number, sex=sex, birth_date=birth_date, phone=phone)
    session.add(p)
    session.flush()
    audit.record(session, actor, "person.create", "person", p.id, {"name": p.name})
    return p


def change_name(session: Session, clock: Clock, person_id: int, new_name: str, actor: str) -> Person:
    return change_identity(session, clock, person_id, actor, name=new_name)


def change_identity(session: Session, clock: Clock, person_id: int, actor: str, *, name: str | None = None,
                    id_number: str | None = None) -> Person:
    """A new name and/or ID number (sex and birth date follow the number); every copy of the person is
    superseded, since each printed the old data. The audit trail (the authority's alone) keeps the old number,
    so that a search by it still finds the person's history."""
    person = get_person(session, person_id)
    name = person.name if name is None else name
    id_number = person.id_number if id_number is None else id_number
    birth_date, sex = identity_facts(id_number)
    if id_number != person.id_number and session.scalar(
            select(Person.id).where(Person.id_number == id_number, Person.id != person.id)):
        raise already_exists("persons", "id_number")
    changed = {}
    if name != person.name:
        changed["name"] = {"from": person.name, "to": name}
    if id_number != person.id_number:
        changed["id_number"] = {"from": person.id_number, "to": id_number}     # the authority's record
        if sex != person.sex:
            changed["sex"] = {"from": person.sex, "to": sex}
    person.name, person.id_number, person.sex, person.birth_date = name, id_number, sex, birth_date
    reg_ids = list(session.scalars(select(Registration.id).where(Registration.person_id == person.id)))
    only_name = set(changed) <= {"name"}
    supersede_copies(session, reg_ids, clock, "name" if only_name else "identity", actor)
    audit.record(session, actor, "person.change_name" if only_name else "person.change_identity",
                 "person", person.id, changed)
    return person


def store_image(session: Session, person_id: int, what: Literal["photo", "signature"], data: bytes,
                actor: str) -> Person:
    """The holder's photo or signature image, stored as uploaded once its content is checked (JPEG or PNG)."""
    person = get_person(session, person_id)
    data, mime = clean_upload(data, max_bytes=IMAGE_MAX_BYTES)
    if what == "photo":
        person.photo, person.photo_mime = data, mime
    else:
        person.signature = data
    audit.record(session, actor, f"person.{what}", "person", person.id, {"bytes": len(data), "mime": mime})
    return person
