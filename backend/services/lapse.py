"""The daily job: specialties past their validity lapse; a registration with no valid specialty left,
or whose holder is past the kind's age cap, lapses (失效). Each change is audited."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

from ..models import Person, Registration, RegistrationSpecialty, RegStatus, SpecialtyStatus
from . import audit
from .clock import Clock, add_years
from .kinds import Catalogue

HELD = (RegStatus.ACTIVE, RegStatus.SUSPENDED)


def run_lapse(session: Session, catalogue: Catalogue, clock: Clock, actor: str) -> dict:
    today = clock.today()
    counts = {"specialties_lapsed": 0, "registrations_lapsed": 0, "age_cap": 0}
    expired = session.execute(select(RegistrationSpecialty.id, RegistrationSpecialty.registration_id,
                                     RegistrationSpecialty.specialty_code)
                              .where(RegistrationSpecialty.status == SpecialtyStatus.ACTIVE,
                                     RegistrationSpecialty.valid_until < today)).all()
    for sid, rid, code in expired:
        session.execute(update(RegistrationSpecialty).where(RegistrationSpecialty.id == sid)
                        .values(status=SpecialtyStatus.LAPSED))
        audit.record(session, actor, "specialty.lapse", "registration", rid, {"specialty": code, "as_of": today})
    counts["specialties_lapsed"] = len(expired)

    def lapse(reg: Registration, why: str, key: str) -> None:
        old, reg.status, reg.status_reason = reg.status, RegStatus.LAPSED, why
        audit.record(session, actor, "registration.lapse", "registration", reg.registration_number,
                     {"from": old, "to": RegStatus.LAPSED, "reason": why, "as_of": today})
        counts[key] += 1

    # Past the age cap: born before (today - cap years), per kind and sex.
    for kind in catalogue.kinds.values():
        for sex in ("M", "F"):
            born_before = add_years(today, -kind.age_cap_for(sex))   # cap birthday < today
            regs = session.scalars(select(Registration).join(Person, Person.id == Registration.person_id).where(
                Registration.kind_code == kind.code, Registration.status.in_(HELD), Person.sex == sex,
                Person.birth_date < born_before)).all()
            for reg in regs:
                lapse(reg, f"已达到{kind.age_cap_for(sex)}周岁年龄上限 / age cap reached", "age_cap")
    # No valid specialty left.
    has_valid = select(RegistrationSpecialty.id).where(and_(
        RegistrationSpecialty.registration_id == Registration.id,
        RegistrationSpecialty.status == SpecialtyStatus.ACTIVE)).exists()
    for reg in session.scalars(select(Registration).where(Registration.status.in_(HELD), ~has_valid)).all():
        lapse(reg, "注册专业均已超过有效期 / every specialty past its validity", "registrations_lapsed")
    session.flush()
    return counts


def days_left(until: dt.date, today: dt.date) -> int:
    return (until - today).days
