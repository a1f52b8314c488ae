"""The OpenAPI description of the accounts and contractors' endpoints (docs/contractors-api.md):
their paths and component schemas, merged into the document by openapi_spec.build_spec."""
from __future__ import annotations

from backend.api.openapi_schemas import DATE, DATETIME, KIND, REG_STATUSES, arr, i, nullable, obj, ref, s
from backend.api.openapi_spec import BODY, INVALID, _binary, _body, _json, _op, _query
from backend.models import Role
from backend.services.enterprise.bulk.check import RESULTS
from backend.services.enterprise.signals import CODES as SIGNAL_CODES
from backend.services.enterprise.staff_warnings import CODES as WARNING_CODES, SEVERITIES, STATUS_URGENCY

BOOL = {"type": "boolean"}
ROLES = list(Role.ALL)
ENT_404 = (404, "enterprise_not_found")
USCC_Q = _query("uscc", "主管部门指定单位(单位账户省略)/ The enterprise, for authority staff (omitted by enterprise "
                        "accounts)")
NAMED = {"enterprise": ref("EnterpriseRef"), "generated_at": DATETIME}
EXPIRY = nullable(s("最早到期日 / Earliest expiry", format="date"))


def nullable_enum(values, description: str | None = None) -> dict:
    return {**s(description), "type": ["string", "null"], "enum": [*values, None]}


SCHEMAS = {
    "LoginInput": obj({"username": s(maxLength=64), "password": s(maxLength=128)}, ["username", "password"]),
    "LoginResult": obj({"access_token": s("HS256 JWT,Authorization: Bearer … / sent as Authorization: Bearer …"),
                        "expires_in": i("秒 / seconds (AUTH_TOKEN_TTL)"), "token_type": s(const="Bearer"),
                        "role": s(enum=ROLES)}, ["access_token", "expires_in", "token_type", "role"]),
    "EnterpriseRef": obj({"name": s(), "short_name": s(), "uscc": s("统一社会信用代码 / Unified social credit code")},
                         ["name", "short_name", "uscc"]),
    "Me": obj({"username": s(), "role": s(enum=ROLES), "enterprise": {"anyOf": [ref("EnterpriseRef"), {"type": "null"}]},
               "person_id": nullable(i())}, ["username", "role", "enterprise", "person_id"]),
    "AccountInput": obj({"username": s("3-64 位小写字母、数字、. _ @ - / lower-case letters, digits, . _ @ -",
                                       maxLength=64),
                         "password": s("10-128 个字符 / 10 to 128 characters", minLength=10, maxLength=128),
                         "role": s(enum=ROLES), "enterprise_uscc": s("单位账户必填 / required for role enterprise"),
                         "person_id": i("持证人账户必填 / required for role holder"),
                         "email": s("接收每日摘要 / receives the daily digest", maxLength=254)},
                        ["username", "password", "role"]),
    "Account": obj({"id": i(), "username": s(), "role": s(enum=ROLES),
                    "enterprise": {"anyOf": [ref("EnterpriseRef"), {"type": "null"}]}, "person_id": nullable(i()),
                    "email": nullable(s()), "active": BOOL, "created_at": DATETIME},
                   ["id", "username", "role", "enterprise", "person_id"]),
    "Warning": obj({"code": s(enum=list(WARNING_CODES)), "severity": s(enum=list(SEVERITIES)), "message": s(),
                    "message_en": s(), "registration_number": s(), "name": s(),
                    "specialty": nullable(s("专业代码 / Specialty code")), "due": nullable(DATE),
                    "days_left": nullable(i("负数为已过期 / negative: already past"))},
                   ["code", "severity", "message", "message_en", "registration_number", "name", "specialty", "due",
                    "days_left"]),
    "Signal": obj({"code": s(enum=list(SIGNAL_CODES)), "message": s(), "message_en": s(),
                   "details": obj({}, additionalProperties=True)}, ["code", "message", "message_en", "details"],
                  "挂证风险提示 / A 挂证 (certificate renting) signal"),
    "StaffMember": obj({
        "name": s(), "sex": s(enum=["M", "F"]), "id_number": s("完整身份证号(本单位人员)/ Full ID number (own staff)"),
        "registration_number": s(), "seal_number": s(), **KIND, "status": s(enum=REG_STATUSES), "status_name": s(),
        "status_name_en": s(),
        "specialties": arr(obj({"code": s(), "name": s(), "valid_from": DATE, "valid_until": DATE,
                                "status": s(enum=["active", "lapsed", "cancelled"]), "days_left": i()},
                               ["code", "name", "valid_from", "valid_until", "status", "days_left"])),
        "current_copy": nullable(obj({"copy_id": s(), "usage_from": DATETIME, "usage_until": DATETIME, "expired": BOOL},
                                     ["copy_id", "usage_from", "usage_until", "expired"])),
        "age_cap_date": DATE, "days_to_age_cap": i(), "warnings": arr(ref("Warning")), "signals": arr(ref("Signal")),
        "urgency": nullable(i(f"警告中最小的 days_left;暂扣、注销、失效为 {STATUS_URGENCY}(最先);无日期为 null(最后)/ "
                              f"the smallest days_left of the warnings; {STATUS_URGENCY} for a suspended, ended or "
                              "lapsed registration (first of all); null when no warning has a date (last)")),
    }, ["name", "registration_number", "kind", "status", "specialties", "current_copy", "age_cap_date", "warnings",
        "signals", "urgency"]),
    "StaffList": obj({**NAMED, "total": i(), "page": i(minimum=1), "page_size": i(const=100),
                      "staff": arr(ref("StaffMember"))},
                     ["enterprise", "generated_at", "total", "page", "page_size", "staff"], "最紧急的在前 / Most urgent first"),
    "WarningList": obj({**NAMED, "warnings": arr(ref("Warning"))}, ["enterprise", "generated_at", "warnings"]),
    "BulkCheckRow": obj({
        "line": i("文件中的行号(表头为第 1 行)/ Line in the file (the header is line 1)"), "result": s(enum=list(RESULTS)),
        "name": nullable(s()), "id_number": nullable(s("如所给;非本单位人员脱敏 / as given; masked unless own staff")),
        "registration_number": nullable(s()), "status": nullable_enum(REG_STATUSES), "kind": nullable(s()),
        "employer": nullable_enum(["this", "other"], "本单位或其他单位 / this enterprise or another"), "earliest_expiry": EXPIRY, "signals": arr(ref("Signal")),
        "registrations": arr(obj({"registration_number": s(), "kind": s(), "status": s(enum=REG_STATUSES),
                                  "employer": s(enum=["this", "other"]), "earliest_expiry": EXPIRY}),
                             description="该人员的全部注册 / All registrations of the person found"),
        "message": s(), "message_en": s(),
    }, ["line", "result", "name", "id_number", "registration_number", "status", "kind", "employer", "earliest_expiry",
        "signals", "message", "message_en"]),
    "BulkCheckResult": obj({
        "id": s(), "enterprise": ref("EnterpriseRef"), "created_at": DATETIME, "file_type": s(enum=["csv", "xlsx"]),
        "header_line": i(),
        "summary": obj({k: i() for k in ("rows", *RESULTS)}, ["rows", *RESULTS]),
        "rows": arr(ref("BulkCheckRow")),
        "downloads": obj({"csv": s(), "xlsx": s()}, ["csv", "xlsx"], "保留 24 小时 / kept for 24 hours"),
    }, ["id", "enterprise", "summary", "rows", "downloads"]),
}


def account_paths() -> dict:
    def op(op_id, tag, summary, ok, errors=(), **kw):
        return _op(op_id, tag, summary, ok, errors, auth=True, **kw)

    filters = [USCC_Q, _query("status", "注册状态 / Registration status", s(enum=REG_STATUSES)),
               _query("kind", "证书类别 / Kind code"), _query("warning", "警告代码 / Warning code", s(enum=list(WARNING_CODES))),
               _query("signal", "挂证风险代码 / Signal code", s(enum=list(SIGNAL_CODES))),
               _query("q", "姓名或注册编号前缀 / Name or registration number prefix"),
               _query("page", "页码,每页 100 / Page, 100 per page", i(minimum=1, default=1))]
    base = "/api/v1/enterprise/bulk-check"
    paths = {
        "/api/v1/auth/login": {"post": _op(
            "login", "accounts", "登录 / Log in", _json("LoginResult"),
            [*BODY, (401, "invalid_credentials"), (423, "account_locked"), (429, "rate_limited")], body=_body("LoginInput"),
            description="用户名不存在与密码错误的回答相同;同一客户端地址连续失败 5 次,该用户名对该地址锁定 15 分钟"
                        "(423,`details.retry_after` 秒),其他地址不受影响。/ An unknown username gets the same answer "
                        "as a wrong password; 5 failures in a row from one client address lock the username for 15 "
                        "minutes for that address only (423 with `details.retry_after` seconds). Rate-limited per "
                        "client.")},
        "/api/v1/auth/logout": {"post": op(
            "logout", "accounts", "注销访问令牌 / Log out (revoke this token)",
            _json(obj({"status": s(const="logged_out")}, ["status"])),
            description="管理令牌不能注销(403)/ The admin token cannot be revoked (403).")},
        "/api/v1/auth/me": {"get": op("me", "accounts", "当前账户 / The current account", _json("Me"))},
        "/api/v1/accounts": {"post": op(
            "create_account", "accounts", "创建账户(主管部门) / Create an account (authority)",
            _json("Account", "已创建 / Created"),
            [*BODY, INVALID, (404, "enterprise_not_found", "person_not_found"), (409, "username_taken")], status=201,
            body=_body("AccountInput"))},
        "/api/v1/enterprise/staff": {"get": op(
            "enterprise_staff", "enterprise", "本单位人员 / The enterprise's staff roster", _json("StaffList"),
            [INVALID, ENT_404], params=filters)},
        "/api/v1/enterprise/warnings": {"get": op(
            "enterprise_warnings", "enterprise", "预警 / Warnings", _json("WarningList"), [INVALID, ENT_404],
            params=[USCC_Q])},
        base: {"post": op(
            "bulk_check", "enterprise", "批量核查 / Bulk check of a staff list", _json("BulkCheckResult"),
            [INVALID, ENT_404, (413, "file_too_large", "too_many_rows", "too_many_strings", "too_complex",
                                "payload_too_large"),
             (415, "unsupported_media_type"), (422, "bad_header", "validation_failed"), (429, "rate_limited")],
            params=[USCC_Q],
            description="CSV(UTF-8 或 GB18030)或 XLSX,最多 10,000 行、5 MB;表头:姓名/name,身份证号/id_number,"
                        "注册编号/registration_number。/ CSV (UTF-8 or GB18030) or XLSX, at most 10,000 rows and 5 MB; "
                        "headers in Chinese or English. A malformed row is `invalid_row`, never fatal.",
            body={"required": True, "content": {"multipart/form-data": {
                "schema": obj({"file": s("CSV 或 XLSX / CSV or XLSX", format="binary")}, ["file"])}}})},
    }
    for fmt, mime in (("csv", "text/csv"), ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")):
        paths[f"{base}/{{check_id}}.{fmt}"] = {"get": op(
            f"bulk_check_{fmt}", "enterprise", f"下载核查结果 {fmt.upper()} / Download the result as {fmt.upper()}",
            _binary(mime, fmt.upper()), [(404, "bulk_check_not_found")],
            params=[{"name": "check_id", "in": "path", "required": True, "schema": s(),
                     "description": "批量核查编号 / Bulk check id"}])}
    return paths
