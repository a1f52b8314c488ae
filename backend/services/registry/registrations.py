"""Registrations by kind, each specialty with its own validity, and their changes: employer, specialties,
status. Every change is audited, and a change of employer or specialties supersedes the copies issued before it.

Kinds and specialties are looked up in the catalogue here too, not only at the edge: a workflow's approval
creates a registration from an application checked when it was drafted, and the catalogue is data that may
have changed since."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from backend.models import (
    CertificateCopy,
    CopyStatus,
    Person,
    Qualification,
    Registration,
    RegistrationSpecialty,
    RegStatus,
    SpecialtyStatus,
)
from backend.services import audit
from backend.services.clock import Clock, add_years, age_cap_date
from backend.services.kinds import Catalogue, Kind
from backend.services.notices import events as notices
from backend.services.notices.texts import spec_names
from backend.services.registry.enterprises import get_enterprise
from backend.services.registry.errors import (
    AgeCapReached,
    AlreadyRegistered,
    EmployerConflict,
    EmployerInactive,
    InvalidSpecialties,
    InvalidSpecialty,
    PersonDeceased,
    RegistrationEnded,
    RegistrationNotActive,
    RegistrationNotFound,
    SameEmployer,
    SpecialtyExists,
    StatusTransitionRefused,
    UnknownKind,
)
from backend.services.registry.numbers import new_registration_number
from backend.services.registry.persons import get_person
from backend.services.registry.superseding import supersede_copies

HELD = (RegStatus.ACTIVE, RegStatus.SUSPENDED)   # statuses that bind the holder to the employer


def get_registration(session: Session, number: str, *, for_update: bool = False) -> Registration:
    q = select(Registration).where(Registration.registration_number == number)
    if for_update:
        q = q.with_for_update(of=Registration)
    r = session.scalar(q) if isinstance(number, str) else None
    if r is None:
        raise RegistrationNotFound()
    return r


def check_one_employer(session: Session, person_id: int, enterprise_id: int) -> None:
    other = session.scalar(select(Registration.registration_number).where(
        Registration.person_id == person_id, Registration.enterprise_id != enterprise_id,
        Registration.status.in_(HELD)).limit(1))
    if other:
        raise EmployerConflict(other)


def specialty_until(today: dt.date, kind: Kind, person: Person) -> dt.date:
    """Validity of a specialty granted today: the kind's period, cut at the age cap birthday."""
    return min(add_years(today, kind.validity_years) - dt.timedelta(days=1),
               age_cap_date(person.birth_date, kind.age_cap_for(person.sex)))


def create_registration(session: Session, catalogue: Catalogue, clock: Clock, *, person_id: int,
                        enterprise_uscc: str, kind_code: str, specialties: list[str],
                        qualification_issued_on: dt.date | None = None, actor: str,
                        record_qualifications: bool = True) -> Registration:
    kind = catalogue.kind(kind_code)
    if kind is None:
        raise UnknownKind()
    if not specialties or len(set(specialties)) != len(specialties) or any(kind.specialty(s) is None
                                                                            for s in specialties):
        raise InvalidSpecialties()
    person = get_person(session, person_id)
    ent = get_enterprise(session, enterprise_uscc)
    today = clock.today()
    if person.deceased_on:
        raise PersonDeceased()
    if today > age_cap_date(person.birth_date, kind.age_cap_for(person.sex)):
        raise AgeCapReached()
    if ent.status != "active":
        raise EmployerInactive()
    check_one_employer(session, person.id, ent.id)
    if session.scalar(select(Registration.id).where(Registration.person_id == person.id,
                                                    Registration.kind_code == kind.code,
                                                    Registration.status.in_(HELD))):
        raise AlreadyRegistered()
    qual_on = qualification_issued_on or today
    number = new_registration_number(session, kind, catalogue, ent.province_code, qual_on.year, today.year,
                                     cat=specialties[0] if kind.family == "safety" else "")
    reg = Registration(person_id=person.id, enterprise_id=ent.id, kind_code=kind.code, registration_number=number,
                       province_code=ent.province_code, first_registered_on=today)
    session.add(reg)
    session.flush()
    until = specialty_until(today, kind, person)
    for code in specialties:
        session.add(RegistrationSpecialty(registration_id=reg.id, specialty_code=code, valid_from=today, valid_until=until))
        if record_qualifications:     # an application's approval rests on qualifications already recorded
            session.add(Qualification(person_id=person.id, kind_code=kind.code, specialty_code=code,
                                      certificate_no=f"{number}-{code}", issued_on=qual_on))
    session.flush()
    session.refresh(reg)
    audit.record(session, actor, "registration.create", "registration", number,
                 {"person_id": person.id, "enterprise": ent.uscc, "kind": kind.code, "specialties": specialties,
                  "valid_until": until})
    return reg


def change_employer(session: Session, clock: Clock, number: str, new_uscc: str, actor: str) -> Registration:
    reg = get_registration(session, number, for_update=True)
    new = get_enterprise(session, new_uscc)
    if reg.status not in HELD:
        raise RegistrationEnded()
    if new.id == reg.enterprise_id:
        raise SameEmployer()
    if new.status != "active":
        raise EmployerInactive()
    # A person's registrations of every kind move together: one person, one employer.
    regs = session.scalars(select(Registration).where(Registration.person_id == reg.person_id,
                                                       Registration.status.in_(HELD))).all()
    old = reg.enterprise.uscc
    for r in regs:
        r.enterprise_id = new.id
    session.flush()
    supersede_copies(session, [r.id for r in regs], clock, "employer", actor)
    audit.record(session, actor, "registration.change_employer", "registration", number,
                 {"from": old, "to": new.uscc, "moved": [r.registration_number for r in regs]})
    session.refresh(reg)
    return reg


def add_specialty(session: Session, catalogue: Catalogue, clock: Clock, number: str, code: str,
                  actor: str) -> Registration:
    reg = get_registration(session, number, for_update=True)
    kind = catalogue.kind(reg.kind_code)
    if kind.specialty(code) is None:          # the registration's kind decides: known only here
        raise InvalidSpecialty()
    if reg.status != RegStatus.ACTIVE:
        raise RegistrationNotActive()
    existing = next((s for s in reg.specialties if s.specialty_code == code), None)
    today = clock.today()
    until = specialty_until(today, kind, reg.person)
    if existing and existing.status == SpecialtyStatus.ACTIVE and existing.valid_until >= today:
        raise SpecialtyExists()
    if existing:
        existing.valid_from, existing.valid_until, existing.status = today, until, SpecialtyStatus.ACTIVE
    else:
        session.add(RegistrationSpecialty(registration_id=reg.id, specialty_code=code, valid_from=today, valid_until=until))
    session.flush()
    supersede_copies(session, [reg.id], clock, "specialties", actor)
    audit.record(session, actor, "registration.add_specialty", "registration", number, {"specialty": code, "valid_until": until})
    notices.specialties_short(session, reg, spec_names(kind), today, clock.now())    # 增项 time (Q36)
    session.refresh(reg)
    return reg


REASON_MAX = 500    # characters of a status change's reason (the column's)
STATUS_ACTIONS = {   # action -> (allowed from, new status)
    "suspend": (HELD[:1], RegStatus.SUSPENDED),
    "unsuspend": ((RegStatus.SUSPENDED,), RegStatus.ACTIVE),
    "cancel": (HELD + (RegStatus.LAPSED,), RegStatus.CANCELLED),
    "rescind": (HELD + (RegStatus.LAPSED,), RegStatus.RESCINDED),
    "revoke": (HELD + (RegStatus.LAPSED,), RegStatus.REVOKED),
    "lapse": (HELD, RegStatus.LAPSED),
}


def set_status(session: Session, clock: Clock, number: str, action: str, reason: str, actor: str, *,
               audit_extra: dict | None = None) -> Registration:
    """One of STATUS_ACTIONS, with its reason (at most REASON_MAX characters). `audit_extra` goes into the audit
    event beside the change (a four-eyes approval names the request and both accounts there)."""
    reg = get_registration(session, number, for_update=True)
    allowed, new = STATUS_ACTIONS[action]
    if reg.status not in allowed:
        raise StatusTransitionRefused(reg.status, action)
    old, reg.status, reg.status_reason = reg.status, new, reason.strip()
    if new in RegStatus.ENDED:
        session.execute(update(CertificateCopy).where(CertificateCopy.registration_id == reg.id,
                                                      CertificateCopy.status == CopyStatus.CURRENT)
                        .values(status=CopyStatus.REVOKED))
        for s in reg.specialties:
            s.status = SpecialtyStatus.CANCELLED
    session.flush()
    audit.record(session, actor, f"registration.{action}", "registration", number,
                 {"from": old, "to": new, "reason": reg.status_reason, **(audit_extra or {})})
    notices.status_changed(session, reg, old, new, reg.status_reason, clock.now())
    return reg
