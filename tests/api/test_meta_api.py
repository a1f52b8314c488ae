import jwt

from backend.services.issuance.status_list import decode_list
from tests.api.helpers import assert_error_shape


def test_healthz(client):
    assert client.get("/healthz").json == {"status": "ok"}


def test_jwks_is_public_cors_and_verifies_status_list(client):
    r = client.get("/.well-known/jwks.json")
    assert r.status_code == 200 and r.headers["Access-Control-Allow-Origin"] == "*"
    keys = {k["kid"]: k for k in r.json["keys"]}
    sl = client.get("/api/v1/status-list")
    assert sl.status_code == 200 and sl.headers["Access-Control-Allow-Origin"] == "*"
    token = sl.json["token"]
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "ES256" and header["typ"] == "statuslist+jwt"
    key = jwt.PyJWK(keys[header["kid"]])
    claims = jwt.decode(token, key, algorithms=["ES256"])
    assert len(decode_list(claims["encodedList"])) * 8 // claims["bits"] == claims["size"] >= 131072 and claims["bits"] == 4
    assert claims["statusMessage"][4] == {"status": "0x4", "message": "lapsed"}


def test_security_headers(client):
    r = client.get("/healthz")
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    # the camera and the location (a site check's optional GPS) for this origin only; never the microphone
    assert r.headers["Permissions-Policy"] == "camera=(self), geolocation=(self), microphone=()"


def test_unknown_api_path_and_method(client):
    assert_error_shape(client.get("/api/v1/status-list/x"), 404, "not_found")
    assert_error_shape(client.post("/healthz"), 405, "method_not_allowed")
    assert_error_shape(client.get("/.well-known/nothing"), 404, "not_found")
