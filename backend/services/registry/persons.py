"""The registry: persons, enterprises, registrations and their changes. Every change is audited,
and a change of employer, name or specialties supersedes the copies issued before it."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Person, Registration
from backend.services import audit
from backend.services.clock import Clock
from backend.services.conflicts import already_exists
from backend.services.errors import NotFound
from backend.services.registry.registrations import supersede_copies
from backend.services.validation import clean_person


def create_person(session: Session, data: dict, actor: str) -> Person:
    clean = clean_person(data)
    if session.scalar(select(Person.id).where(Person.id_number == clean["id_number"])):
        raise already_exists("persons", "id_number")
    p = Person(**clean)
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
    person = session.get(Person, person_id) if isinstance(person_id, int) else None
    if person is None:
        raise NotFound("未找到该人员", "No such person", code="person_not_found")
    clean = clean_person({"name": person.name if name is None else name,
                          "id_number": person.id_number if id_number is None else id_number})
    if clean["id_number"] != person.id_number and session.scalar(
            select(Person.id).where(Person.id_number == clean["id_number"], Person.id != person.id)):
        raise already_exists("persons", "id_number")
    changed = {}
    if clean["name"] != person.name:
        changed["name"] = {"from": person.name, "to": clean["name"]}
    if clean["id_number"] != person.id_number:
        changed["id_number"] = {"from": person.id_number, "to": clean["id_number"]}     # the authority's record
        if clean["sex"] != person.sex:
            changed["sex"] = {"from": person.sex, "to": clean["sex"]}
    person.name, person.id_number = clean["name"], clean["id_number"]
    person.sex, person.birth_date = clean["sex"], clean["birth_date"]
    reg_ids = list(session.scalars(select(Registration.id).where(Registration.person_id == person.id)))
    supersede_copies(session, reg_ids, clock, "name" if set(changed) <= {"name"} else "identity", actor)
    audit.record(session, actor, "person.change_name" if set(changed) <= {"name"} else "person.change_identity",
                 "person", person.id, changed)
    return person
