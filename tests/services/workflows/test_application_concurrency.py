"""Two (here: four) decisions on the same application at once produce exactly one effect.

Each thread has its own session and connection. On PostgreSQL the application's row lock (SELECT … FOR
UPDATE) makes the others wait and then find the application decided; on SQLite the first write of the
transaction takes the database's write lock, with the same result. Runs on both (TEST_DATABASE_URL).
"""
import threading

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.models import AuditEvent, CertificateCopy, Registration
from backend.services.errors import Conflict
from backend.services.workflows import access, transitions
from tests import factories as f
from tests.services.workflows import factories as wf

THREADS = 4


def _race(engine, ctx, public_id, decide):
    barrier, results = threading.Barrier(THREADS), []

    def worker(i):
        with Session(engine) as s:
            barrier.wait()
            try:
                decide(s, i)
                s.commit()
                results.append("ok")
            except Conflict as e:
                s.rollback()
                results.append(e.code)
            except Exception as e:            # reported by the assertion below
                s.rollback()
                results.append(repr(e))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return sorted(results)


def test_concurrent_decisions_apply_once(engine, session, svc):
    ctx = wf.context(svc)
    p, ent = wf.applicant(session, svc), f.enterprise(session, svc.catalogue, region=wf.REVIEW_REGION)
    a = wf.apply(session, ctx, wf.holder(p), type="initial", kind="JZS2", specialties=["JZ"], enterprise_uscc=ent.uscc)
    a = wf.submit_and_confirm(session, ctx, a, wf.holder(p), wf.employer(ent))
    assert a.state == "confirmed"
    public_id = a.public_id
    session.commit()

    def decide(s, i):   # half approve, half refuse: whichever comes first wins, alone
        transitions.decide(s, ctx, wf.AUTHORITY, public_id, "approve" if i % 2 == 0 else "refuse",
                        None if i % 2 == 0 else "并发测试")

    results = _race(engine, ctx, public_id, decide)
    assert results == ["invalid_state"] * (THREADS - 1) + ["ok"], results
    session.expire_all()
    a = access.lock(session, public_id)
    decisions = [e.action for e in a.events if e.action in ("approve", "refuse")]
    assert len(decisions) == 1
    audited = session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.entity_id == public_id, AuditEvent.action.in_(("application.approve", "application.refuse"))))
    assert audited == 1
    regs = session.scalar(select(func.count()).select_from(Registration).where(Registration.person_id == p.id))
    copies = session.scalar(select(func.count()).select_from(CertificateCopy).join(Registration)
                            .where(Registration.person_id == p.id))
    assert (regs, copies) == ((1, 1) if decisions == ["approve"] else (0, 0))
    session.rollback()


def test_concurrent_confirmations_in_auto_mode_apply_once(engine, session, svc):
    ctx = wf.context(svc)
    p, ent = wf.applicant(session, svc), f.enterprise(session, svc.catalogue, region=wf.AUTO_REGION)
    a = wf.apply(session, ctx, wf.holder(p), type="initial", kind="JZS2", specialties=["JZ"], enterprise_uscc=ent.uscc)
    a = transitions.submit(session, ctx, wf.holder(p), a.public_id)
    public_id, confirmer = a.public_id, wf.employer(ent)
    session.commit()
    results = _race(engine, ctx, public_id, lambda s, i: transitions.confirm(s, ctx, confirmer, public_id))
    assert results == ["invalid_state"] * (THREADS - 1) + ["ok"], results
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Registration).where(Registration.person_id == p.id)) == 1
