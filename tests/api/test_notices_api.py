"""The notices through the HTTP API: a signed-in inspector's online verification tells the holder the day and
the organisation (not who), an anonymous one tells nobody; each account reads and marks its own notices only;
the check notices can be turned off; inspector accounts carry an organisation."""
import pytest

from tests.api.helpers import assert_error_shape, issue, make_registration
from tests.api.login_helpers import bearer_for, make_account


@pytest.fixture(scope="module")
def w(mc, admin):
    a = make_registration(mc, admin, name="王建国")
    b = make_registration(mc, admin, name="李秀英")
    return {
        "a": a, "copy": issue(mc, admin, a["registration_number"]),
        "holder_a": bearer_for(mc, admin, "holder", person_id=a["person"]["id"]),
        "holder_b": bearer_for(mc, admin, "holder", person_id=b["person"]["id"]),
        "ent_a": bearer_for(mc, admin, "enterprise", enterprise_uscc=a["employer"]["uscc"]),
        "inspector": bearer_for(mc, admin, "inspector", username="zhang.wei.insp", organisation="苏州市建设工程质量安全监督站"),
        "inspector_plain": bearer_for(mc, admin, "inspector", username="li.na.insp"),
    }


def notices(mc, who, **q):
    r = mc.get("/api/v1/me/notices", headers=who, query_string=q)
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store", r.json
    return r.json


def checked(mc, who):
    return [n for n in notices(mc, who)["notices"] if n["kind"] == "certificate_checked"]


def test_inspector_verify_tells_the_holder_the_organisation_only(mc, w):
    qr = w["copy"]["qr"]
    for _ in range(3):                                       # anonymous public checks: counted, never noticed
        assert mc.post("/api/v1/verify", json={"qr": qr}).json["verdict"] == "valid"
    mc.post("/api/v1/verify", json={"qr": qr}, headers=w["holder_a"])      # the holder's own check: no notice
    assert checked(mc, w["holder_a"]) == []
    for _ in range(2):                                       # one inspector, one day: one notice
        assert mc.post("/api/v1/verify", json={"qr": qr}, headers=w["inspector"]).json["verdict"] == "valid"
    (n,) = checked(mc, w["holder_a"])
    assert n["data"]["organisation"] == "苏州市建设工程质量安全监督站" and n["data"]["via"] == "online"
    assert n["read"] is False and "苏州市建设工程质量安全监督站" in n["body"]
    assert "zhang" not in str(n) and "li.na" not in str(n)
    mc.post("/api/v1/verify", json={"qr": qr}, headers=w["inspector_plain"])   # no organisation on the account
    plain = [x for x in checked(mc, w["holder_a"]) if x["data"]["organisation"] is None]
    assert len(plain) == 1 and "现场检查人员" in plain[0]["body"] and "li.na" not in str(plain[0])
    assert checked(mc, w["holder_b"]) == []                  # another holder sees none of it


def test_own_notices_only_and_marking_read(mc, admin, w):
    mc.post("/api/v1/verify", json={"qr": w["copy"]["qr"]}, headers=w["inspector"])
    listed = notices(mc, w["holder_a"])
    assert listed["unread"] >= 1 and listed["page"] == 1
    first = listed["notices"][0]
    assert_error_shape(mc.post(f"/api/v1/me/notices/{first['id']}/read", headers=w["holder_b"]), 404, "notice_not_found")
    assert_error_shape(mc.post(f"/api/v1/me/notices/{first['id']}/read", headers=w["ent_a"]), 404, "notice_not_found")
    assert_error_shape(mc.post(f"/api/v1/me/notices/{first['id']}/read", headers=w["inspector"]), 403, "forbidden")
    assert_error_shape(mc.post(f"/api/v1/me/notices/{first['id']}/read"), 401, "unauthorized")
    r = mc.post(f"/api/v1/me/notices/{first['id']}/read", headers=w["holder_a"])
    assert r.status_code == 200 and r.json["notice"]["read"] is True and r.json["unread"] == listed["unread"] - 1
    assert first["id"] not in [n["id"] for n in notices(mc, w["holder_a"], unread=1)["notices"]]
    # the employer is told of a status change of its staff; the holder too
    r = mc.post(f"/api/v1/registrations/{w['a']['registration_number']}/status", headers=admin,
                json={"action": "suspend", "reason": "违规执业"})
    assert r.status_code == 200, r.json
    for who in ("ent_a", "holder_a"):
        got = [n for n in notices(mc, w[who])["notices"] if n["kind"] == "status_changed"]
        assert len(got) == 1 and got[0]["data"]["to"] == "suspended" and "暂扣" in got[0]["title"]
    r = mc.post("/api/v1/me/notices/read-all", headers=w["ent_a"])
    assert r.status_code == 200 and r.json["marked"] >= 1 and notices(mc, w["ent_a"])["unread"] == 0
    assert notices(mc, w["holder_a"])["unread"] >= 1          # the holder's own read state is its own
    mc.post(f"/api/v1/registrations/{w['a']['registration_number']}/status", headers=admin,
            json={"action": "unsuspend", "reason": "解除"})


def test_check_notices_can_be_turned_off(mc, admin, w):
    assert mc.get("/api/v1/me/notice-preferences", headers=w["holder_a"]).json == {"checks": True, "email": True}
    r = mc.put("/api/v1/me/notice-preferences", headers=w["holder_a"], json={"checks": False})
    assert r.status_code == 200 and r.json == {"checks": False, "email": True}
    before = len(checked(mc, w["holder_a"]))
    other = bearer_for(mc, admin, "inspector", organisation="无锡市安监站")
    mc.post("/api/v1/verify", json={"qr": w["copy"]["qr"]}, headers=other)
    assert len(checked(mc, w["holder_a"])) == before
    mc.put("/api/v1/me/notice-preferences", headers=w["holder_a"], json={"checks": True})
    mc.post("/api/v1/verify", json={"qr": w["copy"]["qr"]}, headers=other)
    assert len(checked(mc, w["holder_a"])) == before + 1
    assert_error_shape(mc.put("/api/v1/me/notice-preferences", headers=w["holder_a"], json={"checks": "no"}), 422)


def test_bad_queries(mc, w):
    assert_error_shape(mc.get("/api/v1/me/notices?unread=maybe", headers=w["holder_a"]), 422, "validation_failed")
    assert_error_shape(mc.get("/api/v1/me/notices?page=0", headers=w["holder_a"]), 422, "validation_failed")
    assert notices(mc, w["holder_a"], page=500)["notices"] == []
    assert_error_shape(mc.post(f"/api/v1/me/notices/{10**30}/read", headers=w["holder_a"]), 404, "notice_not_found")


def test_organisation_is_for_inspector_accounts(mc, admin):
    body = assert_error_shape(mc.post("/api/v1/accounts", headers=admin, json={
        "username": "someone.else", "password": "correct horse battery", "role": "authority",
        "organisation": "监督站"}), 422, "validation_failed")
    assert "organisation" in body["details"]["fields"]
    made = make_account(mc, admin, "inspector", organisation="  常州市监督站 ")
    assert made["organisation"] == "常州市监督站"
