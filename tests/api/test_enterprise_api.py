"""The contractors' endpoints over HTTP: roster, warnings, bulk check and its downloads."""
import datetime as dt
import io

import openpyxl
import pytest

from tests import factories as f
from tests.api.helpers import assert_error_shape, make_registration
from tests.api.login_helpers import bearer_for
from tests.api.test_openapi import assert_shape


@pytest.fixture()
def spec(client):
    return client.get("/api/v1/openapi.json").get_json()


@pytest.fixture()
def ent(client, auth):
    """An enterprise with two staff (one a suspended 安管 B holder) and its account's bearer header."""
    reg = make_registration(client, auth, name="王建国")
    uscc = reg["employer"]["uscc"]
    p = client.post("/api/v1/persons", headers=auth, json={"name": "陈静", "id_number": f.id_number(
        dt.date(1980, 5, 6), "F")})
    second = client.post("/api/v1/registrations", headers=auth, json={
        "person_id": p.json["id"], "enterprise_uscc": uscc, "kind": "AQB", "specialties": ["B"]}).json
    client.post(f"/api/v1/registrations/{second['registration_number']}/status", headers=auth,
                json={"action": "suspend", "reason": "test"})
    return {"uscc": uscc, "reg": reg, "second": second,
            "h": bearer_for(client, auth, "enterprise", enterprise_uscc=uscc)}


def upload(client, headers, data: bytes, name="staff.csv", path="/api/v1/enterprise/bulk-check"):
    return client.post(path, headers=headers, data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_staff_and_warnings(client, ent, spec):
    r = client.get("/api/v1/enterprise/staff", headers=ent["h"])
    assert r.status_code == 200 and "no-store" in r.headers["Cache-Control"]
    assert_shape(spec, "StaffList", r.json)
    assert r.json["total"] == 2 and r.json["enterprise"]["uscc"] == ent["uscc"]
    first = r.json["staff"][0]
    assert first["status"] == "suspended" and first["id_number"] == ent["second"]["person"]["id_number"]
    assert [s["code"] for s in first["signals"]] == ["safety_b_without_constructor"]
    w = client.get("/api/v1/enterprise/warnings", headers=ent["h"])
    assert_shape(spec, "WarningList", w.json)
    assert w.json["warnings"][0]["code"] == "registration_suspended"
    only = client.get("/api/v1/enterprise/staff?warning=registration_suspended&kind=AQB", headers=ent["h"])
    assert only.json["total"] == 1
    assert_error_shape(client.get("/api/v1/enterprise/staff?status=nope", headers=ent["h"]), 422, "validation_failed")


@pytest.mark.parametrize("args,field", [({"status": "gone"}, "status"), ({"kind": "XX"}, "kind"),
                                        ({"warning": "nope"}, "warning"), ({"page": "0"}, "page"),
                                        ({"page": "x"}, "page"), ({"q": "x" * 65}, "q")])
def test_bad_filters(client, ent, args, field):
    """Moved from the roster's service tests: the filters are checked at the edge (schemas/enterprise.py)."""
    body = assert_error_shape(client.get("/api/v1/enterprise/staff", query_string=args, headers=ent["h"]), 422,
                              "validation_failed")
    assert field in body["details"]["fields"]


def test_enterprise_sees_only_itself_and_authority_names_one(client, auth, ent):
    other = make_registration(client, auth)["employer"]["uscc"]
    assert_error_shape(client.get(f"/api/v1/enterprise/staff?uscc={other}", headers=ent["h"]), 403, "forbidden")
    assert client.get(f"/api/v1/enterprise/staff?uscc={ent['uscc']}", headers=ent["h"]).status_code == 200
    assert client.get(f"/api/v1/enterprise/staff?uscc={other}", headers=auth).json["total"] == 1
    assert_error_shape(client.get("/api/v1/enterprise/staff", headers=auth), 422, "validation_failed")
    assert_error_shape(client.get("/api/v1/enterprise/warnings?uscc=91320500MA0000000X", headers=auth), 404,
                       "enterprise_not_found")


def test_bulk_check_csv_and_downloads(client, auth, ent, spec):
    stranger = make_registration(client, auth, name="李秀英")
    body = (f"姓名,身份证号,注册编号\n王建国,{ent['reg']['person']['id_number']},\n"
            f"李秀英,,{stranger['registration_number']}\n张三,123,\n").encode("gb18030")
    r = upload(client, ent["h"], body)
    assert r.status_code == 200, r.json
    assert_shape(spec, "BulkCheckResult", r.json)
    rows = r.json["rows"]
    assert [x["result"] for x in rows] == ["found", "found", "invalid_row"] and [x["line"] for x in rows] == [2, 3, 4]
    assert rows[0]["id_number"] == ent["reg"]["person"]["id_number"] and rows[0]["employer"] == "this"
    assert "*" in rows[1]["id_number"] and rows[1]["employer"] == "other"            # another's staff: masked
    assert [s["code"] for s in rows[1]["signals"]] == ["registered_elsewhere"]
    csv = client.get(r.json["downloads"]["csv"], headers=ent["h"])
    assert csv.status_code == 200 and csv.mimetype == "text/csv" and csv.data.startswith(b"\xef\xbb\xbf")
    assert "attachment" in csv.headers["Content-Disposition"]
    text = csv.data.decode("utf-8-sig").splitlines()
    assert len(text) == 4 and "王建国" in text[1] and "有效·本单位" in text[1] and "有效·他单位" in text[2]
    assert text[0].startswith("行号,核查结论,姓名,") and "message" not in text[0]          # Chinese only, by default
    assert r.json["summary"]["categories"] == {"valid_here": 1, "valid_elsewhere": 1, "ended": 0, "mismatch": 0,
                                               "not_found": 0, "invalid_row": 1}
    assert [x["category"] for x in rows] == ["valid_here", "valid_elsewhere", "invalid_row"]
    xlsx = client.get(r.json["downloads"]["xlsx"], headers=ent["h"])
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.data), read_only=True).worksheets[0]
    assert [row[0] for row in ws.iter_rows(values_only=True)][1:] == [2, 3, 4]
    # the same access rules: another enterprise cannot fetch it, authority staff can
    other = bearer_for(client, auth, "enterprise", enterprise_uscc=stranger["employer"]["uscc"])
    assert_error_shape(client.get(r.json["downloads"]["csv"], headers=other), 404, "bulk_check_not_found")
    assert client.get(r.json["downloads"]["xlsx"], headers=auth).status_code == 200
    assert_error_shape(client.get("/api/v1/enterprise/bulk-check/nope.csv", headers=ent["h"]), 404)


def test_bulk_check_xlsx(client, ent):
    wb = openpyxl.Workbook()
    wb.active.append(["name", "registration_number"])
    wb.active.append(["王建国", ent["reg"]["registration_number"]])
    buf = io.BytesIO()
    wb.save(buf)
    r = upload(client, ent["h"], buf.getvalue(), "staff.xlsx")
    assert r.status_code == 200 and r.json["file_type"] == "xlsx" and r.json["rows"][0]["result"] == "found"


def test_bulk_check_errors(app, client, ent, monkeypatch):
    assert_error_shape(upload(client, ent["h"], b"\x89PNG\r\n\x1a\n\x00\x00\x00", "x.png"), 415, "unsupported_media_type")
    assert_error_shape(upload(client, ent["h"], b"a,b\n1,2\n"), 422, "bad_header")
    assert_error_shape(client.post("/api/v1/enterprise/bulk-check", headers=ent["h"], data={}), 422, "validation_failed")
    monkeypatch.setitem(app.config, "BULK_MAX_ROWS", 3)
    assert_error_shape(upload(client, ent["h"], ("姓名,身份证号\n" + "王,1\n" * 4).encode()), 413, "too_many_rows")
    monkeypatch.setitem(app.config, "BULK_MAX_BYTES", 1000)
    assert_error_shape(upload(client, ent["h"], ("姓名,身份证号\n" + "王,1\n" * 300).encode()), 413, "file_too_large")
    assert_error_shape(upload(client, ent["h"], ("姓名,身份证号\n" + "王,1\n" * 30000).encode()), 413, "file_too_large")


def test_bulk_check_is_rate_limited(tmp_path):
    from tests.conftest import dispose, make_app
    a = make_app(tmp_path, RATELIMIT_ENABLED=True, BULK_RATE_LIMIT="2/hour")
    try:
        c = a.test_client()
        admin = {"Authorization": f"Bearer {a.config['ADMIN_TOKEN']}"}
        uscc = make_registration(c, admin)["employer"]["uscc"]
        codes = [upload(c, admin, "姓名,身份证号\n王,1\n".encode(), path=f"/api/v1/enterprise/bulk-check?uscc={uscc}")
                 .status_code for _ in range(3)]
        assert codes == [200, 200, 429]
    finally:
        dispose(a)


def test_bulk_check_downloads_in_the_users_language(client, ent):
    r = upload(client, ent["h"], f"姓名,注册编号\n陈静,{ent['second']['registration_number']}\n".encode())
    assert r.json["rows"][0]["category"] == "ended"                   # suspended: not valid, whoever employs
    en = client.get(r.json["downloads"]["csv"] + "?lang=en", headers=ent["h"])
    assert en.status_code == 200 and 'bulk-check-' in en.headers["Content-Disposition"]
    head, row = en.data.decode("utf-8-sig").splitlines()
    assert head.startswith("Line,Outcome,Name,") and "Not valid or ended" in row and "suspended" in row
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in head)
    xlsx = client.get(r.json["downloads"]["xlsx"] + "?lang=en", headers=ent["h"])
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.data)).worksheets[0]
    assert ws.freeze_panes == "A2" and ws["B1"].value == "Outcome" and ws.column_dimensions["K"].width > 8
    assert_error_shape(client.get(r.json["downloads"]["csv"] + "?lang=fr", headers=ent["h"]), 422, "validation_failed")


@pytest.mark.parametrize("lang,first", [("zh", "姓名"), ("en", "Name")])
def test_bulk_check_template(client, ent, spec, lang, first):
    """Public (no personal data), in the user's language, and read back as the list it is meant to be."""
    for fmt in ("csv", "xlsx"):
        path = f"/api/v1/enterprise/bulk-check/template.{fmt}"
        assert f"/api/v1/enterprise/bulk-check/template.{fmt}" in spec["paths"]
        t = client.get(path, query_string={"lang": lang})
        assert t.status_code == 200 and "attachment" in t.headers["Content-Disposition"]
        assert f"template-{lang}.{fmt}" in t.headers["Content-Disposition"]
        if fmt == "csv":
            assert t.data.decode("utf-8-sig").splitlines()[0] == ",".join(
                [first, "身份证号", "注册编号"] if lang == "zh" else [first, "ID number", "Registration number"])
        else:
            assert t.mimetype.endswith("spreadsheetml.sheet")
            assert next(openpyxl.load_workbook(io.BytesIO(t.data)).worksheets[0].iter_rows(values_only=True))[0] == first
        back = upload(client, ent["h"], t.data, f"template.{fmt}")
        assert back.status_code == 200 and back.json["summary"]["rows"] == 1       # the example row, checked
        assert back.json["rows"][0]["category"] == "not_found"
    assert client.get("/api/v1/enterprise/bulk-check/template.csv").data.decode("utf-8-sig").startswith("姓名,")
    assert_error_shape(client.get("/api/v1/enterprise/bulk-check/template.xlsx?lang=de"), 422, "validation_failed")
