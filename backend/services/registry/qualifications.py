"""资格证书 (qualifications): the exam certificates a registration rests on, recorded by authority staff.
The workflow rules `qualification_held` and `cpd_hours` read them. The kind, specialty and issue date arrive
checked against the catalogue and today (the edge's QualificationInput)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Qualification
from backend.services import audit
from backend.services.registry.errors import QualificationExists
from backend.services.registry.persons import get_person

CERTIFICATE_NO_MAX = 64     # the column's


def add_qualification(session: Session, person_id: int, *, kind: str, specialty: str | None, certificate_no: str,
                      issued_on: dt.date, actor: str) -> Qualification:
    person = get_person(session, person_id)
    if session.scalar(select(Qualification.id).where(Qualification.person_id == person.id,
                                                     Qualification.kind_code == kind,
                                                     Qualification.specialty_code == specialty)):
        raise QualificationExists()
    q = Qualification(person_id=person.id, kind_code=kind, specialty_code=specialty, certificate_no=certificate_no,
                      issued_on=issued_on)
    session.add(q)
    session.flush()
    audit.record(session, actor, "qualification.add", "person", person.id,
                 {"kind": kind, "specialty": specialty, "certificate_no": certificate_no, "issued_on": issued_on})
    return q


def list_qualifications(session: Session, person_id: int) -> list[Qualification]:
    person = get_person(session, person_id)
    return list(session.scalars(select(Qualification).where(Qualification.person_id == person.id)
                                .order_by(Qualification.id)))
