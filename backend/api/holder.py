"""The holder's own registrations and copies (我的注册), and 证照加注: a new copy on request."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from backend.api import applications, deps
from backend.api.auth import actor, current_principal, require_role
from backend.api.schemas.certificates import Copy, HolderRegistrations, LiveCode, copy_json, holder_registrations_json
from backend.api.spec import RATE_LIMITED, operation
from backend.extensions import limiter
from backend.models import Role
from backend.services.issuance import copies as issuance
from backend.services.issuance.presentations import present_copy
from backend.services.workflows.lapse import open_renewals
from backend.services.workflows.renewable import options_json, renewal_options

bp = Blueprint("holder", __name__, url_prefix="/api/v1/holder")


@bp.get("/registrations")
@require_role(Role.HOLDER)
@operation("我的注册 / The holder's own registrations", tag="workflows", auth=True, ok=HolderRegistrations,
           description="持证人本人的全部注册及各自当前的电子证书,以及今日可延续的专业(renewal)/ Every registration "
                       "of the signed-in holder, each "
                       "with its current copy (fields as Registration, plus current_copy) and `renewal`: the "
                       "specialties renewable today and why not the others (a renewal naming no specialty renews "
                       "those).")
def my_registrations():
    s, cat = deps.session(), deps.catalogue()
    found = issuance.own_registrations(s, current_principal().person_id)
    answer = holder_registrations_json(found, cat, deps.clock().now())
    ctx, pending = applications.context(), open_renewals(s)
    for row, (reg, _) in zip(answer["registrations"], found, strict=True):
        row["renewal"] = options_json(renewal_options(s, ctx, reg, pending=pending), cat.kind(reg.kind_code))
    return jsonify(answer)


@bp.post("/registrations/<number>/copies")
@require_role(Role.HOLDER)
@operation("申请电子证书加注 / Get a new copy of one's own registration", tag="workflows", auth=True, ok=Copy,
           status=201, ok_text="已签发 / Issued", errors=[(404, "registration_not_found"),
                               (409, "issuance_refused", "registration_suspended", "registration_not_active",
                                "age_cap_reached", "no_valid_specialty"), (429, "daily_limit_reached")],
           description="证照加注:本人注册的新电子证书,每日限额适用 / A new copy of one's own registration; the daily "
                       "limit applies.")
def request_copy(number: str):
    c = issuance.issue_own_copy(deps.session(), deps.ring(), deps.catalogue(), deps.settings(), deps.clock(), number,
                                current_principal().person_id, actor())
    deps.session().commit()
    return jsonify(copy_json(c)), 201


def _per_account() -> str:
    """The live code's rate limit counts per account (holders at one site share an address); anonymous
    callers, whom require_role turns away, by address."""
    p = current_principal()
    return f"account:{p.account_id}" if p is not None and p.account_id is not None else request.remote_addr or "-"


@bp.post("/copies/<copy_id>/presentation")
@limiter.limit(lambda: current_app.config["PRESENTATION_RATE_LIMIT"], key_func=_per_account)
@require_role(Role.HOLDER)
@operation("动态二维码 / A live code of one's own current copy", tag="workflows", auth=True, ok=LiveCode,
           errors=[(404, "copy_not_found"), (409, "copy_not_current", "copy_usage_over"), RATE_LIMITED],
           description="本人当前电子证书的动态二维码:令牌 `typ: jz-presentation`,有效期不超过 120 秒,`refresh_after` 秒后"
                       "应取新码;截图在过期后核验为 expired。他人的电子证书答复为不存在。/ A live code of the holder's "
                       "own current copy: a `typ: jz-presentation` token living at most 120 s; fetch a new one after "
                       "`refresh_after` s. A screenshot verifies `expired` once past its time. Someone else's copy "
                       "answers as an unknown one (docs/certificate-token.md, \"A live code\").")
def live_code(copy_id: str):
    cfg = current_app.config
    answer = present_copy(deps.session(), deps.ring(), deps.settings(), deps.clock(), copy_id,
                          current_principal().person_id, ttl=cfg["PRESENTATION_TTL"], refresh=cfg["PRESENTATION_REFRESH"])
    resp = jsonify(answer)
    resp.headers["Cache-Control"] = "no-store"
    return resp
