"""Verifying a scanned certificate: the QR text (URL or bare token) -> a verdict with its reasons.

A revoked or expired copy is a result, not an error: every input, however bad, gets a verdict.

The copy, its registration, holder, employer and specialties are read with one prebuilt Core statement
(bench/verify_throughput.py: the ORM entity load with its selectin query cost about half of a request).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from backend.models import CertificateCopy, Enterprise, Person, Registration, RegistrationSpecialty


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
    # on the session's connection, as Core: the ORM's execution path adds nothing to a plain SELECT of columns
    rows = session.connection().execute(_COPY_BY_JTI, {"jti": public_id}).all()
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
