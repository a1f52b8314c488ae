import datetime as dt

from backend.models import RegStatus, SpecialtyStatus
from backend.services.lapse import run_lapse
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
        "specialties_lapsed": 0, "registrations_lapsed": 0, "age_cap": 0}
