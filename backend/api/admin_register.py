"""The authority console's register (issue 13): search the register, read a person's or an enterprise's
dossier. Authority staff only; full data (ID numbers in full), never cached. Each view parses, calls one
function of backend.services.register and shapes the answer (schemas/admin_register.py)."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from backend.api import deps
from backend.api.auth import require_role
from backend.api.schemas.admin_register import EnterpriseDossier, EnterpriseQuery, PersonDossier, RegisterQuery, RegisterResults
from backend.api.schemas.onboarding import submission_json
from backend.api.spec import INVALID, operation
from backend.models import Role
from backend.services.enterprise.staff_warnings import WarningSettings
from backend.services.register.dossiers import enterprise_dossier, person_dossier
from backend.services.register.search import MAX_COUNT, search

bp = Blueprint("admin_register", __name__, url_prefix="/api/v1/admin")


def op(summary: str, **kw):
    return operation(summary, tag="admin", auth=True, **kw)


def _private(body: dict) -> Response:
    resp = jsonify(body)
    resp.headers["Cache-Control"] = "private, no-store"      # personal data in full
    return resp


@bp.get("/search")
@require_role(Role.AUTHORITY)
@op("登记簿查询 / Search the register", query=RegisterQuery, ok=RegisterResults, operation_id="admin_search",
    errors=[INVALID, (422, "page_out_of_range")],
    description="按姓名(前缀)、身份证号、注册编号或其前缀、执业印章号、电子证照标识或电子证书编号、单位名称或统一社会信用代码"
                "查询,可按类别、状态、省份、单位和 N 天内到期筛选;无查询内容时按筛选条件列出。每条为一个注册(或无注册的人员),"
                f"身份证号完整。总数精确到 {MAX_COUNT},超过时为“至少”。/ By name (prefix), ID number, registration "
                "number or its start, seal number, certificate identifier or copy id, employer name or credit code; "
                "narrowed by kind, status, province, employer and expiry within N days; with no q, what the filters "
                "let through. One row per registration (or per person without one), ID numbers in full. Totals "
                f"exact up to {MAX_COUNT}, beyond it a lower bound.")
def admin_search(query: RegisterQuery):
    return _private(search(deps.session(), deps.catalogue(), deps.clock().today(), q=query.q, by=query.by or "auto",
                           kind=query.kind, status=query.status, province=query.province, employer=query.employer,
                           expiring_within=query.expiring_within, page=query.page, page_size=query.page_size))


@bp.get("/persons/<int:person_id>")
@require_role(Role.AUTHORITY)
@op("人员档案 / A person's dossier", ok=PersonDossier, operation_id="admin_person",
    errors=[(404, "person_not_found")],
    description="身份信息(完整)、照片和签名、注册及专业和有效期、电子证书(现行与已替代)、资格、申请及其经过、挂证风险、"
                "照片签名上传,以及涉及以上各项的审计记录 / Identity in full, photo and signature, registrations with "
                "specialties and validity, copies (current and superseded), qualifications, applications with their "
                "history, 挂证 signals, photo and signature uploads, and the audit trail of all of these.")
def admin_person(person_id: int):
    s, root = deps.session(), request.script_root
    d = person_dossier(s, deps.catalogue(), deps.clock(), person_id)
    pid = d["person"]["id"]
    d["images"] = {**d["images"],
                   "photo_url": f"{root}/api/v1/persons/{pid}/photo" if d["images"]["photo"] else None,
                   "signature_url": f"{root}/api/v1/persons/{pid}/signature" if d["images"]["signature"] else None}
    on_file = {k: v for k, v in d["images"].items() if k in ("photo", "signature")}
    d["submissions"] = [submission_json(sub, on_file, root) for sub in d["submissions"]]
    return _private(d)


@bp.get("/enterprises/<uscc>")
@require_role(Role.AUTHORITY)
@op("单位档案 / An enterprise's dossier", query=EnterpriseQuery, ok=EnterpriseDossier, operation_id="admin_enterprise",
    errors=[INVALID, (404, "enterprise_not_found"), (422, "page_out_of_range")],
    description="资质状态、注册人员统计、挂证风险、人员(每页 100)及审计记录 / Licence status, counts of its registrations, "
                "挂证 signals, staff (100 a page) and the audit trail.")
def admin_enterprise(uscc: str, query: EnterpriseQuery):
    return _private(enterprise_dossier(deps.session(), deps.catalogue(), deps.clock(),
                                       WarningSettings.from_config(current_app.config), uscc, query.page or 1))
