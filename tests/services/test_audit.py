from sqlalchemy import select, text

from backend.models import AuditEvent
from backend.services.audit import verify_chain
from tests import factories as f


def test_every_change_is_audited_in_a_chain(session, svc):
    before = session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) or 0
    f.registration(session, svc.catalogue, svc.clock)
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.id > before).order_by(AuditEvent.id)).all()
    assert actions == ["person.create", "enterprise.create", "registration.create"]
    session.commit()
    ok, bad, n = verify_chain(session)
    assert ok and bad is None and n >= 3


def test_altered_or_removed_event_breaks_the_chain(app, session, svc):
    f.registration(session, svc.catalogue, svc.clock)
    f.registration(session, svc.catalogue, svc.clock)
    session.commit()
    ids = session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()
    victim = ids[len(ids) // 2]
    session.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE id = :i"), {"i": victim})
    session.commit()
    ok, bad, _ = verify_chain(session)
    assert not ok and bad == victim
    session.execute(text("DELETE FROM audit_events WHERE id = :i"), {"i": victim})
    session.commit()
    ok, bad, _ = verify_chain(session)
    assert not ok and bad == ids[ids.index(victim) + 1]
