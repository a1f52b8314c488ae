"""States and transitions: review mode, returns and resubmission, declines, withdrawals, illegal steps,
who may act, who may see."""
import pytest

from backend.services.errors import Conflict, Forbidden, ServiceError, ValidationFailed
from backend.services.workflows import transitions
from backend.services.workflows.drafts import add_file, get_application, update_application
from tests import factories as f
from tests.services.workflows import factories as wf


@pytest.fixture()
def ctx(svc):
    return wf.context(svc)


@pytest.fixture()
def initial(session, svc, ctx):
    """A draft initial application to a Guangdong employer (review mode)."""
    p, ent = wf.applicant(session, svc), f.enterprise(session, svc.catalogue, region=wf.REVIEW_REGION)
    app = wf.apply(session, ctx, wf.holder(p), type="initial", kind="JZS2", specialties=["JZ"], enterprise_uscc=ent.uscc)
    return app, wf.holder(p), wf.employer(ent)


def test_review_mode_return_and_resubmit(session, svc, ctx, initial):
    app, h, e = initial
    assert app.decision_mode == "review"
    app = wf.submit_and_confirm(session, ctx, app, h, e)
    assert app.state == "confirmed" and app.rules and all(r["passed"] for r in app.rules)   # advice, not decided
    ids = [a.public_id for a in wf.listed(session, wf.AUTHORITY, {"queue": "review"})[0]]
    assert app.public_id in ids
    with pytest.raises(ValidationFailed):
        transitions.decide(session, ctx, wf.AUTHORITY, app.public_id, "return", "")
    app = transitions.decide(session, ctx, wf.AUTHORITY, app.public_id, "return", "请补充社保证明")
    assert app.state == "returned" and app.decision_reason == "请补充社保证明"
    app = update_application(session, ctx, h, app.public_id, {"note": "已补充"})
    app = transitions.submit(session, ctx, h, app.public_id)
    assert app.state == "awaiting_employer" and app.decision_outcome is None
    app = transitions.confirm(session, ctx, e, app.public_id)
    app = transitions.decide(session, ctx, wf.AUTHORITY, app.public_id, "approve", None)
    assert app.state == "approved" and app.result_registration_number and app.decided_by == "authority:staff"
    actions = [ev.action for ev in app.events]
    assert actions == ["create", "submit", "forward", "confirm", "return", "edit", "submit", "forward", "confirm",
                       "approve"]
    assert [ev.reason for ev in app.events if ev.action == "return"] == ["请补充社保证明"]


def test_employer_may_resubmit_a_returned_application(session, svc, ctx, initial):
    app, h, e = initial
    app = wf.submit_and_confirm(session, ctx, app, h, e)
    transitions.decide(session, ctx, wf.AUTHORITY, app.public_id, "return", "补正")
    app = transitions.submit(session, ctx, e, app.public_id)
    assert app.state == "confirmed"               # the employer's resubmission is its confirmation


def test_refuse_is_final(session, svc, ctx, initial):
    app, h, e = initial
    app = wf.submit_and_confirm(session, ctx, app, h, e)
    app = transitions.decide(session, ctx, wf.AUTHORITY, app.public_id, "refuse", "不符合条件")
    for step in (lambda: transitions.submit(session, ctx, h, app.public_id),
                 lambda: transitions.decide(session, ctx, wf.AUTHORITY, app.public_id, "approve", None),
                 lambda: transitions.withdraw(session, ctx, h, app.public_id),
                 lambda: update_application(session, ctx, h, app.public_id, {"note": "x"})):
        with pytest.raises(Conflict) as e_info:
            step()
        assert e_info.value.code == "invalid_state" and e_info.value.status == 409


def test_decline_is_final(session, svc, ctx, initial):
    app, h, e = initial
    transitions.submit(session, ctx, h, app.public_id)
    with pytest.raises(ValidationFailed):
        transitions.decline(session, ctx, e, app.public_id, "  ")
    app = transitions.decline(session, ctx, e, app.public_id, "未在本单位工作")
    assert app.state == "declined" and app.decision_outcome == "declined"
    with pytest.raises(Conflict):
        transitions.submit(session, ctx, h, app.public_id)
    with pytest.raises(Conflict):
        transitions.confirm(session, ctx, e, app.public_id)


def test_illegal_transitions(session, svc, ctx, initial):
    app, h, e = initial
    for step in (lambda: transitions.confirm(session, ctx, e, app.public_id),
                 lambda: transitions.decide(session, ctx, wf.AUTHORITY, app.public_id, "approve", None)):
        with pytest.raises(Conflict):
            step()
    transitions.submit(session, ctx, h, app.public_id)
    with pytest.raises(Conflict):       # awaiting the employer: not yet for the authority
        transitions.decide(session, ctx, wf.AUTHORITY, app.public_id, "approve", None)
    with pytest.raises(Conflict):
        add_file(session, ctx, h, app.public_id, "a.pdf", b"%PDF-1.4")
    app = transitions.withdraw(session, ctx, h, app.public_id)
    assert app.state == "withdrawn"


def test_who_may_act(session, svc, ctx, initial):
    app, h, e = initial
    stranger = wf.employer(f.enterprise(session, svc.catalogue))
    other_holder = wf.holder(f.person(session))
    with pytest.raises(Forbidden):
        transitions.submit(session, ctx, e, app.public_id)           # not the applicant, not returned
    with pytest.raises(Forbidden):
        update_application(session, ctx, other_holder, app.public_id, {"note": "x"})
    transitions.submit(session, ctx, h, app.public_id)
    with pytest.raises(Forbidden):
        transitions.confirm(session, ctx, stranger, app.public_id)
    with pytest.raises(Forbidden):
        transitions.decide(session, ctx, h, app.public_id, "approve", None)
    with pytest.raises(Forbidden):
        get_application(session, stranger, app.public_id)
    with pytest.raises(Forbidden):
        get_application(session, other_holder, app.public_id)
    assert get_application(session, e, app.public_id) is app and get_application(session, h, app.public_id) is app
    with pytest.raises(Forbidden):           # an enterprise type is not for a holder, and the other way round
        wf.apply(session, ctx, h, type="cancel_by_employer", registration_number="x")


def test_bad_input(session, svc, ctx, initial):
    app, h, e = initial
    for data in ({"type": "nope"}, {"type": "initial"}, {"type": "initial", "kind": "JZS2", "specialties": ["XX"],
                                                          "enterprise_uscc": "x"},
                 {"type": "renewal", "registration_number": 5}, {"type": "initial", "cpd_hours": -1},
                 {"type": "personal_info", "changes": {"age": 3}}):
        with pytest.raises(ServiceError) as err:
            wf.apply(session, ctx, h, **data)
        assert err.value.status in (404, 422), data
    with pytest.raises(ServiceError) as err:
        add_file(session, ctx, h, app.public_id, "x.exe", b"MZ\x90\x00")
    assert err.value.code == "unsupported_media_type"
    with pytest.raises(ServiceError) as err:
        add_file(session, ctx, h, app.public_id, "big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024))
    assert err.value.code == "file_too_large"
    with pytest.raises(ServiceError) as err:   # someone else's registration is no registration
        other = f.registration(session, svc.catalogue, svc.clock)
        wf.apply(session, ctx, h, type="renewal", registration_number=other.registration_number)
    assert err.value.code == "registration_not_found"


def test_lists_by_role(session, svc, ctx, initial):
    app, h, e = initial
    stranger = wf.employer(f.enterprise(session, svc.catalogue))
    assert app.public_id in [a.public_id for a in wf.listed(session, h, {})[0]]
    assert app.public_id in [a.public_id for a in wf.listed(session, e, {"state": "draft"})[0]]
    assert app.public_id not in [a.public_id for a in wf.listed(session, stranger, {})[0]]
    assert wf.listed(session, wf.AUTHORITY, {"type": "initial", "page": "1"})[1] >= 1
    with pytest.raises(ValidationFailed):
        wf.listed(session, h, {"page": "0"})
