"""Applications: drafting (create, edit, proof files) and who may see or act on one. The transitions
(submit, confirm, decide, ...) are in transitions.py; the effects of an approval in effects.py."""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from backend.models import Application, ApplicationFile, Enterprise, Registration, RegStatus
from backend.services.checkdigits import id_number_facts
from backend.services.dates import parse_date
from backend.services.errors import Conflict, Forbidden, NotFound, ServiceError, ValidationFailed
from backend.services.registry.enterprises import get_enterprise
from backend.services.registry.registrations import get_registration
from backend.services.uploads.checks import check_proof_file
from backend.services.validation import _NAME_RE as NAME_RE, Checker
from backend.services.workflows.access import can_see, invalid_state, require_applicant
from backend.services.workflows.types import (
    NAMED_EMPLOYER,
    PERSONAL_CHANGES,
    TYPES,
    WITH_KIND,
    Actor,
    State,
    WorkflowContext,
)

PAGE_SIZE = 20
FIELDS = ("registration_number", "kind", "specialties", "enterprise_uscc", "changes", "cpd_hours", "cpd_commitment",
          "note")




def _registration(session: Session, actor: Actor, number) -> Registration:
    reg = get_registration(session, number)
    mine = reg.person_id == actor.person_id if actor.role == "holder" else reg.enterprise_id == actor.enterprise_id
    if not mine:      # someone else's registration looks like no registration at all
        raise NotFound("未找到该注册信息", "No such registration", code="registration_not_found")
    return reg


def _clean(session: Session, ctx: WorkflowContext, actor: Actor, app_type: str, data: dict) -> dict:
    """The application's columns from the request's fields; field problems are raised together."""
    t, c = TYPES[app_type], Checker(data)
    number = c.text("registration_number", required=t.needs_registration, max_len=32)
    kind_code = c.choice("kind", list(ctx.catalogue.kinds), required=app_type in WITH_KIND) if app_type in WITH_KIND else None
    uscc = c.text("enterprise_uscc", required=app_type in NAMED_EMPLOYER, max_len=18) if app_type in NAMED_EMPLOYER else None
    specs = data.get("specialties")
    if specs is not None and (not isinstance(specs, list) or not all(isinstance(s, str) for s in specs)
                              or len(set(specs)) != len(specs) or len(specs) > 12):
        c.fail("specialties", "type", "注册专业须为不重复的代码列表", "specialties is a list of distinct codes")
    changes = data.get("changes") or {}
    if not isinstance(changes, dict) or set(changes) - {*PERSONAL_CHANGES, "deceased_on"}:
        c.fail("changes", "type", "changes 只能包含 name、id_number 或 deceased_on",
               "changes may hold name, id_number or deceased_on only")
        changes = {}
    if "deceased_on" in changes and parse_date(changes["deceased_on"]) is None:
        c.fail("changes", "format", "死亡日期格式应为 YYYY-MM-DD", "changes.deceased_on is a date YYYY-MM-DD")
    if app_type == "personal_info":
        changes = _personal_changes(c, changes)
    hours = data.get("cpd_hours")
    if hours is not None and (not isinstance(hours, int) or isinstance(hours, bool) or not 0 <= hours <= 10000):
        c.fail("cpd_hours", "range", "继续教育学时须为 0-10000 的整数", "cpd_hours is an integer from 0 to 10000")
    if not isinstance(data.get("cpd_commitment", False), bool):
        c.fail("cpd_commitment", "type", "cpd_commitment 须为 true 或 false", "cpd_commitment is true or false")
    c.text("note", required=False, max_len=500)
    c.done()
    reg = _registration(session, actor, number) if number else None
    kind = ctx.catalogue.kind(kind_code or (reg.kind_code if reg else ""))
    if specs is None and app_type == "renewal" and reg is not None:
        specs = [s.specialty_code for s in reg.specialties if s.status != "cancelled"]
    if app_type in ("initial", "reregister", "add_specialty", "renewal") and not specs:
        raise ValidationFailed.field("specialties", "required", "请选择注册专业", "Name at least one specialty")
    allowed = ({s.specialty_code for s in reg.specialties} if app_type == "renewal" and reg is not None
               else set(kind.specialties) if kind else set())
    if specs and any(s not in allowed for s in specs):
        raise ValidationFailed.field("specialties", "choice", "注册专业无效", "A specialty is not one of the kind's")
    ent = get_enterprise(session, uscc) if uscc else reg.enterprise if reg else None
    if ent is None and app_type == "personal_info":      # the holder's employer, for visibility and the mode
        ent = session.scalar(select(Enterprise).join(Registration, Registration.enterprise_id == Enterprise.id)
                             .where(Registration.person_id == actor.person_id,
                                    Registration.status.in_((RegStatus.ACTIVE, RegStatus.SUSPENDED))).limit(1))
    confirm = {"named": ent, "registration": reg.enterprise if reg else None, None: None}[TYPES[app_type].confirm]
    return {"registration_id": reg.id if reg else None, "kind_code": kind.code if kind else None,
            "specialties": list(specs or []), "enterprise_id": ent.id if ent else None,
            "current_enterprise_id": reg.enterprise_id if reg else None,
            "confirm_enterprise_id": confirm.id if confirm else None, "changes": dict(changes),
            "cpd_hours": hours, "cpd_commitment": bool(data.get("cpd_commitment", False)),
            "note": c.out.get("note"), "person_id": reg.person_id if reg else actor.person_id,
            "decision_mode": ctx.policy.mode_for(ent.province_code if ent else None, app_type)}


def _personal_changes(c: Checker, changes: dict) -> dict:
    """个人信息修改: a new name and/or a new ID number (sex and birth date follow from it, GB 11643)."""
    if not any(changes.get(k) for k in PERSONAL_CHANGES):
        c.fail("changes", "required", "请填写新姓名或新身份证号码", "Give the new name or the new ID number")
        return {}
    new = Checker(changes)
    new.text("name", required=False, max_len=40, pattern=NAME_RE, label=("新姓名 changes.name", "The new name changes.name"))
    idn = new.text("id_number", required=False, max_len=18,
                   label=("新身份证号码 changes.id_number", "The new ID number changes.id_number"))
    if idn is not None and id_number_facts(idn) is None:
        new.fail("id_number", "checksum", "新身份证号码无效(校验位或出生日期错误)",
                 "The new ID number is invalid (check character or birth date)")
    for problem in new.errors.values():
        c.fail("changes", problem["code"], problem["message"], problem["message_en"])
    return {k: new.out[k] for k in PERSONAL_CHANGES if new.out.get(k)}


def create_application(session: Session, ctx: WorkflowContext, actor: Actor, data: dict) -> Application:
    from backend.services.workflows.access import record_event
    c = Checker(data)
    app_type = c.choice("type", list(TYPES))
    c.done()
    if actor.role != TYPES[app_type].filed_by:
        raise Forbidden(f"{TYPES[app_type].name}须由{'持证人' if TYPES[app_type].filed_by == 'holder' else '聘用单位'}申请",
                        f"A {TYPES[app_type].name_en.lower()} is filed by the {TYPES[app_type].filed_by}")
    if actor.role == "holder" and actor.person_id is None:
        raise Forbidden("持证人账户未绑定人员", "The holder account is bound to no person")
    cols = _clean(session, ctx, actor, app_type, data)
    app = Application(public_id="ap_" + secrets.token_hex(8), type=app_type, state=State.DRAFT, filed_by=actor.role,
                      filed_by_enterprise_id=actor.enterprise_id if actor.role == "enterprise" else None, rules=[], **cols)
    session.add(app)
    session.flush()
    session.refresh(app)
    record_event(session, app, actor, "create")
    return app


def as_input(app: Application) -> dict:
    return {"registration_number": app.registration.registration_number if app.registration else None,
            "kind": app.kind_code, "specialties": app.specialties, "changes": app.changes, "cpd_hours": app.cpd_hours,
            "enterprise_uscc": app.enterprise.uscc if app.enterprise else None, "cpd_commitment": app.cpd_commitment,
            "note": app.note}


def update_application(session: Session, ctx: WorkflowContext, actor: Actor, public_id: str, data: dict) -> Application:
    from backend.services.workflows.access import lock, record_event
    app = lock(session, public_id)
    require_applicant(actor, app)
    if app.state not in State.EDITABLE:
        raise invalid_state(app, "edit")
    if data.get("type", app.type) != app.type:
        raise ValidationFailed.field("type", "immutable", "申请类型不能修改", "The type cannot be changed")
    merged = {**as_input(app), **{k: v for k, v in data.items() if k in FIELDS}}
    for k, v in _clean(session, ctx, actor, app.type, merged).items():
        setattr(app, k, v)
    session.flush()
    record_event(session, app, actor, "edit")
    return app


def add_file(session: Session, ctx: WorkflowContext, actor: Actor, public_id: str, name, data: bytes) -> Application:
    from backend.services.workflows.access import lock, record_event
    app = lock(session, public_id)
    require_applicant(actor, app)
    if app.state not in State.EDITABLE:
        raise invalid_state(app, "upload")
    if len(data) > ctx.policy.file_max_bytes:
        raise ServiceError(f"文件过大(最大 {ctx.policy.file_max_bytes // 1024 // 1024} MB)", "The file is too large",
                           code="file_too_large", status=413, details={"max_bytes": ctx.policy.file_max_bytes})
    mime = check_proof_file(data)      # by content: decoded images, parsed PDFs without scripts or attachments
    if len(app.files) >= ctx.policy.max_files:
        raise Conflict(f"最多上传 {ctx.policy.max_files} 个文件", "Too many files", code="too_many_files")
    clean_name = (str(name or "").replace("\\", "/").rsplit("/", 1)[-1].strip() or "file")[:200]
    app.files.append(ApplicationFile(name=clean_name, mime=mime, size=len(data), data=data,
                                     sha256=hashlib.sha256(data).hexdigest()))
    session.flush()
    record_event(session, app, actor, "upload", f"{clean_name} ({mime}, {len(data)} B)")
    return app


def get_application(session: Session, actor: Actor, public_id: str) -> Application:
    app = session.scalar(select(Application).where(Application.public_id == public_id)) \
        if isinstance(public_id, str) else None
    if app is None:
        raise NotFound("未找到该申请", "No such application", code="application_not_found")
    if not can_see(actor, app):
        raise Forbidden("无权查看此申请", "You may not see this application")
    return app


def get_file(session: Session, actor: Actor, public_id: str, file_id: int) -> ApplicationFile:
    app = get_application(session, actor, public_id)
    f = next((f for f in app.files if f.id == file_id), None)
    if f is None:
        raise NotFound("未找到该文件", "No such file", code="file_not_found")
    return f


def list_applications(session: Session, actor: Actor, args: dict) -> tuple[list[Application], int, int]:
    c = Checker(dict(args))
    state = c.choice("state", list(State.NAMES), required=False)
    app_type = c.choice("type", list(TYPES), required=False)
    queue = c.choice("queue", ["review", "confirm"], required=False)
    page = args.get("page") or "1"
    if not str(page).isdigit() or not 1 <= int(page) <= 10000:
        c.fail("page", "range", "页码须为正整数", "page is a positive integer")
    c.done()
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
    rows = session.scalars(q.order_by(Application.id.desc()).offset((int(page) - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return list(rows), total, int(page)
