"""The workflows over HTTP: shapes (checked against the OpenAPI schemas), roles, errors in the one shape."""
import datetime as dt
import io

import pytest

from tests import factories as f
from tests.api.helpers import assert_error_shape
from tests.api.login_helpers import bearer_for, make_enterprise
from tests.api.test_openapi import assert_shape
from tests.proof_files import PLAIN_PDF

PDF = PLAIN_PDF           # a real PDF: proof files are parsed, not only sniffed


@pytest.fixture(scope="module")
def spec(mc):
    return mc.get("/api/v1/openapi.json").get_json()


def _person(mc, admin, specialties=("JZ",)):
    p = mc.post("/api/v1/persons", headers=admin, json={"name": "孙申请", "id_number": f.id_number(dt.date(1988, 2, 3), "M")})
    assert p.status_code == 201, p.json
    for code in specialties:
        q = mc.post(f"/api/v1/persons/{p.json['id']}/qualifications", headers=admin, json={
            "kind": "JZS2", "specialty": code, "certificate_no": f"Q-{p.json['id']}-{code}", "issued_on": "2024-05-01"})
        assert q.status_code == 201, q.json
    return p.json


@pytest.fixture()
def parties(mc, admin):
    """A qualified holder, an employer in Jiangsu (auto) and one in Guangdong (review), with their logins."""
    p = _person(mc, admin)
    auto_ent = make_enterprise(mc, admin)
    code = f.uscc("440300")
    review = mc.post("/api/v1/enterprises", headers=admin, json={"name": f"广东测试建设有限公司{code[-5:]}", "uscc": code}).json
    return {"person": p, "holder": bearer_for(mc, admin, "holder", person_id=p["id"]),
            "auto": auto_ent, "auto_h": bearer_for(mc, admin, "enterprise", enterprise_uscc=auto_ent["uscc"]),
            "review": review, "review_h": bearer_for(mc, admin, "enterprise", enterprise_uscc=review["uscc"])}


def _initial(mc, parties, ent="auto"):
    r = mc.post("/api/v1/applications", headers=parties["holder"], json={
        "type": "initial", "kind": "JZS2", "specialties": ["JZ"], "enterprise_uscc": parties[ent]["uscc"]})
    assert r.status_code == 201, r.json
    return r.json


def test_auto_mode_end_to_end(mc, admin, spec, parties):
    a = _initial(mc, parties)
    assert_shape(spec, "Application", a)
    assert a["state"] == "draft" and a["decision_mode"] == "auto" and a["id"].startswith("ap_")
    assert a["person"]["id_number"] == parties["person"]["id_number"]       # the holder sees it in full
    assert set(a["actions"]) == {"edit", "upload", "submit", "withdraw"}
    s = mc.post(f"/api/v1/applications/{a['id']}/submit", headers=parties["holder"])
    assert s.status_code == 200 and s.json["state"] == "awaiting_employer", s.json
    waiting = mc.get("/api/v1/applications?queue=confirm", headers=parties["auto_h"]).json["applications"]
    assert [x["id"] for x in waiting] == [a["id"]]                       # waiting for this employer
    assert mc.get("/api/v1/applications?queue=confirm", headers=parties["review_h"]).json["applications"] == []
    seen = mc.get(f"/api/v1/applications/{a['id']}", headers=parties["auto_h"]).json
    assert set(seen["actions"]) == {"confirm", "decline"} and seen["person"]["id_number"] == parties["person"]["id_number"]
    c = mc.post(f"/api/v1/applications/{a['id']}/confirm", headers=parties["auto_h"])
    assert c.status_code == 200 and c.json["state"] == "approved", c.json
    assert_shape(spec, "Application", c.json)
    assert c.json["decision"]["outcome"] == "approved" and c.json["result"]["copy_id"]
    assert [e["action"] for e in c.json["events"]] == ["create", "submit", "forward", "confirm", "approve"]
    copy = mc.get(f"/api/v1/certificates/{c.json['result']['copy_id']}/qr.png", headers=parties["holder"])
    assert copy.status_code == 200 and copy.mimetype == "image/png"
    lst = mc.get("/api/v1/applications?state=approved", headers=parties["holder"])
    assert_shape(spec, "ApplicationList", lst.json)
    assert [x["id"] for x in lst.json["applications"]] == [a["id"]] and lst.json["total"] == 1


def test_review_mode_with_return_and_files(mc, admin, spec, parties):
    a = _initial(mc, parties, "review")
    assert a["decision_mode"] == "review"
    up = mc.post(f"/api/v1/applications/{a['id']}/files", headers=parties["holder"],
                 data={"file": (io.BytesIO(PDF), "社保证明.pdf")})
    assert up.status_code == 201 and up.json["files"][0]["mime"] == "application/pdf", up.json
    fid = up.json["files"][0]["id"]
    mc.post(f"/api/v1/applications/{a['id']}/submit", headers=parties["holder"])
    mc.post(f"/api/v1/applications/{a['id']}/confirm", headers=parties["review_h"])
    queue = mc.get("/api/v1/applications?queue=review", headers=admin).json
    assert a["id"] in [x["id"] for x in queue["applications"]]
    got = mc.get(f"/api/v1/applications/{a['id']}/files/{fid}", headers=parties["review_h"])
    assert got.status_code == 200 and got.data == PDF and got.mimetype == "application/pdf"
    assert_error_shape(mc.get(f"/api/v1/applications/{a['id']}/files/{fid}", headers=parties["auto_h"]), 403, "forbidden")
    assert_error_shape(mc.post(f"/api/v1/applications/{a['id']}/decide", headers=admin, json={"decision": "return"}),
                       422, "validation_failed")
    r = mc.post(f"/api/v1/applications/{a['id']}/decide", headers=admin, json={"decision": "return", "reason": "照片不清晰"})
    assert r.status_code == 200 and r.json["state"] == "returned"
    for who in ("holder", "review_h"):      # both see the reason
        seen = mc.get(f"/api/v1/applications/{a['id']}", headers=parties[who]).json
        assert seen["decision"]["reason"] == "照片不清晰" and seen["events"][-1]["reason"] == "照片不清晰"
    p = mc.patch(f"/api/v1/applications/{a['id']}", headers=parties["holder"], json={"note": "已更换照片"})
    assert p.status_code == 200 and p.json["note"] == "已更换照片"
    mc.post(f"/api/v1/applications/{a['id']}/submit", headers=parties["holder"])
    mc.post(f"/api/v1/applications/{a['id']}/confirm", headers=parties["review_h"])
    d = mc.post(f"/api/v1/applications/{a['id']}/decide", headers=admin, json={"decision": "approve"})
    assert d.status_code == 200 and d.json["state"] == "approved" and d.json["result"]["registration_number"]
    again = mc.post(f"/api/v1/applications/{a['id']}/decide", headers=admin, json={"decision": "approve"})
    body = assert_error_shape(again, 409, "invalid_state")
    assert body["details"] == {"state": "approved", "action": "decide"}


def test_roles_and_errors(mc, admin, parties):
    a = _initial(mc, parties)
    url = f"/api/v1/applications/{a['id']}"
    inspector = bearer_for(mc, admin, "inspector")
    assert_error_shape(mc.get(url), 401, "unauthorized")
    assert_error_shape(mc.get(url, headers=inspector), 403, "forbidden")
    assert_error_shape(mc.get(url, headers=parties["review_h"]), 403, "forbidden")
    assert_error_shape(mc.get("/api/v1/applications/ap_nope", headers=admin), 404, "application_not_found")
    assert_error_shape(mc.post(f"{url}/confirm", headers=parties["auto_h"]), 409, "invalid_state")
    assert_error_shape(mc.post(f"{url}/decide", headers=parties["holder"], json={"decision": "approve"}), 403)
    assert_error_shape(mc.post("/api/v1/applications", headers=admin, json={"type": "initial"}), 403, "forbidden")
    assert_error_shape(mc.post("/api/v1/applications", headers=parties["auto_h"], json={"type": "initial"}), 403)
    assert_error_shape(mc.get("/api/v1/applications?page=x", headers=admin), 422, "validation_failed")
    assert_error_shape(mc.post(f"{url}/files", headers=parties["holder"], data={"file": (io.BytesIO(b"GIF89a"), "x.gif")}),
                       415, "unsupported_media_type")
    assert_error_shape(mc.post(f"{url}/files", headers=parties["holder"], data={}), 422, "validation_failed")
    big = io.BytesIO(b"%PDF-" + b"0" * (5 * 1024 * 1024 + 10))
    assert_error_shape(mc.post(f"{url}/files", headers=parties["holder"], data={"file": (big, "big.pdf")}), 413,
                       "file_too_large")
    assert_error_shape(mc.post(f"{url}/decline", headers=parties["auto_h"], data=b"{", content_type="application/json"),
                       400, "invalid_json")


@pytest.mark.parametrize("body", [
    [], "x", {"type": None}, {"type": "initial", "kind": 5, "specialties": "JZ", "enterprise_uscc": ["x"]},
    {"type": "renewal", "registration_number": {"a": 1}}, {"type": "personal_info", "changes": []},
    {"type": "personal_info", "changes": {"name": 5}}, {"type": "initial", "cpd_hours": True, "cpd_commitment": "yes"},
    {"type": "cancel", "registration_number": "苏" * 40}, {"type": "initial", "note": "x" * 600},
    {"type": "personal_info", "changes": {"name": "甲乙", "deceased_on": "2020-13-40"}},
])
def test_bad_input_is_never_a_500(mc, parties, body):
    r = mc.post("/api/v1/applications", headers=parties["holder"], json=body)
    assert_error_shape(r, r.status_code)
    assert r.status_code in (400, 404, 422), (body, r.status_code, r.json)


def test_bad_patch_and_decide_bodies(mc, admin, parties):
    a = _initial(mc, parties, "review")
    url = f"/api/v1/applications/{a['id']}"
    for body in ({"type": "renewal"}, {"specialties": ["XX"]}, {"enterprise_uscc": "nope"}, {"cpd_hours": 1e9}):
        r = mc.patch(url, headers=parties["holder"], json=body)
        assert r.status_code in (404, 422), (body, r.json)
        assert_error_shape(r, r.status_code)
    mc.post(f"{url}/submit", headers=parties["holder"])
    mc.post(f"{url}/confirm", headers=parties["review_h"])
    for body in ({}, {"decision": "maybe"}, {"decision": ["approve"]}, {"decision": {"a": 1}},
                 {"decision": "refuse", "reason": 3}, {"decision": "refuse", "reason": "x" * 2000}):
        assert_error_shape(mc.post(f"{url}/decide", headers=admin, json=body), 422, "validation_failed")


def test_qualifications_endpoint(mc, admin, parties):
    pid = parties["person"]["id"]
    lst = mc.get(f"/api/v1/persons/{pid}/qualifications", headers=admin)
    assert lst.status_code == 200 and [q["specialty"] for q in lst.json["qualifications"]] == ["JZ"]
    dup = mc.post(f"/api/v1/persons/{pid}/qualifications", headers=admin, json={
        "kind": "JZS2", "specialty": "JZ", "certificate_no": "x", "issued_on": "2024-05-01"})
    assert_error_shape(dup, 409, "qualification_exists")
    bad = mc.post(f"/api/v1/persons/{pid}/qualifications", headers=admin, json={
        "kind": "JZS2", "specialty": "ZZ", "certificate_no": "", "issued_on": "2999-01-01"})
    assert set(assert_error_shape(bad, 422, "validation_failed")["details"]["fields"]) == {
        "specialty", "certificate_no", "issued_on"}
    assert_error_shape(mc.post(f"/api/v1/persons/{pid}/qualifications", headers=parties["holder"], json={}), 403)
    for huge in (2**31, 10**30):
        assert_error_shape(mc.get(f"/api/v1/persons/{huge}/qualifications", headers=admin), 404, "person_not_found")
    assert_error_shape(mc.get("/api/v1/applications/ap_x/files/99999999999999999999999", headers=admin), 404)
