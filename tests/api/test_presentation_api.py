"""The holder's live code over HTTP: `POST /api/v1/holder/copies/<id>/presentation` for their own current copy
only, verified by `POST /api/v1/verify` as the copy, and `expired` (an old screenshot) once past its time."""
import datetime as dt

from backend.services.clock import Clock
from tests.api.helpers import assert_error_shape, issue, make_registration
from tests.api.login_helpers import bearer_for


def url(copy_id: str) -> str:
    return f"/api/v1/holder/copies/{copy_id}/presentation"


def test_a_holder_shows_a_live_code_of_their_own_copy(app, client, auth, monkeypatch):
    mine, other = make_registration(client, auth, name="韩梅梅", sex="F"), make_registration(client, auth, name="李雷")
    copy, theirs = issue(client, auth, mine["registration_number"]), issue(client, auth, other["registration_number"])
    me = bearer_for(client, auth, "holder", person_id=mine["person"]["id"])
    r = client.post(url(copy["copy_id"]), headers=me)
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    code = r.json
    assert code["copy_id"] == copy["copy_id"] and code["refresh_after"] == app.config["PRESENTATION_REFRESH"]
    window = dt.datetime.fromisoformat(code["expires_at"]) - dt.datetime.fromisoformat(code["issued_at"])
    assert window == dt.timedelta(seconds=app.config["PRESENTATION_TTL"]) <= dt.timedelta(seconds=120)
    assert code["qr_text"].split("#")[1][0] == "1" and "<svg" in code["qr_svg"][:200]
    again = client.post(url(copy["copy_id"]), headers=me).json
    assert again["token"] != code["token"]                          # each refresh is a new code

    got = client.post("/api/v1/verify", json={"qr": code["qr_text"]}).json
    assert (got["verdict"], got["certificate"]["copy_id"]) == ("valid", copy["copy_id"])
    assert got["presentation"] == {"issued_at": code["issued_at"], "expires_at": code["expires_at"]}
    assert client.post("/api/v1/verify", json={"qr": copy["qr"]}).json["verdict"] == "valid"   # the print, as before

    later = Clock(app.config["TIMEZONE"], fixed=dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(minutes=3))
    monkeypatch.setitem(app.extensions, "jz.clock", later)
    old = client.post("/api/v1/verify", json={"qr": code["qr_text"]}).json
    assert old["verdict"] == "expired" and [x["code"] for x in old["reasons"]] == ["presentation_expired"]
    assert old["message"] == "此为过期的动态二维码(可能是截图)" and "screenshot" in old["message_en"]
    assert client.post("/api/v1/verify", json={"qr": copy["qr"]}).json["verdict"] == "valid"
    monkeypatch.undo()

    # someone else's copy, or none: not found; a superseded copy of one's own: 409
    for other_id in (theirs["copy_id"], "aaaaaaaa"):
        assert_error_shape(client.post(url(other_id), headers=me), 404, "copy_not_found")
    r = client.post(f"/api/v1/persons/{mine['person']['id']}/name", headers=auth, json={"name": "韩梅"})
    assert r.status_code == 200
    assert_error_shape(client.post(url(copy["copy_id"]), headers=me), 409, "copy_not_current")


def test_a_suspended_copys_live_code_is_suspended_and_a_tampered_one_invalid(client, auth):
    reg = make_registration(client, auth)
    copy = issue(client, auth, reg["registration_number"])
    me = bearer_for(client, auth, "holder", person_id=reg["person"]["id"])
    code = client.post(url(copy["copy_id"]), headers=me).json
    text = code["qr_text"]
    flipped = text[:-20] + ("A" if text[-20] != "A" else "B") + text[-19:]
    assert client.post("/api/v1/verify", json={"qr": flipped}).json["verdict"] == "invalid"
    r = client.post(f"/api/v1/registrations/{reg['registration_number']}/status", headers=auth,
                    json={"action": "suspend", "reason": "调查中"})
    assert r.status_code == 200
    got = client.post("/api/v1/verify", json={"qr": text}).json
    assert got["verdict"] == "suspended" and "registration_suspended" in [x["code"] for x in got["reasons"]]
    # the token as issued, compact: the same answer
    assert client.post("/api/v1/verify", json={"qr": code["token"]}).json["verdict"] == "suspended"


def test_the_live_code_is_rate_limited_per_account(tmp_path):
    from tests.conftest import dispose, make_app
    a = make_app(tmp_path, RATELIMIT_ENABLED=True, PRESENTATION_RATE_LIMIT="2/minute")
    try:
        c = a.test_client()
        admin = {"Authorization": f"Bearer {a.config['ADMIN_TOKEN']}"}
        regs = [make_registration(c, admin, name=n) for n in ("王一", "王二")]
        copies = [issue(c, admin, r["registration_number"])["copy_id"] for r in regs]
        first, second = (bearer_for(c, admin, "holder", person_id=r["person"]["id"]) for r in regs)
        assert [c.post(url(copies[0]), headers=first).status_code for _ in range(3)] == [200, 200, 429]
        assert c.post(url(copies[1]), headers=second).status_code == 200    # another holder at the same address
    finally:
        dispose(a)
