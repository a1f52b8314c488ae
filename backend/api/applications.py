"""The registration workflows (docs/workflows-api.md): holders apply, employers confirm, the authority
decides (or the rules decide at once). Each view parses, calls backend.services.workflows (drafts or transitions),
commits, and shapes the answer."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from backend.api import deps
from backend.api.application_shapes import application_json
from backend.api.auth import actor as audit_actor, current_principal, require_role
from backend.models import Enterprise, Role
from backend.services.errors import ServiceError, ValidationFailed
from backend.services.workflows import drafts, transitions
from backend.services.workflows.rules import load_rulebook
from backend.services.workflows.types import Actor, WorkflowContext, WorkflowPolicy

bp = Blueprint("applications", __name__, url_prefix="/api/v1/applications")
INVOLVED = (Role.HOLDER, Role.ENTERPRISE, Role.AUTHORITY)
MULTIPART_OVERHEAD = 64 * 1024


def context() -> WorkflowContext:
    cfg = current_app.config
    return WorkflowContext(catalogue=deps.catalogue(), clock=deps.clock(), policy=WorkflowPolicy.from_config(cfg),
                           rulebook=load_rulebook(cfg.get("RULES_FILE")), ring=deps.ring(), settings=deps.settings())


def viewer() -> Actor:
    p = current_principal()
    return Actor(role=p.role, username=p.username, audit=audit_actor(), person_id=p.person_id,
                 enterprise_id=p.enterprise_id)


def shape(app, who: Actor | None = None) -> dict:
    s = deps.session()
    ent = lambda i: s.get(Enterprise, i) if i is not None else None       # noqa: E731 (three lookups)
    return application_json(app, who or viewer(), confirm_by=ent(app.confirm_enterprise_id),
                            current=ent(app.current_enterprise_id))


def _answer(app, status: int = 200):
    who = viewer()
    deps.session().commit()
    resp = jsonify(shape(app, who))
    resp.status_code = status
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


@bp.post("")
@require_role(*INVOLVED)
def create():
    return _answer(drafts.create_application(deps.session(), context(), viewer(), deps.json_body()), 201)


@bp.get("")
@require_role(*INVOLVED)
def index():
    who = viewer()
    rows, total, page = drafts.list_applications(deps.session(), who, request.args)
    resp = jsonify({"applications": [shape(a, who) for a in rows], "total": total, "page": page,
                    "page_size": drafts.PAGE_SIZE})
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


@bp.get("/<public_id>")
@require_role(*INVOLVED)
def show(public_id: str):
    who = viewer()
    resp = jsonify(shape(drafts.get_application(deps.session(), who, public_id), who))
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


@bp.patch("/<public_id>")
@require_role(*INVOLVED)
def edit(public_id: str):
    return _answer(drafts.update_application(deps.session(), context(), viewer(), public_id, deps.json_body()))


@bp.post("/<public_id>/files")
@require_role(*INVOLVED)
def upload(public_id: str):
    ctx = context()
    if (request.content_length or 0) > ctx.policy.file_max_bytes + MULTIPART_OVERHEAD:
        raise ServiceError("文件过大(最大 5 MB)", "The file is too large", code="file_too_large", status=413,
                           details={"max_bytes": ctx.policy.file_max_bytes})
    f = request.files.get("file")
    if f is None:
        raise ValidationFailed.field("file", "required", "请以 multipart 字段 file 上传 PDF、JPEG 或 PNG 文件",
                                     "Send a PDF, JPEG or PNG as the multipart field 'file'")
    data = f.read(ctx.policy.file_max_bytes + 1)
    app = drafts.add_file(deps.session(), ctx, viewer(), public_id, f.filename, data)
    who = viewer()
    deps.session().commit()
    return jsonify({"files": shape(app, who)["files"]}), 201


@bp.get("/<public_id>/files/<int:file_id>")
@require_role(*INVOLVED)
def download(public_id: str, file_id: int):
    f = drafts.get_file(deps.session(), viewer(), public_id, file_id)
    resp = Response(f.data, mimetype=f.mime)
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[f.mime]
    resp.headers["Content-Disposition"] = f'attachment; filename="file-{f.id}.{ext}"'
    return resp


@bp.post("/<public_id>/<any(submit, withdraw, confirm):step>")
@require_role(*INVOLVED)
def step(public_id: str, step: str):
    fn = {"submit": transitions.submit, "withdraw": transitions.withdraw, "confirm": transitions.confirm}[step]
    return _answer(fn(deps.session(), context(), viewer(), public_id))


@bp.post("/<public_id>/decline")
@require_role(*INVOLVED)
def decline(public_id: str):
    body = deps.json_body()
    return _answer(transitions.decline(deps.session(), context(), viewer(), public_id, body.get("reason")))


@bp.post("/<public_id>/decide")
@require_role(Role.AUTHORITY)
def decide(public_id: str):
    body = deps.json_body()
    return _answer(transitions.decide(deps.session(), context(), viewer(), public_id, body.get("decision"),
                                   body.get("reason")))
