"""Who is calling, enforced server-side. A bearer token is either the admin token (ADMIN_TOKEN, or
instance/admin-token made on first start: an `authority` service token) or an account's access token
from POST /api/v1/auth/login. The principal is resolved once per request and only by views that ask."""
from __future__ import annotations

import functools
import hmac

from flask import current_app, g, request

from backend.api import deps
from backend.services.accounts.errors import Unauthorized
from backend.services.accounts.sessions import AuthSettings, Principal, principal_from_token
from backend.services.errors import Forbidden

__all__ = ["Unauthorized", "actor", "auth_settings", "current_principal", "current_role", "require_role"]

ADMIN = Principal(role="authority", username="admin-token")


def auth_settings() -> AuthSettings:
    return AuthSettings.from_config(current_app.config)


def current_principal() -> Principal | None:
    if "jz_principal" in g:
        return g.jz_principal
    principal, error = None, None
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        presented = header[7:].strip()
        admin = current_app.config.get("ADMIN_TOKEN") or ""
        if admin and hmac.compare_digest(presented.encode(), admin.encode()):
            principal = ADMIN
        elif presented.count(".") == 2:
            try:
                principal = principal_from_token(deps.session(), deps.clock(), auth_settings(), presented)
            except Unauthorized as e:       # kept: a view that needs a role answers with it (token_revoked)
                error = e
    g.jz_principal, g.jz_auth_error = principal, error
    return principal


def current_role() -> str | None:
    p = current_principal()
    return p.role if p else None


def actor() -> str:
    """For the audit trail: role, the account's username, and the client address (at most 64 characters)."""
    p = current_principal()
    who = "anonymous" if p is None else p.role if p.account_id is None else f"{p.role}:{p.username}"
    return f"{who}@{request.remote_addr or '-'}"[:64]


def require_role(*roles: str):
    def deco(view):
        @functools.wraps(view)
        def wrapped(*a, **kw):
            p = current_principal()
            if p is None:
                raise g.jz_auth_error or Unauthorized()
            if p.role not in roles:
                raise Forbidden()
            return view(*a, **kw)
        return wrapped
    return deco
