"""The append-only audit trail. Every event stores the hash of the one before it (a chain), so an
altered or removed event shows up in `verify_chain`."""
from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from backend.models import AuditEvent
from backend.models.base import utcnow

GENESIS = "0" * 64


def _digest(prev: str, ev: AuditEvent) -> str:
    body = json.dumps([prev, ev.at.isoformat(), ev.actor, ev.action, ev.entity_type, ev.entity_id, ev.data],
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _jsonable(data: dict) -> dict:
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


def record(session: Session, actor: str, action: str, entity_type: str, entity_id: Any,
           data: dict | None = None) -> AuditEvent:
    """Add one event to the session's transaction (it commits with the change it describes)."""
    if session.get_bind().dialect.name == "postgresql":
        # One writer at a time extends the chain; released at commit.
        session.execute(text("SELECT pg_advisory_xact_lock(727001)"))
    prev = session.execute(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).scalar()
    ev = AuditEvent(at=utcnow().replace(microsecond=0), actor=actor, action=action, entity_type=entity_type,
                    entity_id=str(entity_id), data=_jsonable(data or {}), prev_hash=prev or GENESIS)
    ev.hash = _digest(ev.prev_hash, ev)
    session.add(ev)
    session.flush()
    return ev


def record_many(session: Session, actor: str, events: list[tuple[str, str, Any, dict]]) -> int:
    """Many events (action, entity type, entity id, data) of one actor at once, chained in order: one lock,
    one read of the last hash, one bulk insert (an import's per-record events, services/imports)."""
    if not events:
        return 0
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(727001)"))
    prev = session.execute(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).scalar() or GENESIS
    at, rows = utcnow().replace(microsecond=0), []
    for action, entity_type, entity_id, data in events:
        ev = AuditEvent(at=at, actor=actor, action=action, entity_type=entity_type, entity_id=str(entity_id),
                        data=_jsonable(data or {}), prev_hash=prev)
        prev = ev.hash = _digest(ev.prev_hash, ev)
        rows.append({"at": at, "actor": actor, "action": action, "entity_type": entity_type,
                     "entity_id": ev.entity_id, "data": ev.data, "prev_hash": ev.prev_hash, "hash": ev.hash})
    session.execute(insert(AuditEvent), rows)
    return len(rows)


def head(session: Session) -> int:
    """The id of the newest event (0 when none): it moves whenever anything audited has changed."""
    return session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) or 0


def latest_events(session: Session, *, entity_type: str | None = None, entity_id: str | None = None,
                  limit: int = 200) -> list[AuditEvent]:
    """The newest events first, of one kind of entity and/or one entity when named."""
    q = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if entity_type:
        q = q.where(AuditEvent.entity_type == entity_type)
    if entity_id:
        q = q.where(AuditEvent.entity_id == entity_id)
    return list(session.scalars(q))


def verify_chain(session: Session, batch: int = 5000) -> tuple[bool, int | None, int]:
    """(ok, id of the first broken event or None, events checked)."""
    prev, n, last_id = GENESIS, 0, 0
    while True:
        rows = session.execute(select(AuditEvent).where(AuditEvent.id > last_id)
                               .order_by(AuditEvent.id).limit(batch)).scalars().all()
        if not rows:
            return True, None, n
        for ev in rows:
            if ev.prev_hash != prev or _digest(prev, ev) != ev.hash:
                return False, ev.id, n
            prev, last_id, n = ev.hash, ev.id, n + 1
        session.expunge_all()
