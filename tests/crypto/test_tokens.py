"""Certificate tokens under attack: every forgery gets an `invalid` verdict with its reason, in both forms:
v1 (JSON payload, `{base}/v#<token>`, every copy issued before issue 11) and v2 (CBOR payload, packed into
`{BASE}/V#<Base32>`)."""
import base64
import hashlib
import hmac
import json
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from backend.crypto import cbor_claims, keys, tokens
from backend.services.issuance.copies import issue_copy
from backend.services.verification.verify import verify_qr
from tests import factories as f


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def v1_token(svc, copy) -> str:
    """The copy's claims as a token of the form issued before v2 (no `h`)."""
    return tokens.sign(svc.ring, {k: v for k, v in parts(copy.token)[1].items() if k != "h"})


FORMS = ("v1", "v2")


@pytest.fixture()
def copy(session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock)
    return issue_copy(session, svc.ring, svc.catalogue, svc.settings, svc.clock, reg.registration_number, "test")


@pytest.fixture(params=FORMS)
def form(request):
    return request.param


@pytest.fixture()
def token(svc, copy, form):
    """The copy's token in the form under test."""
    return copy.token if form == "v2" else v1_token(svc, copy)


def sign(svc, claims: dict, form: str) -> str:
    return tokens.sign_certificate(svc.ring, claims) if form == "v2" else tokens.sign(svc.ring, claims)


def verdict(session, svc, text):
    r = verify_qr(session, svc.ring, svc.catalogue, svc.settings, svc.clock, text)
    return r["verdict"], [x["code"] for x in r["reasons"]]


def parts(token):
    h, p, s = token.split(".")
    header = json.loads(unb64(h))
    claims = cbor_claims.decode(unb64(p)) if header.get("typ") == tokens.CERTIFICATE_V2 else json.loads(unb64(p))
    return header, claims, s


def forge(header: dict, claims: dict, sig: str = "") -> str:
    """A token with this header and claims, the payload written as the header's type says (CBOR for v2)."""
    if header.get("typ") == tokens.CERTIFICATE_V2:
        payload = cbor_claims.encode(claims)
        head = b64(tokens.V2_HEADER.format(kid=header["kid"]).encode()) if set(header) == {"alg", "kid", "typ"} \
            and header["alg"] == "ES256" else b64(json.dumps(header, separators=(",", ":")).encode())
    else:
        payload = json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode()
        head = b64(json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode())
    return f"{head}.{b64(payload)}.{sig}"


def stranger_token(claims: dict, key, form: str, algorithm: str = "ES256", **headers) -> str:
    """A token of either form signed by someone else's key (pyjwt writes it)."""
    if form == "v2":
        return jwt.PyJWS().encode(cbor_claims.encode(claims), key, algorithm=algorithm,
                                  headers={"typ": tokens.CERTIFICATE_V2, **headers})
    return jwt.encode(claims, key, algorithm=algorithm, headers=headers)


def test_genuine_copy_is_valid(session, svc, copy, token, form):
    assert verdict(session, svc, copy.qr_text) == ("valid", [])
    assert verdict(session, svc, token) == ("valid", [])                       # the bare token, either form
    assert verdict(session, svc, f"{svc.settings.base_url}/v#{token}") == ("valid", [])


def test_tampered_payload(session, svc, token):
    h, c, s = parts(token)
    c["n"] = "冒名顶替"
    assert verdict(session, svc, forge(h, c, s)) == ("invalid", ["bad_signature"])


def test_tampered_signature(session, svc, token):
    head, body, sig = token.split(".")
    raw = bytearray(unb64(sig))
    raw[10] ^= 1
    assert verdict(session, svc, f"{head}.{body}.{b64(bytes(raw))}") == ("invalid", ["bad_signature"])


def test_signature_of_other_length(session, svc, token):
    head, body, sig = token.split(".")
    assert verdict(session, svc, f"{head}.{body}.{sig[:40]}") == ("invalid", ["bad_signature"])


def test_unknown_kid(session, svc, token):
    h, c, s = parts(token)
    h["kid"] = "AAAAAAAA"
    assert verdict(session, svc, forge(h, c, s)) == ("invalid", ["unknown_key"])


@pytest.mark.parametrize("kid", ["../../../etc/passwd", "current", "", None, 7, {"a": 1}])
def test_odd_kids(session, svc, token, kid):
    h, c, s = parts(token)
    h["kid"] = kid
    v, why = verdict(session, svc, forge(h, c, s))
    assert v == "invalid" and why[0] in ("unknown_key", "missing_kid", "malformed")


def test_missing_kid(session, svc, token):
    h, c, s = parts(token)
    del h["kid"]
    assert verdict(session, svc, forge(h, c, s)) == ("invalid", ["missing_kid"])


@pytest.mark.parametrize("alg", ["none", "None", "NONE", ""])
def test_alg_none(session, svc, token, alg):
    h, c, _ = parts(token)
    h["alg"] = alg
    assert verdict(session, svc, forge(h, c, "")) == ("invalid", ["algorithm_not_allowed"])


def test_hs256_signed_with_the_public_key(session, svc, token):
    h, c, _ = parts(token)
    pub_pem = svc.ring.public_keys[h["kid"]].public_bytes(serialization.Encoding.PEM,
                                                          serialization.PublicFormat.SubjectPublicKeyInfo)
    for alg, secret in (("HS256", pub_pem), ("HS256", pub_pem.strip()), ("ES256", pub_pem)):
        hdr = dict(h, alg=alg)
        unsigned = forge(hdr, c).rstrip(".")
        mac = hmac.new(secret, unsigned.encode(), hashlib.sha256).digest()
        v, why = verdict(session, svc, f"{unsigned}.{b64(mac)}")
        assert v == "invalid" and why[0] in ("algorithm_not_allowed", "bad_signature")


def test_signed_by_another_key_claiming_our_kid(session, svc, token, form):
    h, c, _ = parts(token)
    attacker = ec.generate_private_key(ec.SECP256R1())
    assert verdict(session, svc, stranger_token(c, attacker, form, kid=h["kid"])) == ("invalid", ["bad_signature"])


def test_embedded_jwk_header_is_ignored(session, svc, token, form):
    h, c, _ = parts(token)
    attacker = ec.generate_private_key(ec.SECP256R1())
    forged = stranger_token(c, attacker, form, kid=h["kid"], jwk=keys.public_jwk(attacker.public_key()))
    assert verdict(session, svc, forged) == ("invalid", ["bad_signature"])


def test_rs256(session, svc, token, form):
    _, c, _ = parts(token)
    k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = stranger_token(c, k, form, "RS256", kid=svc.ring.current_kid)
    assert verdict(session, svc, forged) == ("invalid", ["algorithm_not_allowed"])


def test_wrong_issuer_with_our_own_key(session, svc, token, form):
    _, c, _ = parts(token)
    assert verdict(session, svc, sign(svc, dict(c, iss="SOMEONE-ELSE"), form)) == ("invalid", ["wrong_issuer"])


@pytest.mark.parametrize("claim", ["iss", "iat", "exp", "jti"])
def test_missing_required_claim(session, svc, token, form, claim):
    _, c, _ = parts(token)
    del c[claim]
    assert verdict(session, svc, sign(svc, c, form)) == ("invalid", ["missing_claim"])


def test_issued_in_the_future(session, svc, token, form):
    _, c, _ = parts(token)
    c["iat"] += 10 * 24 * 3600
    assert verdict(session, svc, sign(svc, c, form)) == ("invalid", ["not_yet_valid"])


def test_genuine_but_expired_is_the_expired_verdict(session, svc, token, form):
    _, c, _ = parts(token)
    c["exp"] = c["iat"] - 1
    c["iat"] -= 10
    assert verdict(session, svc, sign(svc, c, form)) == ("expired", ["copy_expired"])


def test_forged_and_expired_is_invalid(session, svc, token):
    h, c, s = parts(token)
    c["exp"] = 1
    assert verdict(session, svc, forge(h, c, s)) == ("invalid", ["bad_signature"])


def test_claims_not_matching_the_register(session, svc, token, form):
    _, c, _ = parts(token)
    assert verdict(session, svc, sign(svc, dict(c, r="京111050700001"), form)) == ("invalid", ["inconsistent"])


@pytest.mark.parametrize("text", ["a.b.c", "...", "eyJ.eyJ.x", "e30.e30.e30", b64(b"[1]") + "." + b64(b"{}") + ".AA",
                                  b64(b'{"alg":"ES256","kid":"x"}') + "." + b64(b"\xff\xfe") + ".AA"])
def test_malformed(session, svc, text):
    v, why = verdict(session, svc, text)
    assert v == "invalid" and why[0] in ("malformed", "algorithm_not_allowed", "missing_kid", "unknown_key", "not_a_certificate")


def test_rotation_keeps_old_copies_valid(app, session, svc, copy):
    old_kid = svc.ring.current_kid
    old_v1 = v1_token(svc, copy)
    keys.rotate(app.config["KEY_DIR"])
    ring = keys.load_keyring(app.config["KEY_DIR"])
    assert ring.current_kid != old_kid and old_kid in ring.public_keys
    assert not (Path(app.config["KEY_DIR"]) / f"{old_kid}.key.pem").exists()   # a retired key signs nothing
    svc.ring = ring
    assert verdict(session, svc, copy.qr_text) == ("valid", [])
    assert verdict(session, svc, old_v1) == ("valid", [])
    reg = copy.registration
    new = issue_copy(session, ring, svc.catalogue, svc.settings, svc.clock, reg.registration_number, "test")
    assert parts(new.token)[0]["kid"] == ring.current_kid
    kids = [k["kid"] for k in ring.jwks()["keys"]]
    assert kids[0] == ring.current_kid and old_kid in kids
    assert all(set(k) >= {"kty", "crv", "x", "y", "kid", "alg"} and "d" not in k for k in ring.jwks()["keys"])


def test_kid_is_a_thumbprint_prefix(svc):
    pub = svc.ring.public_keys[svc.ring.current_kid]
    assert keys.thumbprint(pub).startswith(svc.ring.current_kid)


# --- the packed form (v2 in the QR code): `{BASE}/V#<Base32 of kid || payload || signature>` ---

def packed_of(qr_text: str) -> tuple[str, bytes]:
    url, packed = qr_text.split("#", 1)
    return url, base64.b32decode(packed + "=" * (-len(packed) % 8))


def repack(url: str, raw: bytes) -> str:
    return f"{url}#{base64.b32encode(raw).decode().rstrip('=')}"


def test_the_packed_text_unpacks_to_the_exact_token(svc, copy):
    url, raw = packed_of(copy.qr_text)
    assert url == svc.settings.base_url.upper() + "/V"
    assert tokens.unpack(copy.qr_text.split("#", 1)[1]) == copy.token
    head, payload, sig = copy.token.split(".")
    assert unb64(head) == f'{{"alg":"ES256","kid":"{svc.ring.current_kid}","typ":"jz2"}}'.encode()
    assert raw == unb64(svc.ring.current_kid) + unb64(payload) + unb64(sig) and len(unb64(sig)) == 64
    claims = parts(copy.token)[1]
    assert claims["h"] == copy.registration.person.id_number[-4:] and claims["jti"] == copy.public_id
    assert claims["s"] == [[s["code"], int(s["valid_until"].replace("-", ""))] for s in copy.snapshot["specialties"]]


@pytest.mark.parametrize("where", ["kid", "payload", "signature"])
def test_a_flipped_bit_in_the_packed_text(session, svc, copy, where):
    url, raw = packed_of(copy.qr_text)
    n = {"kid": 2, "payload": len(raw) // 2, "signature": len(raw) - 10}[where]
    for bit in (0, 5):
        forged = bytearray(raw)
        forged[n] ^= 1 << bit
        assert verdict(session, svc, repack(url, bytes(forged))) == (
            "invalid", ["unknown_key" if where == "kid" else "bad_signature"])


@pytest.mark.parametrize("change", ["truncated", "one more byte", "lower case", "padding", "not base32", "empty",
                                    "signature only"])
def test_a_damaged_packed_text_is_malformed(session, svc, copy, change):
    url, packed = copy.qr_text.split("#", 1)
    bad = {"truncated": packed[:-1], "one more byte": packed + "AA", "lower case": packed.lower(),
           "padding": packed + "=" * (-len(packed) % 8) if len(packed) % 8 else packed + "========",
           "not base32": packed[:-1] + "1", "empty": "", "signature only": packed[-103:]}[change]
    v, why = verdict(session, svc, f"{url}#{bad}")
    assert v == "invalid" and why[0] in ("malformed", "bad_signature"), why


def test_a_packed_text_cannot_choose_the_algorithm(session, svc, copy):
    """The header of a packed text is the server's template: HS256 with the public key as the secret, `none`,
    or another type cannot be said. A MAC over the template's signing input is just a bad signature."""
    url, raw = packed_of(copy.qr_text)
    head, payload, _ = copy.token.split(".")
    pub_pem = svc.ring.public_keys[svc.ring.current_kid].public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    mac = hmac.new(pub_pem, f"{head}.{payload}".encode(), hashlib.sha256).digest()
    for sig in (mac + mac, mac, b""):
        assert verdict(session, svc, repack(url, raw[:-64] + sig))[0] == "invalid"
    assert tokens.unpack(tokens.pack(copy.token)) == copy.token
    assert json.loads(unb64(tokens.unpack(base64.b32encode(b"\0" * 90).decode()).split(".")[0])) == {
        "alg": "ES256", "kid": "AAAAAAAA", "typ": "jz2"}


def test_a_v2_header_over_a_json_payload_is_malformed(session, svc, copy):
    """Signed by us, but not CBOR claims: never read as a certificate (v1 claims under a v2 header)."""
    _, c, _ = parts(copy.token)
    for payload in (json.dumps(c).encode(), b"\xa0", b"\x81\x01", b"\xa1\x09\x01"):
        head = b64(tokens.V2_HEADER.format(kid=svc.ring.current_kid).encode())
        signing_input = f"{head}.{b64(payload)}"
        sig = tokens._es256.sign(signing_input.encode(), svc.ring.private_key)
        v, why = verdict(session, svc, f"{signing_input}.{b64(sig)}")
        assert v == "invalid" and why[0] in ("malformed", "missing_claim"), (payload, why)


def test_the_status_list_does_not_pack(session, svc):
    from backend.services.issuance.status_list import signed_status_list
    with pytest.raises(ValueError):
        tokens.pack(signed_status_list(session, svc.ring, svc.settings, svc.clock)["token"])


def test_cbor_claims_round_trip_and_refuse_wrong_types():
    claims = {"iss": "JZ", "jti": "abcdefgh", "iat": 1764500000, "exp": 1780000000, "i": 7, "r": "苏232192612345",
              "n": "王建国", "k": "JZS2", "s": [["JZ", 20281130], ["SZ", 20290101]], "e": ["91320594780268314T", "示范建设"],
              "h": "123X"}
    assert cbor_claims.decode(cbor_claims.encode(claims)) == claims
    assert cbor_claims.decode(cbor_claims.encode(dict(claims, jti="NOT-B32"))) == dict(claims, jti="NOT-B32")
    with pytest.raises(ValueError):
        cbor_claims.encode(dict(claims, extra=1))
    import cbor2
    for bad in ({6: "1764500000"}, {12: ["JZ"]}, {12: [["JZ", 1]]}, {13: ["x"]}, {7: 5}, {14: 1234}, {4: -1}, [1],
                {8: True}):
        with pytest.raises(ValueError):
            cbor_claims.decode(cbor2.dumps(bad))
    assert cbor_claims.decode(cbor2.dumps({99: "ignored", 10: "名"})) == {"n": "名"}
