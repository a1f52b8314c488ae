"""Compact ES256 JWS tokens: certificate copies and the status list.

Two payloads. `sign` writes compact UTF-8 JSON (no \\u escapes): the status list, and every certificate
copy issued before token v2. `sign_certificate` writes a certificate token v2: the claims as CBOR
(crypto/cbor_claims.py) under a header made from a fixed template, `{"alg":"ES256","kid":"<kid>","typ":"jz2"}`,
so that the QR code can carry the token *packed* (`pack`, `unpack`): the raw kid, payload and signature
bytes in RFC 4648 Base32, which unpack to the exact compact JWS. Verification takes any of them through the
same path: the algorithm pinned to ES256, a known `kid`, the signature checked by pyjwt, and every failure
a TokenInvalid with a reason code (docs/certificate-token.md).
"""
from __future__ import annotations

import base64
import binascii
import json
import re
import time
from functools import lru_cache

import jwt
from jwt.algorithms import ECAlgorithm
from jwt.api_jws import PyJWS
from jwt.utils import base64url_decode, base64url_encode

from backend.crypto import cbor_claims
from backend.crypto.keys import KID_LENGTH, KeyRing

ALGORITHMS = ["ES256"]
# A v1 certificate token carries no `typ` header (every copy issued before v2); a v2 one says "jz2"; any
# other token of ours (the status list, "statuslist+jwt") names its own type, so it never passes for a
# certificate.
CERTIFICATE_V2 = "jz2"
CERTIFICATE_TYPES = (None, "JWT", CERTIFICATE_V2)
V2_HEADER = '{{"alg":"ES256","kid":"{kid}","typ":"jz2"}}'     # the fixed template: the packed form omits it
# A holder's live code (动态二维码): a short-lived presentation of one copy, CBOR claims as a v2 certificate's and
# packed alike, under a template of its own. Its type is never one of CERTIFICATE_TYPES: only a verifier that
# names it accepts it (services/verification/verify.py), and a certificate never passes for one.
PRESENTATION = "jz-presentation"
PRESENTATION_HEADER = '{{"alg":"ES256","kid":"{kid}","typ":"jz-presentation"}}'
TEMPLATES = {CERTIFICATE_V2: V2_HEADER, PRESENTATION: PRESENTATION_HEADER}
# A live code's QR text puts this digit before its packed token (`{BASE}/V#1<packed>`): never the first character
# of a packed certificate (Base32 has no 0, 1, 8 or 9), and in the QR alphanumeric set. It chooses the template.
PRESENTATION_MARK = "1"
PRESENTATION_MAX_S = 120          # a presentation's exp is at most this long after its iat
KID_BYTES = KID_LENGTH * 6 // 8                                 # 8 base64url characters are 6 bytes
SIGNATURE_BYTES = 64                                             # ES256: r || s
PACKED_RE = re.compile(r"^[A-Z2-7]+$")
MAX_PACKED = 1600                                                # characters: far beyond any QR code of ours
_jws = PyJWS(algorithms=ALGORITHMS)
_es256 = ECAlgorithm(ECAlgorithm.SHA256)


class TokenInvalid(Exception):
    def __init__(self, reason: str, detail: str = ""):
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}")


def sign(ring: KeyRing, claims: dict, typ: str | None = None) -> str:
    payload = json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    headers = {"kid": ring.current_kid, "typ": typ}
    return _jws.encode(payload, ring.private_key, algorithm="ES256", headers=headers)


def _b64u(data: bytes) -> str:
    return base64url_encode(data).decode()


def sign_certificate(ring: KeyRing, claims: dict, typ: str = CERTIFICATE_V2) -> str:
    """A certificate token v2: CBOR claims, the header of the fixed template, ES256 by pyjwt's algorithm
    (the raw 64-byte r || s of JWS). `typ=PRESENTATION`: a live code's token (sign_presentation)."""
    kid = ring.current_kid
    if len(kid) != KID_LENGTH or len(base64url_decode(kid)) != KID_BYTES or _b64u(base64url_decode(kid)) != kid:
        raise ValueError("the kid does not pack into 6 bytes")
    signing_input = f"{_b64u(TEMPLATES[typ].format(kid=kid).encode())}.{_b64u(cbor_claims.encode(claims))}"
    return f"{signing_input}.{_b64u(_es256.sign(signing_input.encode(), ring.private_key))}"


def sign_presentation(ring: KeyRing, claims: dict) -> str:
    """A live code's token: the claims of the copy it presents, its own short `iat`/`exp`, typ PRESENTATION."""
    return sign_certificate(ring, claims, PRESENTATION)


def pack(token: str) -> str:
    """The packed form of a v2 token (or a presentation): Base32 (RFC 4648, upper case, no padding) of kid
    (6 bytes) || payload || signature (64 bytes). Only a token whose header is exactly its template packs; the
    packed text does not say which template (a presentation's QR text marks it, issuance/presentations.py)."""
    head, payload, sig = token.split(".")
    header = json.loads(base64url_decode(head))
    kid, template = header["kid"], TEMPLATES.get(header.get("typ"))
    if template is None or base64url_decode(head) != template.format(kid=kid).encode():
        raise ValueError("not a v2 header")
    raw_kid, raw_sig = base64url_decode(kid), base64url_decode(sig)
    if len(raw_kid) != KID_BYTES or len(raw_sig) != SIGNATURE_BYTES:
        raise ValueError("kid or signature of the wrong length")
    return base64.b32encode(raw_kid + base64url_decode(payload) + raw_sig).decode().rstrip("=")


def unpack(packed: str, typ: str = CERTIFICATE_V2) -> str | None:
    """The exact compact JWS a packed text stands for, or None when it is not one. The header comes from
    the template of `typ` alone (the caller's, by where the text came from): nothing in a packed text can
    choose an algorithm or a type."""
    raw = b32decode(packed)
    if raw is None or len(raw) <= KID_BYTES + SIGNATURE_BYTES:
        return None
    payload, sig = raw[KID_BYTES:-SIGNATURE_BYTES], raw[-SIGNATURE_BYTES:]
    return f"{_v2_header(raw[:KID_BYTES], typ)}.{_b64u(payload)}.{_b64u(sig)}"


@lru_cache(maxsize=64)
def _v2_header(raw_kid: bytes, typ: str = CERTIFICATE_V2) -> str:
    return _b64u(TEMPLATES[typ].format(kid=_b64u(raw_kid)).encode())


_B32_DIGITS = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789abcdefghijklmnopqrstuv")


def b32decode(text: str) -> bytes | None:
    """RFC 4648 Base32 without padding, strictly: upper case, a length that whole bytes make (0, 2, 4, 5 or
    7 characters past a multiple of 8), and the bits past the last byte zero; else None. In C through int()
    (base64.b32decode is a Python loop: a fifth of a verification)."""
    if not isinstance(text, str) or len(text) > MAX_PACKED or len(text) % 8 in (1, 3, 6) or not PACKED_RE.match(text):
        return None
    n_bytes, spare = divmod(len(text) * 5, 8)
    value = int(text.translate(_B32_DIGITS), 32)
    if value & ((1 << spare) - 1):
        return None
    return (value >> spare).to_bytes(n_bytes, "big")


def _header(token: str) -> dict:
    """The JOSE header, read once here to choose the key (pyjwt's get_unverified_header would decode every
    segment of the token, and jwt.decode does so again: a tenth of a verification's CPU)."""
    try:
        header = json.loads(base64url_decode(token[:token.index(".")]))
    except (ValueError, TypeError, binascii.Error):
        raise TokenInvalid("malformed", "the header is not base64url JSON") from None
    if not isinstance(header, dict):
        raise TokenInvalid("malformed", "the header is not a JSON object")
    return header


def verify(ring: KeyRing, token: str, *, issuer: str, require=("iat", "exp", "iss", "jti"),
           typ: str | tuple | None = None) -> tuple[dict, dict]:
    """(header, claims) of a genuine token; `exp` is left for the caller (an expired copy is a verdict).
    `typ`: the header type required, or a tuple of those accepted (None in it: no `typ` header)."""
    if not isinstance(token, str) or token.count(".") != 2 or len(token) > 8192:
        raise TokenInvalid("malformed", "not a compact JWS")
    header = _header(token)
    if header.get("alg") not in ALGORITHMS:
        raise TokenInvalid("algorithm_not_allowed", str(header.get("alg")))
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise TokenInvalid("missing_kid")
    key = ring.public_keys.get(kid)
    if key is None:
        raise TokenInvalid("unknown_key", kid)
    if typ is not None and header.get("typ") not in (typ if isinstance(typ, tuple) else (typ,)):
        raise TokenInvalid("wrong_type", str(header.get("typ")))
    if header.get("typ") in TEMPLATES:                       # jz2 or a presentation: CBOR claims
        return header, _verify_v2(token, key, issuer, require)
    try:
        claims = jwt.decode(token, key, algorithms=ALGORITHMS, issuer=issuer,
                            options={"require": list(require), "verify_exp": False, "verify_iat": True})
    except jwt.InvalidSignatureError as e:
        raise TokenInvalid("bad_signature", str(e)) from None
    except jwt.InvalidIssuerError as e:
        raise TokenInvalid("wrong_issuer", str(e)) from None
    except jwt.MissingRequiredClaimError as e:
        raise TokenInvalid("missing_claim", str(e)) from None
    except jwt.ImmatureSignatureError as e:
        raise TokenInvalid("not_yet_valid", str(e)) from None
    except (jwt.PyJWTError, ValueError, TypeError) as e:
        raise TokenInvalid("malformed", str(e)) from None
    if not isinstance(claims.get("exp"), int) or not isinstance(claims.get("iat"), int):
        raise TokenInvalid("malformed", "iat/exp must be integers")
    return header, claims


def _verify_v2(token: str, key, issuer: str, require) -> dict:
    """A v2 token: pyjwt checks the signature (ES256 only) and hands back the payload bytes; the CBOR claims
    are then held to what jwt.decode holds a JSON payload to (required claims, iat not in the future, iss)."""
    try:
        payload = _jws.decode_complete(token, key, algorithms=ALGORITHMS)["payload"]
    except jwt.InvalidSignatureError as e:
        raise TokenInvalid("bad_signature", str(e)) from None
    except (jwt.PyJWTError, ValueError, TypeError) as e:
        raise TokenInvalid("malformed", str(e)) from None
    try:
        claims = cbor_claims.decode(payload)
    except ValueError as e:
        raise TokenInvalid("malformed", str(e)) from None
    missing = [c for c in require if c not in claims]
    if missing:
        raise TokenInvalid("missing_claim", f'Token is missing the "{missing[0]}" claim')
    if "iat" in claims and claims["iat"] > time.time():      # as pyjwt's verify_iat, with no leeway
        raise TokenInvalid("not_yet_valid", "The token is not yet valid (iat)")
    if "iss" not in claims:
        raise TokenInvalid("missing_claim", 'Token is missing the "iss" claim')
    if claims["iss"] != issuer:
        raise TokenInvalid("wrong_issuer", "Invalid issuer")
    if not isinstance(claims.get("exp"), int) or not isinstance(claims.get("iat"), int):
        raise TokenInvalid("malformed", "iat/exp must be integers")
    return claims
