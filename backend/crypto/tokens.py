"""Compact ES256 JWS tokens: certificate copies and the status list.

Signing writes the payload as compact UTF-8 JSON (no \\u escapes: a Chinese name costs 3 bytes, not 6)
to keep the QR small. Verification pins the algorithm list to ES256, requires a known `kid`, and
reports every failure as TokenInvalid with a reason code.
"""
from __future__ import annotations

import binascii
import json

import jwt
from jwt.api_jws import PyJWS
from jwt.utils import base64url_decode

from backend.crypto.keys import KeyRing

ALGORITHMS = ["ES256"]
# A certificate copy's token carries no `typ` header (every copy ever issued); any other token of ours
# (the status list, "statuslist+jwt") names its type, so it can never pass for a certificate.
CERTIFICATE_TYPES = (None, "JWT")
_jws = PyJWS(algorithms=ALGORITHMS)


class TokenInvalid(Exception):
    def __init__(self, reason: str, detail: str = ""):
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}")


def sign(ring: KeyRing, claims: dict, typ: str | None = None) -> str:
    payload = json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    headers = {"kid": ring.current_kid, "typ": typ}
    return _jws.encode(payload, ring.private_key, algorithm="ES256", headers=headers)


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
