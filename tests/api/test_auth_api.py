"""Login, logout, me and accounts over HTTP: the contract's answers and error codes."""
import pytest

from tests import factories as f
from tests.api.helpers import assert_error_shape, make_registration
from tests.api.login_helpers import PASSWORD, bearer_for, login, make_account, make_enterprise
from tests.api.test_openapi import assert_shape
from tests.conftest import dispose, make_app


@pytest.fixture()
def spec(client):
    return client.get("/api/v1/openapi.json").get_json()


def test_login_me_logout(client, auth, spec):
    ent = make_enterprise(client, auth)
    acct = make_account(client, auth, "enterprise", enterprise_uscc=ent["uscc"], email="hr@example.com")
    assert_shape(spec, "Account", acct)
    r = client.post("/api/v1/auth/login", json={"username": acct["username"], "password": PASSWORD})
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    assert_shape(spec, "LoginResult", r.json)
    assert (r.json["token_type"], r.json["role"], r.json["expires_in"]) == ("Bearer", "enterprise", 8 * 3600)
    h = {"Authorization": f"Bearer {r.json['access_token']}"}
    me = client.get("/api/v1/auth/me", headers=h)
    assert_shape(spec, "Me", me.json)
    assert me.json == {"username": acct["username"], "role": "enterprise", "person_id": None,
                       "enterprise": {"name": ent["name"], "short_name": ent["short_name"], "uscc": ent["uscc"]},
                       "display_name": ent["name"]}         # the header shows the enterprise, not the login
    assert client.post("/api/v1/auth/logout", headers=h).json == {"status": "logged_out"}
    for resp in (client.get("/api/v1/auth/me", headers=h), client.post("/api/v1/auth/logout", headers=h),
                 client.get("/api/v1/enterprise/staff", headers=h)):
        assert_error_shape(resp, 401, "token_revoked")
    assert client.get("/api/v1/auth/me", headers=login(client, acct["username"])).status_code == 200


def test_unknown_user_and_wrong_password_answer_alike(client, auth):
    acct = make_account(client, auth, "inspector")
    wrong = client.post("/api/v1/auth/login", json={"username": acct["username"], "password": "nope nope nope"})
    unknown = client.post("/api/v1/auth/login", json={"username": "no.such.user", "password": "nope nope nope"})
    assert_error_shape(wrong, 401, "invalid_credentials")
    assert wrong.get_data() == unknown.get_data() and unknown.status_code == 401


def test_lockout_answers_423_with_retry_after(client, auth):
    acct = make_account(client, auth, "inspector")
    codes = [client.post("/api/v1/auth/login", json={"username": acct["username"], "password": "bad password!"})
             .status_code for _ in range(5)]
    assert codes == [401, 401, 401, 401, 423]
    body = assert_error_shape(client.post("/api/v1/auth/login", json={"username": acct["username"],
                                                                      "password": PASSWORD}), 423, "account_locked")
    assert 0 < body["details"]["retry_after"] <= 900


def test_failed_logins_lock_the_attackers_address_not_the_owner(client, auth):
    acct = make_account(client, auth, "inspector")

    def attempt(addr, password="bad password!"):
        return client.post("/api/v1/auth/login", json={"username": acct["username"], "password": password},
                           environ_base={"REMOTE_ADDR": addr})
    assert [attempt("203.0.113.66").status_code for _ in range(5)] == [401, 401, 401, 401, 423]
    assert_error_shape(attempt("203.0.113.66", PASSWORD), 423, "account_locked")
    assert attempt("198.51.100.7", PASSWORD).status_code == 200           # the owner, from anywhere else
    assert_error_shape(attempt("203.0.113.66", PASSWORD), 423, "account_locked")


@pytest.mark.parametrize("body", [{}, {"username": 1, "password": 2}, {"username": "x" * 500, "password": "y"}])
def test_odd_login_bodies_are_just_wrong_credentials(client, body):
    assert_error_shape(client.post("/api/v1/auth/login", json=body), 401, "invalid_credentials")


def test_login_body_errors(client):
    assert_error_shape(client.post("/api/v1/auth/login", data="{", content_type="application/json"), 400, "invalid_json")


@pytest.mark.parametrize("header", ["Bearer a.b.c", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.", "Bearer "])
def test_bad_tokens(client, header):
    assert_error_shape(client.get("/api/v1/auth/me", headers={"Authorization": header}), 401, "unauthorized")


def test_tampered_role_claim_is_refused(client, auth):
    import base64
    import json
    h = bearer_for(client, auth, "inspector")
    head, body, sig = h["Authorization"][7:].split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=="))
    claims["role"] = "authority"
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    forged = {"Authorization": f"Bearer {head}.{body}.{sig}"}
    assert_error_shape(client.post("/api/v1/persons", headers=forged, json={}), 401, "unauthorized")


def test_admin_token_is_authority_but_cannot_log_out(client, auth):
    assert client.get("/api/v1/auth/me", headers=auth).json == {"username": "admin-token", "role": "authority",
                                                                "enterprise": None, "person_id": None,
                                                                "display_name": None}
    assert_error_shape(client.post("/api/v1/auth/logout", headers=auth), 403, "forbidden")


def test_authority_account_creates_accounts_and_holder_is_bound(client, auth):
    boss = bearer_for(client, auth, "authority")
    reg = make_registration(client, auth)
    holder = make_account(client, boss, "holder", person_id=reg["person"]["id"])
    assert holder["person_id"] == reg["person"]["id"]
    me = client.get("/api/v1/auth/me", headers=login(client, holder["username"])).json
    assert me["person_id"] == reg["person"]["id"]
    assert me["display_name"] == reg["person"]["name"] != holder["username"]     # the header names the person
    r = client.post("/api/v1/accounts", headers=boss, json={"username": holder["username"], "password": PASSWORD,
                                                             "role": "inspector"})
    assert_error_shape(r, 409, "username_taken")
    r = client.post("/api/v1/accounts", headers=boss, json={"username": "x", "password": "y", "role": "god"})
    assert set(assert_error_shape(r, 422, "validation_failed")["details"]["fields"]) == {"username", "password", "role"}
    r = client.post("/api/v1/accounts", headers=boss, json={"username": "ent.x", "password": PASSWORD,
                                                             "role": "enterprise", "enterprise_uscc": f.uscc()})
    assert_error_shape(r, 404, "enterprise_not_found")


@pytest.mark.parametrize("data,fields", [
    ({"username": "ab", "password": "x" * 12, "role": "inspector"}, {"username"}),
    ({"username": "Some One", "password": "x" * 12, "role": "inspector"}, {"username"}),
    ({"username": "inspector1", "password": "short", "role": "inspector"}, {"password"}),
    ({"username": "inspector1", "password": "my inspector1 pw", "role": "inspector"}, {"password"}),
    ({"username": "inspector1", "password": "x" * 12, "role": "root"}, {"role"}),
    ({"username": "ent1", "password": "x" * 12, "role": "enterprise"}, {"enterprise_uscc"}),
    ({"username": "holder1", "password": "x" * 12, "role": "holder"}, {"person_id"}),
    ({"username": "insp2", "password": "x" * 12, "role": "inspector", "enterprise_uscc": "x", "person_id": 1},
     {"enterprise_uscc", "person_id"}),
    ({"username": "insp3", "password": "x" * 12, "role": "inspector", "email": "nope"}, {"email"}),
])
def test_account_validation(client, auth, data, fields):
    """Moved from the service's tests: the form of the fields is checked at the edge (schemas/accounts.py)."""
    body = assert_error_shape(client.post("/api/v1/accounts", headers=auth, json=data), 422, "validation_failed")
    assert set(body["details"]["fields"]) == fields


def test_deactivated_account_loses_its_token(app, client, auth):
    h = bearer_for(client, auth, "inspector")
    me = client.get("/api/v1/auth/me", headers=h).json
    from backend.extensions import db
    from backend.models import Account
    with app.app_context():
        db.session.query(Account).filter_by(username=me["username"]).update({"active": False})
        db.session.commit()
    assert_error_shape(client.get("/api/v1/auth/me", headers=h), 401, "unauthorized")


def test_token_expires(app, client, auth):
    h = bearer_for(client, auth, "inspector")
    real = app.extensions["jz.clock"]
    app.extensions["jz.clock"] = f.at(real, 8 / 24 + 1 / 1440)
    try:
        assert_error_shape(client.get("/api/v1/auth/me", headers=h), 401, "unauthorized")
    finally:
        app.extensions["jz.clock"] = real
    assert client.get("/api/v1/auth/me", headers=h).status_code == 200


def test_login_is_rate_limited_per_client(tmp_path):
    a = make_app(tmp_path, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3/minute")
    try:
        c = a.test_client()
        answers = [c.post("/api/v1/auth/login", json={"username": "a.b", "password": "c"},
                          environ_base={"REMOTE_ADDR": "10.1.1.1"}).status_code for _ in range(4)]
        assert answers == [401, 401, 401, 429]
        other = c.post("/api/v1/auth/login", json={"username": "a.b", "password": "c"},
                       environ_base={"REMOTE_ADDR": "10.1.1.2"})
        assert other.status_code == 401
    finally:
        dispose(a)


def test_tokens_of_another_instance_secret_do_not_pass(tmp_path, client, auth):
    h = bearer_for(client, auth, "authority")
    other = make_app(tmp_path)
    try:
        assert other.config["AUTH_SECRET"] != client.application.config["AUTH_SECRET"]
        assert_error_shape(other.test_client().get("/api/v1/auth/me", headers=h), 401, "unauthorized")
    finally:
        dispose(other)
