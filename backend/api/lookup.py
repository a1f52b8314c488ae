"""Public lookup endpoint: anyone may search, within a per-client rate limit."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from backend.api import deps
from backend.extensions import limiter
from backend.services.lookup.search import lookup as lookup_registrations

bp = Blueprint("lookup", __name__, url_prefix="/api/v1")


@bp.get("/lookup")
@limiter.limit(lambda: current_app.config["LOOKUP_RATE_LIMIT"])
def lookup():
    found = lookup_registrations(deps.session(), deps.catalogue(), request.args.get("q"), request.args.get("page"),
                                 page_size=current_app.config["LOOKUP_PAGE_SIZE"],
                                 max_pages=current_app.config["LOOKUP_MAX_PAGES"])
    resp = jsonify(found.as_json())
    resp.headers["Cache-Control"] = "no-store"   # statuses change: a cached answer could show a revoked holder as active
    return resp
