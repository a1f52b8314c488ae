"""The daily job: specialties past their validity lapse; a registration with no valid specialty left,
or whose holder is past the kind's age cap, lapses (失效); a registration whose employer lost its licence or
资质 or went bankrupt, or whose holder died, is cancelled (注销, 153号令). Each change is audited."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

from ..models import Enterprise, Person, Registration, RegistrationSpecialty, RegStatus, SpecialtyStatus
from . import audit
from .clock import Clock, add_years
from .kinds import Catalogue
from .registry import set_status

HELD = (RegStatus.ACTIVE, RegStatus.SUSPENDED)


def run_lapse(session: Session, catalogue: Catalogue, clock: Clock, actor: str) -> dict:
    today = clock.today()
    counts = {"specialties_lapsed": 0, "registrations_lapsed": 0, "age_cap": 0, "employer_cancelled": 0,
              "deceased_cancelled": 0}
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
    _cancel_by_rule(session, clock, actor, counts)
    return counts


EMPLOYER_ENDED = {"revoked": "聘用单位被吊销营业执照或资质 / the employer lost its licence or 资质",
                  "bankrupt": "聘用单位破产 / the employer went bankrupt"}


def _cancel_by_rule(session: Session, clock: Clock, actor: str, counts: dict) -> None:
    """注销 where the rules cancel: the employer may no longer employ registered persons; the holder died."""
    rows = session.execute(select(Registration.registration_number, Enterprise.status)
                           .join(Enterprise, Enterprise.id == Registration.enterprise_id)
                           .where(Registration.status.in_(HELD), Enterprise.status != "active")
                           .order_by(Registration.id)).all()
    for number, why in rows:
        set_status(session, clock, number, "cancel", EMPLOYER_ENDED.get(why, f"聘用单位状态 / employer status: {why}"), actor)
        counts["employer_cancelled"] += 1
    dead = session.scalars(select(Registration.registration_number)
                           .join(Person, Person.id == Registration.person_id)
                           .where(Registration.status.in_(HELD), Person.deceased_on.is_not(None))
                           .order_by(Registration.id)).all()
    for number in dead:
        set_status(session, clock, number, "cancel", "持证人死亡 / the holder died", actor)
        counts["deceased_cancelled"] += 1


def days_left(until: dt.date, today: dt.date) -> int:
    return (until - today).days
