"""JSON shapes of the registry's objects, full (for those entitled) or masked (for everyone else)."""
from __future__ import annotations

from backend.models import CertificateCopy, Enterprise, Person, Registration, RegStatus
from backend.services.clock import age_cap_date, iso_utc
from backend.services.kinds import Catalogue
from backend.services.masking import mask_id_number


def person_json(p: Person, *, full: bool) -> dict:
    out = {"id": p.id, "name": p.name, "sex": p.sex,
           "id_number": p.id_number if full else mask_id_number(p.id_number)}
    if full:
        out.update(birth_date=p.birth_date.isoformat(), phone=p.phone, has_photo=p.photo_mime is not None or p.synthetic,
                   deceased_on=p.deceased_on.isoformat() if p.deceased_on else None)
    return out


def enterprise_json(e: Enterprise) -> dict:
    return {"name": e.name, "short_name": e.short_name, "uscc": e.uscc, "province_code": e.province_code,
            "status": e.status}


def registration_json(r: Registration, catalogue: Catalogue, *, full: bool) -> dict:
    kind = catalogue.kind(r.kind_code)
    return {
        "registration_number": r.registration_number, "seal_number": r.seal_number,
        "kind": kind.code, "kind_name": kind.name, "kind_name_en": kind.name_en, "level": kind.level,
        "status": r.status, "status_name": RegStatus.ZH[r.status], "status_reason": r.status_reason if full else None,
        "first_registered_on": r.first_registered_on.isoformat(),
        "person": person_json(r.person, full=full), "employer": enterprise_json(r.enterprise),
        "age_cap_date": age_cap_date(r.person.birth_date, kind.age_cap_for(r.person.sex)).isoformat(),
        "specialties": [{"code": s.specialty_code,
                         "name": kind.specialty(s.specialty_code).name if kind.specialty(s.specialty_code) else s.specialty_code,
                         "valid_from": s.valid_from.isoformat(), "valid_until": s.valid_until.isoformat(),
                         "status": s.status} for s in r.specialties],
    }


def copy_json(c: CertificateCopy) -> dict:
    base = f"/api/v1/certificates/{c.public_id}"
    return {"copy_id": c.public_id, "identifier": c.identifier, "version": c.version,
            "registration_number": c.registration.registration_number, "status": c.status,
            "issued_at": iso_utc(c.issued_at), "usage_from": iso_utc(c.usage_from), "usage_until": iso_utc(c.usage_until),
            "superseded_at": iso_utc(c.superseded_at), "status_index": c.id, "kid": c.kid,
            "qr": c.qr_text, "qr_version": c.snapshot.get("qr_version"),
            "links": {"qr_png": f"{base}/qr.png", "qr_svg": f"{base}/qr.svg", "pdf": f"{base}/certificate.pdf"}}
