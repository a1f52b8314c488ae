"""Verifying a scanned certificate: the QR text (URL or bare token) -> a verdict with its reasons.

A revoked or expired copy is a result, not an error: every input, however bad, gets a verdict.

The copy, its registration, holder, employer and specialties are read with one prebuilt Core statement
(bench/verify_throughput.py: the ORM entity load with its selectin query cost about half of a request).
"""
from __future__ import annotations

import re
from functools import lru_cache

import ada_url

_JWS_RE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")   # an empty signature still gets a verdict
MAX_QR_TEXT = 4096
_URL_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[/\\]{2}")       # a backslash is a slash to a browser


def extract_token(qr_text: str, base_url: str) -> tuple[str | None, str | None]:
    """(token, None) or (None, reason code). Accepts `{base}/v#<token>` and a bare token.

    The URL is parsed by the WHATWG URL Standard (ada), as the phone's browser and the web app parse it, so
    the three agree on where it leads: `http://evil.example\\@issuer/v#…` goes to evil.example, never to us.
    A URL with user info is refused outright: it exists to make a link look like another site's.
    """
    text = qr_text.strip()
    if _JWS_RE.match(text):
        return text, None
    if not _URL_RE.match(text):
        return None, "not_a_certificate"
    try:
        u, b = ada_url.URL(text), _base(base_url)
    except ValueError:
        return None, "not_a_certificate"
    if u.username or u.password:
        return None, "foreign_url"
    if (u.protocol, u.hostname, u.port) != (b.protocol, b.hostname, b.port) or u.pathname != b.pathname.rstrip("/") + "/v":
        return None, "foreign_url"
    fragment = u.hash[1:]
    return (fragment, None) if _JWS_RE.match(fragment) else (None, "malformed")


@lru_cache(maxsize=8)
def _base(base_url: str) -> ada_url.URL:
    return ada_url.URL(base_url)
