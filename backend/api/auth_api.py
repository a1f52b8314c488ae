"""Accounts: login, logout, who am I, and account creation by authority staff."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from backend.api import deps
from backend.api.auth import actor, auth_settings, current_principal, require_role
from backend.extensions import limiter
from backend.models import Enterprise, Role
from backend.services.accounts import logins, management, sessions as auth_sessions
from backend.services.errors import Forbidden

bp = Blueprint("auth_api", __name__, url_prefix="/api/v1")
ANY_ACCOUNT = Role.ALL


def _enterprise_json(e) -> dict | None:
    return None if e is None else {"name": e.name, "short_name": e.short_name, "uscc": e.uscc}


@bp.post("/auth/login")
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"])
def login():
    body = deps.json_body()
    try:
        answer = auth_sessions.login(deps.session(), deps.clock(), auth_settings(), body.get("username"),
                                     body.get("password"), client=request.remote_addr)
    except (logins.InvalidCredentials, logins.AccountLocked):
        deps.session().commit()        # the failure count and any lock must last although the answer is an error
        raise
    deps.session().commit()
    resp = jsonify(answer)
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.post("/auth/logout")
@require_role(*ANY_ACCOUNT)
def logout():
    p = current_principal()
    if p.account_id is None:
        raise Forbidden("管理令牌不能注销,请在服务器上更换", "The admin token cannot be revoked: replace it on the server",
                        code="forbidden")
    auth_sessions.logout(deps.session(), deps.clock(), p)
    deps.session().commit()
    return jsonify({"status": "logged_out"})


@bp.get("/auth/me")
@require_role(*ANY_ACCOUNT)
def me():
    p = current_principal()
    ent = deps.session().get(Enterprise, p.enterprise_id) if p.enterprise_id is not None else None
    return jsonify({"username": p.username, "role": p.role, "enterprise": _enterprise_json(ent),
                    "person_id": p.person_id})


@bp.post("/accounts")
@require_role(Role.AUTHORITY)
def create_account():
    a = management.create_account(deps.session(), deps.json_body(), actor())
    deps.session().commit()
    return jsonify({"id": a.id, "username": a.username, "role": a.role, "enterprise": _enterprise_json(a.enterprise),
                    "person_id": a.person_id, "email": a.email, "active": a.active,
                    "created_at": a.created_at.replace(microsecond=0).isoformat() + "Z"}), 201
