"""The contractors' endpoints: staff roster, warnings and bulk check with its downloads.

An enterprise account sees its own enterprise only; authority staff (an authority account or the admin
token) name the enterprise with ?uscc=. Everyone else: 403 (no token: 401).
"""
from __future__ import annotations

import functools

from flask import Blueprint, Response, current_app, jsonify, request

from backend.api import deps
from backend.api.auth import actor, current_principal, require_role
from backend.api.quotas import charge_id_checks
from backend.api.schemas.enterprise import BulkCheckForm, BulkCheckResult, EnterpriseQuery, StaffList, StaffQuery, WarningList
from backend.api.spec import INVALID, RATE_LIMITED, binary, operation
from backend.extensions import limiter
from backend.models import Enterprise, Role
from backend.services.enterprise.access import enterprise_in_view
from backend.services.enterprise.bulk.check import BulkLimits, get_bulk_check, run_bulk_check
from backend.services.enterprise.bulk.export import XLSX_MIME, to_csv, to_xlsx
from backend.services.enterprise.errors import FileTooLarge
from backend.services.enterprise.roster import RosterFilter, enterprise_warnings, roster
from backend.services.enterprise.staff_warnings import WarningSettings

bp = Blueprint("enterprise", __name__, url_prefix="/api/v1/enterprise")
ALLOWED = (Role.ENTERPRISE, Role.AUTHORITY)
MULTIPART_OVERHEAD = 64 * 1024
ENTERPRISE_404 = (404, "enterprise_not_found")


def _enterprise(uscc: str | None) -> Enterprise:
    return enterprise_in_view(deps.session(), current_principal(), uscc)


def _no_store(resp: Response) -> Response:
    resp.headers["Cache-Control"] = "private, no-store"      # personal data of the enterprise's staff
    return resp


@bp.get("/staff")
@require_role(*ALLOWED)
@operation("本单位人员 / The enterprise's staff roster", tag="enterprise", query=StaffQuery, ok=StaffList, auth=True,
           operation_id="enterprise_staff", errors=[INVALID, ENTERPRISE_404])
def staff(query: StaffQuery):
    f = RosterFilter(status=query.status, kind=query.kind, warning=query.warning, signal=query.signal, q=query.q,
                     page=query.page)
    return _no_store(jsonify(roster(deps.session(), deps.catalogue(), deps.clock(),
                                    WarningSettings.from_config(current_app.config), _enterprise(query.uscc), f)))


@bp.get("/warnings")
@require_role(*ALLOWED)
@operation("预警 / Warnings", tag="enterprise", query=EnterpriseQuery, ok=WarningList, auth=True,
           operation_id="enterprise_warnings", errors=[INVALID, ENTERPRISE_404])
def warnings(query: EnterpriseQuery):
    return _no_store(jsonify(enterprise_warnings(deps.session(), deps.catalogue(), deps.clock(),
                                                 WarningSettings.from_config(current_app.config),
                                                 _enterprise(query.uscc))))


def _refuse_oversized(view):
    """An upload declared larger than the limit is refused before its body is read at all."""
    @functools.wraps(view)
    def wrapped(*a, **kw):
        limits = BulkLimits.from_config(current_app.config)
        if (request.content_length or 0) > limits.max_bytes + MULTIPART_OVERHEAD:
            raise FileTooLarge(limits.max_bytes)
        return view(*a, **kw)
    return wrapped


@bp.post("/bulk-check")
@limiter.limit(lambda: current_app.config["BULK_RATE_LIMIT"])
@require_role(*ALLOWED)
@_refuse_oversized
@operation("批量核查 / Bulk check of a staff list", tag="enterprise", query=EnterpriseQuery, form=BulkCheckForm,
           ok=BulkCheckResult, auth=True,
           errors=[INVALID, ENTERPRISE_404, (413, "file_too_large", "too_many_rows", "too_many_strings", "too_complex",
                                             "payload_too_large"),
                   (415, "unsupported_media_type"), (422, "bad_header"), (429, "id_check_limit_reached"), RATE_LIMITED],
           description="CSV(UTF-8 或 GB18030)或 XLSX,最多 10,000 行、5 MB;表头:姓名/name,身份证号/id_number,"
                       "注册编号/registration_number。/ CSV (UTF-8 or GB18030) or XLSX, at most 10,000 rows and 5 MB; "
                       "headers in Chinese or English. A malformed row is `invalid_row`, never fatal.")
def bulk_check(query: EnterpriseQuery, form: BulkCheckForm):
    limits = BulkLimits.from_config(current_app.config)
    ent = _enterprise(query.uscc)
    data = form.file.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise FileTooLarge(limits.max_bytes)
    p = current_principal()
    account = str(p.account_id) if p.account_id is not None else p.username
    answer = run_bulk_check(deps.session(), deps.catalogue(), deps.clock(), limits, ent, data, actor=actor(),
                            full_view=p.role == Role.AUTHORITY, id_checks=lambda n: charge_id_checks(account, n))
    deps.session().commit()
    base = f"{bp.url_prefix}/bulk-check/{answer['id']}"
    return _no_store(jsonify({**answer, "downloads": {"csv": f"{base}.csv", "xlsx": f"{base}.xlsx"}}))


def _download(check_id: str, fmt: str) -> Response:
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


@bp.get("/bulk-check/<check_id>.csv")
@require_role(*ALLOWED)
@operation("下载核查结果 CSV / Download the result as CSV", tag="enterprise", auth=True,
           content=binary("text/csv", description="CSV"), errors=[(404, "bulk_check_not_found")])
def bulk_check_csv(check_id: str):
    return _download(check_id, "csv")


@bp.get("/bulk-check/<check_id>.xlsx")
@require_role(*ALLOWED)
@operation("下载核查结果 XLSX / Download the result as XLSX", tag="enterprise", auth=True,
           content=binary(XLSX_MIME, description="XLSX"), errors=[(404, "bulk_check_not_found")])
def bulk_check_xlsx(check_id: str):
    return _download(check_id, "xlsx")
