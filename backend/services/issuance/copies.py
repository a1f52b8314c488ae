"""Issuing electronic copies (加注件) of a registration certificate.

Rules (建办市〔2021〕5号, DOMAIN.md): usage period 180 days, cut at the earliest valid specialty's expiry
and at the age-cap birthday (both inclusive, to the end of that local day); refused with a reason when
nothing is valid; at most DAILY_COPY_LIMIT copies a day. The token (v2: CBOR claims, packed into the QR
text, docs/certificate-token.md), the QR text and the QR images are made once, here, and stored.

And finding them: a registration's copies, a holder's own registrations with their current copies (我的注册),
and a copy for those entitled to it (its holder, the holder's employer, authority staff).
"""
from __future__ import annotations

import base64
import datetime as dt
import secrets
from urllib.parse import urlsplit

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, undefer

from backend.crypto import tokens
from backend.crypto.keys import KeyRing
from backend.models import CertificateCopy, CopyStatus, Registration, RegStatus, Role, SpecialtyStatus
from backend.qr.encode import qr_png, qr_svg
from backend.services import audit
from backend.services.checkdigits import mod37_36_check_char
from backend.services.clock import Clock, age_cap_date, epoch
from backend.services.dates import to_yyyymmdd
from backend.services.issuance.errors import (
    CopyNotFound,
    DailyCopyLimitReached,
    HolderDeceased,
    HolderOverAgeCap,
    NoValidSpecialty,
    OwnRegistrationNotFound,
    RegistrationInactive,
    RegistrationSuspended,
)
from backend.services.kinds import Catalogue
from backend.services.notices import events as notices
from backend.services.notices.texts import spec_names
from backend.services.registry.registrations import get_registration
from backend.services.settings import IssuerSettings

IDENTIFIER_ROOT = "1.2.156.3005.2"


def copy_identifier(type_code: str, issuer_uscc: str, serial: str, version: int) -> str:
    """电子证照标识 with its ISO/IEC 7064 MOD 37,36 check over everything after the root, dots removed."""
    body = f"{type_code}.{issuer_uscc}.{serial}.{version:03d}"
    return f"{IDENTIFIER_ROOT}.{body}.{mod37_36_check_char(body.replace('.', ''))}"


def certificate_url(base_url: str, token: str) -> str:
    """The QR text of a v2 token: `{BASE}/V#{packed}` with the scheme and host in upper case (both are
    case-insensitive), so that a phone's camera still opens the app and the whole text but `#` is in the QR
    alphanumeric set. A path prefix of the base is kept as written: a server may match paths by case."""
    u = urlsplit(base_url)
    return f"{u.scheme.upper()}://{u.netloc.upper()}{u.path.rstrip('/')}/V#{tokens.pack(token)}"


def usage_window(reg: Registration, catalogue: Catalogue, settings: IssuerSettings, clock: Clock):
    """(usage_from, usage_until, valid specialties) or IssuanceRefused with the reason."""
    kind = catalogue.kind(reg.kind_code)
    person = reg.person
    today, now = clock.today(), clock.now()
    if reg.status == RegStatus.SUSPENDED:
        raise RegistrationSuspended()
    if reg.status != RegStatus.ACTIVE:
        raise RegistrationInactive(reg.status)
    if person.deceased_on:
        raise HolderDeceased()
    cap = age_cap_date(person.birth_date, kind.age_cap_for(person.sex))
    if today > cap:
        raise HolderOverAgeCap(kind.age_cap_for(person.sex), cap)
    valid = [s for s in reg.specialties if s.status == SpecialtyStatus.ACTIVE and s.valid_from <= today <= s.valid_until]
    if not valid:
        raise NoValidSpecialty()
    last_day = min([s.valid_until for s in valid] + [cap])
    until = min(now + dt.timedelta(days=settings.usage_days), clock.end_of_local_day(last_day))
    return now, until, valid


def issue_copy(session: Session, ring: KeyRing, catalogue: Catalogue, settings: IssuerSettings, clock: Clock,
               registration_number: str, actor: str, *, enforce_daily_limit: bool = True) -> CertificateCopy:
    reg = get_registration(session, registration_number, for_update=True)   # serializes the daily count
    usage_from, usage_until, valid = usage_window(reg, catalogue, settings, clock)
    kind = catalogue.kind(reg.kind_code)
    today_start = clock.start_of_local_day(clock.today())
    if enforce_daily_limit:
        n_today = session.scalar(select(func.count(CertificateCopy.id)).where(
            CertificateCopy.registration_id == reg.id, CertificateCopy.issued_at >= today_start))
        if n_today >= settings.daily_limit:
            raise DailyCopyLimitReached(settings.daily_limit, n_today)
    version = (session.scalar(select(func.max(CertificateCopy.version))
                              .where(CertificateCopy.registration_id == reg.id)) or 0) + 1
    person, ent = reg.person, reg.enterprise
    specs = [{"code": s.specialty_code, "name": kind.specialty(s.specialty_code).name,
              "valid_from": s.valid_from.isoformat(), "valid_until": s.valid_until.isoformat()} for s in valid]
    snapshot = {
        "name": person.name, "sex": person.sex, "birth_date": person.birth_date.isoformat(),
        "id_type": person.id_type, "id_number": person.id_number,
        "registration_number": reg.registration_number, "seal_number": reg.seal_number,
        "kind": kind.code, "kind_name": kind.name, "kind_name_en": kind.name_en, "level": kind.level,
        "employer": {"name": ent.name, "short_name": ent.short_name, "uscc": ent.uscc},
        "specialties": specs, "issuer_name": settings.issuer_name, "issuer_name_en": settings.issuer_name_en,
    }
    copy = CertificateCopy(
        public_id=base64.b32encode(secrets.token_bytes(5)).decode().lower(),
        identifier=copy_identifier(kind.type_code, settings.issuer_uscc, f"{reg.id:010d}", version),
        registration_id=reg.id, version=version, issued_at=usage_from, usage_from=usage_from,
        usage_until=usage_until, status=CopyStatus.CURRENT, kid=ring.current_kid, token="", qr_text="",
        qr_png=b"", qr_svg="", snapshot=snapshot)
    session.add(copy)
    session.flush()                                    # the row id is the status-list index
    claims = {"iss": settings.issuer, "jti": copy.public_id, "iat": epoch(usage_from), "exp": epoch(usage_until),
              "i": copy.id, "r": reg.registration_number, "n": person.name, "k": kind.code,
              "s": [[s.specialty_code, to_yyyymmdd(s.valid_until)] for s in valid],
              "e": [ent.uscc, ent.short_name]}
    # The last 4 characters of the ID number, for the inspector offline (docs/privacy.md) - unless a date in the
    # code is the holder's age-cap date: the birth date follows from it, and with the region that a public answer
    # shows, these 4 would give the whole number back.
    cap = age_cap_date(person.birth_date, kind.age_cap_for(person.sex))
    if not (any(s.valid_until == cap for s in valid) or usage_until == clock.end_of_local_day(cap)):
        claims["h"] = person.id_number[-4:]
    copy.token = tokens.sign_certificate(ring, claims)
    copy.qr_text = certificate_url(settings.base_url, copy.token)
    copy.qr_png, version_used = qr_png(copy.qr_text)
    copy.qr_svg = qr_svg(copy.qr_text)
    copy.snapshot = {**snapshot, "qr_version": version_used}
    session.execute(update(CertificateCopy)
                    .where(CertificateCopy.registration_id == reg.id, CertificateCopy.status == CopyStatus.SUPERSEDED,
                           CertificateCopy.superseded_by_id.is_(None), CertificateCopy.id != copy.id)
                    .values(superseded_by_id=copy.id))
    session.flush()
    audit.record(session, actor, "copy.issue", "certificate_copy", copy.public_id,
                 {"registration": reg.registration_number, "identifier": copy.identifier,
                  "usage_until": usage_until.isoformat(), "kid": ring.current_kid})
    # 加注 time: a specialty with under 180 days cuts the copy's usage period (Jiangsu FAQ Q36)
    notices.specialties_short(session, reg, spec_names(kind), clock.today(), clock.now(), settings.usage_days)
    return copy


def issue_own_copy(session: Session, ring: KeyRing, catalogue: Catalogue, settings: IssuerSettings, clock: Clock,
                   registration_number: str, person_id: int, actor: str) -> CertificateCopy:
    """证照加注: the holder's new copy of their own registration (the daily limit applies). Someone else's
    registration is answered as one that does not exist."""
    owner = session.scalar(select(Registration.person_id).where(Registration.registration_number == registration_number))
    if owner is None or owner != person_id:
        raise OwnRegistrationNotFound()
    return issue_copy(session, ring, catalogue, settings, clock, registration_number, actor)


def copies_of(session: Session, registration_number: str, limit: int = 100) -> list[CertificateCopy]:
    """The registration's copies, newest first."""
    reg = get_registration(session, registration_number)
    return list(session.scalars(select(CertificateCopy).where(CertificateCopy.registration_id == reg.id)
                                .order_by(CertificateCopy.id.desc()).limit(limit)))


def own_registrations(session: Session, person_id: int) -> list[tuple[Registration, CertificateCopy | None]]:
    """The holder's registrations (我的注册), each with its newest current copy, in two queries."""
    regs = session.scalars(select(Registration).where(Registration.person_id == person_id)
                           .order_by(Registration.id)).all()
    current = {}
    if regs:
        for c in session.scalars(select(CertificateCopy).where(
                CertificateCopy.registration_id.in_([r.id for r in regs]), CertificateCopy.status == CopyStatus.CURRENT)
                .order_by(CertificateCopy.id)):
            current[c.registration_id] = c          # later ids overwrite earlier: the newest wins
    return [(r, current.get(r.id)) for r in regs]


def entitled_copy(session: Session, public_id: str, *, role: str, person_id: int | None, enterprise_id: int | None,
                  load=()) -> CertificateCopy:
    """The copy, if the caller may have it: authority staff, its holder, or the holder's employer; `load` names
    deferred columns to read with it (the QR images). Someone else's copy answers exactly as an unknown one."""
    c = session.scalar(select(CertificateCopy).where(CertificateCopy.public_id == public_id)
                       .options(*(undefer(col) for col in load)))
    reg = c.registration if c is not None else None
    if reg is None or not (role == Role.AUTHORITY or (role == Role.HOLDER and person_id == reg.person_id)
                           or (role == Role.ENTERPRISE and enterprise_id == reg.enterprise_id)):
        raise CopyNotFound()
    return c
