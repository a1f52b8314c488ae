"""Access control as a matrix: every role against every endpoint that needs one, and the public ones.

Roles: no token, inspector, holder, enterprise A, enterprise B, an authority account, the admin token.
An enterprise sees its own enterprise only (full ID numbers of its own staff, masked for anyone else);
a certificate copy is for its holder, the holder's employer and the authority (DESIGN.md).
"""
import datetime as dt
import io
import itertools
import uuid

import pytest
from PIL import Image

from tests import factories as f
from tests.api.helpers import assert_error_shape, issue, make_registration
from tests.api.login_helpers import bearer_for, make_account
from tests.onboarding_images import portrait_photo, signature_photo
from tests.proof_files import PLAIN_PDF

ROLES = ["none", "inspector", "holder", "enterprise_a", "enterprise_b", "authority", "admin"]
AUTHORITY = {"authority", "admin"}
COPY_OF_A = AUTHORITY | {"holder", "enterprise_a"}      # the copy belongs to person a, employed by A
_names = itertools.cycle("甲乙丙丁戊己庚辛")


@pytest.fixture(scope="module")
def world(mc, admin):
    a = make_registration(mc, admin, name="王建国")
    b = make_registration(mc, admin, name="李秀英")
    copy = issue(mc, admin, a["registration_number"])
    csv = f"姓名,身份证号\n王建国,{a['person']['id_number']}\n李秀英,{b['person']['id_number']}\n".encode()
    return {"a": a, "b": b, "uscc_a": a["employer"]["uscc"], "uscc_b": b["employer"]["uscc"], "copy": copy["copy_id"],
            "csv": csv}


@pytest.fixture(scope="module")
def headers(mc, admin, world):
    return {
        "none": {},
        "inspector": bearer_for(mc, admin, "inspector"),
        "holder": bearer_for(mc, admin, "holder", person_id=world["a"]["person"]["id"]),
        "enterprise_a": bearer_for(mc, admin, "enterprise", enterprise_uscc=world["uscc_a"]),
        "enterprise_b": bearer_for(mc, admin, "enterprise", enterprise_uscc=world["uscc_b"]),
        "authority": bearer_for(mc, admin, "authority"),
        "admin": admin,
    }


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 50), (200, 180, 160)).save(out, "PNG")
    return out.getvalue()


def fresh_reg(mc, admin):
    return make_registration(mc, admin, kind="JZS2", specialties=("JZ",), name=next(_names) * 2)


def person_body(mc, admin):
    return {"json": {"name": "周建华", "id_number": f.id_number(dt.date(1990, 1, 2), "M")}}


# name: (method, path or setup(mc, admin, world) -> (path, request kwargs), allowed roles, success status)
ENDPOINTS = {
    "create_person": ("post", lambda mc, ad, w: ("/api/v1/persons", person_body(mc, ad)), AUTHORITY, 201),
    "get_person": ("get", lambda mc, ad, w: (f"/api/v1/persons/{w['a']['person']['id']}", {}), AUTHORITY, 200),
    "put_photo": ("put", lambda mc, ad, w: (f"/api/v1/persons/{w['b']['person']['id']}/photo",
                                            {"data": {"image": (io.BytesIO(png()), "p.png")}}), AUTHORITY, 200),
    "put_signature": ("put", lambda mc, ad, w: (f"/api/v1/persons/{w['b']['person']['id']}/signature",
                                                {"data": {"image": (io.BytesIO(png()), "s.png")}}), AUTHORITY, 200),
    "change_name": ("post", lambda mc, ad, w: (f"/api/v1/persons/{fresh_reg(mc, ad)['person']['id']}/name",
                                               {"json": {"name": "周新名"}}), AUTHORITY, 200),
    "create_enterprise": ("post", lambda mc, ad, w: ("/api/v1/enterprises", {"json": {
        "name": "某某建设有限公司", "uscc": f.uscc()}}), AUTHORITY, 201),
    "get_enterprise": ("get", lambda mc, ad, w: (f"/api/v1/enterprises/{w['uscc_a']}", {}), AUTHORITY, 200),
    "create_registration": ("post", lambda mc, ad, w: ("/api/v1/registrations", {"json": {
        "person_id": mc.post("/api/v1/persons", headers=ad, **person_body(mc, ad)).json["id"],
        "enterprise_uscc": w["uscc_a"], "kind": "JZS2", "specialties": ["JZ"]}}), AUTHORITY, 201),
    "get_registration": ("get", lambda mc, ad, w: (f"/api/v1/registrations/{w['a']['registration_number']}", {}),
                         AUTHORITY, 200),
    "change_employer": ("post", lambda mc, ad, w: (f"/api/v1/registrations/{fresh_reg(mc, ad)['registration_number']}"
                                                   "/employer", {"json": {"enterprise_uscc": w["uscc_b"]}}),
                        AUTHORITY, 200),
    "add_specialty": ("post", lambda mc, ad, w: (f"/api/v1/registrations/{fresh_reg(mc, ad)['registration_number']}"
                                                 "/specialties", {"json": {"specialty": "SZ"}}), AUTHORITY, 200),
    "set_status": ("post", lambda mc, ad, w: (f"/api/v1/registrations/{fresh_reg(mc, ad)['registration_number']}"
                                              "/status", {"json": {"action": "suspend", "reason": "x"}}), AUTHORITY, 200),
    "issue_copy": ("post", lambda mc, ad, w: (f"/api/v1/registrations/{fresh_reg(mc, ad)['registration_number']}"
                                              "/copies", {}), AUTHORITY, 201),
    "list_copies": ("get", lambda mc, ad, w: (f"/api/v1/registrations/{w['a']['registration_number']}/copies", {}),
                    AUTHORITY, 200),
    "audit": ("get", lambda mc, ad, w: ("/api/v1/audit", {}), AUTHORITY, 200),
    "get_copy": ("get", lambda mc, ad, w: (f"/api/v1/certificates/{w['copy']}", {}), COPY_OF_A, 200),
    "qr_png": ("get", lambda mc, ad, w: (f"/api/v1/certificates/{w['copy']}/qr.png", {}), COPY_OF_A, 200),
    "qr_svg": ("get", lambda mc, ad, w: (f"/api/v1/certificates/{w['copy']}/qr.svg", {}), COPY_OF_A, 200),
    "certificate_pdf": ("get", lambda mc, ad, w: (f"/api/v1/certificates/{w['copy']}/certificate.pdf", {}),
                        COPY_OF_A, 200),
    "create_account": ("post", lambda mc, ad, w: ("/api/v1/accounts", {"json": {
        "username": f"insp.{next(_seq)}", "password": "correct horse battery", "role": "inspector"}}), AUTHORITY, 201),
    "me": ("get", lambda mc, ad, w: ("/api/v1/auth/me", {}), set(ROLES) - {"none"}, 200),
    # enterprise endpoints, naming enterprise A: A itself and authority staff may; B is refused
    "staff": ("get", lambda mc, ad, w: (f"/api/v1/enterprise/staff?uscc={w['uscc_a']}", {}),
              AUTHORITY | {"enterprise_a"}, 200),
    "warnings": ("get", lambda mc, ad, w: (f"/api/v1/enterprise/warnings?uscc={w['uscc_a']}", {}),
                 AUTHORITY | {"enterprise_a"}, 200),
    "staff_person": ("get", lambda mc, ad, w: (f"/api/v1/enterprise/staff/{w['a']['person']['id']}"
                                               f"?uscc={w['uscc_a']}", {}), AUTHORITY | {"enterprise_a"}, 200),
    "staff_export": ("get", lambda mc, ad, w: (f"/api/v1/enterprise/staff/export?uscc={w['uscc_a']}&format=xlsx", {}),
                     AUTHORITY | {"enterprise_a"}, 200),
    "bulk_check": ("post", lambda mc, ad, w: (f"/api/v1/enterprise/bulk-check?uscc={w['uscc_a']}",
                                              {"data": {"file": (io.BytesIO(w["csv"]), "s.csv")}}),
                   AUTHORITY | {"enterprise_a"}, 200),
}
_seq = itertools.count(1)
HOLDER_A = {"holder"}
INVOLVED_A = AUTHORITY | {"holder", "enterprise_a"}     # the applications of holder a, employed by A


def _as(mc, ad, w, who: str) -> dict:
    """Logins of holder a and enterprise A, made once, for setting up applications in a given state."""
    if who not in w:
        extra = {"person_id": w["a"]["person"]["id"]} if who == "holder" else {"enterprise_uscc": w["uscc_a"]}
        w[who] = bearer_for(mc, ad, who, **extra)
    return w[who]


def application(mc, ad, w, *, type_="renewal", then=()) -> str:
    """A renewal of a's registration (outside its window: the rules refuse it, the registration is untouched)."""
    r = mc.post("/api/v1/applications", headers=_as(mc, ad, w, "holder"), json={
        "type": type_, "registration_number": w["a"]["registration_number"], "cpd_commitment": True})
    assert r.status_code == 201, r.json
    for step in then:
        s = mc.post(f"/api/v1/applications/{r.json['id']}/{step}", headers=_as(mc, ad, w, "holder"))
        assert s.status_code == 200, s.json
    return f"/api/v1/applications/{r.json['id']}"


def application_file(mc, ad, w) -> str:
    url = application(mc, ad, w)
    r = mc.post(f"{url}/files", headers=_as(mc, ad, w, "holder"), data={"file": (io.BytesIO(PLAIN_PDF), "p.pdf")})
    assert r.status_code == 201, r.json
    return f"{url}/files/{r.json['files'][0]['id']}"


ENDPOINTS.update({
    "create_application": ("post", lambda mc, ad, w: ("/api/v1/applications", {"json": {
        "type": "renewal", "registration_number": w["a"]["registration_number"]}}), HOLDER_A, 201),
    "list_applications": ("get", lambda mc, ad, w: ("/api/v1/applications", {}), set(ROLES) - {"none", "inspector"}, 200),
    "get_application": ("get", lambda mc, ad, w: (application(mc, ad, w), {}), INVOLVED_A, 200),
    "update_application": ("patch", lambda mc, ad, w: (application(mc, ad, w), {"json": {"note": "x"}}), HOLDER_A, 200),
    "upload_file": ("post", lambda mc, ad, w: (application(mc, ad, w) + "/files", {
        "data": {"file": (io.BytesIO(PLAIN_PDF), "p.pdf")}}), HOLDER_A, 201),
    "download_file": ("get", lambda mc, ad, w: (application_file(mc, ad, w), {}), INVOLVED_A, 200),
    "submit": ("post", lambda mc, ad, w: (application(mc, ad, w) + "/submit", {}), HOLDER_A, 200),
    "withdraw": ("post", lambda mc, ad, w: (application(mc, ad, w) + "/withdraw", {}), HOLDER_A, 200),
    "confirm": ("post", lambda mc, ad, w: (application(mc, ad, w, then=["submit"]) + "/confirm", {}),
                {"enterprise_a"}, 200),
    "decline": ("post", lambda mc, ad, w: (application(mc, ad, w, then=["submit"]) + "/decline", {
        "json": {"reason": "不在本单位"}}), {"enterprise_a"}, 200),
    "decide": ("post", lambda mc, ad, w: (application(mc, ad, w, type_="forced_cancel", then=["submit"]) + "/decide", {
        "json": {"decision": "return", "reason": "请补充材料"}}), AUTHORITY, 200),
    "add_qualification": ("post", lambda mc, ad, w: (
        f"/api/v1/persons/{mc.post('/api/v1/persons', headers=ad, **person_body(mc, ad)).json['id']}/qualifications",
        {"json": {"kind": "JZS2", "specialty": "JZ", "certificate_no": "Q1", "issued_on": "2020-01-01"}}), AUTHORITY, 201),
    "list_qualifications": ("get", lambda mc, ad, w: (f"/api/v1/persons/{w['a']['person']['id']}/qualifications", {}),
                            AUTHORITY, 200),
})


def _image(kind: str) -> dict:
    data = portrait_photo("matrix", "M") if kind == "photo" else signature_photo("矩阵:1", 2)
    return {"data": {"image": (io.BytesIO(data), f"{kind}.jpg")}}


def pending_image(mc, ad, w, kind="photo") -> str:
    """A new upload of holder a's, pending review."""
    r = mc.post(f"/api/v1/holder/{kind}", headers=_as(mc, ad, w, "holder"), **_image(kind))
    assert r.status_code == 201, r.json
    return f"/api/v1/image-submissions/{r.json['id']}"


def with_images(mc, ad, w) -> str:
    """Person a with a current photo and signature (the authority's legacy PUT, once)."""
    if "images" not in w:
        for kind in ("photo", "signature"):
            r = mc.put(f"/api/v1/persons/{w['a']['person']['id']}/{kind}", headers=ad, data={
                "image": (io.BytesIO(png()), f"{kind}.png")})
            assert r.status_code == 200, r.json
        w["images"] = True
    return f"/api/v1/persons/{w['a']['person']['id']}"


ENDPOINTS.update({   # 入库登记: the holder's photo and signature, reviewed by the authority
    "holder_upload_photo": ("post", lambda mc, ad, w: ("/api/v1/holder/photo", _image("photo")), HOLDER_A, 201),
    "holder_upload_signature": ("post", lambda mc, ad, w: ("/api/v1/holder/signature", _image("signature")),
                                HOLDER_A, 201),
    "holder_photo": ("get", lambda mc, ad, w: (with_images(mc, ad, w) and "/api/v1/holder/photo", {}), HOLDER_A, 200),
    "holder_signature": ("get", lambda mc, ad, w: (with_images(mc, ad, w) and "/api/v1/holder/signature", {}),
                         HOLDER_A, 200),
    "holder_images": ("get", lambda mc, ad, w: ("/api/v1/holder/images", {}), HOLDER_A, 200),
    "holder_withdraw_image": ("post", lambda mc, ad, w: (
        pending_image(mc, ad, w).replace("/image-submissions/", "/holder/images/") + "/withdraw", {}), HOLDER_A, 200),
    "image_submissions": ("get", lambda mc, ad, w: ("/api/v1/image-submissions?state=pending", {}), AUTHORITY, 200),
    "image_submission_image": ("get", lambda mc, ad, w: (pending_image(mc, ad, w) + "/image", {}),
                               AUTHORITY | HOLDER_A, 200),
    "decide_image_submission": ("post", lambda mc, ad, w: (pending_image(mc, ad, w, "signature") + "/decide", {
        "json": {"decision": "return", "reason": "请重新拍摄"}}), AUTHORITY, 200),
    "upload_person_photo": ("post", lambda mc, ad, w: (f"/api/v1/persons/{w['b']['person']['id']}/photo",
                                                       _image("photo")), AUTHORITY, 201),
    "upload_person_signature": ("post", lambda mc, ad, w: (f"/api/v1/persons/{w['b']['person']['id']}/signature",
                                                           _image("signature")), AUTHORITY, 201),
    "person_photo": ("get", lambda mc, ad, w: (with_images(mc, ad, w) + "/photo", {}), AUTHORITY, 200),
    "person_signature": ("get", lambda mc, ad, w: (with_images(mc, ad, w) + "/signature", {}), AUTHORITY, 200),
})

ENDPOINTS.update({   # the authority console's register: search and dossiers in full (admin_register.py)
    "admin_search": ("get", lambda mc, ad, w: ("/api/v1/admin/search?q=王建国", {}), AUTHORITY, 200),
    "admin_person": ("get", lambda mc, ad, w: (f"/api/v1/admin/persons/{w['a']['person']['id']}", {}), AUTHORITY, 200),
    "admin_enterprise": ("get", lambda mc, ad, w: (f"/api/v1/admin/enterprises/{w['uscc_a']}", {}), AUTHORITY, 200),
})

COPY_ENDPOINTS = ("get_copy", "qr_png", "qr_svg", "certificate_pdf")


def filed_request(mc, ad, w) -> str:
    """A 吊销 of a fresh registration, filed by a third authority account: waiting for a second approver."""
    if "filer" not in w:
        w["filer"] = bearer_for(mc, ad, "authority")
    num = fresh_reg(mc, ad)["registration_number"]
    r = mc.post(f"/api/v1/admin/registrations/{num}/actions", headers=w["filer"],
                json={"action": "revoke", "reason": "矩阵测试", "confirm": True})
    assert r.status_code == 200, r.json
    return f"/api/v1/admin/approvals/{r.json['request']['id']}"


ENDPOINTS.update({   # the authority's actions and their four-eyes approvals (admin_actions.py)
    "admin_registration_action": ("post", lambda mc, ad, w: (
        f"/api/v1/admin/registrations/{fresh_reg(mc, ad)['registration_number']}/actions",
        {"json": {"action": "suspend", "reason": "违规执业", "confirm": True}}), AUTHORITY, 200),
    "admin_bulk_cancel": ("post", lambda mc, ad, w: ("/api/v1/admin/registrations/bulk-cancel", {"json": {
        "numbers": [fresh_reg(mc, ad)["registration_number"] for _ in range(2)], "reason": "集体注销",
        "confirm": False}}), AUTHORITY, 200),
    "admin_enterprise_licence": ("post", lambda mc, ad, w: (f"/api/v1/admin/enterprises/{w['uscc_b']}/licence", {
        "json": {"state": "revoked", "reason": "资质被吊销", "confirm": False}}), AUTHORITY, 200),
    "admin_approvals": ("get", lambda mc, ad, w: ("/api/v1/admin/approvals?state=pending", {}), AUTHORITY, 200),
    "admin_approval": ("get", lambda mc, ad, w: (filed_request(mc, ad, w), {}), AUTHORITY, 200),
    # the admin token is no person: never a second approver (403 four_eyes_service_token, below)
    "admin_approve": ("post", lambda mc, ad, w: (filed_request(mc, ad, w) + "/approve", {}), {"authority"}, 200),
    "admin_reject": ("post", lambda mc, ad, w: (filed_request(mc, ad, w) + "/reject", {"json": {"reason": "证据不足"}}),
                     AUTHORITY, 200),
})

ENDPOINTS.update({   # the province at a glance (admin_dashboard.py)
    "admin_dashboard": ("get", lambda mc, ad, w: ("/api/v1/admin/dashboard", {}), AUTHORITY, 200),
    "admin_dashboard_csv": ("get", lambda mc, ad, w: ("/api/v1/admin/dashboard/by_city.csv", {}), AUTHORITY, 200),
})


def _import_form() -> dict:
    """A dry run (dry runs never wait for each other): an enterprises file of one row."""
    from tests import import_files
    rows = import_files.table("enterprises", import_files.register(1)["enterprises"])
    return {"data": {"kind": "enterprises", "dry_run": "true", "file": (io.BytesIO(import_files.as_csv(rows)), "e.csv")}}


def import_batch(mc, ad, w) -> str:
    if "import" not in w:
        r = mc.post("/api/v1/admin/imports", headers=ad, **_import_form())
        assert r.status_code == 202, r.json
        w["import"] = f"/api/v1/admin/imports/{r.json['id']}"
    return w["import"]


ENDPOINTS.update({   # the authority's imports of the register (admin_imports.py)
    "admin_import_create": ("post", lambda mc, ad, w: ("/api/v1/admin/imports", _import_form()), AUTHORITY, 202),
    "admin_imports": ("get", lambda mc, ad, w: ("/api/v1/admin/imports", {}), AUTHORITY, 200),
    "admin_import": ("get", lambda mc, ad, w: (import_batch(mc, ad, w), {}), AUTHORITY, 200),
    "admin_import_report": ("get", lambda mc, ad, w: (import_batch(mc, ad, w) + "/report?format=xlsx", {}),
                            AUTHORITY, 200),
    "admin_import_template": ("get", lambda mc, ad, w: ("/api/v1/admin/import-templates/persons?format=csv", {}),
                              AUTHORITY, 200),
})


def inspection_body(w) -> dict:
    return {"json": {"client_id": str(uuid.uuid4()), "started_at": "2026-05-01T09:00:00+08:00", "people": [
        {"role": "project_manager", "qr": ["nonsense"]}], "site": {"name": "矩阵工地", "specialty": "JZ",
                                                                  "contractor_uscc": w["uscc_a"]}}}


def inspection(mc, ad, w) -> str:
    """A record of another inspector's: the matrix's inspector may read records, but not this one (404)."""
    if "inspection" not in w:
        r = mc.post("/api/v1/inspections", headers=bearer_for(mc, ad, "inspector"), **inspection_body(w))
        assert r.status_code == 201, r.json
        w["inspection"] = f"/api/v1/inspections/{r.json['id']}"
    return w["inspection"]


RECORDERS = AUTHORITY | {"inspector"}
ENDPOINTS.update({   # site checks (sitecheck.py): records by inspectors and the authority; a person from the register
    "create_inspection": ("post", lambda mc, ad, w: ("/api/v1/inspections", inspection_body(w)), RECORDERS, 201),
    "list_inspections": ("get", lambda mc, ad, w: ("/api/v1/inspections", {}), RECORDERS, 200),
    "get_inspection": ("get", lambda mc, ad, w: (inspection(mc, ad, w), {}), AUTHORITY, 200),
    "inspection_pdf": ("get", lambda mc, ad, w: (inspection(mc, ad, w) + "/pdf", {}), AUTHORITY, 200),
    "inspection_csv": ("get", lambda mc, ad, w: (inspection(mc, ad, w) + "/csv", {}), AUTHORITY, 200),
    "evaluate_person": ("post", lambda mc, ad, w: ("/api/v1/roles/project_manager/evaluate", {"json": {
        "person_id": w["a"]["person"]["id"], "site": {"specialty": "JZ"}}}), AUTHORITY | {"enterprise_a"}, 200),
})
OTHER_INSPECTORS = ("get_inspection", "inspection_pdf", "inspection_csv")


def current_copy_of_a(mc, ad, w) -> str:
    """Holder a's current copy: other rows of the matrix (a new photo) supersede the first one."""
    listed = mc.get(f"/api/v1/registrations/{w['a']['registration_number']}/copies", headers=ad).json["copies"]
    now = [c["copy_id"] for c in listed if c["status"] == "current"]
    return now[0] if now else issue(mc, ad, w["a"]["registration_number"])["copy_id"]


ENDPOINTS.update({   # the holder's live code of their own current copy (holder.py, issuance/presentations.py)
    "holder_live_code": ("post", lambda mc, ad, w: (f"/api/v1/holder/copies/{current_copy_of_a(mc, ad, w)}"
                                                    "/presentation", {}), HOLDER_A, 200),
})


INBOX = {"holder", "enterprise_a", "enterprise_b"}          # each its own notices (notices.py; one notice's read:
ENDPOINTS.update({                                          # tests/api/test_notices_api.py)
    "my_notices": ("get", lambda mc, ad, w: ("/api/v1/me/notices?unread=1", {}), INBOX, 200),
    "notices_read_all": ("post", lambda mc, ad, w: ("/api/v1/me/notices/read-all", {}), INBOX, 200),
    "notice_preferences": ("get", lambda mc, ad, w: ("/api/v1/me/notice-preferences", {}), INBOX, 200),
    "set_notice_preferences": ("put", lambda mc, ad, w: ("/api/v1/me/notice-preferences", {"json": {"email": True}}),
                               INBOX, 200),
})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_matrix(mc, admin, world, headers, endpoint, role):
    method, setup, allowed, ok = ENDPOINTS[endpoint]
    path, kwargs = setup(mc, admin, world)
    resp = getattr(mc, method)(path, headers=headers[role], **kwargs)
    if role in allowed:
        assert resp.status_code == ok, (endpoint, role, resp.status_code, resp.get_data(as_text=True)[:300])
    elif endpoint in COPY_ENDPOINTS and role == "enterprise_b":
        # the right role, someone else's copy: answered as an unknown copy would be (issue 8)
        assert_error_shape(resp, 404, "copy_not_found")
    elif endpoint in OTHER_INSPECTORS and role == "inspector":
        assert_error_shape(resp, 404, "inspection_not_found")       # another inspector's record: as an unknown one
    elif endpoint == "evaluate_person" and role == "enterprise_b":
        assert_error_shape(resp, 404, "person_not_found")           # not its staff: as an unknown person
    elif endpoint == "admin_approve" and role == "admin":
        assert_error_shape(resp, 403, "four_eyes_service_token")
    elif role == "none":
        assert_error_shape(resp, 401, "unauthorized")
    else:
        assert_error_shape(resp, 403, "forbidden")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_bulk_check_downloads_matrix(mc, world, headers, fmt):
    made = mc.post("/api/v1/enterprise/bulk-check", headers=headers["enterprise_a"],
                   data={"file": (io.BytesIO(world["csv"]), "s.csv")})
    url = made.json["downloads"][fmt]
    expected = {"none": 401, "inspector": 403, "holder": 403, "enterprise_a": 200, "enterprise_b": 404,
                "authority": 200, "admin": 200}
    assert {role: mc.get(url, headers=headers[role]).status_code for role in ROLES} == expected


def test_enterprise_sees_full_id_numbers_of_its_own_staff_only(mc, world, headers):
    a_id, b_id = world["a"]["person"]["id_number"], world["b"]["person"]["id_number"]
    for who, own, other in (("enterprise_a", a_id, b_id), ("enterprise_b", b_id, a_id)):
        rows = {r["name"]: r["id_number"] for r in mc.post(
            "/api/v1/enterprise/bulk-check", headers=headers[who],
            data={"file": (io.BytesIO(world["csv"]), "s.csv")}).json["rows"]}
        shown = set(rows.values())
        assert own in shown and other not in shown
        assert other[:6] + "*" * 12 in shown              # as the public lookup masks it: the region only
        staff = mc.get("/api/v1/enterprise/staff", headers=headers[who]).json["staff"]
        ids = {s["id_number"] for s in staff}           # the matrix above registers more people at A
        assert own in ids and other not in ids and not any("*" in i for i in ids)
    # the public lookup stays masked, whoever asks
    for role in ROLES:
        res = mc.get("/api/v1/lookup?q=王建国", headers=headers[role]).json["results"]
        assert res and all("*" in r["id_number"] for r in res)


PUBLIC = [("get", "/healthz", None), ("get", "/.well-known/jwks.json", None), ("get", "/api/v1/status-list", None),
          ("get", "/api/v1/catalogue", None), ("get", "/api/v1/openapi.json", None), ("get", "/api/docs", None),
          ("get", "/api/v1/lookup?q=王建国", None), ("post", "/api/v1/verify", {"qr": "nonsense"}),
          ("get", "/api/v1/roles", None), ("post", "/api/v1/inspections/verify", {"token": "nonsense"}),
          ("get", "/api/v1/enterprise/bulk-check/template.csv", None),
          ("get", "/api/v1/enterprise/bulk-check/template.xlsx?lang=en", None)]


@pytest.mark.parametrize("method,path,body", PUBLIC)
def test_public_endpoints_stay_public(mc, admin, headers, method, path, body):
    revoked = bearer_for(mc, admin, "inspector")
    assert mc.post("/api/v1/auth/logout", headers=revoked).status_code == 200
    for h in [*headers.values(), revoked, {"Authorization": "Bearer garbage.token.here"}]:
        resp = getattr(mc, method)(path, headers=h, **({"json": body} if body else {}))
        assert resp.status_code == 200, (path, h, resp.status_code)


def test_logout_for_every_account_role(mc, admin, world):
    for role, extra in (("inspector", {}), ("holder", {"person_id": world["b"]["person"]["id"]}),
                        ("enterprise", {"enterprise_uscc": world["uscc_b"]}), ("authority", {})):
        h = bearer_for(mc, admin, role, **extra)
        assert mc.post("/api/v1/auth/logout", headers=h).status_code == 200
        assert_error_shape(mc.get("/api/v1/auth/me", headers=h), 401, "token_revoked")
    assert_error_shape(mc.post("/api/v1/auth/logout"), 401, "unauthorized")
    assert_error_shape(mc.post("/api/v1/auth/logout", headers=admin), 403, "forbidden")
    assert make_account(mc, admin, "inspector")["role"] == "inspector"


def test_someone_elses_copy_is_answered_as_an_unknown_one(mc, world, headers):
    for path in ("", "/qr.png", "/qr.svg", "/certificate.pdf"):
        theirs = mc.get(f"/api/v1/certificates/{world['copy']}{path}", headers=headers["enterprise_b"])
        unknown = mc.get(f"/api/v1/certificates/zzzzzzzz{path}", headers=headers["enterprise_b"])
        assert (theirs.status_code, theirs.get_json()) == (unknown.status_code, unknown.get_json()) == (404, {
            "error": "copy_not_found", "message": "未找到该电子证书", "message_en": "No such certificate copy",
            "details": {}})
