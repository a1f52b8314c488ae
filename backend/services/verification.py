"""Verifying a scanned certificate: the QR text (URL or bare token) -> a verdict with its reasons.

A revoked or expired copy is a result, not an error: every input, however bad, gets a verdict.

The copy, its registration, holder, employer and specialties are read with one prebuilt Core statement
(bench/verify_throughput.py: the ORM entity load with its selectin query cost about half of a request).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import ada_url

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from backend.crypto import tokens
from backend.crypto.keys import KeyRing
from backend.models import (CertificateCopy, CopyStatus, Enterprise, Person, Registration, RegistrationSpecialty,
                      RegStatus, SpecialtyStatus)
from backend.services.clock import Clock, age_cap_date, from_epoch, iso_utc
from backend.services.kinds import Catalogue
from backend.services.masking import public_id_number
from backend.services.settings import IssuerSettings
from backend.services.verdicts import VERDICT_TEXT, overall, reason

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


# --- what a verdict reads of a copy: plain records filled from one statement ------------------------------

@dataclass(slots=True)
class PersonView:
    name: str
    sex: str
    birth_date: dt.date
    id_number: str
    photo_mime: str | None
    synthetic: bool


@dataclass(slots=True)
class EnterpriseView:
    name: str
    uscc: str


@dataclass(slots=True)
class SpecialtyView:
    specialty_code: str
    valid_until: dt.date
    status: str


@dataclass(slots=True)
class RegistrationView:
    id: int
    person_id: int
    enterprise_id: int
    registration_number: str
    seal_counter: int
    kind_code: str
    status: str
    status_reason: str | None
    person: PersonView
    enterprise: EnterpriseView
    specialties: list[SpecialtyView]

    seal_number = property(Registration.seal_number.fget)


@dataclass(slots=True)
class CopyView:
    """The copy as verify_qr read it (the `copy` given to its photo_url callable): the columns of the
    CertificateCopy used here, and `registration` with its `person`, `enterprise` and `specialties`."""
    id: int
    public_id: str
    identifier: str
    version: int
    issued_at: dt.datetime
    usage_from: dt.datetime
    usage_until: dt.datetime
    status: str
    superseded_at: dt.datetime | None
    snapshot: dict
    registration: RegistrationView


_c, _r, _p, _e, _s = (m.__table__ for m in (CertificateCopy, Registration, Person, Enterprise, RegistrationSpecialty))
# One row per specialty (one row with NULL specialty columns when there is none), in the order of
# Registration.specialties. Built once: SQLAlchemy memoizes its cache key, so each call only binds `jti`.
_COPY_BY_JTI = (
    select(_c.c.id, _c.c.public_id, _c.c.identifier, _c.c.version, _c.c.issued_at, _c.c.usage_from,
           _c.c.usage_until, _c.c.status, _c.c.superseded_at, _c.c.snapshot,
           _r.c.id, _r.c.person_id, _r.c.enterprise_id, _r.c.registration_number, _r.c.seal_counter, _r.c.kind_code,
           _r.c.status, _r.c.status_reason,
           _p.c.name, _p.c.sex, _p.c.birth_date, _p.c.id_number, _p.c.photo_mime, _p.c.synthetic,
           _e.c.name, _e.c.uscc,
           _s.c.specialty_code, _s.c.valid_until, _s.c.status)
    .select_from(_c.join(_r, _r.c.id == _c.c.registration_id)
                 .join(_p, _p.c.id == _r.c.person_id)
                 .join(_e, _e.c.id == _r.c.enterprise_id)
                 .outerjoin(_s, _s.c.registration_id == _r.c.id))
    .where(_c.c.public_id == bindparam("jti"))
    .order_by(_s.c.id)
)


def load_copy(session: Session, public_id: str) -> CopyView | None:
    """The copy with this public id (token `jti`) and what its verdict needs, or None."""
    if session.autoflush:
        session.flush()          # what an ORM query would do first: pending changes count
    rows = session.execute(_COPY_BY_JTI, {"jti": public_id}).all()
    if not rows:
        return None
    (cid, public_id, identifier, version, issued_at, usage_from, usage_until, status, superseded_at, snapshot,
     rid, person_id, enterprise_id, number, seal_counter, kind_code, reg_status, status_reason,
     name, sex, birth_date, id_number, photo_mime, synthetic, ent_name, uscc, *_) = rows[0]
    reg = RegistrationView(rid, person_id, enterprise_id, number, seal_counter, kind_code, reg_status, status_reason,
                           PersonView(name, sex, birth_date, id_number, photo_mime, synthetic),
                           EnterpriseView(ent_name, uscc),
                           [SpecialtyView(row[-3], row[-2], row[-1]) for row in rows if row[-3] is not None])
    return CopyView(cid, public_id, identifier, version, issued_at, usage_from, usage_until, status, superseded_at,
                    snapshot, reg)


def _result(verdict: str, reasons: list[dict], clock: Clock, certificate=None, specialties=None) -> dict:
    zh, en = VERDICT_TEXT[verdict]
    return {"verdict": verdict, "message": zh, "message_en": en, "reasons": reasons,
            "checked_at": iso_utc(clock.now()), "certificate": certificate, "specialties": specialties or []}


def _date(yyyymmdd: int) -> dt.date | None:
    try:
        return dt.date(yyyymmdd // 10000, yyyymmdd // 100 % 100, yyyymmdd % 100)
    except (TypeError, ValueError):
        return None


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
        _, claims = tokens.verify(ring, token, issuer=settings.issuer, typ=tokens.CERTIFICATE_TYPES,
                                  require=("iat", "exp", "iss", "jti", "i", "r"))
    except tokens.TokenInvalid as e:
        return _result("invalid", [reason(e.reason)], clock)
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
        valid_until = row.valid_until if row else _date(until)
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
    if now > from_epoch(claims["exp"]):
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
        "issued_at": iso_utc(copy.issued_at), "usage_from": iso_utc(copy.usage_from),
        "usage_until": iso_utc(copy.usage_until), "registration_status": reg.status, "issuer": settings.issuer_name,
        "photo_url": photo_url(copy) if photo_url else None,
    }
    if full:
        certificate["age_cap_date"] = cap.isoformat()
    return _result(verdict, reasons, clock, certificate, specialties)
