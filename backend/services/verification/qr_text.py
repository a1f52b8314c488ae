"""Verifying a scanned certificate: the QR text (URL or bare token) -> a verdict with its reasons.

A revoked or expired copy is a result, not an error: every input, however bad, gets a verdict.

The copy, its registration, holder, employer and specialties are read with one prebuilt Core statement
(bench/verify_throughput.py: the ORM entity load with its selectin query cost about half of a request).
"""
from __future__ import annotations

import re
from functools import lru_cache

import ada_url

from backend.crypto.tokens import KID_BYTES, PACKED_RE, PRESENTATION, PRESENTATION_MARK, SIGNATURE_BYTES, unpack

_JWS_RE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")   # an empty signature still gets a verdict
MAX_QR_TEXT = 4096
MIN_PACKED = -(-(KID_BYTES + 1 + SIGNATURE_BYTES) * 8 // 5)        # Base32 characters of the shortest packed token
_URL_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[/\\]{2}")       # a backslash is a slash to a browser


def extract_token(qr_text: str, base_url: str) -> tuple[str | None, str | None]:
    """(token, None) or (None, reason code). Accepts `{BASE}/V#<packed>` (token v2, its scheme and host in
    upper case or not; `{BASE}/V#1<packed>` is a holder's live code), `{base}/v#<token>` (every copy issued
    before v2), and a bare token, compact or packed (the app sends a link's fragment as it is). A packed text
    comes back as the exact compact JWS it stands for (crypto/tokens.py `unpack`).

    The URL is parsed by the WHATWG URL Standard (ada), as the phone's browser and the web app parse it, so
    the three agree on where it leads: `http://evil.example\\@issuer/v#…` goes to evil.example, never to us.
    A URL with user info is refused outright: it exists to make a link look like another site's. Host names
    are case-insensitive; paths are not: `/v` takes a compact token, `/V` a packed one, nothing else.
    """
    text = qr_text.strip()
    if _JWS_RE.match(text):
        return text, None
    body = text[1:] if text[:1] == PRESENTATION_MARK else text
    if len(body) >= MIN_PACKED and PACKED_RE.match(body):     # a packed token sent bare (a client that read the fragment)
        token = _unpack(text)
        return (token, None) if token else (None, "malformed")
    if not _URL_RE.match(text):
        return None, "not_a_certificate"
    try:
        u, b = ada_url.URL(text), _base(base_url)
    except ValueError:
        return None, "not_a_certificate"
    if u.username or u.password:
        return None, "foreign_url"
    prefix = b.pathname.rstrip("/")
    if (u.protocol, u.hostname, u.port) != (b.protocol, b.hostname, b.port) or u.pathname not in (prefix + "/v",
                                                                                                 prefix + "/V"):
        return None, "foreign_url"
    fragment = u.hash[1:]
    if u.pathname.endswith("/V"):
        token = _unpack(fragment)
        return (token, None) if token else (None, "malformed")
    return (fragment, None) if _JWS_RE.match(fragment) else (None, "malformed")


def _unpack(text: str) -> str | None:
    """A packed certificate, or a live code's packed token behind PRESENTATION_MARK, as its compact JWS
    (the mark chooses the header template; docs/certificate-token.md, "A live code")."""
    if text[:1] == PRESENTATION_MARK:
        return unpack(text[1:], PRESENTATION)
    return unpack(text)


@lru_cache(maxsize=8)
def _base(base_url: str) -> ada_url.URL:
    return ada_url.URL(base_url)
