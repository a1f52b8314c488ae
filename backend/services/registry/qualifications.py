"""资格证书 (qualifications): the exam certificates a registration rests on, recorded by authority staff.
The workflow rules `qualification_held` and `cpd_hours` read them."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Person, Qualification
from backend.services import audit
from backend.services.clock import Clock
from backend.services.errors import Conflict, NotFound
from backend.services.kinds import Catalogue
from backend.services.validation import Checker


def _person(session: Session, person_id: int) -> Person:
    # the URL's integer may be any size: beyond the column's range it names nobody (and must not reach the driver)
    p = session.get(Person, person_id) if isinstance(person_id, int) and 0 < person_id < 2**31 else None
    if p is None:
        raise NotFound("未找到该人员", "No such person", code="person_not_found")
    return p


def add_qualification(session: Session, catalogue: Catalogue, clock: Clock, person_id: int, data: dict,
                      actor: str) -> Qualification:
    person = _person(session, person_id)
    c = Checker(data)
    kind_code = c.choice("kind", list(catalogue.kinds))
    specialty = c.text("specialty", required=False, max_len=16)
    c.text("certificate_no", max_len=64, label=("资格证书编号", "Certificate number"))
    issued_on = c.date("issued_on")
    if issued_on and issued_on > clock.today():
        c.fail("issued_on", "future", "签发日期不能晚于今天", "The issue date is in the future")
    kind = catalogue.kind(kind_code) if kind_code else None
    if kind and specialty is not None and kind.specialty(specialty) is None:
        c.fail("specialty", "choice", "该类别没有此专业", "Not a specialty of this kind")
    clean = c.done()
    if session.scalar(select(Qualification.id).where(Qualification.person_id == person.id,
                                                     Qualification.kind_code == kind_code,
                                                     Qualification.specialty_code == specialty)):
        raise Conflict("该资格已登记", "This qualification is already recorded", code="qualification_exists")
    q = Qualification(person_id=person.id, kind_code=kind_code, specialty_code=specialty,
                      certificate_no=clean["certificate_no"], issued_on=issued_on)
    session.add(q)
    session.flush()
    audit.record(session, actor, "qualification.add", "person", person.id,
                 {"kind": kind_code, "specialty": specialty, "certificate_no": q.certificate_no, "issued_on": issued_on})
    return q


def list_qualifications(session: Session, person_id: int) -> list[Qualification]:
    person = _person(session, person_id)
    return list(session.scalars(select(Qualification).where(Qualification.person_id == person.id)
                                .order_by(Qualification.id)))


def qualification_json(q: Qualification) -> dict:
    return {"id": q.id, "kind": q.kind_code, "specialty": q.specialty_code, "certificate_no": q.certificate_no,
            "issued_on": q.issued_on.isoformat()}

