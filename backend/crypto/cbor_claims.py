"""The claims of a certificate token v2 (`typ: jz2`) as CBOR (RFC 8949): a map with small integer keys, as
few bytes as the QR code can carry. Decoded, they read exactly as the claims of a v1 token (JSON), so that
everything after the signature check serves both (docs/certificate-token.md has the table).

| key | claim | CBOR | decoded |
|---|---|---|---|
| 1 | iss | text | text |
| 4 | exp | uint, Unix seconds | int |
| 6 | iat | uint, Unix seconds | int |
| 7 | jti | 5-byte bstr (the copy id is its Base32, lower case), or text | text |
| 8 | i | uint: index in the status list | int |
| 9 | r | text: registration number | text |
| 10 | n | text: name | text |
| 11 | k | text: kind code | text |
| 12 | s | flat array code, day, code, day…; day = days since 1970-01-01 of the last valid day | [[code, YYYYMMDD], …] |
| 13 | e | [USCC, short name] | the same |
| 14 | h | text: the last 4 characters of the holder's ID number | text |
| 15 | u | uint: a live code (presentation) only: the end of the presented copy's usage period | int |

Keys 1, 4, 6 and 7 are those of the same claims in a CWT (RFC 8392). Unknown keys are ignored; a known
key of the wrong type makes the token malformed. Nothing here checks a signature: decode only bytes whose
signature has been verified.
"""
from __future__ import annotations

import base64
import datetime as dt
import re

import cbor2

KEYS = {"iss": 1, "exp": 4, "iat": 6, "jti": 7, "i": 8, "r": 9, "n": 10, "k": 11, "s": 12, "e": 13, "h": 14, "u": 15}
NAMES = {v: k for k, v in KEYS.items()}
_TEXT = ("iss", "r", "n", "k", "h")
_INT = ("exp", "iat", "i", "u")
_COPY_ID = re.compile(r"^[a-z2-7]{8}$")          # 5 random bytes in lower-case Base32 (issuance/copies.py)
_EPOCH = dt.date(1970, 1, 1)
MAX_BYTES = 1024
_MAX_DAY = (dt.date(9999, 12, 31) - _EPOCH).days + 1


def _day(yyyymmdd: int) -> int:
    return (dt.date(yyyymmdd // 10000, yyyymmdd // 100 % 100, yyyymmdd % 100) - _EPOCH).days


def _yyyymmdd(day: int) -> int:
    d = _EPOCH + dt.timedelta(days=day)
    return d.year * 10000 + d.month * 100 + d.day


def encode(claims: dict) -> bytes:
    """The CBOR payload of the claims (v1 names and shapes in, in KEYS order out); unknown names refused."""
    unknown = set(claims) - set(KEYS)
    if unknown:
        raise ValueError(f"no CBOR key for {sorted(unknown)}")
    out = {}
    for name, key in KEYS.items():
        if name not in claims:
            continue
        v = claims[name]
        if name == "jti" and isinstance(v, str) and _COPY_ID.match(v):
            v = base64.b32decode(v.upper())
        elif name == "s":
            v = [x for code, until in v for x in (code, _day(until))]
        out[key] = v
    return cbor2.dumps(out)


def decode(payload: bytes) -> dict:
    """The claims, by v1 names and shapes; ValueError when the bytes are not such a map. Types are checked
    with `type(v) is`: no bool passes for an int (on the hot path of every verification)."""
    if not isinstance(payload, bytes | bytearray) or len(payload) > MAX_BYTES:
        raise ValueError("payload too large")
    try:
        raw = cbor2.loads(payload)
    except Exception as e:   # noqa: BLE001 - cbor2 raises its own errors, ValueError, TypeError...
        raise ValueError(f"not CBOR: {e}") from None
    if type(raw) is not dict:
        raise ValueError("not a CBOR map")
    claims: dict = {}
    for key, v in raw.items():
        name = NAMES.get(key) if type(key) is int else None
        if name is None:
            continue
        t = type(v)
        if name in _TEXT:
            ok = t is str
        elif name in _INT:
            ok = t is int and v >= 0
        elif name == "jti":
            ok = t is str or t is bytes and len(v) == 5
            if ok and t is bytes:
                v = base64.b32encode(v).decode().lower()
        elif name == "s":
            ok = t is list and len(v) % 2 == 0 and all(
                type(c) is str and type(d) is int and 0 <= d < _MAX_DAY for c, d in zip(v[::2], v[1::2]))
            if ok:
                v = [[c, _yyyymmdd(d)] for c, d in zip(v[::2], v[1::2])]
        else:   # e
            ok = t is list and len(v) == 2 and type(v[0]) is str and type(v[1]) is str
        if not ok:
            raise ValueError(f"claim {name}: wrong type")
        claims[name] = v
    return claims
