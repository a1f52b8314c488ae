"""The holder's own registrations and copies (我的注册), and 证照加注: a new copy on request."""
from __future__ import annotations

from flask import Blueprint, jsonify

from backend.api import deps
from backend.api.auth import actor, current_principal, require_role
from backend.api.schemas.certificates import Copy, HolderRegistrations, copy_json, holder_registrations_json
from backend.api.spec import operation
from backend.models import Role
from backend.services.issuance import copies as issuance

bp = Blueprint("holder", __name__, url_prefix="/api/v1/holder")


@bp.get("/registrations")
@require_role(Role.HOLDER)
@operation("我的注册 / The holder's own registrations", tag="workflows", auth=True, ok=HolderRegistrations,
           description="持证人本人的全部注册及各自当前的电子证书 / Every registration of the signed-in holder, each "
                       "with its current copy (fields as Registration, plus current_copy).")
def my_registrations():
    found = issuance.own_registrations(deps.session(), current_principal().person_id)
    return jsonify(holder_registrations_json(found, deps.catalogue(), deps.clock().now()))


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
