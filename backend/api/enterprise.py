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
from backend.api.schemas.enterprise import (
    BulkCheckForm,
    BulkCheckResult,
    BulkFileQuery,
    EnterpriseQuery,
    StaffExportQuery,
    StaffFilters,
    StaffList,
    StaffPerson,
    StaffQuery,
    WarningList,
)
from backend.api.spec import INVALID, RATE_LIMITED, binary, operation
from backend.extensions import limiter
from backend.models import Enterprise, Role
from backend.services.enterprise.access import enterprise_in_view
from backend.services.enterprise.bulk.check import BulkLimits, get_bulk_check, run_bulk_check
from backend.services.enterprise.bulk.export import XLSX_MIME, to_csv, to_xlsx
from backend.services.enterprise.bulk.template import template_csv, template_xlsx
from backend.services.enterprise.errors import FileTooLarge
from backend.services.enterprise.roster import RosterFilter, chosen_staff, enterprise_warnings, roster
from backend.services.enterprise.roster_export import roster_csv, roster_xlsx
from backend.services.enterprise.staff_person import staff_person
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
    return _no_store(jsonify(roster(deps.session(), deps.catalogue(), deps.clock(),
                                    WarningSettings.from_config(current_app.config), _enterprise(query.uscc),
                                    _roster_filter(query, page=query.page))))


def _roster_filter(query: StaffFilters, page: int = 1) -> RosterFilter:
    return RosterFilter(status=query.status, kind=query.kind, warning=query.warning, signal=query.signal, q=query.q,
                        page=page, sort=query.sort)


@bp.get("/staff/export")
@require_role(*ALLOWED)
@operation("导出本单位人员 / Export the roster", tag="enterprise", query=StaffExportQuery, auth=True,
           operation_id="enterprise_staff_export", errors=[INVALID, ENTERPRISE_404],
           content=binary("text/csv", XLSX_MIME, description="与页面相同的筛选、搜索和顺序,全部页 / The same filters, "
                                                             "search and order as the page, every page of it"),
           description="表头和文字只用一种语言(lang);XLSX 冻结表头、设定列宽。/ Headers and words in one language "
                       "(lang); the XLSX has its header row frozen and its columns sized.")
def staff_export(query: StaffExportQuery):
    ent, clock = _enterprise(query.uscc), deps.clock()
    entries = chosen_staff(deps.session(), deps.catalogue(), clock, WarningSettings.from_config(current_app.config),
                           ent, _roster_filter(query))
    data = (roster_csv if query.format == "csv" else roster_xlsx)(entries, query.lang, clock)
    return _no_store(_file(data, query.format, f"staff-{ent.uscc}-{clock.today().isoformat()}-{query.lang}"))


@bp.get("/staff/<int:person_id>")
@require_role(*ALLOWED)
@operation("本单位人员详情 / One person of the roster", tag="enterprise", query=EnterpriseQuery, ok=StaffPerson,
           auth=True, operation_id="enterprise_staff_person",
           errors=[INVALID, (404, "enterprise_not_found", "person_not_found")],
           description="仅限本单位人员(在本单位有注册,含已终止的);其他人答 404,与不存在的人员相同。/ The enterprise's own "
                       "staff only (a registration there, ended ones included); anyone else is 404, as an unknown "
                       "person is.")
def staff_person_page(person_id: int, query: EnterpriseQuery):
    return _no_store(jsonify(staff_person(deps.session(), deps.catalogue(), deps.clock(),
                                          WarningSettings.from_config(current_app.config), _enterprise(query.uscc),
                                          person_id)))


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


def _file(data: bytes, fmt: str, name: str) -> Response:
    if fmt == "csv":
        resp = Response(data, mimetype="text/csv")
        resp.headers["Content-Type"] = "text/csv; charset=utf-8"
    else:
        resp = Response(data, mimetype=XLSX_MIME)
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return resp


def _download(check_id: str, fmt: str, lang: str) -> Response:
    p = current_principal()
    answer = get_bulk_check(deps.session(), deps.clock(), check_id,
                            p.enterprise_id if p.role == Role.ENTERPRISE else None)
    data = (to_csv if fmt == "csv" else to_xlsx)(answer, deps.catalogue(), lang)
    return _no_store(_file(data, fmt, f"bulk-check-{answer['id']}-{lang}"))


def _template(fmt: str, lang: str) -> Response:
    limits = BulkLimits.from_config(current_app.config)
    data = template_csv(lang) if fmt == "csv" else \
        template_xlsx(lang, max_rows=limits.max_rows, max_mb=max(1, limits.max_bytes // (1024 * 1024)))
    resp = _file(data, fmt, f"bulk-check-template-{lang}")
    resp.headers["Cache-Control"] = "public, max-age=3600"      # the same for everyone, no personal data
    return resp


TEMPLATE_NOTE = ("表头:姓名、身份证号、注册编号(lang=en 时为英文表头),一行示例;XLSX 的号码列为文本格式,另有填写说明工作表。"
                 "/ The headers (in English with lang=en) and one example row; in the XLSX the number columns are "
                 "formatted as text and a second sheet says how to fill it in.")


@bp.get("/bulk-check/template.csv")
@operation("批量核查模板 CSV / The bulk-check template as CSV", tag="enterprise", query=BulkFileQuery,
           content=binary("text/csv", description="CSV"), errors=[INVALID], description=TEMPLATE_NOTE)
def bulk_check_template_csv(query: BulkFileQuery):
    return _template("csv", query.lang)


@bp.get("/bulk-check/template.xlsx")
@operation("批量核查模板 XLSX / The bulk-check template as XLSX", tag="enterprise", query=BulkFileQuery,
           content=binary(XLSX_MIME, description="XLSX"), errors=[INVALID], description=TEMPLATE_NOTE)
def bulk_check_template_xlsx(query: BulkFileQuery):
    return _template("xlsx", query.lang)


@bp.get("/bulk-check/<check_id>.csv")
@require_role(*ALLOWED)
@operation("下载核查结果 CSV / Download the result as CSV", tag="enterprise", auth=True, query=BulkFileQuery,
           content=binary("text/csv", description="CSV"), errors=[INVALID, (404, "bulk_check_not_found")],
           description="表头与文字为 lang 所选语言(默认中文)/ Headers and words in the language of `lang` (default zh).")
def bulk_check_csv(check_id: str, query: BulkFileQuery):
    return _download(check_id, "csv", query.lang)


@bp.get("/bulk-check/<check_id>.xlsx")
@require_role(*ALLOWED)
@operation("下载核查结果 XLSX / Download the result as XLSX", tag="enterprise", auth=True, query=BulkFileQuery,
           content=binary(XLSX_MIME, description="XLSX"), errors=[INVALID, (404, "bulk_check_not_found")],
           description="表头冻结、列宽已设;表头与文字为 lang 所选语言(默认中文)/ Header row frozen, column widths "
                       "set; headers and words in the language of `lang` (default zh).")
def bulk_check_xlsx(check_id: str, query: BulkFileQuery):
    return _download(check_id, "xlsx", query.lang)
