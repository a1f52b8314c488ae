"""The contractors' endpoints: staff roster, warnings and bulk check with its downloads.

An enterprise account sees its own enterprise only; authority staff (an authority account or the admin
token) name the enterprise with ?uscc=. Everyone else: 403 (no token: 401).
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from backend.api import deps
from backend.api.auth import actor, current_principal, require_role
from backend.api.quotas import charge_id_checks
from backend.extensions import limiter
from backend.models import Enterprise, Role
from backend.services.enterprise.bulk.check import BulkLimits, get_bulk_check, run_bulk_check
from backend.services.enterprise.bulk.export import XLSX_MIME, to_csv, to_xlsx
from backend.services.enterprise.roster import enterprise_warnings, parse_filter, roster
from backend.services.enterprise.staff_warnings import WarningSettings
from backend.services.errors import Forbidden, ServiceError, ValidationFailed
from backend.services.registry import enterprises

bp = Blueprint("enterprise", __name__, url_prefix="/api/v1/enterprise")
ALLOWED = (Role.ENTERPRISE, Role.AUTHORITY)
MULTIPART_OVERHEAD = 64 * 1024


def _enterprise() -> Enterprise:
    p, uscc = current_principal(), request.args.get("uscc")
    if p.role == Role.ENTERPRISE:
        if uscc and uscc != p.enterprise_uscc:
            raise Forbidden("单位账户只能查看本单位", "An enterprise account sees its own enterprise only")
        return deps.session().get(Enterprise, p.enterprise_id)
    if not uscc:
        raise ValidationFailed.field("uscc", "required", "请用 ?uscc= 指定单位", "Name the enterprise with ?uscc=")
    return enterprises.get_enterprise(deps.session(), uscc)


def _no_store(resp: Response) -> Response:
    resp.headers["Cache-Control"] = "private, no-store"      # personal data of the enterprise's staff
    return resp


@bp.get("/staff")
@require_role(*ALLOWED)
def staff():
    f = parse_filter(request.args, deps.catalogue())
    ent = _enterprise()
    return _no_store(jsonify(roster(deps.session(), deps.catalogue(), deps.clock(),
                                    WarningSettings.from_config(current_app.config), ent, f)))


@bp.get("/warnings")
@require_role(*ALLOWED)
def warnings():
    ent = _enterprise()
    return _no_store(jsonify(enterprise_warnings(deps.session(), deps.catalogue(), deps.clock(),
                                                 WarningSettings.from_config(current_app.config), ent)))


def _too_large(limits: BulkLimits) -> ServiceError:
    return ServiceError(f"文件过大(最大 {limits.max_bytes // 1024 // 1024} MB)", "The file is too large",
                        code="file_too_large", status=413, details={"max_bytes": limits.max_bytes})


@bp.post("/bulk-check")
@limiter.limit(lambda: current_app.config["BULK_RATE_LIMIT"])
@require_role(*ALLOWED)
def bulk_check():
    limits = BulkLimits.from_config(current_app.config)
    if (request.content_length or 0) > limits.max_bytes + MULTIPART_OVERHEAD:
        raise _too_large(limits)         # before the body is read at all
    ent = _enterprise()
    upload = request.files.get("file")
    if upload is None:
        raise ValidationFailed.field("file", "required", "请以 multipart 字段 file 上传 CSV 或 XLSX 文件",
                                     "Send the CSV or XLSX file as the multipart field 'file'")
    data = upload.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise _too_large(limits)
    p = current_principal()
    account = str(p.account_id) if p.account_id is not None else p.username
    answer = run_bulk_check(deps.session(), deps.catalogue(), deps.clock(), limits, ent, data, actor=actor(),
                            full_view=p.role == Role.AUTHORITY, id_checks=lambda n: charge_id_checks(account, n))
    deps.session().commit()
    base = f"{bp.url_prefix}/bulk-check/{answer['id']}"
    return _no_store(jsonify({**answer, "downloads": {"csv": f"{base}.csv", "xlsx": f"{base}.xlsx"}}))


@bp.get("/bulk-check/<check_id>.<any(csv, xlsx):fmt>")
@require_role(*ALLOWED)
def bulk_check_download(check_id: str, fmt: str):
    p = current_principal()
    answer = get_bulk_check(deps.session(), deps.clock(), check_id,
                            p.enterprise_id if p.role == Role.ENTERPRISE else None)
    if fmt == "csv":
        resp = Response(to_csv(answer, deps.catalogue()), mimetype="text/csv")
        resp.headers["Content-Type"] = "text/csv; charset=utf-8"
    else:
        resp = Response(to_xlsx(answer, deps.catalogue()), mimetype=XLSX_MIME)
    resp.headers["Content-Disposition"] = f'attachment; filename="bulk-check-{answer["id"]}.{fmt}"'
    return _no_store(resp)
