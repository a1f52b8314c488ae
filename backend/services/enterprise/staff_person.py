"""One person of an enterprise's roster on a page of their own (the roster's row opened, or a warning's
link): who they are, their registrations at the enterprise with specialties, validity, current copy and
warnings, the 挂证 signals of all their registrations, and the applications that concern the enterprise.

Only the enterprise's own staff (anyone with a registration there, ended ones included, as the roster lists
them): anyone else is answered as an unknown person would be, so that the page is no oracle of who exists.
The registrations come from the roster's own queries narrowed to the person, so the two never disagree.
"""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from backend.models import Application, Enterprise, Person
from backend.services.clock import Clock, iso_utc
from backend.services.enterprise.roster import enterprise_ref, ordered, staff_entries
from backend.services.enterprise.staff_warnings import WarningSettings, warning_sort_key
from backend.services.kinds import Catalogue
from backend.services.registry.errors import PersonNotFound
from backend.services.workflows.types import TYPES, State

MAX_APPLICATIONS = 50        # the newest; a person's whole history is in the workflow pages


def _applications(session: Session, ent: Enterprise, person_id: int) -> list[dict]:
    """The person's applications that name the enterprise (as employer, old employer, confirmer or filer):
    those it may open (workflows/access.py). A holder's draft is theirs alone until filed."""
    A = Application
    rows = session.scalars(
        select(A).where(A.person_id == person_id,
                        or_(A.enterprise_id == ent.id, A.current_enterprise_id == ent.id,
                            A.confirm_enterprise_id == ent.id, A.filed_by_enterprise_id == ent.id))
        .order_by(A.created_at.desc(), A.id.desc()).limit(MAX_APPLICATIONS)).unique()
    out = []
    for a in rows:
        if a.state == State.DRAFT and a.filed_by_enterprise_id != ent.id:
            continue
        t = TYPES.get(a.type)
        zh, en = State.NAMES.get(a.state, (a.state, a.state))
        out.append({"id": a.public_id, "type": a.type, "type_name": t.name if t else a.type,
                    "type_name_en": t.name_en if t else a.type, "state": a.state, "state_name": zh,
                    "state_name_en": en,
                    "registration_number": a.registration.registration_number if a.registration else None,
                    "specialties": list(a.specialties or []), "submitted_at": iso_utc(a.submitted_at),
                    "updated_at": iso_utc(a.updated_at),
                    "awaiting_enterprise": a.state == State.AWAITING and a.confirm_enterprise_id == ent.id})
    return out


def staff_person(session: Session, catalogue: Catalogue, clock: Clock, settings: WarningSettings, ent: Enterprise,
                 person_id: int) -> dict:
    if not 0 < person_id < 2**31:        # beyond the column's range names nobody (and must not reach the driver)
        raise PersonNotFound()
    entries = staff_entries(session, catalogue, clock, settings, ent, person_id=person_id)
    if not entries:
        raise PersonNotFound()
    p = session.get(Person, person_id)
    signals = []        # each registration's, once: who else employs them, and 安管 B checks of those here
    for e in entries:
        signals += [s for s in e["signals"] if s not in signals]
    return {
        "enterprise": enterprise_ref(ent), "generated_at": iso_utc(clock.now()),
        # in full: the employer and the authority may see them (DESIGN.md), and only they get here
        "person": {"id": p.id, "name": p.name, "sex": p.sex, "birth_date": p.birth_date.isoformat(),
                   "id_type": p.id_type, "id_number": p.id_number, "phone": p.phone},
        "registrations": ordered(entries, "urgency"),
        "warnings": sorted((w for e in entries for w in e["warnings"]), key=warning_sort_key),
        "signals": signals,
        "applications": _applications(session, ent, person_id),
    }
