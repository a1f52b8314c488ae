"""The API described once. Request and response bodies are pydantic models (backend/api/schemas/); SpecTree
checks each request against them at the edge, before the view runs, and generates the OpenAPI document from
the routes and the same models. Views are decorated with `operation(...)`:

    @bp.post("/verify")
    @operation("核验证书 / Verify a certificate", tag="verify", json=VerifyRequest, ok=VerifyResult,
               errors=[*BODY, INVALID, RATE_LIMITED])
    def verify(json: VerifyRequest): ...

A field that fails its model is a 422 `validation_failed` whose `details.fields` name each field with a code
and messages in Chinese and English, as every other error (api/errors.py turns it into JSON). A body that is
not JSON at all keeps its own codes (`invalid_json`, `invalid_encoding`, `invalid_body`, 413).
"""
from __future__ import annotations

from collections.abc import Iterable

import flask
from flask import current_app
from pydantic import BaseModel, ValidationError
from spectree import Response, SecurityScheme, SecuritySchemeData, SpecTree, Tag
from spectree.plugins.base import Context
from spectree.plugins.flask_plugin import FlaskPlugin
from spectree.utils import get_multidict_items

from backend.api import deps
from backend.api.errors import HTTP_TEXT
from backend.api.schemas.base import ApiModel, Error
from backend.api.validation_messages import validation_failed

TAGS = {key: Tag(name=name, description=about) for key, name, about in (
    ("verify", "核验 / Verification", "扫描二维码或上传照片,在线核验 / Verify a scanned QR text or a photo online"),
    ("offline", "离线核验 / Offline verification", "公钥与签名状态列表 / Public keys and the signed status list"),
    ("lookup", "查询 / Lookup", "按姓名或编号查询注册信息(脱敏、限流)/ Search registrations (masked, rate-limited)"),
    ("registry", "登记 / Registry", "主管部门:人员、单位、注册、变更、签发 / Authority staff: records, changes, issuance"),
    ("certificates", "电子证书 / Certificates", "电子证书的数据、二维码与 PDF / A copy's data, QR images and PDF"),
    ("accounts", "账户 / Accounts", "登录、注销与账户管理 / Login, logout and accounts"),
    ("notices", "通知 / Notices", "持证人与单位的通知:延续、证书更新、状态变更、待办、核验 / Holders' and enterprises' "
                "notices: renewals, superseded copies, status changes, applications to act on, checks"),
    ("enterprise", "单位 / Enterprise", "本单位人员、预警与批量核查 / Staff roster, warnings and bulk check"),
    ("workflows", "注册申请 / Applications", "初始、增项、延续、变更、注销、重新注册:申请、确认、审批 / Registration "
                  "workflows: apply, confirm, decide"),
    ("onboarding", "入库登记 / Photo and signature", "持证人上传证件照和手写签名,主管部门审核;通过后用于电子证书 / "
                   "Holders upload their ID photo and handwritten signature, the authority reviews them; approved "
                   "ones are printed on copies"),
    ("sitecheck", "现场检查 / Site checks", "岗位要求、现场检查记录(签名)及其核验 / Site roles' requirements, signed "
                  "inspection records and their verification"),
    ("admin", "主管部门控制台 / Authority console", "主管部门:登记簿查询与档案、操作与审批、导入、概览 / Authority staff: "
              "register search and dossiers, actions and approvals, imports, the province at a glance"),
    ("meta", "元数据 / Meta", "健康检查与本文档 / Health check and this description"),
)}

# error sets shared by many operations: (status, *machine codes)
BODY = [(400, "invalid_json", "invalid_encoding", "invalid_body"), (413, "payload_too_large")]
INVALID = (422, "validation_failed")
RATE_LIMITED = (429, "rate_limited")
AUTH = [(401, "unauthorized", "token_revoked"), (403, "forbidden")]
ALWAYS = [(500, "internal_error"), (503, "service_unavailable"), (414, "uri_too_long")]

# what each path parameter is, wherever it appears (the same name means the same thing in every route)
PATH_PARAMETERS = {
    "person_id": "人员编号 / Person id",
    "uscc": "统一社会信用代码 / Unified social credit code",
    "number": "注册编号 / Registration number",
    "public_id": "电子证书编号(令牌 jti)或申请编号(ap_…)/ A copy id (the token's jti) or an application id (ap_…)",
    "file_id": "证明材料编号 / Proof file id",
    "submission_id": "照片或签名上传编号(im_…)/ A photo or signature upload id (im_…)",
    "check_id": "批量核查编号 / Bulk check id",
    "name": "文件名 / File name",
    "request_id": "待批准操作申请编号(aq_…)/ A request for a second approver (aq_…)",
    "chart": "概览图表名,如 by_kind / A dashboard chart's name, e.g. by_kind",
    "batch_id": "导入批次编号 / An import batch id",
    "notice_id": "通知编号 / Notice id",
    "kind": "导入模板:enterprises、persons、qualifications、registrations / An import template",
    "inspection_id": "现场检查记录编号(in_…)/ A site inspection record id (in_…)",
    "role": "现场岗位代码,如 project_manager(GET /api/v1/roles)/ A site role's code, e.g. project_manager",
}

# operation id -> {status: {media type: schema}}: what a pydantic model cannot say (images, PDFs, CSV)
CONTENT: dict[str, dict[str, dict]] = {}


class EdgeContext:
    """Pydantic's validation context of every request model (`info.context` in a validator): what a field may be
    checked against besides the request itself, the catalogue (kinds, specialties, provinces) and today's date.
    Looked up only when a validator asks, so an operation that needs neither pays nothing."""
    __slots__ = ()

    @property
    def catalogue(self):
        return deps.catalogue()

    @property
    def today(self):
        return deps.clock().today()


EDGE = EdgeContext()


class Plugin(FlaskPlugin):
    """SpecTree's Flask plugin with the house's edge: JSON bodies read by deps.json_body (its own error codes),
    no routes of its own (/api/v1/openapi.json and /api/docs are api/meta.py's), and responses checked against
    their models only where API_VALIDATE_RESPONSES is set (the tests), never on a production hot path."""

    def register_route(self, app) -> None:
        pass

    def request_validation(self, request, query, json, form, headers, cookies):
        has_data = request.method not in ("GET", "DELETE")
        try:
            request.context = Context(
                query.model_validate(get_multidict_items(request.args, query), context=EDGE) if query else None,
                json.model_validate(deps.json_body(), context=EDGE) if json and has_data else None,
                form.model_validate(self.fill_form(request), context=EDGE) if form and has_data else None,
                None, None)
        except ValidationError as e:        # in our shape, before SpecTree makes one of its own
            raise validation_failed(e) from None

    def validate_response(self, resp, resp_model, skip_validation, force_resp_serialize):
        # A file (send_file streams it) or any answer while responses go unchecked: passed through untouched.
        if isinstance(resp, flask.Response) and (not current_app.config.get("API_VALIDATE_RESPONSES")
                                                 or resp.direct_passthrough or not resp.is_json):
            return resp, None
        return super().validate_response(resp, resp_model, skip_validation, force_resp_serialize)


def _after(req, resp, err, instance, adapter=None) -> None:
    if err is not None:      # only with API_VALIDATE_RESPONSES: a response that breaks its own schema
        raise AssertionError(f"{req.method} {req.path}: the response does not match its schema: {err}")


spec = SpecTree(
    "flask", backend=Plugin, title="建证 Jianzheng API", version="1", mode="strict", annotations=True,
    after=_after, validation_error_status=422, validation_error_model=Error,
    naming_strategy=lambda model: model.__name__, nested_naming_strategy=lambda parent, child: child,
    security_schemes=[SecurityScheme(name="bearer", data=SecuritySchemeData(
        type="http", scheme="bearer", description="访问令牌或管理令牌 / An access token or the admin token"))],
)


def _error_responses(errors: Iterable[tuple]) -> dict:
    merged: dict[int, list[str]] = {}
    for status, *codes in errors:
        known = merged.setdefault(status, [])
        known.extend(c for c in codes if c not in known)
    out = {}
    for status, codes in sorted(merged.items()):
        default, zh, en = HTTP_TEXT[status]
        listed = ", ".join(f"`{c}`" for c in (codes or [default]))
        out[f"HTTP_{status}"] = (Error, f"{zh} / {en}: {listed}")
    return out


def operation(summary: str, *, tag: str, ok: type[BaseModel] | None = None, status: int = 200, errors=(),
              json: type[ApiModel] | None = None, query: type[ApiModel] | None = None,
              form: type[ApiModel] | None = None, auth: bool = False, description: str | None = None,
              operation_id: str | None = None, content: dict[str, dict] | None = None, ok_text: str = "成功 / OK"):
    """Document and guard one view: `summary` is "中文 / English"; `ok` the model of the success answer (None
    with `content` for a file); `errors` the (status, *codes) it may answer besides those every operation may;
    `auth`: a bearer token is needed (401 and 403 are then declared)."""
    ok_response = (ok, ok_text) if ok is not None else None
    responses = {f"HTTP_{status}": ok_response, **_error_responses([*(AUTH if auth else []), *errors, *ALWAYS])}

    def decorate(view):
        view.__doc__ = summary + (f"\n\n{description}" if description else "")
        op_id = operation_id or view.__name__
        if content:
            CONTENT[op_id] = {str(status): content}
        return spec.validate(json=json, query=query, form=form, resp=Response(**responses), tags=[TAGS[tag]],
                             security={"bearer": []} if auth else None, operation_id=op_id,
                             path_parameter_descriptions=PATH_PARAMETERS)(view)
    return decorate


def binary(*media_types: str, description: str = "文件 / The file") -> dict:
    return {"description": description,
            "content": {m: {"schema": {"type": "string", "format": "binary"}} for m in media_types}}


def generated_spec() -> dict:
    """SpecTree's document with what models cannot say added: file responses."""
    doc = spec.spec
    for item in doc["paths"].values():
        for op in item.values():
            for status, response in CONTENT.get(op.get("operationId"), {}).items():
                op["responses"][status] = response
            for param in op.get("parameters", []):       # Flask's <path:x> is no format OpenAPI knows
                if param.get("schema", {}).get("format") == "path":
                    param["schema"] = {"type": "string", "minLength": 1}
    return doc


def bind(app) -> None:
    """Let the document be generated from this app's routes (SpecTree reads the url map)."""
    spec.register(app)
    if hasattr(spec, "_spec"):
        del spec._spec
