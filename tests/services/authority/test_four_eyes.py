"""Four-eyes: who may approve, what an approval records, rejection, staleness, and two approvals at once."""
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.models import AuditEvent, RegStatus
from backend.services.authority import actions, approvals, requests
from backend.services.errors import Conflict, Forbidden, ServiceError
from tests import factories as f


def revoke_request(session, svc, who, reg=None):
    reg = reg or f.registration(session, svc.catalogue, svc.clock)
    out = actions.act_on_registration(session, svc.clock, reg.registration_number, "revoke", "伪造业绩材料", who,
                                      confirm=True)
    return reg, out.request


def events(session, *entity_ids):
    return {e.action: e for e in session.scalars(select(AuditEvent).where(AuditEvent.entity_id.in_(entity_ids))
                                                 .order_by(AuditEvent.id))}


def test_the_requester_cannot_approve_their_own_request(session, svc, alice):
    reg, req = revoke_request(session, svc, alice)
    assert not approvals.may_approve(req, alice)
    with pytest.raises(Forbidden) as e:
        approvals.approve(session, svc.clock, req.public_id, alice)
    assert (e.value.code, e.value.status) == ("four_eyes_same_account", 403)
    assert req.state == "pending" and reg.status == RegStatus.ACTIVE


def test_the_admin_token_is_no_second_approver(session, svc, alice, admin_token):
    reg, req = revoke_request(session, svc, alice)
    assert not approvals.may_approve(req, admin_token)
    with pytest.raises(Forbidden) as e:
        approvals.approve(session, svc.clock, req.public_id, admin_token)
    assert e.value.code == "four_eyes_service_token" and reg.status == RegStatus.ACTIVE


def test_a_request_filed_by_the_admin_token_needs_a_staff_account(session, svc, admin_token, bob):
    reg, req = revoke_request(session, svc, admin_token)
    assert req.requested_by_account is None and approvals.may_approve(req, bob)
    approvals.approve(session, svc.clock, req.public_id, bob)
    assert reg.status == RegStatus.REVOKED


def test_approval_applies_it_and_audits_both_accounts(session, svc, alice, bob):
    reg, req = revoke_request(session, svc, alice)
    assert approvals.may_approve(req, bob)
    approvals.approve(session, svc.clock, req.public_id, bob)
    assert (req.state, req.requested_by, req.decided_by) == ("approved", "authority:alice", "authority:bob")
    assert reg.status == RegStatus.REVOKED and reg.status_reason == "伪造业绩材料"
    ev = events(session, req.public_id, reg.registration_number)
    assert ev["authority_request.file"].actor == alice.audit
    assert ev["authority_request.approve"].actor == bob.audit
    effect = ev["registration.revoke"]
    assert effect.actor == bob.audit and effect.data["requested_by"] == "authority:alice" \
        and effect.data["approved_by"] == "authority:bob" and effect.data["request"] == req.public_id
    with pytest.raises(Conflict) as e:                          # decided: nothing more to do
        approvals.approve(session, svc.clock, req.public_id, bob)
    assert e.value.code == "request_not_pending" and e.value.details == {"state": "approved"}


def test_reject_closes_it_with_a_reason(session, svc, alice, bob):
    reg, req = revoke_request(session, svc, alice)
    with pytest.raises(ServiceError) as e:
        approvals.reject(session, req.public_id, "", bob)
    assert e.value.code == "validation_failed"
    approvals.reject(session, req.public_id, "证据不足", bob)
    assert (req.state, req.decision_reason, req.decided_by) == ("rejected", "证据不足", "authority:bob")
    assert reg.status == RegStatus.ACTIVE
    assert events(session, req.public_id)["authority_request.reject"].data["rejected_by"] == "authority:bob"
    # the record is free for a new request, which its filer may withdraw
    _, again = revoke_request(session, svc, alice, reg)
    approvals.reject(session, again.public_id, "撤回申请", alice)
    assert events(session, again.public_id)["authority_request.reject"].data["withdrawn"] is True


def test_a_request_goes_stale_when_the_record_changes(session, svc, alice, bob):
    reg, req = revoke_request(session, svc, alice)
    actions.act_on_registration(session, svc.clock, reg.registration_number, "suspend", "先行暂扣", bob, confirm=True)
    with pytest.raises(Conflict) as e:
        approvals.approve(session, svc.clock, req.public_id, bob)
    assert e.value.code == "request_stale" and e.value.details["changes"] == [
        {"registration_number": reg.registration_number, "was": "active", "now": "suspended"}]
    assert req.state == "stale" and reg.status == RegStatus.SUSPENDED
    assert "authority_request.stale" in events(session, req.public_id)


def test_an_enterprise_request_goes_stale_too(session, svc, alice, bob):
    ent = f.enterprise(session, svc.catalogue)
    out = actions.set_licence(session, ent.uscc, "revoked", "资质被吊销", alice, confirm=True)
    ent.status = "bankrupt"                    # e.g. by an import meanwhile
    session.flush()
    with pytest.raises(Conflict) as e:
        approvals.approve(session, svc.clock, out.request.public_id, bob)
    assert e.value.code == "request_stale" and ent.status == "bankrupt"


def test_list_and_find_by_target(session, svc, alice):
    reg, req = revoke_request(session, svc, alice)
    rows, total, _ = requests.list_requests(session, state="pending", target=reg.registration_number)
    assert [r.public_id for r in rows] == [req.public_id] and total == 1
    rows, total, _ = requests.list_requests(session, state="pending")
    assert req.public_id in [r.public_id for r in rows] and total >= 1
    with pytest.raises(ServiceError) as e:
        requests.get_request(session, "aq_nope")
    assert e.value.code == "request_not_found"


THREADS = 4


def test_two_approvals_at_once_one_wins(engine, session, svc, alice):
    reg, req = revoke_request(session, svc, alice)
    public_id, number = req.public_id, reg.registration_number
    session.commit()
    barrier, results = threading.Barrier(THREADS), []

    def worker(i):
        who = requests.Official(label=f"authority:r{i}", account_id=100 + i, audit=f"authority:r{i}@t")
        with Session(engine) as s:
            barrier.wait()
            try:
                approvals.approve(s, svc.clock, public_id, who)
                s.commit()
                results.append("ok")
            except ServiceError as e:
                s.rollback()
                results.append(e.code)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) == ["ok"] + ["request_not_pending"] * (THREADS - 1), results
    session.expire_all()
    n = session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.entity_id == number, AuditEvent.action == "registration.revoke"))
    assert n == 1 and requests.get_request(session, public_id).state == "approved"
