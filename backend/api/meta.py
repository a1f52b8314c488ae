"""Health (/healthz, and /livez and /readyz for orchestrators), metrics, public keys, the status list, the
OpenAPI description and its docs page."""
from __future__ import annotations

import hmac
import threading
import time

from flask import Blueprint, Response, current_app, jsonify, request, send_from_directory
from sqlalchemy import text

from backend.api import deps
from backend.api.edge_errors import DatabaseSilent, MetricsForbidden, NotReady
from backend.api.schemas.meta import Health, Jwks, Ready, StatusList
from backend.api.spec import binary, operation
from backend.api.token_docs import STATUS_LIST_FORMAT
from backend.metrics import status_list_signed
from backend.services import audit
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


@bp.get("/livez")
@operation("存活检查 / Liveness", tag="meta", ok=Health,
           description="进程在运行即回答,不访问数据库:失败时应重启进程 / Answers while the process runs, without asking the "
                       "database: when it fails, restart the process (the image's HEALTHCHECK).")
def livez():
    return jsonify({"status": "ok"})


@bp.get("/readyz")
@operation("就绪检查 / Readiness", tag="meta", ok=Ready, errors=[(503, "not_ready")],
           description="数据库与 Redis 有响应、数据库结构已迁移到本版本:否则 503,`details.checks` 说明哪一项未就绪;未就绪时"
                       "负载均衡不应转发请求 / The database and Redis answer and the schema is at this release's migration "
                       "head; else 503 with `details.checks` naming what is not ready, and the load balancer should "
                       "send no requests here (docs/operations.md).")
def readyz():
    from backend.bootstrap import MIGRATIONS_DIR
    from backend.readiness import readiness
    cfg = current_app.config
    replica = deps.read_session()
    ready, checks = readiness(deps.session(), cfg.get("REDIS_URL"), MIGRATIONS_DIR, cfg["READYZ_TIMEOUT"],
                              read_session=None if replica is deps.session() else replica)
    if not ready:
        raise NotReady(checks)
    resp = jsonify({"status": "ready", "checks": checks})
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/metrics")
@operation("Prometheus 指标 / Prometheus metrics", tag="meta", operation_id="metrics",
           content={"description": "Prometheus 文本格式 / The Prometheus text exposition format",
                    "content": {"text/plain": {"schema": {"type": "string"}}}},
           errors=[(403, "forbidden")],
           description="不是 JSON 接口:供 Prometheus 抓取。仅对 METRICS_ALLOW 中的网络开放,或带 `Authorization: Bearer "
                       "<METRICS_TOKEN>` / Not a JSON API: for Prometheus to scrape. Open only to the networks of "
                       "METRICS_ALLOW, or with `Authorization: Bearer <METRICS_TOKEN>` (docs/operations.md).")
def metrics():
    from backend.metrics import CONTENT_TYPE, allowed, exposition
    cfg = current_app.config
    token = cfg.get("METRICS_TOKEN") or ""
    header = request.headers.get("Authorization", "")
    by_token = bool(token) and header.startswith("Bearer ") and hmac.compare_digest(
        header[7:].strip().encode(), token.encode())
    if not by_token and not allowed(request.remote_addr, current_app.extensions["jz.metrics_allow"]):
        raise MetricsForbidden()
    resp = Response(exposition(deps.session()), mimetype=CONTENT_TYPE.split(";")[0])
    resp.headers["Content-Type"] = CONTENT_TYPE
    resp.headers["Cache-Control"] = "no-store"
    return resp


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
    """Built from the database at most every STATUS_LIST_CACHE_SECONDS per process, and again as soon as the audit
    trail has moved on (every change of a copy's or registration's status is audited in its own transaction, so
    a 暂扣 shows here at once, in every process), though not more than once every STATUS_LIST_REBUILD_SECONDS."""
    ttl = current_app.config.get("STATUS_LIST_CACHE_SECONDS", 30)
    floor = min(ttl, current_app.config.get("STATUS_LIST_REBUILD_SECONDS", 1))
    cache = current_app.extensions.setdefault("jz.status_list_cache", {})
    with _cache_lock:
        head = audit.head(deps.read_session())
        age = time.monotonic() - cache["at"] if cache else None
        if not cache or age > ttl or cache["kid"] != deps.ring().current_kid or (cache["head"] != head and age >= floor):
            body = signed_status_list(deps.read_session(), deps.ring(), deps.settings(), deps.clock())
            cache.update(at=time.monotonic(), body=body, kid=deps.ring().current_kid, head=head)
            status_list_signed()
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
