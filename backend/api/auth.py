"""Roles, enforced server-side. Until accounts exist (issue 4), the authority role is held by whoever
presents the admin token (ADMIN_TOKEN, or instance/admin-token made on first start)."""
from __future__ import annotations

import functools
import hmac

from flask import current_app, g, request

from ..services.errors import Forbidden, ServiceError


class Unauthorized(ServiceError):
    code, status = "unauthorized", 401
    message, message_en = "需要有效的访问令牌", "A valid access token is required"


def current_role() -> str | None:
    if "jz_role" in g:
        return g.jz_role
    role = None
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        presented = header[7:].strip().encode()
        admin = (current_app.config.get("ADMIN_TOKEN") or "").encode()
        if admin and hmac.compare_digest(presented, admin):
            role = "authority"
    g.jz_role = role
    return role


def actor() -> str:
    return f"{current_role() or 'anonymous'}@{request.remote_addr or '-'}"


def require_role(*roles: str):
    def deco(view):
        @functools.wraps(view)
        def wrapped(*a, **kw):
            role = current_role()
            if role is None:
                raise Unauthorized()
            if role not in roles:
                raise Forbidden()
            return view(*a, **kw)
        return wrapped
    return deco
