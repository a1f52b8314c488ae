"""Who may see or act on an application, the row lock every step takes first, and the record of each step
(the application's history and the audit trail). Shared by drafts.py and transitions.py."""
from __future__ import annotations

from sqlalchemy.orm import Session

from backend.models import Application, ApplicationEvent
from backend.models.base import utcnow
from backend.services import audit
from backend.services.notices import events as notices
from backend.services.row_locks import lock_by_public_id
from backend.services.workflows.errors import ApplicationNotFound, OnlyApplicant
from backend.services.workflows.types import TYPES, Actor


def is_applicant(actor: Actor, app: Application) -> bool:
    if app.filed_by == "holder":
        return actor.role == "holder" and actor.person_id == app.person_id
    return actor.role == "enterprise" and actor.enterprise_id == app.filed_by_enterprise_id


def is_confirmer(actor: Actor, app: Application) -> bool:
    return actor.role == "enterprise" and app.confirm_enterprise_id is not None \
        and actor.enterprise_id == app.confirm_enterprise_id


def can_see(actor: Actor, app: Application) -> bool:
    if actor.role == "authority":
        return True
    if actor.role == "holder":
        return actor.person_id == app.person_id
    return actor.role == "enterprise" and actor.enterprise_id in (
        app.enterprise_id, app.current_enterprise_id, app.confirm_enterprise_id, app.filed_by_enterprise_id)


def require_applicant(actor: Actor, app: Application) -> None:
    if not is_applicant(actor, app):
        raise OnlyApplicant()


def lock(session: Session, public_id: str) -> Application:
    app = lock_by_public_id(session, Application, public_id)
    if app is None:
        raise ApplicationNotFound()
    return app


def record_event(session: Session, app: Application, actor: Actor, action: str, reason: str | None = None) -> None:
    """A step in the application's history (shown to holder and employer) and in the audit trail."""
    app.events.append(ApplicationEvent(at=utcnow().replace(microsecond=0), actor=actor.label, action=action,
                                       state=app.state, reason=reason))
    session.flush()
    audit.record(session, actor.audit, f"application.{action}", "application", app.public_id,
                 {"type": app.type, "state": app.state, "reason": reason, "by": actor.label})
    t = TYPES.get(app.type)
    notices.application_step(session, app, app.events[-1].id, action, reason,
                             (t.name, t.name_en) if t else (app.type, app.type))
