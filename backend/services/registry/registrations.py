"""The registry: persons, enterprises, registrations and their changes. Every change is audited,
and a change of employer, name or specialties supersedes the copies issued before it."""
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
from backend.services.errors import Conflict, NotFound, ValidationFailed
from backend.services.kinds import Catalogue, Kind
from backend.services.registry.enterprises import get_enterprise
from backend.services.registry.errors import EmployerConflict
from backend.services.registry.numbers import new_registration_number

HELD = (RegStatus.ACTIVE, RegStatus.SUSPENDED)   # statuses that bind the holder to the employer


def get_registration(session: Session, number: str, *, for_update: bool = False) -> Registration:
    q = select(Registration).where(Registration.registration_number == number)
    if for_update:
        q = q.with_for_update(of=Registration)
    r = session.scalar(q) if isinstance(number, str) else None
    if r is None:
        raise NotFound("未找到该注册信息", "No such registration", code="registration_not_found")
    return r


def check_one_employer(session: Session, person_id: int, enterprise_id: int) -> None:
    other = session.scalar(select(Registration.registration_number).where(
        Registration.person_id == person_id, Registration.enterprise_id != enterprise_id,
        Registration.status.in_(HELD)).limit(1))
    if other:
        raise EmployerConflict(details={"registration_number": other})


def specialty_until(today: dt.date, kind: Kind, person: Person) -> dt.date:
    """Validity of a specialty granted today: the kind's period, cut at the age cap birthday."""
    return min(add_years(today, kind.validity_years) - dt.timedelta(days=1),
               age_cap_date(person.birth_date, kind.age_cap_for(person.sex)))


def create_registration(session: Session, catalogue: Catalogue, clock: Clock, *, person_id: int,
                        enterprise_uscc: str, kind_code: str, specialties: list[str],
                        qualification_issued_on: dt.date | None = None, actor: str,
                        record_qualifications: bool = True) -> Registration:
    kind = catalogue.kind(kind_code) if isinstance(kind_code, str) else None
    if kind is None:
        raise ValidationFailed.field("kind", "choice", "证书类别无效", "Unknown certificate kind")
    if not isinstance(specialties, list) or not specialties or any(
            not isinstance(s, str) or kind.specialty(s) is None for s in specialties) or len(set(specialties)) != len(specialties):
        raise ValidationFailed.field("specialties", "choice", "注册专业无效", "Invalid or repeated specialties")
    person = session.get(Person, person_id) if isinstance(person_id, int) else None
    if person is None:
        raise NotFound("未找到该人员", "No such person", code="person_not_found")
    ent = get_enterprise(session, enterprise_uscc)
    today = clock.today()
    if person.deceased_on:
        raise Conflict("人员已死亡,不能注册", "The person is deceased", code="person_deceased")
    if today > age_cap_date(person.birth_date, kind.age_cap_for(person.sex)):
        raise Conflict("已达到年龄上限,不予注册", "The person is over the age cap", code="age_cap_reached")
    if ent.status != "active":
        raise Conflict("聘用单位资质或执照已失效", "The employer may not employ registered persons", code="employer_inactive")
    check_one_employer(session, person.id, ent.id)
    if session.scalar(select(Registration.id).where(Registration.person_id == person.id,
                                                    Registration.kind_code == kind.code,
                                                    Registration.status.in_(HELD))):
        raise Conflict("该人员已有此类别的有效注册,请申请增项或延续", "Already registered in this kind",
                       code="already_registered")
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


def supersede_copies(session: Session, registration_ids: list[int], clock: Clock, why: str, actor: str) -> int:
    if not registration_ids:
        return 0
    res = session.execute(update(CertificateCopy)
                          .where(CertificateCopy.registration_id.in_(registration_ids),
                                 CertificateCopy.status == CopyStatus.CURRENT)
                          .values(status=CopyStatus.SUPERSEDED, superseded_at=clock.now())
)
    if res.rowcount:
        audit.record(session, actor, "copies.supersede", "registration", ",".join(map(str, registration_ids)),
                     {"count": res.rowcount, "why": why})
    return res.rowcount


def change_employer(session: Session, clock: Clock, number: str, new_uscc: str, actor: str) -> Registration:
    reg = get_registration(session, number, for_update=True)
    new = get_enterprise(session, new_uscc)
    if reg.status not in HELD:
        raise Conflict("注册已终止,请申请重新注册", "The registration has ended", code="registration_ended")
    if new.id == reg.enterprise_id:
        raise Conflict("新单位与原单位相同", "The new employer is the current one", code="same_employer")
    if new.status != "active":
        raise Conflict("聘用单位资质或执照已失效", "The employer may not employ registered persons", code="employer_inactive")
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
    if not isinstance(code, str) or kind.specialty(code) is None:
        raise ValidationFailed.field("specialty", "choice", "注册专业无效", "Invalid specialty")
    if reg.status != RegStatus.ACTIVE:
        raise Conflict("注册状态不允许增项", "The registration is not active", code="registration_not_active")
    existing = next((s for s in reg.specialties if s.specialty_code == code), None)
    today = clock.today()
    until = specialty_until(today, kind, reg.person)
    if existing and existing.status == SpecialtyStatus.ACTIVE and existing.valid_until >= today:
        raise Conflict("该专业已注册", "The specialty is already registered", code="specialty_exists")
    if existing:
        existing.valid_from, existing.valid_until, existing.status = today, until, SpecialtyStatus.ACTIVE
    else:
        session.add(RegistrationSpecialty(registration_id=reg.id, specialty_code=code, valid_from=today, valid_until=until))
    session.flush()
    supersede_copies(session, [reg.id], clock, "specialties", actor)
    audit.record(session, actor, "registration.add_specialty", "registration", number, {"specialty": code, "valid_until": until})
    session.refresh(reg)
    return reg


STATUS_ACTIONS = {   # action -> (allowed from, new status)
    "suspend": (HELD[:1], RegStatus.SUSPENDED),
    "unsuspend": ((RegStatus.SUSPENDED,), RegStatus.ACTIVE),
    "cancel": (HELD + (RegStatus.LAPSED,), RegStatus.CANCELLED),
    "rescind": (HELD + (RegStatus.LAPSED,), RegStatus.RESCINDED),
    "revoke": (HELD + (RegStatus.LAPSED,), RegStatus.REVOKED),
    "lapse": (HELD, RegStatus.LAPSED),
}


def set_status(session: Session, clock: Clock, number: str, action: str, reason: str, actor: str) -> Registration:
    if not isinstance(action, str) or action not in STATUS_ACTIONS:
        raise ValidationFailed.field("action", "choice", "操作无效", f"action must be one of {', '.join(STATUS_ACTIONS)}")
    if not isinstance(reason, str) or not reason.strip() or len(reason) > 500:
        raise ValidationFailed.field("reason", "required", "必须填写原因(最多500字)", "A reason (up to 500 characters) is required")
    reg = get_registration(session, number, for_update=True)
    allowed, new = STATUS_ACTIONS[action]
    if reg.status not in allowed:
        raise Conflict(f"当前状态({RegStatus.ZH[reg.status]})不允许此操作", f"Not allowed from status {reg.status}",
                       code="status_transition", details={"status": reg.status, "action": action})
    old, reg.status, reg.status_reason = reg.status, new, reason.strip()
    if new in RegStatus.ENDED:
        session.execute(update(CertificateCopy).where(CertificateCopy.registration_id == reg.id,
                                                      CertificateCopy.status == CopyStatus.CURRENT)
                        .values(status=CopyStatus.REVOKED))
        for s in reg.specialties:
            s.status = SpecialtyStatus.CANCELLED
    session.flush()
    audit.record(session, actor, f"registration.{action}", "registration", number,
                 {"from": old, "to": new, "reason": reg.status_reason})
    return reg
