"""The OpenAPI 3.1 description of every endpoint, served at /api/v1/openapi.json and shown at /api/docs.

Hand-written as data: small builders (_op, _err, _json) keep each operation to a few lines. The component
schemas live in openapi_schemas.py. tests/api/test_openapi.py checks that every route of the app is here.
"""
from __future__ import annotations

from backend.api.errors import HTTP_TEXT
from backend.api.openapi_schemas import CERTIFICATE_TOKEN, SCHEMAS, STATUS_ACTIONS, STATUS_LIST_FORMAT, i, obj, ref, s

JSON = "application/json"

# error sets shared by many operations: (status, *machine codes)
BODY = [(400, "invalid_json", "invalid_encoding", "invalid_body"), (413, "payload_too_large")]
INVALID = (422, "validation_failed")
UPLOAD = [(413, "image_too_large", "too_many_pixels"), (415, "unsupported_media_type"), INVALID, (422, "corrupt_image")]
REG_404 = (404, "registration_not_found")

TAGS = [
    ("verify", "核验 / Verification", "扫描二维码或上传照片,在线核验 / Verify a scanned QR text or a photo online"),
    ("offline", "离线核验 / Offline verification", "公钥与签名状态列表 / Public keys and the signed status list"),
    ("lookup", "查询 / Lookup", "按姓名或编号查询注册信息(脱敏、限流)/ Search registrations (masked, rate-limited)"),
    ("registry", "登记 / Registry", "主管部门:人员、单位、注册、变更、签发 / Authority staff: records, changes, issuance"),
    ("certificates", "电子证书 / Certificates", "电子证书的数据、二维码与 PDF / A copy's data, QR images and PDF"),
    ("accounts", "账户 / Accounts", "登录、注销与账户管理 / Login, logout and accounts"),
    ("enterprise", "单位 / Enterprise", "本单位人员、预警与批量核查 / Staff roster, warnings and bulk check"),
    ("workflows", "注册申请 / Applications", "初始、增项、延续、变更、注销、重新注册:申请、确认、审批 / Registration "
                  "workflows: apply, confirm, decide"),
    ("meta", "元数据 / Meta", "健康检查与本文档 / Health check and this description"),
]
TAG_NAMES = {key: title for key, title, _ in TAGS}

DESCRIPTION = f"""\
建设类执业资格电子注册证书的登记与核验接口。/ Registry and verification of electronic registration certificates.

**错误 / Errors**: 每个 4xx/5xx 响应都是同一格式 / every 4xx and 5xx response has one shape, the `Error` schema:
`{{"error": "<machine_code>", "message": "<中文>", "message_en": "<English>", "details": {{...}}}}`.
数据库暂不可用时为 503 `service_unavailable`,带 `Retry-After`(秒)。/ When the database does not
answer: 503 `service_unavailable` with `Retry-After` (seconds).
吊销、过期等是核验结果(HTTP 200),不是错误。/ A revoked or expired certificate is a verification result
(HTTP 200 with a verdict), not an HTTP error.

**认证 / Authentication**: `Authorization: Bearer <令牌>`,令牌为 `POST /api/v1/auth/login` 所得的访问令牌,或管理令牌
(角色 authority)。角色:enterprise、authority、inspector、holder。/ `Authorization: Bearer <token>`, an access token
from `POST /api/v1/auth/login` or the admin token (role authority). Roles: enterprise, authority, inspector, holder.

## 电子证书令牌 / Certificate token
{CERTIFICATE_TOKEN}
## 状态列表 / Status list
{STATUS_LIST_FORMAT}"""


def _err(status: int, *codes: str) -> dict:
    """An error response: the Error schema, with the machine codes this operation may answer."""
    default, zh, en = HTTP_TEXT[status]
    listed = ", ".join(f"`{c}`" for c in (codes or (default,)))
    return {"description": f"{zh} / {en}: {listed}", "content": {JSON: {"schema": ref("Error")}}}


def _json(schema: str | dict, description: str = "成功 / OK") -> dict:
    return {"description": description,
            "content": {JSON: {"schema": ref(schema) if isinstance(schema, str) else schema}}}


def _binary(mime: str, description: str) -> dict:
    return {"description": description, "content": {mime: {"schema": s(format="binary")}}}


def _path(name: str, description: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "path", "required": True, "description": description, "schema": schema or s()}


def _query(name: str, description: str, schema: dict | None = None, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema or s()}


def _body(schema: str) -> dict:
    return {"required": True, "content": {JSON: {"schema": ref(schema)}}}


def _multipart(description: str, types: str) -> dict:
    return {"required": True, "content": {"multipart/form-data": {
        "schema": obj({"image": s(description, format="binary")}, ["image"]),
        "encoding": {"image": {"contentType": types}}}}}


def _op(op_id: str, tag: str, summary: str, ok: dict, errors=(), *, status: int = 200, description: str | None = None,
        body: dict | None = None, params=(), auth: bool = False) -> dict:
    if auth:
        errors = [(401, "unauthorized", "token_revoked"), (403, "forbidden"), *errors]
    merged: dict[int, list[str]] = {}
    for st, *codes in [*errors, (500, "internal_error")]:
        known = merged.setdefault(st, [])
        known.extend(c for c in codes if c not in known)
    merged.setdefault(503, ["service_unavailable"])          # the database does not answer (api/errors.py)
    merged.setdefault(414, ["uri_too_long"])                 # a request line over 4 KB (backend/gunicorn_conf.py)
    op = {"operationId": op_id, "tags": [TAG_NAMES[tag]], "summary": summary,
          "responses": {str(status): ok, **{str(st): _err(st, *codes) for st, codes in sorted(merged.items())}}}
    if description:
        op["description"] = description
    if params:
        op["parameters"] = list(params)
    if body:
        op["requestBody"] = body
    if auth:
        op["security"] = [{"bearer": []}]
    return op


PERSON_ID = _path("person_id", "人员编号 / Person id", i(minimum=1))
USCC = _path("uscc", "统一社会信用代码 / Unified social credit code")
NUMBER = _path("number", "注册编号 / Registration number")
COPY_ID = _path("public_id", "电子证书编号 copy_id(令牌 jti)/ The copy id (the token's jti)")


def _public_paths() -> dict:
    rate = (429, "rate_limited")
    return {
        "/healthz": {"get": _op("healthz", "meta", "健康检查 / Health check", _json("Health", "数据库可用 / The database answers"),
                                [(503, "unavailable")])},
        "/.well-known/jwks.json": {"get": _op(
            "jwks", "offline", "签发机关公钥 / The issuer's public keys (JWKS)", _json("Jwks"),
            description="允许跨域、可缓存 5 分钟;已轮换的旧钥仍在列表中 / CORS-enabled, cacheable for 5 minutes; "
                        "retired keys stay listed so that earlier copies still verify.")},
        "/api/v1/verify": {"post": _op(
            "verify", "verify", "核验证书 / Verify a certificate", _json("VerifyResult"), [*BODY, INVALID, rate],
            description="`qr` 为扫描所得文本:`{PUBLIC_BASE_URL}/v#{令牌}` 或裸令牌。任何输入都得到结论。/ `qr` is the "
                        "scanned text: `{PUBLIC_BASE_URL}/v#{token}` or a bare token. Every input gets a verdict.",
            body={"required": True, "content": {JSON: {"schema": obj(
                {"qr": s("扫描所得文本 / The scanned text", maxLength=4096)}, ["qr"])}}})},
        "/api/v1/verify/image": {"post": _op(
            "verify_image", "verify", "从照片核验 / Verify the QR codes in a photo", _json("VerifyImageResult"),
            [(413, "image_too_large", "too_many_pixels", "payload_too_large"), (415, "unsupported_media_type"),
             (422, "validation_failed", "corrupt_image", "no_qr_found"), rate],
            description="每个识别出的二维码一个核验结果;未找到二维码时返回 422 `no_qr_found`。/ One verification "
                        "result per QR code found; none found → 422 `no_qr_found`.",
            body=_multipart("证书照片 / Photo of a certificate", "image/jpeg, image/png, image/webp"))},
        "/api/v1/photos/{public_id}": {"get": _op(
            "photo", "verify", "持证人照片 / The holder's photo", _binary("image/jpeg", "照片 / Photo (JPEG or PNG)"),
            [(403, "photo_link_invalid"), (404, "not_found", "photo_missing")],
            description="仅通过核验结果中的 `photo_url`(短时签名)访问 / Reached only through a verification result's "
                        "short-lived signed `photo_url`.",
            params=[_path("public_id", "电子证书编号 / Copy id"), _query("exp", "过期时间 / Expiry, Unix seconds", i(), True),
                    _query("sig", "签名 / Signature", required=True)])},
        "/api/v1/lookup": {"get": _op(
            "lookup", "lookup", "查询注册信息 / Look up registrations", _json("LookupResults"), [INVALID, rate],
            description="按姓名、注册编号或证书编号查询;结果脱敏、分页,总数封顶。/ By name, registration or "
                        "certificate number; masked, paginated, with a capped total.",
            params=[_query("q", "姓名或编号 / Name or number", s(minLength=1), True),
                    _query("page", "页码 / Page", i(minimum=1, default=1))])},
        "/api/v1/status-list": {"get": _op(
            "status_list", "offline", "签名状态列表 / The signed status list", _json("StatusList"),
            description=STATUS_LIST_FORMAT + "\n令牌载荷见 `StatusListClaims` / the token's payload is "
                                              "`StatusListClaims`.")},
        "/api/v1/catalogue": {"get": _op(
            "catalogue", "offline", "证书类别与专业名称 / Kind and specialty names for offline display",
            _json({"type": "object", "required": ["kinds", "timezone", "issuer"], "properties": {
                "kinds": {"type": "array", "items": {"type": "object"}}, "timezone": s(),
                "issuer": {"type": "object"}}}),
            description="令牌只携带代码;离线时用此表显示名称 / A token carries codes only; offline, the app "
                        "shows names from this table. Public, CORS `*`, cacheable for an hour.")},
        "/api/v1/openapi.json": {"get": _op(
            "openapi", "meta", "接口描述 / This OpenAPI description", _json({"type": "object"}, "OpenAPI 3.1"))},
        "/api/docs": {"get": _op("docs", "meta", "接口文档页面 / The API docs page",
                                 {"description": "HTML", "content": {"text/html": {"schema": s()}}})},
        "/api/docs/{name}": {"get": _op(
            "docs_asset", "meta", "文档页面资源 / A file of the docs page",
            {"description": "JS / CSS", "content": {"*/*": {"schema": s(format="binary")}}}, [(404, "not_found")],
            params=[_path("name", "文件名 / File name")])},
    }


def _registry_paths() -> dict:
    def op(op_id, summary, ok, errors=(), **kw):
        return _op(op_id, "registry", summary, ok, errors, auth=True, **kw)

    reg_ok, person_404 = _json("Registration"), (404, "person_not_found")
    paths = {
        "/api/v1/persons": {"post": op("create_person", "登记人员 / Register a person", _json("Person", "已创建 / Created"),
                                       [*BODY, INVALID, (409, "person_exists")], status=201, body=_body("PersonInput"))},
        "/api/v1/persons/{person_id}": {"get": op("get_person", "人员信息 / A person", _json("Person"), [person_404],
                                                  params=[PERSON_ID])},
        "/api/v1/persons/{person_id}/name": {"post": op(
            "change_name", "变更姓名 / Change the name", _json("Person"), [*BODY, INVALID, person_404], params=[PERSON_ID],
            description="现有电子证书被替代 / Current copies become superseded.",
            body={"required": True, "content": {JSON: {"schema": obj({"name": s(maxLength=40)}, ["name"])}}})},
        "/api/v1/enterprises": {"post": op(
            "create_enterprise", "登记单位 / Register an enterprise", _json("Enterprise", "已创建 / Created"),
            [*BODY, INVALID, (409, "enterprise_exists")], status=201, body=_body("EnterpriseInput"))},
        "/api/v1/enterprises/{uscc}": {"get": op("get_enterprise", "单位信息 / An enterprise", _json("Enterprise"),
                                                 [(404, "enterprise_not_found")], params=[USCC])},
        "/api/v1/registrations": {"post": op(
            "create_registration", "初始注册 / Create a registration", _json("Registration", "已创建 / Created"),
            [*BODY, INVALID, (404, "person_not_found", "enterprise_not_found"),
             (409, "employer_conflict", "person_deceased", "age_cap_reached", "employer_inactive", "already_registered")],
            status=201, body=_body("RegistrationInput"))},
        "/api/v1/registrations/{number}": {"get": op("get_registration", "注册信息 / A registration", reg_ok, [REG_404],
                                                     params=[NUMBER])},
        "/api/v1/registrations/{number}/employer": {"post": op(
            "change_employer", "变更聘用单位 / Change the employer", reg_ok,
            [*BODY, INVALID, (404, "registration_not_found", "enterprise_not_found"),
             (409, "registration_ended", "same_employer", "employer_inactive", "employer_conflict")], params=[NUMBER],
            description="现有电子证书被替代 / Current copies become superseded.",
            body={"required": True, "content": {JSON: {"schema": obj({"enterprise_uscc": s()}, ["enterprise_uscc"])}}})},
        "/api/v1/registrations/{number}/specialties": {"post": op(
            "add_specialty", "增项注册 / Add a specialty", reg_ok,
            [*BODY, INVALID, REG_404, (409, "registration_not_active", "specialty_exists")], params=[NUMBER],
            body={"required": True, "content": {JSON: {"schema": obj({"specialty": s()}, ["specialty"])}}})},
        "/api/v1/registrations/{number}/status": {"post": op(
            "set_status", "暂扣、注销、撤销、吊销、失效 / Suspend, cancel, rescind, revoke or lapse", reg_ok,
            [*BODY, INVALID, REG_404, (409, "status_transition")], params=[NUMBER],
            body={"required": True, "content": {JSON: {"schema": obj(
                {"action": s(enum=STATUS_ACTIONS), "reason": s(maxLength=500)}, ["action", "reason"])}}})},
        "/api/v1/registrations/{number}/copies": {
            "post": op("issue_copy", "签发电子证书 / Issue a certificate copy", _json("Copy", "已签发 / Issued"),
                       [REG_404, (409, "issuance_refused", "registration_suspended", "registration_not_active",
                                  "person_deceased", "age_cap_reached", "no_valid_specialty"),
                        (429, "daily_limit_reached")], status=201, params=[NUMBER], description=CERTIFICATE_TOKEN),
            "get": op("list_copies", "电子证书列表 / The copies of a registration", _json("CopyList"), [REG_404],
                      params=[NUMBER])},
        "/api/v1/audit": {"get": op(
            "audit_events", "审计日志 / Audit log (latest 200)", _json("AuditEvents"),
            params=[_query("entity_type", "对象类型 / Entity type"), _query("entity_id", "对象编号 / Entity id")])},
    }
    for what, zh in (("photo", "照片"), ("signature", "签名")):
        paths[f"/api/v1/persons/{{person_id}}/{what}"] = {"put": op(
            f"put_{what}", f"上传{zh} / Upload the {what}", _json("Person"), [*UPLOAD, person_404], params=[PERSON_ID],
            body=_multipart(f"{zh},JPEG 或 PNG,最大 2 MB / JPEG or PNG, at most 2 MB", "image/jpeg, image/png"))}
    return paths


def _certificate_paths() -> dict:
    def op(op_id, summary, ok):
        return _op(op_id, "certificates", summary, ok, [(404, "copy_not_found")], params=[COPY_ID], auth=True)

    base = "/api/v1/certificates/{public_id}"
    return {
        base: {"get": op("get_copy", "电子证书信息 / A certificate copy", _json("Copy"))},
        f"{base}/qr.png": {"get": op("qr_png", "二维码 PNG / QR code as PNG", _binary("image/png", "PNG"))},
        f"{base}/qr.svg": {"get": op("qr_svg", "二维码 SVG / QR code as SVG", _binary("image/svg+xml", "SVG"))},
        f"{base}/certificate.pdf": {"get": op("certificate_pdf", "打印版证书 / Printable certificate (PDF)",
                                              _binary("application/pdf", "PDF"))},
    }


def build_spec(base_url: str) -> dict:
    from backend.api.openapi_accounts import SCHEMAS as ACCOUNT_SCHEMAS, account_paths  # it builds on the helpers above
    from backend.api.openapi_workflows import SCHEMAS as WORKFLOW_SCHEMAS, workflow_paths
    return {
        "openapi": "3.1.0",
        "info": {"title": "建证 API / Jianzheng API", "version": "1.0.0", "description": DESCRIPTION},
        "servers": [{"url": base_url.rstrip("/") or "/", "description": "本签发机关 / This issuer"},
                    {"url": "/", "description": "当前站点(文档页试用)/ This site (for trying requests from the docs)"}],
        "tags": [{"name": title, "description": desc} for _, title, desc in TAGS],
        "paths": {**_public_paths(), **_registry_paths(), **_certificate_paths(), **account_paths(),
                  **workflow_paths()},
        "components": {
            "schemas": {**SCHEMAS, **ACCOUNT_SCHEMAS, **WORKFLOW_SCHEMAS},
            "securitySchemes": {"bearer": {
                "type": "http", "scheme": "bearer",
                "description": "登录所得的访问令牌(HS256 JWT),或管理令牌(角色 authority)/ An access token from "
                               "/api/v1/auth/login (HS256 JWT), or the admin token (role authority)"}},
        },
    }
