"""Logins, the principal behind a bearer token, and logout (revocation of the token's `jti`).

A token names its account (`sub`), role and, for an enterprise account, the enterprise (`ent`, its
统一社会信用代码), for a holder the person (`pid`); each request also checks the account: a deactivated
account, or one whose role, enterprise or person has changed since the token was issued, no longer
passes with it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backend.crypto.access_tokens import AccessTokenInvalid, issuer_of, read_access, sign_access
from backend.models import Account, Enterprise, RevokedToken, Role
from backend.services.accounts.errors import ServiceTokenNotRevocable, TokenRevoked, Unauthorized
from backend.services.accounts.logins import authenticate
from backend.services.clock import Clock, from_epoch


@dataclass(frozen=True)
class AuthSettings:
    secret: str
    issuer: str
    ttl: int = 8 * 3600
    max_failures: int = 5
    lock_minutes: int = 15

    @classmethod
    def from_config(cls, cfg) -> AuthSettings:
        return cls(secret=cfg["AUTH_SECRET"], issuer=issuer_of(cfg["TOKEN_ISSUER"]), ttl=cfg["AUTH_TOKEN_TTL"],
                   max_failures=cfg["LOGIN_MAX_FAILURES"], lock_minutes=cfg["LOGIN_LOCK_MINUTES"])


@dataclass(frozen=True)
class Principal:
    role: str
    username: str
    account_id: int | None = None         # None: the admin service token
    enterprise_id: int | None = None
    enterprise_uscc: str | None = None
    person_id: int | None = None
    jti: str | None = None
    expires_at: dt.datetime | None = None


def login(session: Session, clock: Clock, auth: AuthSettings, username: str | None, password: str | None,
          client: str | None = None) -> dict:
    """`client`: the caller's address; failed logins are counted and locked per username and address."""
    account = authenticate(session, clock, username, password, client=client, max_failures=auth.max_failures,
                           lock_minutes=auth.lock_minutes)
    extra = {}
    if account.role == Role.ENTERPRISE:
        extra["ent"] = account.enterprise.uscc
    if account.role == Role.HOLDER:
        extra["pid"] = account.person_id
    token, _ = sign_access(auth.secret, issuer=auth.issuer, now=clock.now(), ttl=auth.ttl, sub=str(account.id),
                           role=account.role, extra=extra)
    return {"access_token": token, "expires_in": auth.ttl, "token_type": "Bearer", "role": account.role}


def bound_enterprise(session: Session, principal: Principal) -> Enterprise | None:
    """The enterprise an account is bound to (enterprise accounts), else None."""
    return session.get(Enterprise, principal.enterprise_id) if principal.enterprise_id is not None else None


def principal_from_token(session: Session, clock: Clock, auth: AuthSettings, token: str) -> Principal:
    try:
        claims = read_access(auth.secret, token, issuer=auth.issuer, now=clock.now())
    except AccessTokenInvalid:
        raise Unauthorized() from None
    if not claims["sub"].isdigit():
        raise Unauthorized()
    row = session.execute(select(Account.id, Account.username, Account.role, Account.active, Account.enterprise_id,
                                 Account.person_id, Enterprise.uscc)
                          .outerjoin(Enterprise, Enterprise.id == Account.enterprise_id)
                          .where(Account.id == int(claims["sub"]))).first()
    if row is None or not row.active or (row.role, row.uscc, row.person_id) != (claims["role"], claims.get("ent"),
                                                                                  claims.get("pid")):
        raise Unauthorized()
    if session.scalar(select(RevokedToken.jti).where(RevokedToken.jti == claims["jti"])):
        raise TokenRevoked()
    return Principal(role=row.role, username=row.username, account_id=row.id, enterprise_id=row.enterprise_id,
                     enterprise_uscc=row.uscc, person_id=row.person_id, jti=claims["jti"],
                     expires_at=from_epoch(claims["exp"]))


def logout(session: Session, clock: Clock, principal: Principal) -> None:
    """Revoke the token; rows of tokens that have expired anyway are dropped on the way. A service token (the
    admin token, no account behind it) is not a session and cannot be revoked."""
    if principal.account_id is None:
        raise ServiceTokenNotRevocable()
    now = clock.now()
    session.execute(delete(RevokedToken).where(RevokedToken.expires_at < now))
    if session.get(RevokedToken, principal.jti) is None:
        session.add(RevokedToken(jti=principal.jti, expires_at=principal.expires_at, revoked_at=now))
    session.flush()
