"""Verifying a scanned certificate: the QR text (URL or bare token) -> a verdict with its reasons.

A revoked or expired copy is a result, not an error: every input, however bad, gets a verdict.

The copy, its registration, holder, employer and specialties are read with one prebuilt Core statement
(bench/verify_throughput.py: the ORM entity load with its selectin query cost about half of a request).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from backend.crypto import tokens
from backend.crypto.keys import KeyRing
from backend.models import CopyStatus, RegStatus, SpecialtyStatus
from backend.services.clock import Clock, age_cap_date, from_epoch, iso_utc
from backend.services.dates import from_yyyymmdd
from backend.services.kinds import Catalogue
from backend.services.masking import public_id_number
from backend.services.settings import IssuerSettings
from backend.services.verification.copy_view import load_copy
from backend.services.verification.qr_text import MAX_QR_TEXT, extract_token
from backend.services.verification.verdicts import REASONS, VERDICT_TEXT, overall, reason

# A holder's live code (a presentation, typ jz-presentation): at most this long from iat to exp, and judged
# past its exp only this much later, for the clocks of the holder's phone, the server and a verifier's device.
PRESENTATION_MAX_S = tokens.PRESENTATION_MAX_S
PRESENTATION_SKEW_S = 30
ACCEPTED_TYPES = (*tokens.CERTIFICATE_TYPES, tokens.PRESENTATION)   # this verifier names the presentation


def _result(verdict: str, reasons: list[dict], clock: Clock, certificate=None, specialties=None) -> dict:
    zh, en = VERDICT_TEXT[verdict]
    if verdict == "expired" and any(r["code"] == "presentation_expired" for r in reasons):
        zh, en = REASONS["presentation_expired"][1:]      # the first line says why: an old live code
    return {"verdict": verdict, "message": zh, "message_en": en, "reasons": reasons,
            "checked_at": iso_utc(clock.now()), "certificate": certificate, "specialties": specialties or []}




def verify_qr(session: Session, ring: KeyRing, catalogue: Catalogue, settings: IssuerSettings, clock: Clock,
              qr_text: str, photo_url=None, entitled=None) -> dict:
    """photo_url: a callable (copy: CopyView) -> URL of the holder's photo, supplied by the web layer.
    entitled: a callable (person_id, enterprise_id) -> bool, true for the holder, their employer and the
    authority, who see the full ID number and the age-cap date; everyone else gets the public answer, which
    never shows a partial ID number next to a date the birth date follows from (docs/privacy.md)."""
    if not isinstance(qr_text, str) or len(qr_text) > MAX_QR_TEXT:
        return _result("invalid", [reason("not_a_certificate")], clock)
    token, why = extract_token(qr_text, settings.base_url)
    if token is None:
        return _result("invalid", [reason(why)], clock)
    try:
        header, claims = tokens.verify(ring, token, issuer=settings.issuer, typ=ACCEPTED_TYPES,
                                       require=("iat", "exp", "iss", "jti", "i", "r"))
    except tokens.TokenInvalid as e:
        return _result("invalid", [reason(e.reason)], clock)
    live = header.get("typ") == tokens.PRESENTATION
    if live and "u" not in claims:
        return _result("invalid", [reason("missing_claim")], clock)
    if live and not 0 < claims["exp"] - claims["iat"] <= PRESENTATION_MAX_S:
        return _result("invalid", [reason("malformed")], clock)
    copy = load_copy(session, str(claims["jti"]))
    if copy is None:
        return _result("not_found", [reason("copy_unknown")], clock,
                       certificate={"copy_id": claims.get("jti"), "registration_number": claims.get("r"),
                                    "name": claims.get("n"), "photo_url": None})
    reg = copy.registration
    if copy.id != claims.get("i") or reg.registration_number != claims.get("r"):
        return _result("invalid", [reason("inconsistent")], clock)
    kind = catalogue.kind(reg.kind_code)
    person = reg.person
    today, now = clock.today(), clock.now()
    reasons: list[dict] = []
    if reg.status in RegStatus.ENDED:
        reasons.append(reason(f"registration_{reg.status}", note=reg.status_reason))
    if copy.status == CopyStatus.REVOKED and reg.status not in RegStatus.ENDED:
        reasons.append(reason("copy_revoked"))
    if reg.status == RegStatus.SUSPENDED:
        reasons.append(reason("registration_suspended", note=reg.status_reason))
    if reg.status == RegStatus.LAPSED:
        reasons.append(reason("registration_lapsed", note=reg.status_reason))
    cap = age_cap_date(person.birth_date, kind.age_cap_for(person.sex))
    full = entitled is not None and entitled(reg.person_id, reg.enterprise_id)
    if today > cap:
        reasons.append(reason("age_cap_reached", **({"age_cap_date": cap.isoformat()} if full else {})))

    by_code = {s.specialty_code: s for s in reg.specialties}
    specialties = []
    for code, until in claims.get("s") or []:
        row = by_code.get(code)
        valid_until = row.valid_until if row else from_yyyymmdd(until)
        if reg.status in RegStatus.ENDED or (row is not None and row.status == SpecialtyStatus.CANCELLED):
            st = "revoked"
        elif reg.status == RegStatus.SUSPENDED:
            st = "suspended"
        elif row is None or row.status == SpecialtyStatus.LAPSED or valid_until is None or valid_until < today:
            st = "lapsed"
        else:
            st = "valid"
        spec = kind.specialty(code)
        specialties.append({"code": code, "name": spec.name if spec else code, "name_en": spec.name_en if spec else code,
                            "valid_until": valid_until.isoformat() if valid_until else None, "status": st})
    lapsed = [s["code"] for s in specialties if s["status"] == "lapsed"]
    if specialties and len(lapsed) == len(specialties) and reg.status == RegStatus.ACTIVE:
        reasons.append(reason("all_specialties_lapsed"))
    elif lapsed:
        reasons.append(reason("specialty_lapsed", specialties=lapsed))
    if copy.status == CopyStatus.SUPERSEDED:
        reasons.append(reason("copy_superseded", superseded_at=iso_utc(copy.superseded_at)))
    if live and now > from_epoch(claims["exp"] + PRESENTATION_SKEW_S):
        reasons.append(reason("presentation_expired", expired_at=iso_utc(from_epoch(claims["exp"]))))
    if now > from_epoch(claims["u"] if live else claims["exp"]):
        reasons.append(reason("copy_expired", usage_until=iso_utc(copy.usage_until)))
    verdict = overall(reasons)
    if verdict == "valid" and any(s["status"] == "valid" and s["valid_until"] and
                                  dt.date.fromisoformat(s["valid_until"]) - today < dt.timedelta(days=180)
                                  for s in specialties):
        reasons.append(reason("specialty_expiring"))
    snap = copy.snapshot
    shown = [clock.local(copy.usage_until).date(), *(s.valid_until for s in reg.specialties)]
    certificate = {
        "copy_id": copy.public_id, "identifier": copy.identifier, "version": copy.version,
        "registration_number": reg.registration_number, "seal_number": reg.seal_number, "name": person.name,
        "sex": person.sex, "id_number": person.id_number if full else public_id_number(person.id_number, cap, shown),
        "kind": kind.code, "kind_name": kind.name, "kind_name_en": kind.name_en, "level": kind.level,
        "employer": {"name": reg.enterprise.name, "uscc": reg.enterprise.uscc},
        "employer_on_copy": snap.get("employer", {}).get("name"),
        "employer_on_copy_uscc": snap.get("employer", {}).get("uscc"),
        "issued_at": iso_utc(copy.issued_at), "usage_from": iso_utc(copy.usage_from),
        "usage_until": iso_utc(copy.usage_until), "registration_status": reg.status, "issuer": settings.issuer_name,
        "photo_url": photo_url(copy) if photo_url else None,
    }
    if full:
        certificate["age_cap_date"] = cap.isoformat()
    result = _result(verdict, reasons, clock, certificate, specialties)
    if live:
        result["presentation"] = {"issued_at": iso_utc(from_epoch(claims["iat"])),
                                  "expires_at": iso_utc(from_epoch(claims["exp"]))}
    return result
