"""The daily job: specialties past their validity lapse unless a renewal filed in time still names them; a
registration with no valid specialty left, or whose holder is past the kind's age cap, lapses (失效); a
registration whose employer lost its licence or 资质 or went bankrupt, or whose holder died, is cancelled
(注销, 153号令). Each change is audited."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

from backend.models import Application, Enterprise, Person, Registration, RegistrationSpecialty, RegStatus, SpecialtyStatus
from backend.models.base import utcnow
from backend.services import audit
from backend.services.clock import Clock, add_years
from backend.services.kinds import Catalogue
from backend.services.notices import events as notices
from backend.services.registry.registrations import set_status
from backend.services.workflows.types import State

HELD = (RegStatus.ACTIVE, RegStatus.SUSPENDED)


def open_renewals(session: Session) -> set[tuple[int, str]]:
    """(registration id, specialty) named by a renewal that is filed and not yet decided either way."""
    rows = session.execute(select(Application.registration_id, Application.specialties).where(
        Application.type == "renewal", Application.state.in_(State.OPEN), Application.registration_id.is_not(None)))
    return {(rid, code) for rid, specs in rows for code in specs or []}


def _lapse_specialties(session: Session, clock: Clock, actor: str, *where) -> int:
    """Specialties past their validity lapse, except those a renewal filed in time still holds (153号令:
    a registration lapses when it expires *and* no renewal was applied for)."""
    today = clock.today()
    S = RegistrationSpecialty
    expired = session.execute(select(S.id, S.registration_id, S.specialty_code)
                              .where(S.status == SpecialtyStatus.ACTIVE, S.valid_until < today, *where)).all()
    held = open_renewals(session) if expired else set()
    n = 0
    for sid, rid, code in expired:
        if (rid, code) in held:
            continue
        session.execute(update(S).where(S.id == sid).values(status=SpecialtyStatus.LAPSED))
        audit.record(session, actor, "specialty.lapse", "registration", rid, {"specialty": code, "as_of": today})
        n += 1
    return n


def _lapse(session: Session, reg: Registration, why: str, actor: str, today: dt.date) -> None:
    old, reg.status, reg.status_reason = reg.status, RegStatus.LAPSED, why
    audit.record(session, actor, "registration.lapse", "registration", reg.registration_number,
                 {"from": old, "to": RegStatus.LAPSED, "reason": why, "as_of": today})
    notices.status_changed(session, reg, old, RegStatus.LAPSED, why, utcnow())


_HAS_VALID = select(RegistrationSpecialty.id).where(and_(
    RegistrationSpecialty.registration_id == Registration.id,
    RegistrationSpecialty.status == SpecialtyStatus.ACTIVE)).exists()
NO_VALID_SPECIALTY = "注册专业均已超过有效期 / every specialty past its validity"


def lapse_registration(session: Session, catalogue: Catalogue, clock: Clock, registration_id: int, actor: str) -> bool:
    """The daily job's specialty rules for one registration, now: used when a renewal ends without approval.
    True when the registration itself lapsed."""
    _lapse_specialties(session, clock, actor, RegistrationSpecialty.registration_id == registration_id)
    reg = session.scalar(select(Registration).where(Registration.id == registration_id, Registration.status.in_(HELD),
                                                    ~_HAS_VALID).execution_options(populate_existing=True))
    if reg is None:
        return False
    _lapse(session, reg, NO_VALID_SPECIALTY, actor, clock.today())
    session.flush()
    return True


def run_lapse(session: Session, catalogue: Catalogue, clock: Clock, actor: str) -> dict:
    today = clock.today()
    counts = {"specialties_lapsed": 0, "registrations_lapsed": 0, "age_cap": 0, "employer_cancelled": 0,
              "deceased_cancelled": 0}
    counts["specialties_lapsed"] = _lapse_specialties(session, clock, actor)

    # Past the age cap: born before (today - cap years), per kind and sex. A pending renewal does not help:
    # no period runs past the age cap.
    for kind in catalogue.kinds.values():
        for sex in ("M", "F"):
            born_before = add_years(today, -kind.age_cap_for(sex))   # cap birthday < today
            regs = session.scalars(select(Registration).join(Person, Person.id == Registration.person_id).where(
                Registration.kind_code == kind.code, Registration.status.in_(HELD), Person.sex == sex,
                Person.birth_date < born_before)).all()
            for reg in regs:
                _lapse(session, reg, f"已达到{kind.age_cap_for(sex)}周岁年龄上限 / age cap reached", actor, today)
                counts["age_cap"] += 1
    # No valid specialty left.
    for reg in session.scalars(select(Registration).where(Registration.status.in_(HELD), ~_HAS_VALID)).all():
        _lapse(session, reg, NO_VALID_SPECIALTY, actor, today)
        counts["registrations_lapsed"] += 1
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
