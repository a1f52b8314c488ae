"""Each action on a registration or an enterprise: its state rules, its reason, its confirmation step, its effect on
verification and the status list at once, and what the daily job does with an enterprise marked revoked."""
import pytest
from sqlalchemy import select

from backend.crypto import tokens
from backend.models import AuditEvent, RegStatus
from backend.services.authority import actions, approvals
from backend.services.errors import Conflict, ValidationFailed
from backend.services.issuance.copies import issue_copy
from backend.services.issuance.status_list import REVOKED, SUSPENDED, TYP, decode_list, read_entry, signed_status_list
from backend.services.verification.verify import verify_qr
from backend.services.workflows.lapse import run_lapse
from tests import factories as f


def issue(session, svc, reg):
    return issue_copy(session, svc.ring, svc.catalogue, svc.settings, svc.clock, reg.registration_number, "test")


def listed(session, svc, copy) -> int:
    body = signed_status_list(session, svc.ring, svc.settings, svc.clock)
    _, claims = tokens.verify(svc.ring, body["token"], issuer=svc.settings.issuer, typ=TYP)
    return read_entry(decode_list(claims["encodedList"]), copy.id)


def verdict(session, svc, copy) -> str:
    return verify_qr(session, svc.ring, svc.catalogue, svc.settings, svc.clock, copy.qr_text)["verdict"]


def act(session, svc, reg, action, who, reason="违规执业", confirm=True):
    return actions.act_on_registration(session, svc.clock, reg.registration_number, action, reason, who,
                                       confirm=confirm)


def test_suspend_shows_at_once_in_verification_and_the_status_list(session, svc, alice):
    reg = f.registration(session, svc.catalogue, svc.clock)
    copy = issue(session, svc, reg)
    preview = act(session, svc, reg, "suspend", alice, confirm=False)
    assert preview.outcome == "preview" and not preview.needs_approval and "暂扣" in preview.effect
    assert reg.status == RegStatus.ACTIVE and verdict(session, svc, copy) == "valid"      # a preview changes nothing
    out = act(session, svc, reg, "suspend", alice)
    assert out.outcome == "done" and out.registration.status == RegStatus.SUSPENDED
    assert verdict(session, svc, copy) == "suspended" and listed(session, svc, copy) == SUSPENDED
    ev = session.scalars(select(AuditEvent).where(AuditEvent.entity_id == reg.registration_number)
                         .order_by(AuditEvent.id.desc())).first()
    assert (ev.action, ev.actor, ev.data["reason"], ev.data["by"]) == (
        "registration.suspend", alice.audit, "违规执业", "authority:alice")
    assert act(session, svc, reg, "unsuspend", alice).registration.status == RegStatus.ACTIVE
    assert verdict(session, svc, copy) == "valid"


@pytest.mark.parametrize("action,status,allowed", [
    ("suspend", RegStatus.ACTIVE, True), ("suspend", RegStatus.SUSPENDED, False), ("suspend", RegStatus.LAPSED, False),
    ("unsuspend", RegStatus.SUSPENDED, True), ("unsuspend", RegStatus.ACTIVE, False),
    ("cancel", RegStatus.LAPSED, True), ("cancel", RegStatus.CANCELLED, False),
    ("rescind", RegStatus.SUSPENDED, True), ("revoke", RegStatus.CANCELLED, False),
])
def test_state_rules(session, svc, alice, action, status, allowed):
    reg = f.registration(session, svc.catalogue, svc.clock)
    reg.status = status
    session.flush()
    if allowed:
        assert act(session, svc, reg, action, alice, confirm=False).outcome == "preview"
    else:
        with pytest.raises(Conflict) as e:
            act(session, svc, reg, action, alice, confirm=False)
        assert e.value.code == "status_transition" and e.value.details == {"status": status, "action": action}


def test_cancel_is_applied_at_once_and_ends_the_copies(session, svc, alice):
    reg = f.registration(session, svc.catalogue, svc.clock)
    copy = issue(session, svc, reg)
    out = act(session, svc, reg, "cancel", alice)
    assert out.outcome == "done" and reg.status == RegStatus.CANCELLED
    assert verdict(session, svc, copy) == "revoked" and listed(session, svc, copy) == REVOKED


@pytest.mark.parametrize("reason,code", [("", "required"), (" x ", "required"), (None, "required"),
                                          ("理" * 501, "too_long")])
def test_a_reason_is_required_within_limits(session, svc, alice, reason, code):
    reg = f.registration(session, svc.catalogue, svc.clock)
    with pytest.raises(ValidationFailed) as e:
        act(session, svc, reg, "suspend", alice, reason=reason)
    assert e.value.details["fields"]["reason"]["code"] == code
    assert reg.status == RegStatus.ACTIVE


@pytest.mark.parametrize("action", ["rescind", "revoke"])
def test_dangerous_actions_wait_for_a_second_approver(session, svc, alice, bob, action):
    reg = f.registration(session, svc.catalogue, svc.clock)
    copy = issue(session, svc, reg)
    preview = act(session, svc, reg, action, alice, confirm=False)
    assert preview.needs_approval and "需第二名审核人批准" in preview.effect and "second approver" in preview.effect_en
    out = act(session, svc, reg, action, alice)
    assert out.outcome == "pending_approval" and out.request.state == "pending"
    assert reg.status == RegStatus.ACTIVE and verdict(session, svc, copy) == "valid"     # nothing yet
    with pytest.raises(Conflict) as e:                     # one pending request per record
        act(session, svc, reg, "revoke", bob)
    assert e.value.code == "request_pending" and e.value.details == {"request": out.request.public_id}
    approvals.approve(session, svc.clock, out.request.public_id, bob)
    want = {"rescind": RegStatus.RESCINDED, "revoke": RegStatus.REVOKED}[action]
    assert reg.status == want and verdict(session, svc, copy) == "revoked" and listed(session, svc, copy) == REVOKED


def test_bulk_cancel_names_every_refused_number(session, svc, alice):
    a, b = (f.registration(session, svc.catalogue, svc.clock) for _ in range(2))
    b.status = RegStatus.REVOKED
    session.flush()
    with pytest.raises(Conflict) as e:
        actions.bulk_cancel(session, [a.registration_number, b.registration_number, "苏000000000000"], "单位注销",
                            alice, confirm=True)
    assert e.value.code == "bulk_cancel_refused" and e.value.details["refused"] == [
        {"registration_number": b.registration_number, "status": "revoked"},
        {"registration_number": "苏000000000000", "status": "not_found"}]
    for numbers in ([a.registration_number], [a.registration_number] * 2, "x", [a.registration_number] * 201):
        with pytest.raises(ValidationFailed):
            actions.bulk_cancel(session, numbers, "单位注销", alice, confirm=True)


def test_bulk_cancel_is_always_four_eyes(session, svc, alice, bob):
    regs = [f.registration(session, svc.catalogue, svc.clock) for _ in range(3)]
    numbers = [r.registration_number for r in regs]
    out = actions.bulk_cancel(session, numbers, "单位申请集体注销", alice, confirm=True)
    assert out.outcome == "pending_approval" and {r.status for r in regs} == {RegStatus.ACTIVE}
    req = approvals.approve(session, svc.clock, out.request.public_id, bob)
    assert req.result == {"registrations": dict.fromkeys(numbers, RegStatus.CANCELLED)}
    assert {r.status for r in regs} == {RegStatus.CANCELLED}


def test_licence_revoked_then_the_daily_job_cancels_the_staff(session, svc, alice, bob):
    ent = f.enterprise(session, svc.catalogue)
    regs = [f.registration(session, svc.catalogue, svc.clock, ent=ent) for _ in range(2)]
    act(session, svc, regs[1], "suspend", alice)
    copy = issue(session, svc, regs[0])
    preview = actions.set_licence(session, ent.uscc, "revoked", "营业执照被吊销", alice, confirm=False)
    assert preview.extra["held_registrations"] == 2 and "2 项" in preview.effect
    out = actions.set_licence(session, ent.uscc, "revoked", "营业执照被吊销", alice, confirm=True)
    assert out.outcome == "pending_approval" and ent.status == "active"
    approvals.approve(session, svc.clock, out.request.public_id, bob)
    assert ent.status == "revoked"
    assert {r.status for r in regs} == {RegStatus.ACTIVE, RegStatus.SUSPENDED}    # the daily job's to do
    counts = run_lapse(session, svc.catalogue, svc.clock, "system:lapse")
    assert counts["employer_cancelled"] >= 2
    session.expire_all()
    assert {r.status for r in regs} == {RegStatus.CANCELLED} and verdict(session, svc, copy) == "revoked"
    with pytest.raises(Conflict) as e:
        actions.set_licence(session, ent.uscc, "revoked", "再次", alice, confirm=True)
    assert e.value.code == "licence_unchanged"
    back = actions.set_licence(session, ent.uscc, "active", "行政复议撤销处罚", alice, confirm=True)   # not dangerous
    assert back.outcome == "done" and ent.status == "active"
    assert {r.status for r in regs} == {RegStatus.CANCELLED}           # cancelled stays cancelled


def test_bankrupt_is_four_eyes_too(session, svc, alice, bob):
    ent = f.enterprise(session, svc.catalogue)
    out = actions.set_licence(session, ent.uscc, "bankrupt", "法院宣告破产", alice, confirm=True)
    assert out.needs_approval and "破产" in out.effect
    approvals.approve(session, svc.clock, out.request.public_id, bob)
    assert ent.status == "bankrupt"
