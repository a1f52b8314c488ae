"""Registry endpoints for authority staff: persons, enterprises, registrations and their changes, issuance, and
the audit trail."""
from __future__ import annotations

from flask import Blueprint, jsonify

from backend.api import deps
from backend.api.auth import actor, require_role
from backend.api.onboarding import who as uploader
from backend.api.schemas.certificates import Copy, CopyList, copy_json
from backend.api.schemas.registry import (
    AuditEvents,
    AuditQuery,
    EmployerChange,
    Enterprise,
    EnterpriseInput,
    ImageForm,
    NameChange,
    Person,
    PersonInput,
    Registration,
    RegistrationInput,
    SpecialtyAddition,
    StatusChange,
    audit_events_json,
    enterprise_json,
    person_json,
    registration_json,
)
from backend.api.spec import BODY, INVALID, operation
from backend.api.token_docs import CERTIFICATE_TOKEN
from backend.models import Role
from backend.services import audit
from backend.services.authority.actions import DANGEROUS as FOUR_EYES_ACTIONS
from backend.services.authority.errors import ApprovalRequired
from backend.services.issuance import copies as issuance
from backend.services.registry import enterprises, onboarding, persons, registrations
from backend.services.registry.persons import IMAGE_MAX_BYTES

bp = Blueprint("registry", __name__, url_prefix="/api/v1")

PERSON_404, REG_404 = (404, "person_not_found"), (404, "registration_not_found")
UPLOAD = [(413, "image_too_large", "too_many_pixels"), (415, "unsupported_media_type"), INVALID, (422, "corrupt_image")]
SUPERSEDES = "现有电子证书被替代 / Current copies become superseded."
CREATED, ISSUED = "已创建 / Created", "已签发 / Issued"


def registry_op(summary: str, **kw):
    return operation(summary, tag="registry", auth=True, **kw)


def _saved(body: dict, status: int = 200):
    deps.session().commit()
    return jsonify(body), status


def _registration(r) -> dict:
    return registration_json(r, deps.catalogue())


@bp.post("/persons")
@require_role(Role.AUTHORITY)
@registry_op("登记人员 / Register a person", json=PersonInput, ok=Person, status=201, ok_text=CREATED,
             errors=[*BODY, INVALID, (409, "person_exists")])
def create_person(json: PersonInput):
    p = persons.create_person(deps.session(), **json.model_dump(), actor=actor())
    return _saved(person_json(p), 201)


@bp.get("/persons/<int:person_id>")
@require_role(Role.AUTHORITY)
@registry_op("人员信息 / A person", ok=Person, errors=[PERSON_404])
def get_person(person_id: int):
    return jsonify(person_json(persons.get_person(deps.session(), person_id)))


def _store(person_id: int, what: str, form: ImageForm):
    """An authority upload kept as uploaded: recorded as an image submission approved at once (入库登记,
    api/onboarding.py; POST on the same path normalises the image by the onboarding rules instead)."""
    p = onboarding.store_as_uploaded(deps.session(), deps.clock(), person_id, what,
                                     form.image.read(IMAGE_MAX_BYTES + 1), uploader())
    return _saved(person_json(p))


@bp.put("/persons/<int:person_id>/photo")
@require_role(Role.AUTHORITY)
@registry_op("上传照片 / Upload the photo", form=ImageForm, ok=Person, errors=[*UPLOAD, PERSON_404],
             description="JPEG 或 PNG,最大 2 MB,原样保存,即时启用,现有电子证书被替代;新客户端请用 POST(按入库登记规则"
                         "规范化)/ JPEG or PNG, at most 2 MB, kept as uploaded and current at once; current copies are "
                         "superseded. New clients use POST (normalised by the onboarding rules).")
def put_photo(person_id: int, form: ImageForm):
    return _store(person_id, "photo", form)


@bp.put("/persons/<int:person_id>/signature")
@require_role(Role.AUTHORITY)
@registry_op("上传签名 / Upload the signature", form=ImageForm, ok=Person, errors=[*UPLOAD, PERSON_404],
             description="JPEG 或 PNG,最大 2 MB;原样保存,即时启用,打印在证书上,现有电子证书被替代;新客户端请用 POST / "
                         "JPEG or PNG, at most 2 MB, kept as uploaded, current at once and printed on the certificate; "
                         "current copies are superseded. New clients use POST.")
def put_signature(person_id: int, form: ImageForm):
    return _store(person_id, "signature", form)


@bp.post("/persons/<int:person_id>/name")
@require_role(Role.AUTHORITY)
@registry_op("变更姓名 / Change the name", json=NameChange, ok=Person, errors=[*BODY, INVALID, PERSON_404],
             description=SUPERSEDES)
def change_name(person_id: int, json: NameChange):
    return _saved(person_json(persons.change_name(deps.session(), deps.clock(), person_id, json.name, actor())))


@bp.post("/enterprises")
@require_role(Role.AUTHORITY)
@registry_op("登记单位 / Register an enterprise", json=EnterpriseInput, ok=Enterprise, status=201, ok_text=CREATED,
             errors=[*BODY, INVALID, (409, "enterprise_exists")])
def create_enterprise(json: EnterpriseInput):
    e = enterprises.create_enterprise(deps.session(), deps.catalogue(), **json.model_dump(), actor=actor())
    return _saved(enterprise_json(e), 201)


@bp.get("/enterprises/<uscc>")
@require_role(Role.AUTHORITY)
@registry_op("单位信息 / An enterprise", ok=Enterprise, errors=[(404, "enterprise_not_found")])
def get_enterprise(uscc: str):
    return jsonify(enterprise_json(enterprises.get_enterprise(deps.session(), uscc)))


@bp.post("/registrations")
@require_role(Role.AUTHORITY)
@registry_op("初始注册 / Create a registration", json=RegistrationInput, ok=Registration, status=201,
             ok_text=CREATED,
             errors=[*BODY, INVALID, (404, "person_not_found", "enterprise_not_found"),
                     (409, "employer_conflict", "person_deceased", "age_cap_reached", "employer_inactive",
                      "already_registered")])
def create_registration(json: RegistrationInput):
    r = registrations.create_registration(deps.session(), deps.catalogue(), deps.clock(), person_id=json.person_id,
                                          enterprise_uscc=json.enterprise_uscc, kind_code=json.kind,
                                          specialties=json.specialties,
                                          qualification_issued_on=json.qualification_issued_on, actor=actor())
    return _saved(_registration(r), 201)


@bp.get("/registrations/<number>")
@require_role(Role.AUTHORITY)
@registry_op("注册信息 / A registration", ok=Registration, errors=[REG_404])
def get_registration(number: str):
    return jsonify(_registration(registrations.get_registration(deps.session(), number)))


@bp.post("/registrations/<number>/employer")
@require_role(Role.AUTHORITY)
@registry_op("变更聘用单位 / Change the employer", json=EmployerChange, ok=Registration, description=SUPERSEDES,
             errors=[*BODY, INVALID, (404, "registration_not_found", "enterprise_not_found"),
                     (409, "registration_ended", "same_employer", "employer_inactive", "employer_conflict")])
def change_employer(number: str, json: EmployerChange):
    r = registrations.change_employer(deps.session(), deps.clock(), number, json.enterprise_uscc, actor())
    return _saved(_registration(r))


@bp.post("/registrations/<number>/specialties")
@require_role(Role.AUTHORITY)
@registry_op("增项注册 / Add a specialty", json=SpecialtyAddition, ok=Registration,
             errors=[*BODY, INVALID, REG_404, (409, "registration_not_active", "specialty_exists")])
def add_specialty(number: str, json: SpecialtyAddition):
    r = registrations.add_specialty(deps.session(), deps.catalogue(), deps.clock(), number, json.specialty, actor())
    return _saved(_registration(r))


@bp.post("/registrations/<number>/status")
@require_role(Role.AUTHORITY)
@registry_op("暂扣、注销、撤销、吊销、失效 / Suspend, cancel, rescind, revoke or lapse", json=StatusChange,
             ok=Registration, errors=[*BODY, INVALID, REG_404, (403, "approval_required"), (409, "status_transition")],
             description="撤销(rescind)与吊销(revoke)须经第二名审核人批准,此处拒绝(403 approval_required):请用 "
                         "/api/v1/admin/registrations/<number>/actions / rescind and revoke need a second approver and "
                         "are refused here (403 approval_required): use /api/v1/admin/registrations/<number>/actions "
                         "(docs/authority-actions.md).")
def set_status(number: str, json: StatusChange):
    if json.action in FOUR_EYES_ACTIONS:
        raise ApprovalRequired(number, json.action)
    r = registrations.set_status(deps.session(), deps.clock(), number, json.action, json.reason, actor())
    return _saved(_registration(r))


@bp.post("/registrations/<number>/copies")
@require_role(Role.AUTHORITY)
@registry_op("签发电子证书 / Issue a certificate copy", ok=Copy, status=201, ok_text=ISSUED,
             description=CERTIFICATE_TOKEN,
             errors=[REG_404, (409, "issuance_refused", "registration_suspended", "registration_not_active",
                               "person_deceased", "age_cap_reached", "no_valid_specialty"),
                     (429, "daily_limit_reached")])
def issue_copy(number: str):
    c = issuance.issue_copy(deps.session(), deps.ring(), deps.catalogue(), deps.settings(), deps.clock(), number,
                            actor())
    return _saved(copy_json(c), 201)


@bp.get("/registrations/<number>/copies")
@require_role(Role.AUTHORITY)
@registry_op("电子证书列表 / The copies of a registration", ok=CopyList, errors=[REG_404],
             description="最新的 100 份在前 / The latest 100, newest first.")
def list_copies(number: str):
    return jsonify({"copies": [copy_json(c) for c in issuance.copies_of(deps.session(), number)]})


@bp.get("/audit")
@require_role(Role.AUTHORITY)
@registry_op("审计日志 / Audit log (latest 200)", query=AuditQuery, ok=AuditEvents, operation_id="audit_events",
             errors=[INVALID])
def audit_events(query: AuditQuery):
    return jsonify(audit_events_json(audit.latest_events(deps.session(), entity_type=query.entity_type,
                                                         entity_id=query.entity_id)))
