"""The holder's photo behind a verification: a short-lived link signed with the app's secret (HMAC-SHA256), so
that only someone who has just verified the copy sees the photo, and a link cannot be made for any other."""
from __future__ import annotations

import hashlib
import hmac
import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import CertificateCopy
from backend.services.errors import NotFound
from backend.services.registry.portraits import photo_of
from backend.services.verification.errors import PhotoLinkInvalid


def signature(secret: str, public_id: str, exp: int) -> str:
    return hmac.new(secret.encode(), f"photo:{public_id}:{exp}".encode(), hashlib.sha256).hexdigest()[:32]


def link_params(secret: str, public_id: str, ttl: int, now: float | None = None) -> dict:
    exp = int(now if now is not None else time.time()) + ttl
    return {"public_id": public_id, "exp": exp, "sig": signature(secret, public_id, exp)}


def photo_by_link(session: Session, secret: str, public_id: str, exp, sig) -> tuple[bytes, str]:
    """(image bytes, MIME type) of the holder of the copy, if the link is genuine and not expired."""
    try:
        exp = int(exp)
    except (TypeError, ValueError):
        exp = 0
    sig = sig if isinstance(sig, str) else ""
    # compare bytes: compare_digest refuses str with non-ASCII characters (a TypeError, not a mismatch)
    if exp < time.time() or not hmac.compare_digest(sig.encode(), signature(secret, public_id, exp).encode()):
        raise PhotoLinkInvalid()
    copy = session.scalar(select(CertificateCopy).where(CertificateCopy.public_id == public_id))
    if copy is None:
        raise NotFound()
    return photo_of(copy.registration.person)
