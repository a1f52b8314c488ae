"""Health, public keys, the status list, the OpenAPI description and its docs page."""
from __future__ import annotations

import threading
import time

from flask import Blueprint, current_app, jsonify, send_from_directory
from sqlalchemy import text

from backend.api import deps
from backend.api.edge_errors import DatabaseSilent
from backend.api.schemas.meta import Health, Jwks, StatusList
from backend.api.spec import binary, operation
from backend.api.token_docs import STATUS_LIST_FORMAT
from backend.services.issuance.status_list import signed_status_list

bp = Blueprint("meta", __name__)
_cache_lock = threading.Lock()


def _cors(resp, max_age: int):
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["Cache-Control"] = f"public, max-age={max_age}"
    return resp


@bp.get("/healthz")
@operation("健康检查 / Health check", tag="meta", ok=Health, errors=[(503, "unavailable")])
def healthz():
    try:
        deps.session().execute(text("SELECT 1"))
    except Exception:   # noqa: BLE001 - any database failure means "not healthy"
        deps.session().rollback()
        raise DatabaseSilent() from None
    return jsonify({"status": "ok"})


@bp.get("/.well-known/jwks.json")
@operation("签发机关公钥 / The issuer's public keys (JWKS)", tag="offline", ok=Jwks,
           description="允许跨域、可缓存 5 分钟;已轮换的旧钥仍在列表中 / CORS-enabled, cacheable for 5 minutes; retired "
                       "keys stay listed so that earlier copies still verify.")
def jwks():
    return _cors(jsonify(deps.ring().jwks()), 300)


@bp.get("/api/v1/status-list")
@operation("签名状态列表 / The signed status list", tag="offline", ok=StatusList,
           description=STATUS_LIST_FORMAT + "\n令牌载荷见 `StatusListClaims` / the token's payload is `StatusListClaims`.")
def status_list():
    """Built from the database at most every STATUS_LIST_CACHE_SECONDS per process."""
    ttl = current_app.config.get("STATUS_LIST_CACHE_SECONDS", 30)
    cache = current_app.extensions.setdefault("jz.status_list_cache", {})
    with _cache_lock:
        if not cache or time.monotonic() - cache["at"] > ttl or cache["kid"] != deps.ring().current_kid:
            body = signed_status_list(deps.session(), deps.ring(), deps.settings(), deps.clock())
            cache.update(at=time.monotonic(), body=body, kid=deps.ring().current_kid)
        body = cache["body"]
    return _cors(jsonify(body), min(ttl, 60))


@bp.get("/api/v1/openapi.json")
@operation("接口描述 / This OpenAPI description", tag="meta", operation_id="openapi",
           content={"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}})
def openapi():
    from backend.api.openapi import document
    return _cors(jsonify(document(deps.settings().base_url)), 300)


@bp.get("/api/docs")
@operation("接口文档页面 / The API docs page", tag="meta", operation_id="docs", content=binary("text/html"))
def docs():
    return send_from_directory(current_app.config["DOCS_DIR"], "index.html")


@bp.get("/api/docs/<path:name>")
@operation("文档页面资源 / A file of the docs page", tag="meta", operation_id="docs_asset",
           content=binary("text/javascript", "text/css", "text/plain"), errors=[(404, "not_found")])
def docs_asset(name: str):
    return send_from_directory(current_app.config["DOCS_DIR"], name)
