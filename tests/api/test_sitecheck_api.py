"""Site checks over HTTP: the roles document, an inspection recorded, read, downloaded and verified, and a person
evaluated from the register. Every answer is also held to its schema (API_VALIDATE_RESPONSES)."""
import csv
import io
import uuid

import pytest

from tests.api.helpers import assert_error_shape, issue, make_registration
from tests.api.login_helpers import bearer_for


@pytest.fixture(scope="module")
def world(mc, admin):
    pm = make_registration(mc, admin, kind="JZS2", specialties=("JZ",), name="陈项目")
    uscc = pm["employer"]["uscc"]
    b = mc.post("/api/v1/registrations", headers=admin, json={"person_id": pm["person"]["id"], "enterprise_uscc": uscc,
                                                                "kind": "AQB", "specialties": ["B"]})
    assert b.status_code == 201, b.json
    crane = make_registration(mc, admin, kind="TZZY", specialties=("05",), name="吴塔吊")
    return {"uscc": uscc, "pm_person": pm["person"]["id"],
            "pm": [issue(mc, admin, n)["qr"] for n in (pm["registration_number"], b.json["registration_number"])],
            "crane": [issue(mc, admin, crane["registration_number"])["qr"]]}


@pytest.fixture(scope="module")
def inspector(mc, admin):
    return bearer_for(mc, admin, "inspector", organisation="苏州市建设工程质量安全监督站")


def body(world, **extra):
    return {"client_id": str(uuid.uuid4()), "started_at": "2026-05-01T09:00:00+08:00",
            "finished_at": "2026-05-01T09:40:00+08:00",
            "site": {"name": "园区某住宅项目 3# 楼", "specialty": "JZ", "contractor_uscc": world["uscc"], "scale": "medium",
                     "gps": {"lat": 31.3, "lon": 120.7, "accuracy_m": 15}},
            "people": [{"role": "project_manager", "qr": world["pm"]}, {"role": "tower_crane_operator",
                                                                        "qr": world["crane"]},
                       {"role": "project_manager", "qr": world["pm"][:1]}], **extra}


def test_roles_are_public_and_cacheable(mc):
    r = mc.get("/api/v1/roles")
    assert r.status_code == 200 and "max-age" in r.headers["Cache-Control"]
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    codes = [x["code"] for x in r.json["roles"]]
    assert "project_manager" in codes and "tower_crane_operator" in codes
    assert r.json["flags"]["other_employer"]["failing"] and not r.json["flags"]["scale_unknown"]["failing"]


def test_an_inspection_recorded_read_and_verified(mc, world, inspector, admin):
    b = body(world)
    r = mc.post("/api/v1/inspections", headers=inspector, json=b)
    assert r.status_code == 201, r.json
    rec = r.json
    assert rec["inspector"]["organisation"] == "苏州市建设工程质量安全监督站" and rec["inspector"]["username"]
    assert [p["met"] for p in rec["people"]] == [True, True, False]
    assert rec["people"][2]["flags"] == ["missing"]
    assert rec["summary"]["people"] == 3 and rec["summary"]["met"] == 2
    assert rec["started_at"] == "2026-05-01T01:00:00Z" and rec["link"].endswith("/i#" + rec["token"])
    assert r.headers["Cache-Control"] == "private, no-store"
    # a retried sync: the same record, never a second
    again = mc.post("/api/v1/inspections", headers=inspector, json=b)
    assert again.status_code == 201 and again.json["id"] == rec["id"]
    assert_error_shape(mc.post("/api/v1/inspections", headers=inspector, json={**b, "people": b["people"][:1]}), 409,
                       "inspection_conflict")
    assert mc.get(f"/api/v1/inspections/{rec['id']}", headers=inspector).json == rec
    assert mc.get(f"/api/v1/inspections/{rec['id']}", headers=admin).status_code == 200
    other = bearer_for(mc, admin, "inspector")
    assert_error_shape(mc.get(f"/api/v1/inspections/{rec['id']}", headers=other), 404, "inspection_not_found")
    listed = mc.get("/api/v1/inspections", headers=inspector).json
    assert listed["total"] >= 1 and listed["inspections"][0]["id"] == rec["id"] and "people" not in listed["inspections"][0]
    assert mc.get("/api/v1/inspections", headers=other).json["total"] == 0
    # the record verifies by its link, publicly, without the inspector's name; a tampered one does not
    v = mc.post("/api/v1/inspections/verify", json={"token": rec["link"]})
    assert v.status_code == 200 and v.json["verdict"] == "valid" and v.json["record"]["id"] == rec["id"]
    assert rec["inspector"]["username"] not in v.get_data(as_text=True)
    head, payload, sig = rec["token"].split(".")
    forged = f"{head}.{payload[:-2]}{'A' if payload[-2] != 'A' else 'B'}{payload[-1]}.{sig}"
    assert mc.post("/api/v1/inspections/verify", json={"token": forged}).json["verdict"] == "invalid"
    # the record is no certificate, and a certificate no record
    assert mc.post("/api/v1/verify", json={"qr": rec["token"]}).json["verdict"] == "invalid"
    assert mc.post("/api/v1/inspections/verify", json={"token": world["pm"][0]}).json["verdict"] == "invalid"


def test_downloads(mc, world, inspector):
    rec = mc.post("/api/v1/inspections", headers=inspector, json=body(world)).json
    pdf = mc.get(rec["downloads"]["pdf"], headers=inspector)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"
    assert rec["id"] in pdf.headers["Content-Disposition"]
    got = mc.get(rec["downloads"]["csv"], headers=inspector)
    assert got.status_code == 200 and got.data.startswith("\ufeff".encode()) and "charset=utf-8" in got.content_type
    rows = list(csv.reader(io.StringIO(got.data.decode("utf-8-sig"))))
    assert len(rows) == 1 + 4 and rows[1][0] == rec["id"] and rows[1][3] == "项目经理"
    assert {r[11].split()[-1] for r in rows[1:]} == {"valid"}


def test_the_downloaded_pdf_is_signed_by_the_authority(app, mc, world, inspector, admin):
    from pathlib import Path

    from tests.signed_pdfs import validate
    ca = (Path(app.config["PDF_SIGNING_DIR"]) / "ca.cert.pem").read_bytes()
    rec = mc.post("/api/v1/inspections", headers=inspector, json=body(world)).json
    for who in (inspector, admin):
        sig, status = validate(mc.get(rec["downloads"]["pdf"], headers=who).data, ca)
        assert status.bottom_line and status.intact and status.trusted
        assert status.signing_cert.subject.native["common_name"] == app.config["ISSUER_NAME"]


def test_the_pdf_carries_the_records_link_as_its_qr_code(mc, world, inspector):
    from backend.qr.decode import decode_image_bytes
    from tests.signed_pdfs import render
    rec = mc.post("/api/v1/inspections", headers=inspector, json=body(world)).json
    png = io.BytesIO()
    render(mc.get(rec["downloads"]["pdf"], headers=inspector).data).save(png, "PNG")
    assert decode_image_bytes(png.getvalue()) == [rec["link"]]


def test_field_problems(mc, world, inspector):
    bad = body(world, people=[{"role": "nobody", "qr": ["x"]}])
    bad["site"]["contractor_uscc"] = "91350100M000100Y4Z"
    e = assert_error_shape(mc.post("/api/v1/inspections", headers=inspector, json=bad), 422, "validation_failed")
    assert set(e["details"]["fields"]) == {"people.0.role", "site.contractor_uscc"}
    assert_error_shape(mc.post("/api/v1/inspections", headers=inspector, json={**body(world), "client_id": "nope"}),
                       422, "validation_failed")
    e = assert_error_shape(mc.post("/api/v1/inspections", headers=inspector, json={
        **body(world), "started_at": "0001-01-01T00:00:00+08:00"}), 422, "validation_failed")
    assert "started_at" in e["details"]["fields"]
    many = body(world, people=[{"role": "electrician", "qr": ["x"] * 10}] * 41)
    e = assert_error_shape(mc.post("/api/v1/inspections", headers=inspector, json=many), 422, "validation_failed")
    assert e["details"]["fields"]["people"]["code"] == "size"


def test_a_person_from_the_register(mc, world, admin):
    site = {"specialty": "JZ", "contractor_uscc": world["uscc"], "scale": "medium"}
    r = mc.post("/api/v1/roles/project_manager/evaluate", headers=admin, json={"person_id": world["pm_person"],
                                                                              "site": site})
    assert r.status_code == 200 and r.json["met"], r.json
    own = bearer_for(mc, admin, "enterprise", enterprise_uscc=world["uscc"])
    assert mc.post("/api/v1/roles/project_manager/evaluate", headers=own, json={"person_id": world["pm_person"],
                                                                               "site": site}).json["met"]
    stranger = make_registration(mc, admin, name="路人甲")
    assert_error_shape(mc.post("/api/v1/roles/project_manager/evaluate", headers=own, json={
        "person_id": stranger["person"]["id"], "site": site}), 404, "person_not_found")
    assert_error_shape(mc.post("/api/v1/roles/nobody/evaluate", headers=admin, json={
        "person_id": world["pm_person"], "site": site}), 422, "validation_failed")
