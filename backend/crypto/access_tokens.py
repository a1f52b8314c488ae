"""Access tokens of accounts: HS256 JWTs signed with AUTH_SECRET (instance/auth-secret), a key of their
own, so that nothing signed for a login can pass as a certificate and the other way round.

Verification pins ["HS256"], requires exp, iat, jti, sub and role, and checks `typ: at+jwt` (RFC 9068)
and the issuer. Time comes from the caller (a Clock), not from pyjwt, so fixed clocks in tests hold.
Revocation is a database question and lives in services/accounts/sessions.py.
"""
from __future__ import annotations

import datetime as dt
import secrets

import jwt

ALGORITHMS = ["HS256"]
TYP = "at+jwt"
REQUIRED = ["exp", "iat", "jti", "sub", "role"]
LEEWAY = 60        # seconds of clock skew tolerated for `iat` between app instances


def epoch(naive_utc: dt.datetime) -> int:
    return int(naive_utc.replace(tzinfo=dt.UTC).timestamp())


class AccessTokenInvalid(Exception):
    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def issuer_of(token_issuer: str) -> str:
    return f"{token_issuer}:auth"


def sign_access(secret: str, *, issuer: str, now: dt.datetime, ttl: int, sub: str, role: str,
                extra: dict | None = None) -> tuple[str, dict]:
    iat = epoch(now)
    claims = {"iss": issuer, "sub": sub, "role": role, "jti": secrets.token_urlsafe(16), "iat": iat,
              "exp": iat + ttl, **(extra or {})}
    return jwt.encode(claims, secret, algorithm="HS256", headers={"typ": TYP}), claims


def read_access(secret: str, token: str, *, issuer: str, now: dt.datetime) -> dict:
    if not isinstance(token, str) or token.count(".") != 2 or len(token) > 4096:
        raise AccessTokenInvalid("malformed")
    try:
        header = jwt.get_unverified_header(token)
        if header.get("typ") != TYP:
            raise AccessTokenInvalid("typ")
        claims = jwt.decode(token, secret, algorithms=ALGORITHMS, issuer=issuer,
                            options={"require": REQUIRED, "verify_exp": False, "verify_iat": False})
    except jwt.PyJWTError as e:
        raise AccessTokenInvalid(type(e).__name__) from None
    t = epoch(now)
    if not isinstance(claims["exp"], int) or claims["exp"] <= t:
        raise AccessTokenInvalid("expired")
    if not isinstance(claims["iat"], int) or claims["iat"] > t + LEEWAY:
        raise AccessTokenInvalid("iat")
    if not isinstance(claims["jti"], str) or not 8 <= len(claims["jti"]) <= 32:
        raise AccessTokenInvalid("jti")
    return claims
