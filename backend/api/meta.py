"""Health, public keys, the status list, the OpenAPI description and its docs page."""
from __future__ import annotations

import threading
import time

from flask import Blueprint, current_app, jsonify, send_from_directory
from sqlalchemy import text

from backend.api import deps
from backend.services.errors import ServiceError
from backend.services.issuance.status_list import signed_status_list

bp = Blueprint("meta", __name__)
_cache_lock = threading.Lock()


def _cors(resp, max_age: int):
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["Cache-Control"] = f"public, max-age={max_age}"
    return resp


@bp.get("/healthz")
def healthz():
    try:
        deps.session().execute(text("SELECT 1"))
    except Exception:   # noqa: BLE001 - any database failure means "not healthy"
        deps.session().rollback()
        raise ServiceError("数据库无响应", "The database does not answer", code="unavailable", status=503) from None
    return jsonify({"status": "ok"})


@bp.get("/.well-known/jwks.json")
def jwks():
    return _cors(jsonify(deps.ring().jwks()), 300)


@bp.get("/api/v1/status-list")
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
def openapi():
    from backend.api.openapi_spec import build_spec
    return _cors(jsonify(build_spec(deps.settings().base_url)), 300)


@bp.get("/api/docs")
def docs():
    return send_from_directory(current_app.config["DOCS_DIR"], "index.html")


@bp.get("/api/docs/<path:name>")
def docs_asset(name: str):
    return send_from_directory(current_app.config["DOCS_DIR"], name)
