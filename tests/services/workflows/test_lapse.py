import datetime as dt

from backend.models import RegStatus, SpecialtyStatus
from backend.services.workflows.lapse import run_lapse
from tests import factories as f


def test_daily_job_lapses_expired_and_over_age(session, svc):
    old = f.registration(session, svc.catalogue, f.at(svc.clock, -365 * 3 - 10))
    today = svc.clock.today()
    aged = f.registration(session, svc.catalogue, f.at(svc.clock, -200),
                          birth=dt.date(today.year - 65, today.month, 1) - dt.timedelta(days=35))
    fine = f.registration(session, svc.catalogue, svc.clock)
    counts = run_lapse(session, svc.catalogue, svc.clock, actor="test")
    assert counts["specialties_lapsed"] >= 2 and counts["registrations_lapsed"] >= 1 and counts["age_cap"] >= 1
    assert old.status == RegStatus.LAPSED and {s.status for s in old.specialties} == {SpecialtyStatus.LAPSED}
    assert aged.status == RegStatus.LAPSED and "65" in aged.status_reason
    assert fine.status == RegStatus.ACTIVE
    assert run_lapse(session, svc.catalogue, svc.clock, actor="test") == {
        "specialties_lapsed": 0, "registrations_lapsed": 0, "age_cap": 0, "employer_cancelled": 0,
        "deceased_cancelled": 0}


def test_daily_job_cancels_what_the_rules_cancel(session, svc):
    """注销 when the employer lost its licence or went bankrupt, or the holder died; each change audited."""
    from sqlalchemy import select

    from backend.models import AuditEvent, CertificateCopy, CopyStatus
    from backend.services.issuance.copies import issue_copy
    run_lapse(session, svc.catalogue, svc.clock, actor="test")          # earlier tests' leftovers
    revoked, bankrupt, dead, fine = (f.registration(session, svc.catalogue, svc.clock) for _ in range(4))
    copy = issue_copy(session, svc.ring, svc.catalogue, svc.settings, svc.clock, revoked.registration_number, "test")
    revoked.enterprise.status, bankrupt.enterprise.status = "revoked", "bankrupt"
    dead.person.deceased_on = svc.clock.today()
    counts = run_lapse(session, svc.catalogue, svc.clock, actor="cli:lapse")
    assert counts["employer_cancelled"] == 2 and counts["deceased_cancelled"] == 1
    assert [r.status for r in (revoked, bankrupt, dead, fine)] == [RegStatus.CANCELLED] * 3 + [RegStatus.ACTIVE]
    assert "licence" in revoked.status_reason and "bankrupt" in bankrupt.status_reason and "died" in dead.status_reason
    assert session.scalar(select(CertificateCopy.status).where(CertificateCopy.id == copy.id)) == CopyStatus.REVOKED
    audited = session.scalars(select(AuditEvent.entity_id).where(AuditEvent.action == "registration.cancel",
                                                                 AuditEvent.actor == "cli:lapse")).all()
    assert {revoked.registration_number, bankrupt.registration_number, dead.registration_number} <= set(audited)
    assert run_lapse(session, svc.catalogue, svc.clock, actor="test")["employer_cancelled"] == 0
