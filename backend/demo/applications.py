"""The demo's applications, made through the real workflow services, so that a reviewer opening the demo
finds work in the authority's queue: renewals (延续注册) of registrations inside their renewal window at
employers in a province that decides by review (DECISION_MODE, default Guangdong 44), filed by the holder
and confirmed by the employer, left waiting for a decision; and a couple decided by the demo authority, so
the dashboard has a decision time. Idempotent: nothing is made while a demo application is waiting."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.models import Application, Enterprise, Registration, RegistrationSpecialty, RegStatus, SpecialtyStatus
from backend.services.errors import ServiceError
from backend.services.workflows import drafts, transitions
from backend.services.workflows.types import Actor, State, WorkflowContext

PENDING, DECIDED = 5, 2
DESK = Actor(role="authority", username="demo-authority", audit="demo")


def review_provinces(ctx: WorkflowContext) -> list[str]:
    return [p for p in ctx.catalogue.provinces if ctx.policy.mode_for(p, "renewal") == "review"]


def _candidates(session: Session, ctx: WorkflowContext, provinces: list[str], limit: int) -> list[Registration]:
    """Registrations in force, at an active employer of those provinces, whose earliest specialty ends inside
    the renewal window (judged again by the rules when filed)."""
    today = ctx.clock.today()
    s = RegistrationSpecialty
    ends = (select(s.registration_id, func.min(s.valid_until).label("until")).where(s.status == SpecialtyStatus.ACTIVE)
            .group_by(s.registration_id).subquery())
    q = (select(Registration).join(ends, ends.c.registration_id == Registration.id)
         .join(Enterprise, Enterprise.id == Registration.enterprise_id)
         .where(Registration.status == RegStatus.ACTIVE, Enterprise.status == "active",
                Enterprise.province_code.in_(provinces),
                ends.c.until.between(today + dt.timedelta(days=1), today + dt.timedelta(days=90)))
         .order_by(Registration.id).limit(limit))
    out = []
    for reg in session.scalars(q):
        kind = ctx.catalogue.kind(reg.kind_code)
        opens, closes = ctx.policy.window_for(kind, reg.enterprise.province_code)
        until = min(sp.valid_until for sp in reg.specialties if sp.status == SpecialtyStatus.ACTIVE)
        if closes <= (until - today).days <= opens:
            out.append(reg)
    return out


def _file_renewal(session: Session, ctx: WorkflowContext, reg: Registration) -> Application | None:
    holder = Actor(role="holder", username="demo-holder", audit="demo", person_id=reg.person_id)
    employer = Actor(role="enterprise", username="demo-enterprise", audit="demo", enterprise_id=reg.enterprise_id)
    try:
        with session.begin_nested():
            app = drafts.create_application(session, ctx, holder, "renewal", drafts.Draft(
                registration_number=reg.registration_number, cpd_commitment=True))
            transitions.submit(session, ctx, holder, app.public_id)
            if app.state == State.AWAITING:
                transitions.confirm(session, ctx, employer, app.public_id)
            return app if app.state in State.PENDING_DECISION else None
    except ServiceError:           # a rule refused it (age cap, lock...): try the next one
        return None


def make_demo_applications(session: Session, ctx: WorkflowContext) -> dict:
    """Renewals waiting in the review queue (PENDING) and a few approved by the demo authority (DECIDED).
    Returns the counts made; commits."""
    provinces = review_provinces(ctx)
    waiting = session.scalar(select(func.count()).select_from(Application).where(
        Application.state.in_(State.PENDING_DECISION), Application.decision_mode == "review"))
    if not provinces or waiting:
        return {"pending": 0, "decided": 0}
    made = []
    for reg in _candidates(session, ctx, provinces, 20 * (PENDING + DECIDED)):
        app = _file_renewal(session, ctx, reg)
        if app is not None:
            made.append(app)
        if len(made) == PENDING + DECIDED:
            break
    decided = 0
    for app in made[PENDING:]:
        try:
            with session.begin_nested():
                transitions.decide(session, ctx, DESK, app.public_id, "approve", None)
                decided += 1
        except ServiceError:
            pass
    session.commit()
    return {"pending": len(made[:PENDING]), "decided": decided}
