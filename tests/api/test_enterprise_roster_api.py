"""The roster as a register over HTTP (issue 15): its orders and search, the export of what the page shows,
and one person's page (own staff only: 404 for anyone else, as for an unknown person)."""
import csv
import datetime as dt
import io

import openpyxl
import pytest

from tests import factories as f
from tests.api.helpers import assert_error_shape, make_registration
from tests.api.login_helpers import bearer_for
from tests.api.test_openapi import assert_shape

NAMES = ("赵磊", "王芳", "陈静", "李娜", "张伟")        # code-point order would be 张 李 王 赵 陈


@pytest.fixture()
def spec(client):
    return client.get("/api/v1/openapi.json").get_json()


@pytest.fixture()
def ent(client, auth):
    first = make_registration(client, auth, name=NAMES[0])
    uscc = first["employer"]["uscc"]
    regs = [first]
    for i, name in enumerate(NAMES[1:]):
        p = client.post("/api/v1/persons", headers=auth, json={"name": name, "id_number": f.id_number(
            dt.date(1980 + i, 5, 6), "F")})
        regs.append(client.post("/api/v1/registrations", headers=auth, json={
            "person_id": p.json["id"], "enterprise_uscc": uscc, "kind": "JZS2", "specialties": ["JZ"]}).json)
    ended = regs[2]                                       # 陈静 leaves: her registration is cancelled
    client.post(f"/api/v1/registrations/{ended['registration_number']}/status", headers=auth,
                json={"action": "cancel", "reason": "left"})
    return {"uscc": uscc, "regs": regs, "ended": ended, "h": bearer_for(client, auth, "enterprise", enterprise_uscc=uscc)}


def names(r):
    return [s["name"] for s in r.json["staff"]]


def test_orders_and_search(client, ent, spec):
    r = client.get("/api/v1/enterprise/staff", headers=ent["h"])
    assert_shape(spec, "StaffList", r.json)
    assert r.json["sort"] == "urgency" and names(r)[-1] == "陈静"           # ended: last, for the record
    assert all(s["person_id"] for s in r.json["staff"])
    assert names(client.get("/api/v1/enterprise/staff?sort=name", headers=ent["h"])) == ["陈静", "李娜", "王芳",
                                                                                          "张伟", "赵磊"]
    numbers = [s["registration_number"] for s in client.get("/api/v1/enterprise/staff?sort=number",
                                                            headers=ent["h"]).json["staff"]]
    assert numbers == sorted(numbers)
    assert names(client.get("/api/v1/enterprise/staff", query_string={"q": "芳"}, headers=ent["h"])) == ["王芳"]
    assert names(client.get("/api/v1/enterprise/staff?q=zw", headers=ent["h"])) == ["张伟"]
    body = assert_error_shape(client.get("/api/v1/enterprise/staff?sort=age", headers=ent["h"]), 422,
                              "validation_failed")
    assert "sort" in body["details"]["fields"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_is_what_the_page_shows(client, ent, fmt):
    args = {"sort": "name", "status": "active"}
    shown = names(client.get("/api/v1/enterprise/staff", query_string=args, headers=ent["h"]))
    assert shown == ["李娜", "王芳", "张伟", "赵磊"]
    r = client.get("/api/v1/enterprise/staff/export", query_string={**args, "format": fmt, "lang": "en"},
                   headers=ent["h"])
    assert r.status_code == 200 and "no-store" in r.headers["Cache-Control"]
    assert "attachment" in r.headers["Content-Disposition"] and f"-en.{fmt}" in r.headers["Content-Disposition"]
    if fmt == "csv":
        assert r.mimetype == "text/csv" and r.data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    else:
        ws = openpyxl.load_workbook(io.BytesIO(r.data)).worksheets[0]
        assert ws.freeze_panes == "A2"
        rows = [list(v) for v in ws.iter_rows(values_only=True)]
    assert rows[0][:4] == ["Name", "Sex", "ID number", "Registration number"]
    assert [row[0] for row in rows[1:]] == shown
    assert {row[6] for row in rows[1:]} == {"active"}
    zh = client.get("/api/v1/enterprise/staff/export?format=csv", headers=ent["h"]).data.decode("utf-8-sig")
    assert zh.splitlines()[0].startswith("姓名,性别,身份证号,注册编号") and "Name" not in zh.splitlines()[0]
    assert_error_shape(client.get("/api/v1/enterprise/staff/export?format=pdf", headers=ent["h"]), 422,
                       "validation_failed")


def test_person_page(client, auth, ent, spec):
    reg = ent["regs"][1]
    r = client.get(f"/api/v1/enterprise/staff/{reg['person']['id']}", headers=ent["h"])
    assert r.status_code == 200 and "no-store" in r.headers["Cache-Control"]
    assert_shape(spec, "StaffPerson", r.json)
    assert r.json["person"]["name"] == "王芳" and r.json["person"]["id_number"] == reg["person"]["id_number"]
    assert [x["registration_number"] for x in r.json["registrations"]] == [reg["registration_number"]]
    assert r.json["registrations"][0]["specialties"][0]["code"] == "JZ"
    assert "no_current_copy" in {w["code"] for w in r.json["warnings"]}
    ended = client.get(f"/api/v1/enterprise/staff/{ent['ended']['person']['id']}", headers=ent["h"])
    assert ended.json["registrations"][0]["status"] == "cancelled"
    # authority staff name the enterprise; another enterprise's person is answered as an unknown one
    assert client.get(f"/api/v1/enterprise/staff/{reg['person']['id']}?uscc={ent['uscc']}",
                      headers=auth).status_code == 200
    stranger = make_registration(client, auth, name="李秀英")
    assert_error_shape(client.get(f"/api/v1/enterprise/staff/{stranger['person']['id']}", headers=ent["h"]), 404,
                       "person_not_found")
    for unknown in ("999999999", "0", str(2**31), "99999999999999999999"):       # beyond the column too: no 500
        assert_error_shape(client.get(f"/api/v1/enterprise/staff/{unknown}", headers=ent["h"]), 404, "person_not_found")
    other = bearer_for(client, auth, "enterprise", enterprise_uscc=stranger["employer"]["uscc"])
    assert_error_shape(client.get(f"/api/v1/enterprise/staff/{reg['person']['id']}", headers=other), 404,
                       "person_not_found")
