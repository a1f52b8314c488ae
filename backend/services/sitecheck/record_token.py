"""The inspection record's signed token: a compact ES256 JWS with the issuer's key ring (backend/crypto), of its
own type `jz-inspection+jwt`, so that it never passes for a certificate (whose types are none, "JWT" and "jz2")
and a certificate never passes for it. Its claims (JSON) hold what a reader of the PDF must be able to trust
without the server: the time, the site, the inspecting account and organisation, the result in figures, and the
SHA-256 of the full results the server keeps (`h`). The record's link, `{PUBLIC_BASE_URL}/i#<token>`, is printed
as the PDF's QR code; POST /api/v1/inspections/verify checks it (docs/site-checks.md).
"""
from __future__ import annotations

import base64
import hashlib
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.crypto import tokens
from backend.crypto.keys import KeyRing
from backend.models import Inspection
from backend.services.clock import Clock, from_epoch, iso_utc
from backend.services.settings import IssuerSettings
from backend.services.verification.verdicts import REASONS as TOKEN_REASONS

TYPE = "jz-inspection+jwt"
LINK_PATH = "/i"
MAX_TEXT = 8192
VERDICTS = {
    "valid": ("检查记录真实,与签发机关存档一致", "A genuine inspection record, matching the issuer's archive"),
    "not_found": ("签名有效,但签发机关无此检查记录", "Genuine signature, but the issuer has no such inspection record"),
    "invalid": ("无效:不是本机关签发的真实检查记录", "Invalid: not a genuine inspection record of this issuer"),
}
REASONS = {
    "record_unknown": ("not_found", "签发机关没有此检查记录", "The issuer has no such inspection record"),
    "record_altered": ("invalid", "存档记录与签名不符", "The archived record does not match its signature"),
    **{code: ("invalid", zh, en) for code, (verdict, zh, en) in TOKEN_REASONS.items() if verdict == "invalid"},
    "malformed": ("invalid", "不是格式正确的检查记录令牌", "Not a well-formed inspection record token"),
    "wrong_type": ("invalid", "令牌类型错误:不是检查记录", "Wrong token type: not an inspection record"),
}
# A record does not expire; `exp` is there because every token of the key ring carries integer iat and exp
# (crypto/tokens.py), and is never enforced for a record.
KEEP_YEARS = 30


def results_hash(people: list) -> str:
    """SHA-256 (base64url, no padding) of the results as stored: canonical JSON, keys sorted, UTF-8."""
    canon = json.dumps(people, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(hashlib.sha256(canon).digest()).rstrip(b"=").decode()


def sign_record(ring: KeyRing, settings: IssuerSettings, claims: dict) -> str:
    return tokens.sign(ring, {"iss": settings.issuer, **claims, "exp": claims["iat"] + KEEP_YEARS * 365 * 86400},
                       typ=TYPE)


def link(settings: IssuerSettings, token: str) -> str:
    return f"{settings.base_url.rstrip('/')}{LINK_PATH}#{token}"


def _token_of(text: str) -> str:
    s = text.strip()
    return s.split("#", 1)[1] if "#" in s else s


def _reason(code: str) -> dict:
    _, zh, en = REASONS[code]
    return {"code": code, "message": zh, "message_en": en}


def public_record(claims: dict) -> dict:
    """What the signed claims say, for anyone holding the record: no inspector's username, no person's data."""
    site = claims.get("site") or {}
    gps = site.get("g")
    return {
        "id": claims.get("jti"), "issued_at": iso_utc(from_epoch(claims["iat"])),
        "started_at": iso_utc(from_epoch(claims["t0"])) if isinstance(claims.get("t0"), int) else None,
        "finished_at": iso_utc(from_epoch(claims["t1"])) if isinstance(claims.get("t1"), int) else None,
        "site": {"name": site.get("n"), "specialty": site.get("sp"), "contractor_uscc": site.get("u"),
                 "scale": site.get("sc"), "province": site.get("pr"),
                 "gps": {"lat": gps[0], "lon": gps[1], "accuracy_m": gps[2]} if isinstance(gps, list) and len(gps) == 3
                 else None},
        "organisation": (claims.get("ins") or {}).get("o") or None,
        "summary": claims.get("sum") or {},
    }


def verify_record(session: Session, ring: KeyRing, settings: IssuerSettings, clock: Clock, text: str) -> dict:
    """A record's token or link -> {verdict, message, message_en, reasons, checked_at, record}. Every input gets
    an answer: a tampered token is `invalid` (its signature fails), a genuine one the archive lacks `not_found`."""
    def answer(verdict, reasons, record=None):
        zh, en = VERDICTS[verdict]
        return {"verdict": verdict, "message": zh, "message_en": en, "reasons": reasons,
                "checked_at": iso_utc(clock.now()), "record": record}
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return answer("invalid", [_reason("malformed")])
    token = _token_of(text)
    try:
        _, claims = tokens.verify(ring, token, issuer=settings.issuer, require=("iat", "iss", "jti", "h"), typ=TYPE)
    except tokens.TokenInvalid as e:
        return answer("invalid", [_reason(e.reason if e.reason in REASONS else "malformed")])
    row = session.scalar(select(Inspection).where(Inspection.public_id == str(claims["jti"])))
    if row is None:
        return answer("not_found", [_reason("record_unknown")], public_record(claims))
    if row.token != token or results_hash(row.people) != claims["h"]:
        return answer("invalid", [_reason("record_altered")])
    return answer("valid", [], public_record(claims))
