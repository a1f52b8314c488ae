"""The audit trail of a record and of everything that touched it, newest first.

Events name their entity as (entity_type, entity_id) (services/audit.py). A person's trail gathers: the
person ("person", id), each registration ("registration", its number; the daily job's specialty lapses name
the registration's id, and a superseding of copies the ids of the registrations it touched, joined by
commas: those of one registration, or of all the person's), each copy ("certificate_copy", public id), each
application ("application", ap_…), each photo or signature upload ("image_submission", im_…) and each account
bound to the person ("account", id). An enterprise's: the enterprise ("enterprise", its id or its credit
code). One statement on ix_audit_entity (entity_type, entity_id)."""
from __future__ import annotations

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from backend.models import AuditEvent

LIMIT = 200


def trail(session: Session, keys: dict[str, set[str]], limit: int = LIMIT) -> tuple[list[AuditEvent], int]:
    """(the newest `limit` events of the entities named, their total). keys: entity_type -> entity ids."""
    A = AuditEvent
    cond = or_(*(and_(A.entity_type == kind, A.entity_id.in_(sorted(ids))) for kind, ids in keys.items() if ids))
    if not keys or not any(keys.values()):
        return [], 0
    total = session.scalar(select(func.count()).select_from(A).where(cond))
    return list(session.scalars(select(A).where(cond).order_by(A.id.desc()).limit(limit))), total


def event_json(e: AuditEvent) -> dict:
    return {"id": e.id, "at": e.at.isoformat() + "Z", "actor": e.actor, "action": e.action,
            "entity_type": e.entity_type, "entity_id": e.entity_id, "data": e.data, "hash": e.hash}
