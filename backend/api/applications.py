"""The registration workflows (docs/workflows-api.md): holders apply, employers confirm, the authority
decides (or the rules decide at once). Each view gets its request checked against its model
(schemas/workflows.py), calls backend.services.workflows (drafts or transitions), commits, and shapes the
answer (application_shapes.py)."""
from __future__ import annotations

import functools

from flask import Blueprint, Response, current_app, jsonify, request

from backend.api import deps
from backend.api.application_shapes import application_json
from backend.api.auth import actor as audit_actor, current_principal, require_role
from backend.api.schemas.workflows import (
    TYPE_TABLE,
    Application,
    ApplicationFileForm,
    ApplicationFiles,
    ApplicationInput,
    ApplicationList,
    ApplicationPatch,
    ApplicationQuery,
    DecideInput,
    DeclineInput,
)
from backend.api.spec import BODY, INVALID, binary, operation
from backend.models import Enterprise, Role
from backend.services.workflows import drafts, transitions
from backend.services.workflows.errors import FileTooLarge
from backend.services.workflows.next_step import next_step
from backend.services.workflows.rules import load_rulebook
from backend.services.workflows.types import Actor, WorkflowContext, WorkflowPolicy

bp = Blueprint("applications", __name__, url_prefix="/api/v1/applications")
INVOLVED = (Role.HOLDER, Role.ENTERPRISE, Role.AUTHORITY)
MULTIPART_OVERHEAD = 64 * 1024
PROOF_TYPES = ("application/pdf", "image/jpeg", "image/png")

# the errors the operations may answer besides those of every operation (api/spec.py)
NOT_FOUND = (404, "application_not_found")
STATE = (409, "invalid_state")
REFERENCES = (404, "application_not_found", "registration_not_found", "enterprise_not_found")
# an approval whose effect the registry refuses: nothing changes (docs/workflows-api.md)
APPROVAL = (409, "cannot_take_effect", "employer_conflict", "already_registered", "registration_ended",
            "same_employer", "registration_not_active", "specialty_exists", "status_transition", "person_exists",
            "person_deceased", "age_cap_reached", "employer_inactive")
UPLOAD = [(409, "too_many_files"), (413, "file_too_large", "payload_too_large", "too_many_pixels", "pdf_too_complex"),
          (415, "unsupported_media_type"),
          (422, "corrupt_image", "image_too_small", "pdf_unreadable", "pdf_encrypted", "pdf_active_content",
           "pdf_embedded_files", "pdf_no_pages")]


def context() -> WorkflowContext:
    cfg = current_app.config
    return WorkflowContext(catalogue=deps.catalogue(), clock=deps.clock(), policy=WorkflowPolicy.from_config(cfg),
                           rulebook=load_rulebook(cfg.get("RULES_FILE")), ring=deps.ring(), settings=deps.settings())


def viewer() -> Actor:
    p = current_principal()
    return Actor(role=p.role, username=p.username, audit=audit_actor(), person_id=p.person_id,
                 enterprise_id=p.enterprise_id)


def shape(app, who: Actor | None = None, ctx: WorkflowContext | None = None) -> dict:
    """One application's answer; a list passes its one context (ctx) to every item."""
    s = deps.session()
    ent = lambda i: s.get(Enterprise, i) if i is not None else None       # three lookups
    confirm_by = ent(app.confirm_enterprise_id)
    return application_json(app, who or viewer(), confirm_by=confirm_by, current=ent(app.current_enterprise_id),
                            next_step=next_step(ctx or context(), app, confirm_by.name if confirm_by else None))


def _private(resp, status: int = 200):
    resp.status_code = status
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


def _answer(app, status: int = 200):
    who = viewer()
    deps.session().commit()
    return _private(jsonify(shape(app, who)), status)


def _bounded_upload(view):
    """file_too_large before the body is read at all: the form is parsed (and checked) before the view runs."""
    @functools.wraps(view)
    def wrapped(*a, **kw):
        limit = WorkflowPolicy.from_config(current_app.config).file_max_bytes
        if (request.content_length or 0) > limit + MULTIPART_OVERHEAD:
            raise FileTooLarge(limit)
        return view(*a, **kw)
    return wrapped


@bp.post("")
@require_role(*INVOLVED)
@operation("新建申请(草稿) / Create an application (draft)", tag="workflows", json=ApplicationInput, ok=Application,
           status=201, ok_text="已创建 / Created", auth=True, operation_id="create_application",
           errors=[*BODY, INVALID, REFERENCES],
           description=TYPE_TABLE)
def create(json: ApplicationInput):
    return _answer(drafts.create_application(deps.session(), context(), viewer(), json.type, json.draft()), 201)


@bp.get("")
@require_role(*INVOLVED)
@operation("申请列表 / Applications", tag="workflows", query=ApplicationQuery, ok=ApplicationList, auth=True,
           operation_id="list_applications", errors=[INVALID],
           description="持证人:本人的;单位:涉及本单位的;主管部门:全部。`queue`:review 为待主管部门审批,confirm 为待本单位"
                       "确认;每页 20 条 / Holder: own; enterprise: involving it; authority: all. `queue`: review, "
                       "awaiting the authority; confirm, awaiting this employer's confirmation; 20 per page")
def index(query: ApplicationQuery):
    who = viewer()
    rows, total, page = drafts.list_applications(deps.session(), who, state=query.state, app_type=query.type,
                                                 queue=query.queue, page=query.page)
    ctx = context()
    return _private(jsonify({"applications": [shape(a, who, ctx) for a in rows], "total": total, "page": page,
                             "page_size": drafts.PAGE_SIZE}))


@bp.get("/<public_id>")
@require_role(*INVOLVED)
@operation("申请详情(含进度与规则结果) / An application with its history and rule outcomes", tag="workflows",
           ok=Application, auth=True, operation_id="get_application", errors=[NOT_FOUND])
def show(public_id: str):
    who = viewer()
    return _private(jsonify(shape(drafts.get_application(deps.session(), who, public_id), who)))


@bp.patch("/<public_id>")
@require_role(*INVOLVED)
@operation("修改申请(草稿或退回时) / Edit (while draft or returned)", tag="workflows", json=ApplicationPatch,
           ok=Application, auth=True, operation_id="update_application", errors=[*BODY, INVALID, REFERENCES, STATE])
def edit(public_id: str, json: ApplicationPatch):
    return _answer(drafts.update_application(deps.session(), context(), viewer(), public_id, json.edits(),
                                             app_type=json.type))


@bp.post("/<public_id>/files")
@require_role(*INVOLVED)
@_bounded_upload
@operation("上传证明材料 / Upload a proof file", tag="workflows", form=ApplicationFileForm, ok=ApplicationFiles,
           status=201, ok_text="已上传 / Uploaded", auth=True, operation_id="upload_application_file",
           errors=[NOT_FOUND, STATE, INVALID, *UPLOAD],
           description="PDF、JPEG 或 PNG,最大 5 MB,按内容检查:图片须能完整解码且短边至少 300 像素;PDF 须能解析、"
                       "有页面,不得加密、含脚本或附件 / PDF, JPEG or PNG, at most 5 MB, checked by content: an image "
                       "must decode in full with a short side of at least 300 px; a PDF must parse and have pages, "
                       "without encryption, JavaScript or embedded files")
def upload(public_id: str, form: ApplicationFileForm):
    ctx = context()
    data = form.file.read(ctx.policy.file_max_bytes + 1)
    app = drafts.add_file(deps.session(), ctx, viewer(), public_id, form.file.filename, data)
    who = viewer()
    deps.session().commit()
    return jsonify({"files": shape(app, who)["files"]}), 201


@bp.get("/<public_id>/files/<int:file_id>")
@require_role(*INVOLVED)
@operation("下载证明材料 / Download a proof file", tag="workflows", auth=True, operation_id="download_application_file",
           content=binary(*PROOF_TYPES, description="证明材料原件 / The proof file as uploaded"),
           errors=[(404, "application_not_found", "file_not_found")])
def download(public_id: str, file_id: int):
    f = drafts.get_file(deps.session(), viewer(), public_id, file_id)
    resp = _private(Response(f.data, mimetype=f.mime))
    resp.headers["X-Content-Type-Options"] = "nosniff"
    ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[f.mime]
    resp.headers["Content-Disposition"] = f'attachment; filename="file-{f.id}.{ext}"'
    return resp


@bp.post("/<public_id>/submit")
@require_role(*INVOLVED)
@operation("提交 / Submit", tag="workflows", ok=Application, auth=True, operation_id="submit_application",
           errors=[NOT_FOUND, STATE, APPROVAL],
           description="草稿或退回 → 已提交 → 待单位确认,或(无需确认时)自动审批/进入审批队列 / draft or returned → "
                       "submitted → awaiting the employer, or decided at once (auto) / queued (review)")
def submit(public_id: str):
    return _answer(transitions.submit(deps.session(), context(), viewer(), public_id))


@bp.post("/<public_id>/withdraw")
@require_role(*INVOLVED)
@operation("撤回 / Withdraw", tag="workflows", ok=Application, auth=True, operation_id="withdraw_application",
           errors=[NOT_FOUND, STATE])
def withdraw(public_id: str):
    return _answer(transitions.withdraw(deps.session(), context(), viewer(), public_id))


@bp.post("/<public_id>/confirm")
@require_role(*INVOLVED)
@operation("单位确认 / The employer confirms", tag="workflows", ok=Application, auth=True,
           operation_id="confirm_application", errors=[NOT_FOUND, STATE, APPROVAL])
def confirm(public_id: str):
    return _answer(transitions.confirm(deps.session(), context(), viewer(), public_id))


@bp.post("/<public_id>/decline")
@require_role(*INVOLVED)
@operation("单位不予确认 / The employer declines", tag="workflows", json=DeclineInput, ok=Application, auth=True,
           operation_id="decline_application", errors=[*BODY, INVALID, NOT_FOUND, STATE])
def decline(public_id: str, json: DeclineInput):
    return _answer(transitions.decline(deps.session(), context(), viewer(), public_id, json.reason))


@bp.post("/<public_id>/decide")
@require_role(Role.AUTHORITY)
@operation("审批 / Decide (authority)", tag="workflows", json=DecideInput, ok=Application, auth=True,
           operation_id="decide_application", errors=[*BODY, INVALID, NOT_FOUND, STATE, APPROVAL],
           description="同时的两个决定只有一个生效 / Of two decisions at once exactly one takes effect.")
def decide(public_id: str, json: DecideInput):
    return _answer(transitions.decide(deps.session(), context(), viewer(), public_id, json.decision, json.reason))
