"""A person's registrations, straight from the register, in the shape of verification results, so that the
authority (or an enterprise, for its own staff) can evaluate a person against a role without scanning anything.
A registration is judged as its certificate would be, without a copy: a copy's usage period and superseding are
no concern of the register's.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Registration, RegStatus, SpecialtyStatus
from backend.services.clock import Clock, age_cap_date
from backend.services.kinds import Catalogue
from backend.services.registry.errors import PersonNotFound
from backend.services.registry.persons import get_person
from backend.services.sitecheck.evaluate import evaluate

STATUS_VERDICT = {RegStatus.ACTIVE: "valid", RegStatus.SUSPENDED: "suspended", RegStatus.LAPSED: "lapsed",
                  RegStatus.CANCELLED: "revoked", RegStatus.RESCINDED: "revoked", RegStatus.REVOKED: "revoked"}


def _specialty_status(reg: Registration, row, today) -> str:
    if reg.status in RegStatus.ENDED or row.status == SpecialtyStatus.CANCELLED:
        return "revoked"
    if reg.status == RegStatus.SUSPENDED:
        return "suspended"
    if reg.status == RegStatus.LAPSED or row.status == SpecialtyStatus.LAPSED or row.valid_until < today:
        return "lapsed"
    return "valid"


def registrations_as_results(session: Session, catalogue: Catalogue, clock: Clock, person_id: int) -> list[dict]:
    """Each registration of the person (held ones first, then the newest) as a verification result; its
    `copy_id` is the registration number."""
    person = get_person(session, person_id)
    today = clock.today()
    regs = session.scalars(select(Registration).where(Registration.person_id == person.id)
                           .order_by(Registration.id.desc())).all()
    out = []
    for reg in sorted(regs, key=lambda r: r.status not in (RegStatus.ACTIVE, RegStatus.SUSPENDED)):
        kind = catalogue.kind(reg.kind_code)
        specialties = [{"code": s.specialty_code, "name": kind.specialty(s.specialty_code).name
                        if kind and kind.specialty(s.specialty_code) else s.specialty_code,
                        "valid_until": s.valid_until.isoformat(), "status": _specialty_status(reg, s, today)}
                       for s in reg.specialties]
        verdict = STATUS_VERDICT.get(reg.status, "invalid")
        if verdict == "valid" and kind and today > age_cap_date(person.birth_date, kind.age_cap_for(person.sex)):
            verdict = "lapsed"
        if verdict == "valid" and specialties and all(s["status"] != "valid" for s in specialties):
            verdict = "lapsed"
        out.append({"verdict": verdict, "specialties": specialties, "certificate": {
            "copy_id": reg.registration_number, "registration_number": reg.registration_number, "name": person.name,
            "kind": reg.kind_code, "level": kind.level if kind else None,
            "employer": {"name": reg.enterprise.name, "uscc": reg.enterprise.uscc}}})
    return out


def evaluate_person(session: Session, catalogue: Catalogue, clock: Clock, role: dict, person_id: int,
                    site: dict, *, enterprise_id: int | None = None) -> dict:
    """The person as the register has them, against a role. Each requirement's `certificate` names the
    registration that meets it (or comes nearest) by its registration number: there is no copy here.
    `enterprise_id`: an enterprise asking, which may evaluate only people registered with it (else not found)."""
    if enterprise_id is not None and not session.scalar(select(Registration.id).where(
            Registration.person_id == person_id, Registration.enterprise_id == enterprise_id).limit(1)):
        raise PersonNotFound()
    return evaluate(role, registrations_as_results(session, catalogue, clock, person_id), site)
