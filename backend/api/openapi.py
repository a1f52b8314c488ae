"""The OpenAPI 3.1 document served at /api/v1/openapi.json: generated from the routes and their pydantic
models (api/spec.py), with the prose that no model can say: errors, authentication, the certificate token
and the status list (api/token_docs.py)."""
from __future__ import annotations

import copy
import threading

from backend.api.schemas.meta import CertificateClaims, StatusListClaims
from backend.api.spec import TAGS, generated_spec
from backend.api.token_docs import CERTIFICATE_TOKEN, STATUS_LIST_FORMAT

DOCUMENTED_ONLY = (CertificateClaims, StatusListClaims)     # they travel inside a JWS, never as a body

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


_lock = threading.Lock()
_cache: dict[str, dict] = {}


def document(base_url: str) -> dict:
    with _lock:
        if base_url not in _cache:
            _cache[base_url] = _build(base_url)
        return _cache[base_url]


def _build(base_url: str) -> dict:
    doc = copy.deepcopy(generated_spec())
    doc["info"] = {"title": "建证 API / Jianzheng API", "version": "1.0.0", "description": DESCRIPTION}
    doc["servers"] = [{"url": base_url.rstrip("/") or "/", "description": "本签发机关 / This issuer"},
                      {"url": "/", "description": "当前站点(文档页试用)/ This site (for trying requests from the docs)"}]
    doc["tags"] = [{"name": t.name, "description": t.description} for t in TAGS.values()]
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for model in DOCUMENTED_ONLY:
        schemas[model.__name__] = model.model_json_schema(ref_template="#/components/schemas/{model}")
    doc["components"]["securitySchemes"] = {"bearer": {
        "type": "http", "scheme": "bearer",
        "description": "登录所得的访问令牌(HS256 JWT),或管理令牌(角色 authority)/ An access token from "
                       "/api/v1/auth/login (HS256 JWT), or the admin token (role authority)"}}
    return doc
