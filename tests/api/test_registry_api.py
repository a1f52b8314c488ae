"""Registry endpoints: roles enforced server-side, validation in the error shape, audited changes."""
import io

import pytest

from tests import factories as f
from tests.api.helpers import assert_error_shape, issue, make_registration


@pytest.mark.parametrize("method,path", [
    ("post", "/api/v1/persons"), ("get", "/api/v1/persons/1"), ("post", "/api/v1/enterprises"),
    ("post", "/api/v1/registrations"), ("get", "/api/v1/registrations/苏232192600001"),
    ("post", "/api/v1/registrations/苏232192600001/copies"), ("post", "/api/v1/registrations/苏232192600001/status"),
    ("get", "/api/v1/certificates/abc"), ("get", "/api/v1/certificates/abc/qr.png"),
    ("get", "/api/v1/certificates/abc/certificate.pdf"), ("get", "/api/v1/audit"),
])
@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic YWRtaW46YWRtaW4=", "Bearer "])
def test_authority_endpoints_require_the_token(client, method, path, header):
    headers = {"Authorization": header} if header else {}
    assert_error_shape(getattr(client, method)(path, headers=headers, json={}), 401, "unauthorized")


def test_person_validation_lists_every_field(client, auth):
    r = client.post("/api/v1/persons", headers=auth, json={"name": "<b>x</b>", "id_number": "110105194912310021",
                                                           "phone": "12345"})
    body = assert_error_shape(r, 422, "validation_failed")
    assert set(body["details"]["fields"]) == {"name", "id_number", "phone"}


def test_person_sex_and_birth_must_match_the_id_number(client, auth):
    r = client.post("/api/v1/persons", headers=auth, json={"name": "张三", "id_number": "11010519491231002X",
                                                           "sex": "M", "birth_date": "1950-01-01"})
    body = assert_error_shape(r, 422, "validation_failed")
    assert set(body["details"]["fields"]) == {"sex", "birth_date"}


def test_person_duplicate_id_number(client, auth):
    idn = f.id_number(__import__("datetime").date(1990, 1, 1), "F")
    assert client.post("/api/v1/persons", headers=auth, json={"name": "钱多多", "id_number": idn}).status_code == 201
    assert_error_shape(client.post("/api/v1/persons", headers=auth, json={"name": "钱多多", "id_number": idn}),
                       409, "person_exists")


@pytest.mark.parametrize("field,value", [("name", "张" * 41), ("name", 123), ("id_number", ["x"]),
                                         ("name", "'; DROP TABLE persons; --")])
def test_person_bad_values(client, auth, field, value):
    body = {"name": "张三", "id_number": "11010519491231002X", field: value}
    assert_error_shape(client.post("/api/v1/persons", headers=auth, json=body), 422, "validation_failed")


def test_enterprise_credit_code_checked(client, auth):
    assert_error_shape(client.post("/api/v1/enterprises", headers=auth,
                                   json={"name": "某公司", "uscc": "91350100M000100Y4Z"}), 422, "validation_failed")


def test_one_person_one_employer(client, auth):
    reg = make_registration(client, auth)
    code = f.uscc()
    client.post("/api/v1/enterprises", headers=auth, json={"name": f"另一家公司{code[-4:]}", "uscc": code})
    r = client.post("/api/v1/registrations", headers=auth, json={
        "person_id": reg["person"]["id"], "enterprise_uscc": code, "kind": "AQB", "specialties": ["B"]})
    assert_error_shape(r, 409, "employer_conflict")
    # another kind at the same employer is allowed
    r = client.post("/api/v1/registrations", headers=auth, json={
        "person_id": reg["person"]["id"], "enterprise_uscc": reg["employer"]["uscc"], "kind": "AQB", "specialties": ["B"]})
    assert r.status_code == 201 and "建安B(" in r.json["registration_number"]


@pytest.mark.parametrize("body", [{"kind": "XXX", "specialties": ["JZ"]}, {"kind": "JZS2", "specialties": ["TL"]},
                                  {"kind": "JZS2", "specialties": []}, {"kind": "JZS2", "specialties": ["JZ", "JZ"]},
                                  {"kind": "JZS2", "specialties": "JZ"}])
def test_registration_bad_kind_or_specialties(client, auth, body):
    reg = make_registration(client, auth)
    r = client.post("/api/v1/registrations", headers=auth,
                    json={"person_id": reg["person"]["id"], "enterprise_uscc": reg["employer"]["uscc"], **body})
    assert_error_shape(r, 422, "validation_failed")


def test_registration_number_formats(client, auth):
    one = make_registration(client, auth, kind="JZS1", specialties=["JZ", "TL"])
    assert len(one["registration_number"]) == 13 and one["registration_number"][1] == "1"
    assert one["seal_number"] == one["registration_number"] + "(01)"


def test_issue_download_and_status_flow(client, auth):
    reg = make_registration(client, auth)
    num = reg["registration_number"]
    c = issue(client, auth, num)
    png = client.get(c["links"]["qr_png"], headers=auth)
    assert png.status_code == 200 and png.mimetype == "image/png" and png.headers["Cache-Control"].startswith("private")
    from backend.qr.decode import decode_image_bytes
    assert decode_image_bytes(png.data) == [c["qr"]]
    svg = client.get(c["links"]["qr_svg"], headers=auth)
    assert svg.status_code == 200 and b"<svg" in svg.data
    pdf = client.get(c["links"]["pdf"], headers=auth)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and b"/Image" in pdf.data
    issue(client, auth, num)
    assert_error_shape(client.post(f"/api/v1/registrations/{num}/copies", headers=auth), 429, "daily_limit_reached")
    r = client.post(f"/api/v1/registrations/{num}/status", headers=auth, json={"action": "suspend", "reason": "违规"})
    assert r.status_code == 200 and r.json["status"] == "suspended"
    assert client.post("/api/v1/verify", json={"qr": c["qr"]}).json["verdict"] == "suspended"
    assert_error_shape(client.post(f"/api/v1/registrations/{num}/status", headers=auth,
                                   json={"action": "suspend", "reason": "again"}), 409, "status_transition")
    assert_error_shape(client.post(f"/api/v1/registrations/{num}/status", headers=auth,
                                   json={"action": "explode", "reason": "x"}), 422, "validation_failed")
    assert_error_shape(client.post(f"/api/v1/registrations/{num}/status", headers=auth,
                                   json={"action": "cancel"}), 422, "validation_failed")
    for odd in ({}, [], 1, None):
        assert_error_shape(client.post(f"/api/v1/registrations/{num}/status", headers=auth,
                                       json={"action": odd, "reason": "x"}), 422, "validation_failed")
    events = client.get(f"/api/v1/audit?entity_id={num}", headers=auth).json["events"]
    assert [e["action"] for e in events][:2] == ["registration.suspend", "copy.issue"] or \
        "registration.suspend" in [e["action"] for e in events]


def test_change_employer_supersedes_and_moves_all_kinds(client, auth):
    reg = make_registration(client, auth)
    num = reg["registration_number"]
    c = issue(client, auth, num)
    code = f.uscc("110105")
    client.post("/api/v1/enterprises", headers=auth, json={"name": f"北京新单位{code[-4:]}", "uscc": code})
    r = client.post(f"/api/v1/registrations/{num}/employer", headers=auth, json={"enterprise_uscc": code})
    assert r.status_code == 200 and r.json["employer"]["uscc"] == code
    v = client.post("/api/v1/verify", json={"qr": c["qr"]}).json
    assert v["verdict"] == "superseded"
    assert_error_shape(client.post(f"/api/v1/registrations/{num}/employer", headers=auth,
                                   json={"enterprise_uscc": code}), 409, "same_employer")
    assert_error_shape(client.post(f"/api/v1/registrations/{num}/employer", headers=auth,
                                   json={"enterprise_uscc": "91320594780268314T"}), 404, "enterprise_not_found")


def test_photo_upload_rejects_non_images(client, auth):
    reg = make_registration(client, auth)
    pid = reg["person"]["id"]
    for data, status in ((b"GIF89a....", 415), (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, 422), (b"x" * (2 * 1024 * 1024 + 2), 413)):
        r = client.put(f"/api/v1/persons/{pid}/photo", headers=auth, data={"image": (io.BytesIO(data), "p")},
                       content_type="multipart/form-data")
        assert_error_shape(r, status)


def test_unknown_things_are_404(client, auth):
    assert_error_shape(client.get("/api/v1/persons/999999", headers=auth), 404, "person_not_found")
    assert_error_shape(client.get("/api/v1/registrations/nope", headers=auth), 404, "registration_not_found")
    assert_error_shape(client.get("/api/v1/certificates/nope/qr.png", headers=auth), 404, "copy_not_found")
