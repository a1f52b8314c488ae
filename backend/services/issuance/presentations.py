"""A holder's live code (动态二维码): their current copy presented by a token that lives for seconds.

A screenshot or a photo of a copy's QR code verifies for as long as the copy does (up to 180 days). A live code
does not: the holder's phone asks for a new one every `refresh` seconds (30-60 in production) while the code
is on screen, and each lives `ttl` seconds (at most tokens.PRESENTATION_MAX_S = 120). Its token is the copy's
own claims (copy id `jti`, status-list index `i`, number, name, kind, specialties, employer, ID last 4), with
`iat` and `exp` of its own and the copy's usage end as `u`, signed by the issuer's current key under the
template `typ: jz-presentation`, packed as a v2 token is, in `{BASE}/V#1<packed>` (docs/certificate-token.md,
"A live code"). It is bound to the copy by `jti` and `i`, which verification holds against the register.
Nothing is stored: a live code is made on demand and forgotten.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from backend.crypto import cbor_claims, tokens
from backend.crypto.keys import KeyRing
from backend.models import CopyStatus, Role
from backend.qr.encode import qr_svg_version
from backend.services.clock import Clock, epoch, from_epoch, iso_utc
from backend.services.issuance.copies import entitled_copy
from backend.services.issuance.errors import CopyNotCurrent, CopyUsageOver
from backend.services.settings import IssuerSettings

DEFAULT_TTL_S = 90
DEFAULT_REFRESH_S = 45


def presentation_url(base_url: str, token: str) -> str:
    """`{BASE}/V#1<packed>`: a certificate's packed URL (copies.certificate_url) with PRESENTATION_MARK before
    the packed token, which tells a verifier the template to unpack it with."""
    u = urlsplit(base_url)
    return f"{u.scheme.upper()}://{u.netloc.upper()}{u.path.rstrip('/')}/V#{tokens.PRESENTATION_MARK}{tokens.pack(token)}"


def present_copy(session: Session, ring: KeyRing, settings: IssuerSettings, clock: Clock, public_id: str,
                 person_id: int, *, ttl: int = DEFAULT_TTL_S, refresh: int = DEFAULT_REFRESH_S) -> dict:
    """A live code of the holder's own current copy: {token, qr_text, qr_svg, qr_version, issued_at,
    expires_at, refresh_after}. Someone else's copy is CopyNotFound (as an unknown one); a superseded or void
    copy CopyNotCurrent; a copy past its usage period CopyUsageOver."""
    if not 0 < refresh < ttl <= tokens.PRESENTATION_MAX_S:
        raise ValueError(f"a live code needs 0 < refresh ({refresh}) < ttl ({ttl}) <= {tokens.PRESENTATION_MAX_S}")
    copy = entitled_copy(session, public_id, role=Role.HOLDER, person_id=person_id, enterprise_id=None)
    if copy.status != CopyStatus.CURRENT:
        raise CopyNotCurrent(details={"status": copy.status})
    _, claims = tokens.verify(ring, copy.token, issuer=settings.issuer, typ=tokens.CERTIFICATE_TYPES)
    iat = epoch(clock.now())
    exp = min(iat + ttl, claims["exp"])
    if exp <= iat:
        raise CopyUsageOver(details={"usage_until": iso_utc(copy.usage_until)})
    shown = {k: v for k, v in claims.items() if k in cbor_claims.KEYS and k not in ("iat", "exp", "u")}
    token = tokens.sign_presentation(ring, {**shown, "iat": iat, "exp": exp, "u": claims["exp"]})
    qr_text = presentation_url(settings.base_url, token)
    svg, version = qr_svg_version(qr_text)
    return {"copy_id": copy.public_id, "token": token, "qr_text": qr_text, "qr_svg": svg, "qr_version": version,
            "issued_at": iso_utc(from_epoch(iat)), "expires_at": iso_utc(from_epoch(exp)),
            "refresh_after": min(refresh, exp - iat)}
