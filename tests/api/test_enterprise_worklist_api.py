"""GET /api/v1/enterprise/warnings as a work list over HTTP: the groups, their counts, the link to the person,
the same answer for the enterprise and for the authority, and the old `warnings` field kept."""
import datetime as dt

import pytest

from tests import factories as f
from tests.api.helpers import make_registration
from tests.api.login_helpers import bearer_for
from tests.api.test_openapi import assert_shape


@pytest.fixture()
def spec(client):
    return client.get("/api/v1/openapi.json").get_json()


@pytest.fixture()
def staff(client, auth):
    """An enterprise with three staff: one active, one suspended, one cancelled; and its account's header."""
    first = make_registration(client, auth, name="王建国")
    uscc = first["employer"]["uscc"]
    regs = {"active": first}
    for status, action, birth in (("suspended", "suspend", dt.date(1980, 5, 6)), ("cancelled", "cancel", dt.date(1979, 2, 3))):
        p = client.post("/api/v1/persons", headers=auth, json={"name": f"陈{status[:2]}", "id_number": f.id_number(birth, "F")})
        regs[status] = client.post("/api/v1/registrations", headers=auth, json={
            "person_id": p.json["id"], "enterprise_uscc": uscc, "kind": "AQB", "specialties": ["B"]}).json
        r = client.post(f"/api/v1/registrations/{regs[status]['registration_number']}/status", headers=auth,
                        json={"action": action, "reason": "test"})
        assert r.status_code == 200, r.json
    return {"uscc": uscc, "regs": regs, "h": bearer_for(client, auth, "enterprise", enterprise_uscc=uscc)}


def test_work_list_groups_and_counts(client, auth, staff, spec):
    r = client.get("/api/v1/enterprise/warnings", headers=staff["h"])
    assert r.status_code == 200 and "no-store" in r.headers["Cache-Control"]
    assert_shape(spec, "WarningList", r.json)
    a = r.json
    assert a["todo_count"] == len(a["todo"]) == 1 and a["ended_count"] == len(a["ended"]) == 1
    (todo,), (ended,) = a["todo"], a["ended"]
    suspended, cancelled = staff["regs"]["suspended"], staff["regs"]["cancelled"]
    assert (todo["action"], todo["registration_number"], todo["due"]) == (
        "registration_suspended", suspended["registration_number"], None)
    assert todo["person_id"] == suspended["person"]["id"] and todo["message"] and todo["message_en"]
    assert (ended["action"], ended["registration_number"], ended["group"]) == (
        "registration_ended", cancelled["registration_number"], "ended")
    # The old field is still every warning; the copies are counted apart, not as to-dos.
    codes = {w["code"] for w in a["warnings"]}
    assert {"registration_suspended", "registration_revoked", "no_current_copy"} <= codes
    assert a["notes"] == [{"code": "no_current_copy", "count": 1, "name": "无当前电子证书", "name_en": "no current copy"}]
    seen = client.get(f"/api/v1/enterprise/warnings?uscc={staff['uscc']}", headers=auth).json
    assert (seen["todo_count"], seen["todo"], seen["ended"]) == (a["todo_count"], a["todo"], a["ended"])
