"""Certificate tokens under attack: every forgery gets an `invalid` verdict with its reason."""
import base64
import hashlib
import hmac
import json
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from backend.crypto import keys, tokens
from backend.services.issuance.copies import issue_copy
from backend.services.verification.verify import verify_qr
from tests import factories as f


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


@pytest.fixture()
def copy(session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock)
    return issue_copy(session, svc.ring, svc.catalogue, svc.settings, svc.clock, reg.registration_number, "test")


def verdict(session, svc, text):
    r = verify_qr(session, svc.ring, svc.catalogue, svc.settings, svc.clock, text)
    return r["verdict"], [x["code"] for x in r["reasons"]]


def parts(token):
    h, p, s = token.split(".")
    return json.loads(unb64(h)), json.loads(unb64(p)), s


def forge(header: dict, claims: dict, sig: str = "") -> str:
    enc = lambda d: b64(json.dumps(d, separators=(",", ":"), ensure_ascii=False).encode())  # noqa: E731
    return f"{enc(header)}.{enc(claims)}.{sig}"


def test_genuine_copy_is_valid(session, svc, copy):
    assert verdict(session, svc, copy.qr_text) == ("valid", [])


def test_tampered_payload(session, svc, copy):
    h, c, s = parts(copy.token)
    c["n"] = "冒名顶替"
    assert verdict(session, svc, forge(h, c, s)) == ("invalid", ["bad_signature"])


def test_tampered_signature(session, svc, copy):
    head, body, sig = copy.token.split(".")
    raw = bytearray(unb64(sig))
    raw[10] ^= 1
    assert verdict(session, svc, f"{head}.{body}.{b64(bytes(raw))}") == ("invalid", ["bad_signature"])


def test_signature_of_other_length(session, svc, copy):
    head, body, sig = copy.token.split(".")
    assert verdict(session, svc, f"{head}.{body}.{sig[:40]}") == ("invalid", ["bad_signature"])


def test_unknown_kid(session, svc, copy):
    h, c, s = parts(copy.token)
    h["kid"] = "AAAAAAAA"
    assert verdict(session, svc, forge(h, c, s)) == ("invalid", ["unknown_key"])


@pytest.mark.parametrize("kid", ["../../../etc/passwd", "current", "", None, 7, {"a": 1}])
def test_odd_kids(session, svc, copy, kid):
    h, c, s = parts(copy.token)
    h["kid"] = kid
    v, why = verdict(session, svc, forge(h, c, s))
    assert v == "invalid" and why[0] in ("unknown_key", "missing_kid", "malformed")


def test_missing_kid(session, svc, copy):
    h, c, s = parts(copy.token)
    del h["kid"]
    assert verdict(session, svc, forge(h, c, s)) == ("invalid", ["missing_kid"])


@pytest.mark.parametrize("alg", ["none", "None", "NONE", ""])
def test_alg_none(session, svc, copy, alg):
    h, c, _ = parts(copy.token)
    h["alg"] = alg
    assert verdict(session, svc, forge(h, c, "")) == ("invalid", ["algorithm_not_allowed"])


def test_hs256_signed_with_the_public_key(session, svc, copy):
    h, c, _ = parts(copy.token)
    pub_pem = svc.ring.public_keys[h["kid"]].public_bytes(serialization.Encoding.PEM,
                                                          serialization.PublicFormat.SubjectPublicKeyInfo)
    for alg, secret in (("HS256", pub_pem), ("HS256", pub_pem.strip()), ("ES256", pub_pem)):
        hdr = dict(h, alg=alg)
        unsigned = forge(hdr, c).rstrip(".")
        mac = hmac.new(secret, unsigned.encode(), hashlib.sha256).digest()
        v, why = verdict(session, svc, f"{unsigned}.{b64(mac)}")
        assert v == "invalid" and why[0] in ("algorithm_not_allowed", "bad_signature")


def test_signed_by_another_key_claiming_our_kid(session, svc, copy):
    h, c, _ = parts(copy.token)
    attacker = ec.generate_private_key(ec.SECP256R1())
    token = jwt.encode(c, attacker, algorithm="ES256", headers={"kid": h["kid"]})
    assert verdict(session, svc, token) == ("invalid", ["bad_signature"])


def test_embedded_jwk_header_is_ignored(session, svc, copy):
    h, c, _ = parts(copy.token)
    attacker = ec.generate_private_key(ec.SECP256R1())
    token = jwt.encode(c, attacker, algorithm="ES256",
                       headers={"kid": h["kid"], "jwk": keys.public_jwk(attacker.public_key())})
    assert verdict(session, svc, token) == ("invalid", ["bad_signature"])


def test_rs256(session, svc, copy):
    _, c, _ = parts(copy.token)
    k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(c, k, algorithm="RS256", headers={"kid": svc.ring.current_kid})
    assert verdict(session, svc, token) == ("invalid", ["algorithm_not_allowed"])


def test_wrong_issuer_with_our_own_key(session, svc, copy):
    _, c, _ = parts(copy.token)
    assert verdict(session, svc, tokens.sign(svc.ring, dict(c, iss="SOMEONE-ELSE"))) == ("invalid", ["wrong_issuer"])


@pytest.mark.parametrize("claim", ["iss", "iat", "exp", "jti"])
def test_missing_required_claim(session, svc, copy, claim):
    _, c, _ = parts(copy.token)
    del c[claim]
    assert verdict(session, svc, tokens.sign(svc.ring, c)) == ("invalid", ["missing_claim"])


def test_issued_in_the_future(session, svc, copy):
    _, c, _ = parts(copy.token)
    c["iat"] += 10 * 24 * 3600
    assert verdict(session, svc, tokens.sign(svc.ring, c)) == ("invalid", ["not_yet_valid"])


def test_genuine_but_expired_is_the_expired_verdict(session, svc, copy):
    _, c, _ = parts(copy.token)
    c["exp"] = c["iat"] - 1
    c["iat"] -= 10
    assert verdict(session, svc, tokens.sign(svc.ring, c)) == ("expired", ["copy_expired"])


def test_forged_and_expired_is_invalid(session, svc, copy):
    h, c, s = parts(copy.token)
    c["exp"] = 1
    assert verdict(session, svc, forge(h, c, s)) == ("invalid", ["bad_signature"])


def test_claims_not_matching_the_register(session, svc, copy):
    _, c, _ = parts(copy.token)
    assert verdict(session, svc, tokens.sign(svc.ring, dict(c, r="京111050700001"))) == ("invalid", ["inconsistent"])


@pytest.mark.parametrize("text", ["a.b.c", "...", "eyJ.eyJ.x", "e30.e30.e30", b64(b"[1]") + "." + b64(b"{}") + ".AA",
                                  b64(b'{"alg":"ES256","kid":"x"}') + "." + b64(b"\xff\xfe") + ".AA"])
def test_malformed(session, svc, text):
    v, why = verdict(session, svc, text)
    assert v == "invalid" and why[0] in ("malformed", "algorithm_not_allowed", "missing_kid", "unknown_key", "not_a_certificate")


def test_rotation_keeps_old_copies_valid(app, session, svc, copy):
    old_kid = svc.ring.current_kid
    keys.rotate(app.config["KEY_DIR"])
    ring = keys.load_keyring(app.config["KEY_DIR"])
    assert ring.current_kid != old_kid and old_kid in ring.public_keys
    assert not (Path(app.config["KEY_DIR"]) / f"{old_kid}.key.pem").exists()   # a retired key signs nothing
    svc.ring = ring
    assert verdict(session, svc, copy.qr_text) == ("valid", [])
    reg = copy.registration
    new = issue_copy(session, ring, svc.catalogue, svc.settings, svc.clock, reg.registration_number, "test")
    assert parts(new.token)[0]["kid"] == ring.current_kid
    kids = [k["kid"] for k in ring.jwks()["keys"]]
    assert kids[0] == ring.current_kid and old_kid in kids
    assert all(set(k) >= {"kty", "crv", "x", "y", "kid", "alg"} and "d" not in k for k in ring.jwks()["keys"])


def test_kid_is_a_thumbprint_prefix(svc):
    pub = svc.ring.public_keys[svc.ring.current_kid]
    assert keys.thumbprint(pub).startswith(svc.ring.current_kid)
