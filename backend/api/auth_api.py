"""Accounts: login, logout, who am I, and account creation by authority staff."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from backend.api import deps
from backend.api.auth import actor, auth_settings, current_principal, require_role
from backend.api.schemas.accounts import Account, AccountInput, LoggedOut, LoginInput, LoginResult, Me
from backend.api.schemas.registry import enterprise_json
from backend.api.spec import BODY, INVALID, RATE_LIMITED, operation
from backend.extensions import limiter
from backend.models import Person, Role
from backend.services.accounts import management, sessions as auth_sessions
from backend.services.accounts.errors import AccountLocked, InvalidCredentials
from backend.services.clock import iso_utc

bp = Blueprint("auth_api", __name__, url_prefix="/api/v1")
ANY_ACCOUNT = Role.ALL


@bp.post("/auth/login")
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"])
@operation("登录 / Log in", tag="accounts", json=LoginInput, ok=LoginResult,
           errors=[*BODY, (401, "invalid_credentials"), (423, "account_locked"), RATE_LIMITED],
           description="用户名不存在与密码错误的回答相同;同一客户端地址连续失败 5 次,该用户名对该地址锁定 15 分钟"
                       "(423,`details.retry_after` 秒),其他地址不受影响。/ An unknown username gets the same answer "
                       "as a wrong password; 5 failures in a row from one client address lock the username for 15 "
                       "minutes for that address only (423 with `details.retry_after` seconds). Rate-limited per "
                       "client.")
def login(json: LoginInput):
    try:
        answer = auth_sessions.login(deps.session(), deps.clock(), auth_settings(), json.username, json.password,
                                     client=request.remote_addr)
    except (InvalidCredentials, AccountLocked):
        deps.session().commit()        # the failure count and any lock must last although the answer is an error
        raise
    deps.session().commit()
    resp = jsonify(answer)
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.post("/auth/logout")
@require_role(*ANY_ACCOUNT)
@operation("注销访问令牌 / Log out (revoke this token)", tag="accounts", ok=LoggedOut, auth=True,
           description="管理令牌不能注销(403)/ The admin token cannot be revoked (403).")
def logout():
    auth_sessions.logout(deps.session(), deps.clock(), current_principal())
    deps.session().commit()
    return jsonify({"status": "logged_out"})


@bp.get("/auth/me")
@require_role(*ANY_ACCOUNT)
@operation("当前账户 / The current account", tag="accounts", ok=Me, auth=True)
def me():
    p = current_principal()
    ent = auth_sessions.bound_enterprise(deps.session(), p)
    person = deps.session().get(Person, p.person_id) if p.person_id is not None else None    # the header's name
    return jsonify({"username": p.username, "role": p.role, "enterprise": enterprise_json(ent, full=False) if ent else None,
                    "person_id": p.person_id, "display_name": person.name if person else ent.name if ent else None})


@bp.post("/accounts")
@require_role(Role.AUTHORITY)
@operation("创建账户(主管部门) / Create an account (authority)", tag="accounts", json=AccountInput, ok=Account,
           status=201, auth=True,
           errors=[*BODY, INVALID, (404, "enterprise_not_found", "person_not_found"), (409, "username_taken")])
def create_account(json: AccountInput):
    a = management.create_account(deps.session(), **json.model_dump(), actor=actor())
    deps.session().commit()
    return jsonify({"id": a.id, "username": a.username, "role": a.role,
                    "enterprise": enterprise_json(a.enterprise, full=False) if a.enterprise else None, "person_id": a.person_id,
                    "email": a.email, "organisation": a.organisation, "active": a.active,
                    "created_at": iso_utc(a.created_at)}), 201
