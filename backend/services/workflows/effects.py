"""What an approved application changes in the registry, through the registry's own services (each change
audited there): a new or renewed registration, specialties, employer, name, or 注销; and a new copy where
the registration stays valid, issued without the daily limit (the approval, not the holder, asks for it)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Application, Qualification, Registration, RegStatus, SpecialtyStatus
from backend.services import audit
from backend.services.dates import parse_date
from backend.services.issuance.copies import issue_copy
from backend.services.issuance.errors import IssuanceRefused
from backend.services.registry import persons, registrations
from backend.services.workflows.errors import RegistrationNotRenewable, RenewalPastAgeCap, SpecialtiesNotRenewable
from backend.services.workflows.types import TYPES, Actor, WorkflowContext

HELD = (RegStatus.ACTIVE, RegStatus.SUSPENDED)


def _issue(session: Session, ctx: WorkflowContext, number: str, actor: Actor) -> str | None:
    if ctx.ring is None:
        return None
    try:
        return issue_copy(session, ctx.ring, ctx.catalogue, ctx.settings, ctx.clock, number, actor.audit,
                          enforce_daily_limit=False).public_id
    except IssuanceRefused:        # e.g. nothing valid left after the change: the change itself stands
        return None


def _qualified_on(session: Session, person_id: int, kind_code: str, specialties: list[str]):
    return session.scalar(select(Qualification.issued_on).where(
        Qualification.person_id == person_id, Qualification.kind_code == kind_code,
        (Qualification.specialty_code.in_(specialties)) | Qualification.specialty_code.is_(None))
        .order_by(Qualification.issued_on).limit(1))


def _register(session: Session, ctx: WorkflowContext, person_id: int, uscc: str, kind: str, specialties: list[str],
              actor: Actor) -> Registration:
    return registrations.create_registration(session, ctx.catalogue, ctx.clock, person_id=person_id, enterprise_uscc=uscc,
                                        kind_code=kind, specialties=specialties, actor=actor.audit,
                                        qualification_issued_on=_qualified_on(session, person_id, kind, specialties),
                                        record_qualifications=False)


def _renew(session: Session, ctx: WorkflowContext, app: Application, actor: Actor) -> None:
    """3 years from the approval date, capped at the age-cap birthday (建办市〔2021〕5号)."""
    reg = registrations.get_registration(session, app.registration.registration_number, for_update=True)
    today, kind = ctx.clock.today(), ctx.catalogue.kind(reg.kind_code)
    until = registrations.specialty_until(today, kind, reg.person)
    if reg.status != RegStatus.ACTIVE:
        raise RegistrationNotRenewable(reg.status)
    named = {s.specialty_code: s for s in reg.specialties}
    gone = [c for c in app.specialties if c not in named or named[c].status == SpecialtyStatus.CANCELLED]
    if gone:
        raise SpecialtiesNotRenewable(gone)
    if until < today:
        raise RenewalPastAgeCap(list(app.specialties))
    for s in reg.specialties:
        if s.specialty_code in app.specialties:
            s.valid_from, s.valid_until, s.status = today, until, SpecialtyStatus.ACTIVE
    session.flush()
    registrations.supersede_copies(session, [reg.id], ctx.clock, "renewal", actor.audit)
    audit.record(session, actor.audit, "registration.renew", "registration", reg.registration_number,
                 {"specialties": app.specialties, "valid_until": until, "application": app.public_id})


def _change_employer(session: Session, ctx: WorkflowContext, app: Application, actor: Actor):
    number, new = app.registration.registration_number, app.enterprise
    if ctx.policy.change_mode(new.province_code) != "cancel_and_reregister":
        registrations.change_employer(session, ctx.clock, number, new.uscc, actor.audit)
        moved = session.scalars(select(Registration.registration_number).where(
            Registration.person_id == app.person_id, Registration.status == RegStatus.ACTIVE)).all()
        copies = {n: _issue(session, ctx, n, actor) for n in moved}
        return number, copies.get(number)
    # Heilongjiang: 聘用单位变更的应办理注销业务后重新注册 — each held registration ends, a new one begins.
    today, result = ctx.clock.today(), (None, None)
    for reg in session.scalars(select(Registration).where(Registration.person_id == app.person_id,
                                                          Registration.status.in_(HELD))).all():
        specs = [s.specialty_code for s in reg.specialties
                 if s.status == SpecialtyStatus.ACTIVE and s.valid_until >= today]
        registrations.set_status(session, ctx.clock, reg.registration_number, "cancel",
                            f"变更聘用单位,注销后重新注册 / change of employer ({app.public_id})", actor.audit)
        if specs:
            new_reg = _register(session, ctx, app.person_id, new.uscc, reg.kind_code, specs, actor)
            copy = _issue(session, ctx, new_reg.registration_number, actor)
            if reg.registration_number == number:
                result = (new_reg.registration_number, copy)
    return result


def _cancel(session: Session, ctx: WorkflowContext, app: Application, actor: Actor):
    why = f"{TYPES[app.type].name} / {TYPES[app.type].name_en} ({app.public_id})"
    if app.type == "cancel_deceased":
        person = app.person
        person.deceased_on = parse_date((app.changes or {}).get("deceased_on")) or ctx.clock.today()
        audit.record(session, actor.audit, "person.deceased", "person", person.id,
                     {"deceased_on": person.deceased_on, "application": app.public_id})
        numbers = session.scalars(select(Registration.registration_number).where(
            Registration.person_id == person.id, Registration.status.in_((*HELD, RegStatus.LAPSED)))).all()
    else:
        numbers = [app.registration.registration_number]
    for n in numbers:
        registrations.set_status(session, ctx.clock, n, "cancel", why, actor.audit)
    return app.registration.registration_number, None


def apply_effects(session: Session, ctx: WorkflowContext, app: Application, actor: Actor):
    """(registration number, copy id or None) of the result."""
    t = app.type
    if t in ("initial", "reregister"):
        reg = _register(session, ctx, app.person_id, app.enterprise.uscc, app.kind_code, app.specialties, actor)
        return reg.registration_number, _issue(session, ctx, reg.registration_number, actor)
    if t == "add_specialty":
        number = app.registration.registration_number
        for code in app.specialties:
            registrations.add_specialty(session, ctx.catalogue, ctx.clock, number, code, actor.audit)
        return number, _issue(session, ctx, number, actor)
    if t == "renewal":
        _renew(session, ctx, app, actor)
        return app.registration.registration_number, _issue(session, ctx, app.registration.registration_number, actor)
    if t == "change_employer":
        return _change_employer(session, ctx, app, actor)
    if t == "personal_info":
        persons.change_identity(session, ctx.clock, app.person_id, actor.audit, name=app.changes.get("name"),
                                 id_number=app.changes.get("id_number"))
        active = session.scalars(select(Registration.registration_number).where(
            Registration.person_id == app.person_id, Registration.status == RegStatus.ACTIVE)).all()
        copies = {n: _issue(session, ctx, n, actor) for n in active}
        number = app.registration.registration_number if app.registration else (active[0] if active else None)
        return number, copies.get(number)
    return _cancel(session, ctx, app, actor)
