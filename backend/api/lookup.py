"""Public lookup endpoint: anyone may search, within a per-client rate limit."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from backend.api import deps
from backend.api.schemas.lookup import LookupQuery, LookupResults
from backend.api.spec import INVALID, RATE_LIMITED, operation
from backend.extensions import limiter
from backend.services.lookup.search import lookup as lookup_registrations

bp = Blueprint("lookup", __name__, url_prefix="/api/v1")


@bp.get("/lookup")
@limiter.limit(lambda: current_app.config["LOOKUP_RATE_LIMIT"])
@operation("查询注册信息 / Look up registrations", tag="lookup", query=LookupQuery, ok=LookupResults,
           errors=[INVALID, (422, "page_out_of_range"), RATE_LIMITED],
           description="按姓名(2 个字及以上,前缀匹配)、注册编号(完整或前缀)、执业印章号或电子证照标识查询,可按省份、"
                       "证书类别、专业和聘用单位筛选;身份证号脱敏;每页 20 条,最多 30 页,超过时总数为“至少”。/ By name "
                       "(two characters or more, prefix match), registration number (whole or its start), seal number "
                       "or certificate identifier, narrowed by province, kind, specialty and employer; ID numbers "
                       "masked; 20 per page, at most 30 pages (beyond that the total is a lower bound).")
def lookup(query: LookupQuery):
    found = lookup_registrations(deps.read_session(), deps.catalogue(), query.q, query.page, province=query.province,
                                 kind=query.kind, specialty=query.specialty, employer=query.employer,
                                 page_size=current_app.config["LOOKUP_PAGE_SIZE"],
                                 max_pages=current_app.config["LOOKUP_MAX_PAGES"])
    resp = jsonify(found.as_json())
    resp.headers["Cache-Control"] = "no-store"   # statuses change: a cached answer could show a revoked holder as active
    return resp
