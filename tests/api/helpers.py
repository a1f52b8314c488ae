"""Set-up through the HTTP API itself, as an authority user would do it."""
from __future__ import annotations

import datetime as dt

from tests import factories as f


def make_registration(client, auth, *, kind="JZS2", specialties=("JZ", "SZ"), name="周建华", sex="M",
                      birth=dt.date(1986, 4, 2)) -> dict:
    p = client.post("/api/v1/persons", json={"name": name, "id_number": f.id_number(birth, sex)}, headers=auth)
    assert p.status_code == 201, p.json
    code = f.uscc()
    e = client.post("/api/v1/enterprises", json={"name": f"江苏测试建设有限公司{code[-5:]}", "uscc": code}, headers=auth)
    assert e.status_code == 201, e.json
    r = client.post("/api/v1/registrations", headers=auth, json={
        "person_id": p.json["id"], "enterprise_uscc": code, "kind": kind, "specialties": list(specialties)})
    assert r.status_code == 201, r.json
    return r.json


def issue(client, auth, number: str) -> dict:
    r = client.post(f"/api/v1/registrations/{number}/copies", headers=auth)
    assert r.status_code == 201, r.json
    return r.json


def assert_error_shape(resp, status: int, code: str | None = None):
    assert resp.status_code == status, (resp.status_code, resp.get_data(as_text=True)[:300])
    body = resp.get_json()
    assert set(body) == {"error", "message", "message_en", "details"}, body
    assert isinstance(body["details"], dict) and body["message"] and body["message_en"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])     # Chinese first
    if code:
        assert body["error"] == code, body
    assert "Traceback" not in resp.get_data(as_text=True)
    return body
