"""Site checks (issue 14, docs/site-checks.md): the roles as data for the app's offline evaluation (public), a
person evaluated from the register (the authority; an enterprise for its own staff), the inspector's signed
inspection records (inspector and authority) with their PDF and CSV, and the public verification of a record.
Each view parses, calls one function of backend.services.sitecheck and shapes the answer."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, url_for

from backend.api import deps
from backend.api.auth import current_principal, require_role
from backend.api.schemas.sitecheck import (
    EvaluatePerson,
    InspectionCreate,
    InspectionList,
    InspectionQuery,
    InspectionRecord,
    RecordVerifyRequest,
    RecordVerifyResult,
    RoleResult,
    RolesDocument,
)
from backend.api.spec import BODY, INVALID, RATE_LIMITED, binary, operation
from backend.extensions import limiter
from backend.models import Role
from backend.services.sitecheck import inspections, record_files
from backend.services.sitecheck.errors import UnknownRole
from backend.services.sitecheck.evaluate import FLAGS, INFO
from backend.services.sitecheck.record_token import verify_record
from backend.services.sitecheck.register_view import evaluate_person

bp = Blueprint("sitecheck", __name__, url_prefix="/api/v1")
RECORDERS = (Role.INSPECTOR, Role.AUTHORITY)
NOT_FOUND = (404, "inspection_not_found")


def roles():
    return current_app.extensions["jz.roles"]


def _private(resp: Response) -> Response:
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


def _inspector() -> inspections.Inspector:
    p = current_principal()
    return inspections.inspector_for(deps.session(), deps.settings(), account_id=p.account_id, username=p.username,
                                     authority=p.role == Role.AUTHORITY)


def _scope() -> dict:
    p = current_principal()
    return {"account_id": p.account_id, "any_account": p.role == Role.AUTHORITY}


def _record(row) -> dict:
    out = inspections.record_json(row, deps.settings())
    out["downloads"] = {"pdf": url_for("sitecheck.inspection_pdf", inspection_id=row.public_id),
                        "csv": url_for("sitecheck.inspection_csv", inspection_id=row.public_id)}
    return out


@bp.get("/roles")
@operation("现场岗位要求 / Site roles and what they need", tag="sitecheck", ok=RolesDocument,
           description="roles.json 的内容(按 ROLES_FILE),供应用离线评估;公开、CORS `*`、可缓存一小时 / The roles file in "
                       "force, for the app's offline evaluation (pwa/js/sitecheck/roles.js). Public, CORS `*`, "
                       "cacheable for an hour.")
def list_roles():
    doc = roles().data
    resp = jsonify({"version": doc["version"], "scales": doc["scales"], "roles": doc["roles"],
                    "flags": {k: {"message": zh, "message_en": en, "failing": k not in INFO}
                              for k, (zh, en) in FLAGS.items()}})
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["Cache-Control"] = "public, max-age=3600"
    return resp


@bp.post("/roles/<role>/evaluate")
@require_role(Role.AUTHORITY, Role.ENTERPRISE)
@operation("按登记簿评估人员是否符合岗位 / A person from the register against a role", tag="sitecheck", auth=True,
           json=EvaluatePerson, ok=RoleResult, operation_id="evaluate_person",
           errors=[*BODY, INVALID, (404, "person_not_found")],
           description="不扫码:按登记簿中此人的各项注册评估;`certificate` 为注册编号。单位账户只能评估本单位人员 / Without "
                       "scanning: the person's registrations as the register has them; `certificate` names a "
                       "registration number. An enterprise account may evaluate its own staff only.")
def evaluate_from_register(role: str, json: EvaluatePerson):
    site = json.site.model_dump()
    spec = roles().for_site(role, None)
    if spec is None:
        raise UnknownRole(role=role)
    p = current_principal()
    only = p.enterprise_id if p.role == Role.ENTERPRISE else None
    return _private(jsonify(evaluate_person(deps.session(), deps.catalogue(), deps.clock(), spec, json.person_id, site,
                                            enterprise_id=only)))


@bp.post("/inspections")
@require_role(*RECORDERS)
@operation("记录现场检查 / Record a site check", tag="sitecheck", auth=True, json=InspectionCreate,
           ok=InspectionRecord, status=201, operation_id="create_inspection",
           errors=[*BODY, INVALID, (409, "inspection_conflict")],
           description="服务器重新核验每个二维码,按岗位评估,签名并保存记录。同一 client_id 重试(同一账户、同一内容)返回同一"
                       "记录(201),不会重复;内容不同则 409 / The server verifies every QR text again, evaluates each "
                       "person against their role, signs and keeps the record. A retry with the same client_id (same "
                       "account, same body) answers the same record (201), never a second; another body is a 409.")
def create_inspection(json: InspectionCreate):
    body = json.model_dump(mode="python")
    body["client_id"] = str(json.client_id)
    row, made = inspections.create_inspection(deps.session(), deps.ring(), deps.catalogue(), deps.settings(),
                                              deps.clock(), roles(), _inspector(), body)
    if made:
        deps.session().commit()
    resp = _private(jsonify(_record(row)))
    resp.status_code = 201
    return resp


@bp.get("/inspections")
@require_role(*RECORDERS)
@operation("现场检查记录列表 / Site inspection records", tag="sitecheck", auth=True, query=InspectionQuery,
           ok=InspectionList, operation_id="list_inspections", errors=[INVALID],
           description="新的在前,每页 20 条;检查人员看到本人的,主管部门看到全部 / Newest first, 20 a page: an "
                       "inspector's own, every one for the authority.")
def list_inspections(query: InspectionQuery):
    rows, total = inspections.list_inspections(deps.session(), page=query.page, **_scope())
    items = [inspections.record_json(r, deps.settings(), full=False) for r in rows]
    return _private(jsonify({"inspections": items, "total": total, "page": query.page}))


@bp.get("/inspections/<inspection_id>")
@require_role(*RECORDERS)
@operation("一份现场检查记录 / One site inspection record", tag="sitecheck", auth=True, ok=InspectionRecord,
           operation_id="get_inspection", errors=[NOT_FOUND],
           description="记录的检查人员本人与主管部门可见;其他人视为不存在 / For its inspector and the authority; to "
                       "anyone else it does not exist.")
def get_inspection(inspection_id: str):
    return _private(jsonify(_record(inspections.get_inspection(deps.session(), inspection_id, **_scope()))))


def _download(inspection_id: str, kind: str) -> Response:
    row = inspections.get_inspection(deps.session(), inspection_id, **_scope())
    if kind == "pdf":
        pdfs = deps.certificate_pdfs()        # the fonts and the authority's signer, loaded once per process
        data, mime = record_files.record_pdf(row, deps.settings(), deps.clock(), deps.catalogue(), pdfs.fonts,
                                             pdfs.signer), "application/pdf"
    else:
        data, mime = record_files.record_csv(row, deps.clock(), deps.catalogue()), "text/csv; charset=utf-8"
    resp = _private(Response(data, mimetype=mime.split(";")[0]))
    resp.headers["Content-Type"] = mime
    resp.headers["Content-Disposition"] = f'attachment; filename="inspection-{row.public_id}.{kind}"'
    return resp


@bp.get("/inspections/<inspection_id>/pdf")
@require_role(*RECORDERS)
@operation("现场检查记录 PDF / The record as PDF", tag="sitecheck", auth=True, operation_id="inspection_pdf",
           content=binary("application/pdf", description="A4 PDF,带记录二维码,由签发机关电子签章(PAdES)/ A4 PDF "
                                                        "with the record's QR code, signed by the issuer (PAdES)"),
           errors=[NOT_FOUND])
def inspection_pdf(inspection_id: str):
    return _download(inspection_id, "pdf")


@bp.get("/inspections/<inspection_id>/csv")
@require_role(*RECORDERS)
@operation("现场检查记录 CSV / The record as CSV", tag="sitecheck", auth=True, operation_id="inspection_csv",
           content=binary("text/csv", description="每张证书一行(UTF-8 带 BOM)/ One line per certificate (UTF-8 with "
                                                  "BOM)"),
           errors=[NOT_FOUND])
def inspection_csv(inspection_id: str):
    return _download(inspection_id, "csv")


@bp.post("/inspections/verify")
@limiter.limit(lambda: current_app.config["VERIFY_RATE_LIMIT"])
@operation("核验现场检查记录 / Verify an inspection record", tag="sitecheck", json=RecordVerifyRequest,
           ok=RecordVerifyResult, operation_id="verify_inspection", errors=[*BODY, INVALID, RATE_LIMITED],
           description="`token`:记录令牌,或 PDF 二维码中的链接 `{PUBLIC_BASE_URL}/i#{令牌}`。签名被篡改为 invalid;签名"
                       "有效但无存档为 not_found。公开答复只含签名中的内容,不含检查人员账户名 / `token`: the record's "
                       "token, or the link of the PDF's QR code, `{PUBLIC_BASE_URL}/i#{token}`. A tampered token is "
                       "`invalid`; a genuine one the archive lacks `not_found`. The public answer holds only what "
                       "the signature does, never the inspector's account name.")
def verify_inspection(json: RecordVerifyRequest):
    result = verify_record(deps.read_session(), deps.ring(), deps.settings(), deps.clock(), json.token)
    resp = jsonify(result)
    resp.headers["Cache-Control"] = "no-store"
    return resp
