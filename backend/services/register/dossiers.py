"""The dossiers the authority reads: a person, and an enterprise, with everything the register holds on them.

A person: identity in full, which current images are on file (the edge adds their links), registrations
with specialties, validity and every copy (current, superseded, revoked), qualifications, applications with
their history, 挂证 signals, photo and signature uploads, and the audit trail of all of these (trail.py).
An enterprise: its record and licence status, counts of its registrations by status and kind, its 挂证
signals, one page of its staff (the roster's entries: services/enterprise/roster.py) and its audit trail.
A handful of set-based queries each, whatever the record's size."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Account, Application, CertificateCopy, Enterprise, Qualification, Registration, RegStatus
from backend.services.clock import Clock, age_cap_date, iso_utc
from backend.services.enterprise.roster import staff_entries
from backend.services.enterprise.signals import HELD, RegFact, person_signals
from backend.services.enterprise.staff_warnings import WarningSettings
from backend.services.kinds import Catalogue
from backend.services.register.errors import PageOutOfRange
from backend.services.register.trail import event_json, trail
from backend.services.registry.errors import EnterpriseNotFound
from backend.services.registry.onboarding import images_on_file, person_submissions
from backend.services.registry.persons import get_person
from backend.services.workflows.types import TYPES, State

COPIES_PER_REGISTRATION = 50
APPLICATIONS = 100
STAFF_PAGE = 100


def person_dossier(session: Session, catalogue: Catalogue, clock: Clock, person_id: int) -> dict:
    """Everything on one person (PersonNotFound otherwise). `submissions` are ImageSubmission rows: the edge
    shapes them as the onboarding API does, with their image links."""
    p = get_person(session, person_id)
    regs = list(session.scalars(select(Registration).where(Registration.person_id == p.id).order_by(Registration.id)))
    copies = _copies(session, [r.id for r in regs])
    apps = list(session.scalars(select(Application).where(Application.person_id == p.id)
                                .order_by(Application.id.desc()).limit(APPLICATIONS)))
    subs = person_submissions(session, p.id)
    quals = list(session.scalars(select(Qualification).where(Qualification.person_id == p.id).order_by(Qualification.id)))
    accounts = list(session.scalars(select(Account.id).where(Account.person_id == p.id)))
    held = [r for r in regs if r.status in HELD]
    facts = [RegFact(r.registration_number, r.kind_code, r.status, r.enterprise_id, r.enterprise.name,
                     r.enterprise.uscc) for r in regs]
    # The authority sees no one enterprise's side: judged from the (first) employer the person is held at,
    # so that only what is wrong anywhere shows (more than one employer; 安管 B without a constructor there).
    signals = person_signals(facts, held[0].enterprise_id if held else 0, catalogue) if held else []
    ids = [str(r.id) for r in regs]
    keys = {"person": {str(p.id)},
            "registration": {r.registration_number for r in regs} | set(ids) | ({",".join(ids)} if ids else set()),
            "certificate_copy": {c.public_id for cs in copies.values() for c in cs},
            "application": {a.public_id for a in apps}, "image_submission": {s.public_id for s in subs},
            "account": {str(a) for a in accounts}}
    events, total = trail(session, keys)
    today = clock.today()
    return {
        "person": {"id": p.id, "name": p.name, "sex": p.sex, "birth_date": p.birth_date.isoformat(),
                   "id_type": p.id_type, "id_number": p.id_number, "phone": p.phone,
                   "deceased_on": p.deceased_on.isoformat() if p.deceased_on else None,
                   "created_at": iso_utc(p.created_at), "updated_at": iso_utc(p.updated_at)},
        "images": images_on_file(session, [p.id])[p.id],
        "registrations": [_registration(catalogue, r, copies.get(r.id, []), today) for r in regs],
        "qualifications": [{"id": q.id, "kind": q.kind_code, "specialty": q.specialty_code,
                            "certificate_no": q.certificate_no, "issued_on": q.issued_on.isoformat()} for q in quals],
        "applications": [_application(a) for a in apps],
        "signals": signals,
        "submissions": subs,
        "audit": {"total": total, "events": [event_json(e) for e in events]},
    }


def _copies(session: Session, reg_ids: list[int]) -> dict[int, list[CertificateCopy]]:
    C = CertificateCopy
    out: dict[int, list[CertificateCopy]] = {}
    if reg_ids:
        for c in session.scalars(select(C).where(C.registration_id.in_(reg_ids)).order_by(C.id.desc())):
            bucket = out.setdefault(c.registration_id, [])
            if len(bucket) < COPIES_PER_REGISTRATION:
                bucket.append(c)
    return out


def _registration(catalogue: Catalogue, r: Registration, copies: list[CertificateCopy], today) -> dict:
    kind = catalogue.kind(r.kind_code)
    spec = (lambda code: kind.specialty(code) if kind else None)  # noqa: E731
    return {
        "registration_number": r.registration_number, "seal_number": r.seal_number, "kind": r.kind_code,
        "kind_name": kind.name if kind else r.kind_code, "kind_name_en": kind.name_en if kind else r.kind_code,
        "level": kind.level if kind else None, "status": r.status, "status_name": RegStatus.ZH[r.status],
        "status_name_en": RegStatus.EN[r.status], "status_reason": r.status_reason, "province_code": r.province_code,
        "first_registered_on": r.first_registered_on.isoformat(),
        "age_cap_date": age_cap_date(r.person.birth_date, kind.age_cap_for(r.person.sex)).isoformat() if kind else None,
        "employer": {"name": r.enterprise.name, "short_name": r.enterprise.short_name, "uscc": r.enterprise.uscc,
                     "status": r.enterprise.status},
        "specialties": [{"code": s.specialty_code, "name": spec(s.specialty_code).name if spec(s.specialty_code)
                         else s.specialty_code, "valid_from": s.valid_from.isoformat(),
                         "valid_until": s.valid_until.isoformat(), "status": s.status,
                         "days_left": (s.valid_until - today).days} for s in r.specialties],
        "copies": [{"copy_id": c.public_id, "identifier": c.identifier, "version": c.version, "status": c.status,
                    "issued_at": iso_utc(c.issued_at), "usage_from": iso_utc(c.usage_from),
                    "usage_until": iso_utc(c.usage_until), "superseded_at": iso_utc(c.superseded_at)}
                   for c in copies],
    }


def _application(a: Application) -> dict:
    t = TYPES.get(a.type)
    zh, en = State.NAMES.get(a.state, (a.state, a.state))
    return {"id": a.public_id, "type": a.type, "type_name": t.name if t else a.type,
            "type_name_en": t.name_en if t else a.type, "state": a.state, "state_name": zh, "state_name_en": en,
            "registration_number": a.registration.registration_number if a.registration else None,
            "kind": a.kind_code, "specialties": list(a.specialties or []),
            "enterprise": None if a.enterprise is None else {"name": a.enterprise.name, "uscc": a.enterprise.uscc},
            "decision_mode": a.decision_mode, "decision_outcome": a.decision_outcome,
            "decision_reason": a.decision_reason, "decided_by": a.decided_by, "decided_at": iso_utc(a.decided_at),
            "submitted_at": iso_utc(a.submitted_at), "created_at": iso_utc(a.created_at),
            "events": [{"at": iso_utc(e.at), "actor": e.actor, "action": e.action, "state": e.state,
                        "reason": e.reason} for e in a.events]}


def get_enterprise_by_uscc(session: Session, uscc: str) -> Enterprise:
    ent = session.scalar(select(Enterprise).where(Enterprise.uscc == uscc)) \
        if isinstance(uscc, str) and len(uscc) <= 18 else None
    if ent is None:
        raise EnterpriseNotFound()
    return ent


def enterprise_dossier(session: Session, catalogue: Catalogue, clock: Clock, settings: WarningSettings, uscc: str,
                       page: int = 1) -> dict:
    """One enterprise (EnterpriseNotFound otherwise): its record, counts, signals, a page of staff and its trail."""
    ent = get_enterprise_by_uscc(session, uscc.upper() if isinstance(uscc, str) else uscc)
    entries = staff_entries(session, catalogue, clock, settings, ent)
    by_status = Counter(e["status"] for e in entries)
    by_kind = Counter(e["kind"] for e in entries)
    signals = [{"name": e["name"], "registration_number": e["registration_number"], **s}
               for e in entries for s in e["signals"]]
    pages = max(1, -(-len(entries) // STAFF_PAGE))
    if page > pages:
        raise PageOutOfRange(pages=pages)
    start = (page - 1) * STAFF_PAGE
    owners = dict(session.execute(select(Registration.registration_number, Registration.person_id)
                                  .where(Registration.enterprise_id == ent.id)).all())
    staff = [{**e, "person_id": owners[e["registration_number"]]} for e in entries[start:start + STAFF_PAGE]]
    events, total = trail(session, {"enterprise": {str(ent.id), ent.uscc}})
    accounts = session.scalar(select(Account.id).where(Account.enterprise_id == ent.id).limit(1)) is not None
    return {
        "enterprise": {"name": ent.name, "short_name": ent.short_name, "uscc": ent.uscc,
                       "province_code": ent.province_code, "status": ent.status,
                       "created_at": iso_utc(ent.created_at), "updated_at": iso_utc(ent.updated_at),
                       "has_account": accounts},
        "counts": {"registrations": len(entries), "persons": len({e["id_number"] for e in entries}),
                   "held": sum(by_status[s] for s in HELD),
                   "by_status": [{"status": s, "name": RegStatus.ZH[s], "name_en": RegStatus.EN[s],
                                  "count": by_status[s]} for s in RegStatus.ALL if by_status[s]],
                   "by_kind": [{"kind": k, "name": catalogue.kind(k).name if catalogue.kind(k) else k,
                                "name_en": catalogue.kind(k).name_en if catalogue.kind(k) else k, "count": n}
                               for k, n in sorted(by_kind.items())],
                   "warnings": sum(len(e["warnings"]) for e in entries), "signals": len(signals)},
        "signals": signals,
        "staff": {"total": len(entries), "page": page, "page_size": STAFF_PAGE, "entries": staff},
        "audit": {"total": total, "events": [event_json(e) for e in events]},
    }
