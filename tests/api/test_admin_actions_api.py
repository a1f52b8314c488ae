"""The authority's actions and their four-eyes approvals over HTTP: preview and confirm, the old status endpoint's
four-eyes hole closed, two staff accounts (and the admin token, which is no second approver), the queue, and
verification and the status list answering `suspended` at once."""
import pytest

from backend.crypto import tokens
from backend.services.issuance.status_list import SUSPENDED, TYP, decode_list, read_entry
from tests.api.helpers import assert_error_shape, issue, make_registration
from tests.api.login_helpers import bearer_for


@pytest.fixture()
def staff(client, auth):
    return bearer_for(client, auth, "authority"), bearer_for(client, auth, "authority")


def act(client, h, number, action, reason="违规执业", confirm=True):
    return client.post(f"/api/v1/admin/registrations/{number}/actions", headers=h,
                       json={"action": action, "reason": reason, "confirm": confirm})


def status_entry(client, app, copy_id: int) -> int:
    body = client.get("/api/v1/status-list").json
    ring = app.extensions["jz.keystore"].get()
    _, claims = tokens.verify(ring, body["token"], issuer=app.extensions["jz.settings"].issuer, typ=TYP)
    return read_entry(decode_list(claims["encodedList"]), copy_id)


def test_suspend_preview_then_confirm_verifies_suspended_at_once(client, auth, app, staff):
    app.config["STATUS_LIST_CACHE_SECONDS"] = 30           # as in production: the cache must not hide the change
    try:
        reg = make_registration(client, auth)
        num = reg["registration_number"]
        copy = issue(client, auth, num)
        assert status_entry(client, app, copy["status_index"]) == 0          # cached now
        r = act(client, staff[0], num, "suspend", confirm=False)
        assert r.status_code == 200 and r.json["outcome"] == "preview" and r.json["registration"]["status"] == "active"
        assert "暂扣" in r.json["effect"] and not r.json["needs_approval"] and r.json["request"] is None
        assert r.headers["Cache-Control"] == "private, no-store"
        r = act(client, staff[0], num, "suspend")
        assert r.status_code == 200 and r.json["outcome"] == "done" and r.json["registration"]["status"] == "suspended"
        assert client.post("/api/v1/verify", json={"qr": copy["qr"]}).json["verdict"] == "suspended"
        app.extensions["jz.status_list_cache"]["at"] -= 1             # past the rebuild floor (1 s), not the ttl
        assert status_entry(client, app, copy["status_index"]) == SUSPENDED
    finally:
        app.config["STATUS_LIST_CACHE_SECONDS"] = 0


def test_bad_bodies(client, auth, staff):
    num = make_registration(client, auth)["registration_number"]
    body = assert_error_shape(act(client, staff[0], num, "suspend", reason=""), 422, "validation_failed")
    assert body["details"]["fields"]["reason"]["code"] == "required"
    body = assert_error_shape(act(client, staff[0], num, "suspend", reason="长" * 501), 422, "validation_failed")
    assert body["details"]["fields"]["reason"]["code"] == "too_long"
    assert_error_shape(act(client, staff[0], num, "lapse"), 422, "validation_failed")     # the daily job's only
    assert_error_shape(client.post(f"/api/v1/admin/registrations/{num}/actions", headers=staff[0],
                                   json={"action": "suspend", "reason": "违规"}), 422, "validation_failed")
    assert_error_shape(client.post(f"/api/v1/admin/registrations/{num}/actions", headers=staff[0],
                                   json={"action": "suspend", "reason": "违规", "confirm": "yes"}), 422,
                       "validation_failed")
    assert_error_shape(act(client, staff[0], "苏000000000000", "suspend"), 404, "registration_not_found")
    assert_error_shape(act(client, staff[0], num, "unsuspend"), 409, "status_transition")


def test_the_old_status_endpoint_no_longer_revokes_alone(client, auth):
    num = make_registration(client, auth)["registration_number"]
    for action in ("revoke", "rescind"):
        body = assert_error_shape(client.post(f"/api/v1/registrations/{num}/status", headers=auth,
                                              json={"action": action, "reason": "违规"}), 403, "approval_required")
        assert body["details"]["request_at"] == f"/api/v1/admin/registrations/{num}/actions"
    assert client.get(f"/api/v1/registrations/{num}", headers=auth).json["status"] == "active"
    r = client.post(f"/api/v1/registrations/{num}/status", headers=auth, json={"action": "cancel", "reason": "离职"})
    assert r.status_code == 200 and r.json["status"] == "cancelled"


def test_revoke_waits_for_a_second_account(client, auth, staff):
    a, b = staff
    reg = make_registration(client, auth)
    num = reg["registration_number"]
    copy = issue(client, auth, num)
    r = act(client, a, num, "revoke", reason="伪造业绩")
    assert r.status_code == 200 and r.json["outcome"] == "pending_approval" and r.json["needs_approval"]
    req = r.json["request"]
    assert (req["state"], req["mine"], req["can_approve"], req["numbers"]) == ("pending", True, False, [num])
    assert client.post("/api/v1/verify", json={"qr": copy["qr"]}).json["verdict"] == "valid"
    assert_error_shape(act(client, b, num, "rescind"), 409, "request_pending")
    queue = client.get(f"/api/v1/admin/approvals?state=pending&target={num}", headers=b).json
    assert [q["id"] for q in queue["requests"]] == [req["id"]] and queue["requests"][0]["can_approve"]
    assert_error_shape(client.post(f"/api/v1/admin/approvals/{req['id']}/approve", headers=a), 403,
                       "four_eyes_same_account")
    assert_error_shape(client.post(f"/api/v1/admin/approvals/{req['id']}/approve", headers=auth), 403,
                       "four_eyes_service_token")
    r = client.post(f"/api/v1/admin/approvals/{req['id']}/approve", headers=b)
    assert r.status_code == 200 and r.json["state"] == "approved" and r.json["result"] == {
        "registrations": {num: "revoked"}}
    assert client.post("/api/v1/verify", json={"qr": copy["qr"]}).json["verdict"] == "revoked"
    assert_error_shape(client.post(f"/api/v1/admin/approvals/{req['id']}/approve", headers=b), 409,
                       "request_not_pending")
    events = client.get(f"/api/v1/audit?entity_id={req['id']}", headers=auth).json["events"]
    assert {e["action"] for e in events} == {"authority_request.file", "authority_request.approve"}
    got = client.get(f"/api/v1/admin/approvals/{req['id']}", headers=a).json
    assert got["requested_by"].startswith("authority:") and got["decided_by"] != got["requested_by"]


def test_reject_and_stale(client, auth, staff):
    a, b = staff
    num = make_registration(client, auth)["registration_number"]
    req = act(client, a, num, "rescind").json["request"]
    assert_error_shape(client.post(f"/api/v1/admin/approvals/{req['id']}/reject", headers=b, json={}), 422,
                       "validation_failed")
    r = client.post(f"/api/v1/admin/approvals/{req['id']}/reject", headers=b, json={"reason": "证据不足"})
    assert r.status_code == 200 and (r.json["state"], r.json["decision_reason"]) == ("rejected", "证据不足")
    req = act(client, a, num, "rescind").json["request"]
    act(client, b, num, "suspend")
    body = assert_error_shape(client.post(f"/api/v1/admin/approvals/{req['id']}/approve", headers=b), 409,
                              "request_stale")
    assert body["details"]["changes"][0]["now"] == "suspended"
    assert client.get(f"/api/v1/admin/approvals/{req['id']}", headers=a).json["state"] == "stale"   # committed
    assert_error_shape(client.get("/api/v1/admin/approvals/aq_none", headers=a), 404, "request_not_found")


def test_bulk_cancel_and_licence(client, auth, staff):
    a, b = staff
    regs = [make_registration(client, auth)["registration_number"] for _ in range(2)]
    r = client.post("/api/v1/admin/registrations/bulk-cancel", headers=a,
                    json={"numbers": regs, "reason": "单位申请集体注销", "confirm": True})
    assert r.status_code == 200 and r.json["outcome"] == "pending_approval" and r.json["numbers"] == regs
    assert client.post(f"/api/v1/admin/approvals/{r.json['request']['id']}/approve", headers=b).status_code == 200
    assert {client.get(f"/api/v1/registrations/{n}", headers=auth).json["status"] for n in regs} == {"cancelled"}
    body = assert_error_shape(client.post("/api/v1/admin/registrations/bulk-cancel", headers=a, json={
        "numbers": regs, "reason": "再次", "confirm": True}), 409, "bulk_cancel_refused")
    assert len(body["details"]["refused"]) == 2

    reg = make_registration(client, auth)
    uscc = reg["employer"]["uscc"]
    r = client.post(f"/api/v1/admin/enterprises/{uscc}/licence", headers=a,
                    json={"state": "bankrupt", "reason": "法院宣告破产", "confirm": False})
    assert r.json["outcome"] == "preview" and r.json["held_registrations"] == 1 and r.json["enterprise"]["uscc"] == uscc
    r = client.post(f"/api/v1/admin/enterprises/{uscc}/licence", headers=a,
                    json={"state": "bankrupt", "reason": "法院宣告破产", "confirm": True})
    assert r.json["outcome"] == "pending_approval"
    client.post(f"/api/v1/admin/approvals/{r.json['request']['id']}/approve", headers=b)
    assert client.get(f"/api/v1/enterprises/{uscc}", headers=auth).json["status"] == "bankrupt"
    assert_error_shape(client.post(f"/api/v1/admin/enterprises/{uscc}/licence", headers=a,
                                   json={"state": "bankrupt", "reason": "再次", "confirm": True}), 409,
                       "licence_unchanged")
    assert_error_shape(client.post(f"/api/v1/admin/enterprises/{uscc}/licence", headers=a,
                                   json={"state": "gone", "reason": "x", "confirm": True}), 422, "validation_failed")
