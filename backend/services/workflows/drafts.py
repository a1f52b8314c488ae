"""Applications: drafting (create, edit, proof files) and who may see or act on one. The transitions
(submit, confirm, decide, ...) are in transitions.py; the effects of an approval in effects.py.

The fields arrive well formed (the edge checks each one's format: backend/api/schemas/workflows.py); what
depends on the application's type, the catalogue or the register is checked here."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field, replace

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from backend.models import Application, ApplicationFile, Enterprise, Registration, RegStatus
from backend.services.dates import parse_date
from backend.services.errors import FieldProblem, FieldProblems
from backend.services.registry.enterprises import get_enterprise
from backend.services.registry.registrations import get_registration
from backend.services.uploads.checks import check_proof_file
from backend.services.workflows.access import can_see, lock, record_event, require_applicant
from backend.services.workflows.errors import (
    ApplicationNotFound,
    EmployerRequired,
    FiledByOther,
    FileNotFound,
    FileTooLarge,
    HolderWithoutPerson,
    InvalidState,
    KindRequired,
    NotInvolved,
    PersonalChangeRequired,
    RegistrationNotFound,
    RegistrationNumberRequired,
    SpecialtiesRequired,
    TooManyFiles,
    TypeImmutable,
    UnknownSpecialty,
)
from backend.services.workflows.renewable import renewable_now
from backend.services.workflows.types import NAMED_EMPLOYER, PERSONAL_CHANGES, TYPES, WITH_KIND, Actor, State, WorkflowContext

PAGE_SIZE = 20


@dataclass(frozen=True)
class Draft:
    """An application's fields as the applicant gives them."""
    registration_number: str | None = None
    kind: str | None = None
    specialties: list[str] | None = None      # None: a renewal renews every specialty of its registration
    enterprise_uscc: str | None = None
    changes: dict = field(default_factory=dict)   # name, id_number (personal_info); deceased_on, a date
    cpd_hours: int | None = None
    cpd_commitment: bool = False
    note: str | None = None


def as_draft(app: Application) -> Draft:
    changes = dict(app.changes or {})
    if "deceased_on" in changes:
        changes["deceased_on"] = parse_date(changes["deceased_on"])
    return Draft(registration_number=app.registration.registration_number if app.registration else None,
                 kind=app.kind_code, specialties=list(app.specialties or []), changes=changes,
                 enterprise_uscc=app.enterprise.uscc if app.enterprise else None, cpd_hours=app.cpd_hours,
                 cpd_commitment=app.cpd_commitment, note=app.note)


def _registration(session: Session, actor: Actor, number: str) -> Registration:
    reg = get_registration(session, number)
    mine = reg.person_id == actor.person_id if actor.role == "holder" else reg.enterprise_id == actor.enterprise_id
    if not mine:      # someone else's registration looks like no registration at all
        raise RegistrationNotFound()
    return reg


def _missing(ctx: WorkflowContext, app_type: str, d: Draft) -> list[FieldProblem]:
    """What this type needs and the draft lacks, all at once."""
    out: list[FieldProblem] = []
    if TYPES[app_type].needs_registration and not d.registration_number:
        out.append(RegistrationNumberRequired())
    if app_type in WITH_KIND and d.kind not in ctx.catalogue.kinds:
        out.append(KindRequired(list(ctx.catalogue.kinds)))
    if app_type in NAMED_EMPLOYER and not d.enterprise_uscc:
        out.append(EmployerRequired())
    # 个人信息修改: a new name and/or ID number (sex and birth date follow the number, GB 11643)
    if app_type == "personal_info" and not any(d.changes.get(k) for k in PERSONAL_CHANGES):
        out.append(PersonalChangeRequired())
    return out


def _stored_changes(app_type: str, changes: dict) -> dict:
    if app_type == "personal_info":
        return {k: changes[k] for k in PERSONAL_CHANGES if changes.get(k)}
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in changes.items() if v is not None}


def _columns(session: Session, ctx: WorkflowContext, actor: Actor, app_type: str, d: Draft) -> dict:
    """The application's columns from its fields, as far as the type, the catalogue and the register allow."""
    FieldProblems.check(_missing(ctx, app_type, d))
    reg = _registration(session, actor, d.registration_number) if d.registration_number else None
    kind = ctx.catalogue.kind((d.kind if app_type in WITH_KIND else None) or (reg.kind_code if reg else ""))
    specs = d.specialties
    if specs is None and app_type == "renewal" and reg is not None:
        # none named: those renewable today; when none is, all of them, and the rules say why not
        specs = renewable_now(session, ctx, reg) or [s.specialty_code for s in reg.specialties
                                                     if s.status != "cancelled"]
    if app_type in ("initial", "reregister", "add_specialty", "renewal") and not specs:
        raise SpecialtiesRequired()
    allowed = ({s.specialty_code for s in reg.specialties} if app_type == "renewal" and reg is not None
               else set(kind.specialties) if kind else set())
    if specs and any(s not in allowed for s in specs):
        raise UnknownSpecialty()
    uscc = d.enterprise_uscc if app_type in NAMED_EMPLOYER else None
    ent = get_enterprise(session, uscc) if uscc else reg.enterprise if reg else None
    if ent is None and app_type == "personal_info":      # the holder's employer, for visibility and the mode
        ent = session.scalar(select(Enterprise).join(Registration, Registration.enterprise_id == Enterprise.id)
                             .where(Registration.person_id == actor.person_id,
                                    Registration.status.in_((RegStatus.ACTIVE, RegStatus.SUSPENDED))).limit(1))
    confirm = {"named": ent, "registration": reg.enterprise if reg else None, None: None}[TYPES[app_type].confirm]
    return {"registration_id": reg.id if reg else None, "kind_code": kind.code if kind else None,
            "specialties": list(specs or []), "enterprise_id": ent.id if ent else None,
            "current_enterprise_id": reg.enterprise_id if reg else None,
            "confirm_enterprise_id": confirm.id if confirm else None,
            "changes": _stored_changes(app_type, d.changes), "cpd_hours": d.cpd_hours,
            "cpd_commitment": d.cpd_commitment, "note": d.note,
            "person_id": reg.person_id if reg else actor.person_id,
            "decision_mode": ctx.policy.mode_for(ent.province_code if ent else None, app_type)}


def create_application(session: Session, ctx: WorkflowContext, actor: Actor, app_type: str,
                       draft: Draft) -> Application:
    if actor.role != TYPES[app_type].filed_by:
        raise FiledByOther(app_type)
    if actor.role == "holder" and actor.person_id is None:
        raise HolderWithoutPerson()
    cols = _columns(session, ctx, actor, app_type, draft)
    app = Application(public_id="ap_" + secrets.token_hex(8), type=app_type, state=State.DRAFT, filed_by=actor.role,
                      filed_by_enterprise_id=actor.enterprise_id if actor.role == "enterprise" else None, rules=[], **cols)
    session.add(app)
    session.flush()
    session.refresh(app)
    record_event(session, app, actor, "create")
    return app


def update_application(session: Session, ctx: WorkflowContext, actor: Actor, public_id: str, edits: dict, *,
                       app_type: str | None = None) -> Application:
    """`edits`: the Draft fields to change, by name; `app_type`, when given, must be the application's own."""
    app = lock(session, public_id)
    require_applicant(actor, app)
    if app.state not in State.EDITABLE:
        raise InvalidState(app, "edit")
    if app_type not in (None, app.type):
        raise TypeImmutable()
    for k, v in _columns(session, ctx, actor, app.type, replace(as_draft(app), **edits)).items():
        setattr(app, k, v)
    session.flush()
    record_event(session, app, actor, "edit")
    return app


def add_file(session: Session, ctx: WorkflowContext, actor: Actor, public_id: str, name: str | None,
             data: bytes) -> Application:
    app = lock(session, public_id)
    require_applicant(actor, app)
    if app.state not in State.EDITABLE:
        raise InvalidState(app, "upload")
    if len(data) > ctx.policy.file_max_bytes:
        raise FileTooLarge(ctx.policy.file_max_bytes)
    mime = check_proof_file(data)      # by content: decoded images, parsed PDFs without scripts or attachments
    if len(app.files) >= ctx.policy.max_files:
        raise TooManyFiles(ctx.policy.max_files)
    clean_name = ((name or "").replace("\\", "/").rsplit("/", 1)[-1].strip() or "file")[:200]
    app.files.append(ApplicationFile(name=clean_name, mime=mime, size=len(data), data=data,
                                     sha256=hashlib.sha256(data).hexdigest()))
    session.flush()
    record_event(session, app, actor, "upload", f"{clean_name} ({mime}, {len(data)} B)")
    return app


def get_application(session: Session, actor: Actor, public_id: str) -> Application:
    app = session.scalar(select(Application).where(Application.public_id == public_id))
    if app is None:
        raise ApplicationNotFound()
    if not can_see(actor, app):
        raise NotInvolved()
    return app


def get_file(session: Session, actor: Actor, public_id: str, file_id: int) -> ApplicationFile:
    app = get_application(session, actor, public_id)
    f = next((f for f in app.files if f.id == file_id), None)
    if f is None:
        raise FileNotFound()
    return f


def list_applications(session: Session, actor: Actor, *, state: str | None = None, app_type: str | None = None,
                      queue: str | None = None, page: int = 1) -> tuple[list[Application], int, int]:
    """(one page of what this actor may see, newest first; the total; the page). `queue`: review (complete,
    awaiting the authority) or confirm (awaiting the confirmation of this employer)."""
    q = select(Application)
    if actor.role == "holder":
        q = q.where(Application.person_id == actor.person_id)
    elif actor.role == "enterprise":
        e = actor.enterprise_id
        q = q.where(or_(Application.enterprise_id == e, Application.current_enterprise_id == e,
                        Application.confirm_enterprise_id == e, Application.filed_by_enterprise_id == e))
    if state:
        q = q.where(Application.state == state)
    if app_type:
        q = q.where(Application.type == app_type)
    if queue == "review":
        q = q.where(Application.state.in_(State.PENDING_DECISION))
    elif queue == "confirm":     # waiting for this employer's confirmation, not merely naming it
        q = q.where(Application.state == State.AWAITING)
        if actor.role == "enterprise":
            q = q.where(Application.confirm_enterprise_id == actor.enterprise_id)
    total = session.scalar(select(func.count()).select_from(q.subquery()))
    rows = session.scalars(q.order_by(Application.id.desc()).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return list(rows), total, page
