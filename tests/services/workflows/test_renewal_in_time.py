"""A renewal filed in time is never lost to the daily job (153号令: a registration lapses when it expires *and*
no renewal was applied for). Guangdong decides in review: the decision often comes after the expiry day."""
import datetime as dt

import pytest
from sqlalchemy import select

from backend.models import AuditEvent, RegStatus, SpecialtyStatus
from backend.services.clock import add_years
from backend.services.errors import ServiceError
from backend.services.registry import registrations
from backend.services.workflows import transitions
from backend.services.workflows.lapse import run_lapse
from tests import factories as f
from tests.services.workflows import factories as wf


def _file(session, svc, *, confirm=True):
    """A Guangdong registration renewed 10 days before its expiry (confirmed by the employer: in the queue);
    and a clock for 20 days after the expiry."""
    ent = f.enterprise(session, svc.catalogue, region=wf.REVIEW_REGION)
    reg = f.registration(session, svc.catalogue, svc.clock, ent=ent, specialties=("JZ",))
    expiry = reg.specialties[0].valid_until
    on_filing = f.at(svc.clock, (expiry - svc.clock.today()).days - 10)
    after = f.at(svc.clock, (expiry - svc.clock.today()).days + 20)
    ctx = wf.context(svc, clock=on_filing)
    h, e = wf.holder(reg.person), wf.employer(ent)
    app = wf.apply(session, ctx, h, type="renewal", registration_number=reg.registration_number, cpd_commitment=True)
    app = wf.submit_and_confirm(session, ctx, app, h, e if confirm else None)
    assert (app.state, app.decision_mode) == ("confirmed" if confirm else "awaiting_employer", "review")
    return reg, app, after, h, e


@pytest.fixture()
def filed(session, svc):
    return _file(session, svc)


def test_the_daily_job_skips_a_specialty_with_a_renewal_in_the_queue(session, svc, filed):
    reg, app, after, *_ = filed
    run_lapse(session, svc.catalogue, after, actor="test")
    assert reg.status == RegStatus.ACTIVE and reg.specialties[0].status == SpecialtyStatus.ACTIVE


def test_approved_after_the_expiry_day_it_takes_effect(session, svc, filed):
    reg, app, after, *_ = filed
    run_lapse(session, svc.catalogue, after, actor="test")
    app = transitions.decide(session, wf.context(svc, clock=after), wf.AUTHORITY, app.public_id, "approve", None)
    assert app.state == "approved" and app.result_copy_id, app.rules
    window = next(r for r in app.rules if r["code"] == "renewal_window")
    assert window["passed"] and window["details"]["filed_on"] < reg.specialties[0].valid_from.isoformat()
    spec = registrations.get_registration(session, reg.registration_number).specialties[0]
    assert spec.valid_from == after.today() and spec.valid_until == add_years(after.today(), 3) - dt.timedelta(days=1)
    assert reg.status == RegStatus.ACTIVE


@pytest.mark.parametrize("end", ["refuse", "withdraw", "decline"])
def test_a_renewal_that_ends_without_approval_lapses_its_expired_specialties_at_once(session, svc, end):
    reg, app, after, h, e = _file(session, svc, confirm=end != "decline")
    ctx = wf.context(svc, clock=after)
    run_lapse(session, svc.catalogue, after, actor="test")
    if end == "refuse":
        transitions.decide(session, ctx, wf.AUTHORITY, app.public_id, "refuse", "材料不全")
    elif end == "withdraw":
        transitions.withdraw(session, ctx, h, app.public_id)
    else:
        transitions.decline(session, ctx, e, app.public_id, "已离职")
    session.refresh(reg)
    assert reg.status == RegStatus.LAPSED and reg.specialties[0].status == SpecialtyStatus.LAPSED
    lapsed = session.scalars(select(AuditEvent.actor).where(AuditEvent.action == "registration.lapse",
                                                            AuditEvent.entity_id == reg.registration_number)).all()
    assert lapsed == [f"system:lapse ({app.public_id})"]


def test_a_renewal_filed_after_the_window_still_fails_its_rule(session, svc):
    ent = f.enterprise(session, svc.catalogue, region=wf.REVIEW_REGION)
    reg = f.registration(session, svc.catalogue, svc.clock, ent=ent, specialties=("JZ",))
    late = f.at(svc.clock, (reg.specialties[0].valid_until - svc.clock.today()).days - 5)    # window closes at 30
    ctx = wf.context(svc, clock=late, renewal_window={"44": [90, 30]})
    h = wf.holder(reg.person)
    app = wf.apply(session, ctx, h, type="renewal", registration_number=reg.registration_number, cpd_commitment=True)
    app = wf.submit_and_confirm(session, ctx, app, h, wf.employer(ent))
    assert not next(r for r in app.rules if r["code"] == "renewal_window")["passed"]


@pytest.mark.parametrize("action", ["revoke", "lapse"])
def test_an_approval_that_cannot_take_effect_is_never_approved(session, svc, filed, action):
    """The registration ended while the renewal waited (吊销, or lapsed by an earlier version of the job):
    approving answers 409 and leaves the application in the queue, unchanged."""
    reg, app, after, *_ = filed
    registrations.set_status(session, svc.clock, reg.registration_number, action, "测试", "test")
    with pytest.raises(ServiceError) as e:
        transitions.decide(session, wf.context(svc, clock=after), wf.AUTHORITY, app.public_id, "approve", None)
    assert (e.value.status, e.value.code) == (409, "cannot_take_effect") and e.value.message and e.value.message_en
