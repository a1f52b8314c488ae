"""The signed status list for offline verification (W3C Bitstring Status List, 4 bits per copy).

Entry i (the copy's id, claim `i` of its token) is the i-th group of 4 bits of the bitstring, most
significant bit first (the high half of byte i // 2 for an even i): 0 ok, 1 suspended, 2 revoked,
3 superseded, 4 lapsed; `statusMessage` names each value as the W3C list does. The bitstring is
gzip-compressed and base64url-encoded with the multibase prefix "u". The list holds at least
STATUS_LIST_MIN_SIZE entries (herd privacy). Lists before issue 11 had 2 bits per copy and listed a lapsed
registration as revoked; a verifier tells them apart by `bits`.
"""
from __future__ import annotations

import base64
import gzip

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from backend.crypto import tokens
from backend.crypto.keys import KeyRing
from backend.models import CertificateCopy, CopyStatus, Registration, RegStatus
from backend.services.clock import Clock, epoch
from backend.services.settings import IssuerSettings

STATUSES = ("ok", "suspended", "revoked", "superseded", "lapsed")
OK, SUSPENDED, REVOKED, SUPERSEDED, LAPSED = range(5)
BITS = 4
STATUS_MESSAGE = [{"status": f"0x{v:x}", "message": name} for v, name in enumerate(STATUSES)]   # W3C statusMessage
MAX_AGE_SECONDS = 7 * 24 * 3600     # beyond this an offline verifier must not say "valid"
TYP = "statuslist+jwt"


def entry_status(copy_status: str, reg_status: str) -> int:
    if copy_status == CopyStatus.REVOKED or reg_status in RegStatus.ENDED:
        return REVOKED
    if reg_status == RegStatus.LAPSED:
        return LAPSED
    if reg_status == RegStatus.SUSPENDED:
        return SUSPENDED
    if copy_status == CopyStatus.SUPERSEDED:
        return SUPERSEDED
    return OK


def build_bitstring(session: Session, min_size: int) -> tuple[bytearray, int]:
    max_id = session.scalar(select(func.max(CertificateCopy.id))) or 0
    size = max(min_size, 1 << max(max_id, 1).bit_length())
    bits = bytearray((size * BITS + 7) // 8)
    rows = session.execute(
        select(CertificateCopy.id, CertificateCopy.status, Registration.status)
        .join(Registration, Registration.id == CertificateCopy.registration_id)
        .where(or_(CertificateCopy.status != CopyStatus.CURRENT, Registration.status != RegStatus.ACTIVE)))
    for cid, cst, rst in rows:
        v = entry_status(cst, rst)
        if v:
            bits[cid // 2] |= v << (4 if cid % 2 == 0 else 0)
    return bits, size


def read_entry(bits: bytes, index: int) -> int:
    return (bits[index // 2] >> (4 if index % 2 == 0 else 0)) & 0xF


def encode_list(bits: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).rstrip(b"=").decode()


def decode_list(encoded: str) -> bytes:
    s = encoded[1:] if encoded.startswith("u") else encoded
    return gzip.decompress(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)))


def signed_status_list(session: Session, ring: KeyRing, settings: IssuerSettings, clock: Clock) -> dict:
    bits, size = build_bitstring(session, settings.status_list_min_size)
    iat = epoch(clock.now())
    claims = {"iss": settings.issuer, "jti": f"sl-{iat}", "sub": f"{settings.base_url}/api/v1/status-list",
              "iat": iat, "exp": iat + MAX_AGE_SECONDS, "ttl": settings.status_list_ttl,
              "bits": BITS, "size": size, "statuses": list(STATUSES), "statusMessage": STATUS_MESSAGE,
              "encodedList": encode_list(bits)}
    token = tokens.sign(ring, claims, typ=TYP)
    return {"token": token, "issued_at": iat, "ttl": settings.status_list_ttl, "max_age": MAX_AGE_SECONDS,
            "size": size, "bits": BITS, "statuses": list(STATUSES), "kid": ring.current_kid}
