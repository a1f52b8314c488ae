"""Health, the issuer's public keys, the signed status list, the catalogue for offline display, and the
claims inside the two kinds of signed token (documentation only: they travel inside a JWS)."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from backend.api.schemas.base import Answer
from backend.api.token_docs import CERTIFICATE_TOKEN, STATUS_LIST_FORMAT
from backend.services.issuance.status_list import STATUSES


class Health(Answer):
    status: Literal["ok"]


class ReadyChecks(Answer):
    database: Literal["ok", "unavailable"]
    redis: Literal["ok", "not_configured", "unavailable"] = Field(
        description="not_configured:未设 REDIS_URL,计数在进程内 / no REDIS_URL, counters in memory")
    migrations: Literal["ok", "ahead", "behind", "empty", "unknown"] = Field(
        description="ahead:数据库已由更新的版本迁移 / a newer release has migrated the database")
    read_replica: Literal["ok", "unavailable"] | None = Field(
        None, description="设了 DATABASE_READ_URL 时:只读副本是否有响应 / with DATABASE_READ_URL: whether the read "
                          "replica answers")


class Ready(Answer):
    status: Literal["ready"]
    checks: ReadyChecks


class Jwk(Answer):
    kty: Literal["EC"]
    crv: Literal["P-256"]
    x: str
    y: str
    kid: str = Field(description="RFC 7638 指纹 / thumbprint")
    use: Literal["sig"] | None = None
    alg: Literal["ES256"] | None = None


class Jwks(Answer):
    """签发机关公钥(含已轮换的旧钥)/ The issuer's public keys, current first, then retired ones."""
    keys: list[Jwk]


class StatusList(Answer):
    __doc__ = STATUS_LIST_FORMAT
    token: str = Field(description="签名的状态列表(JWS,载荷见 StatusListClaims)/ The signed list (JWS with "
                                   "StatusListClaims)")
    issued_at: int = Field(description="Unix 秒 / Unix seconds")
    ttl: int = Field(description="建议缓存秒数 / Seconds before it is stale")
    max_age: int = Field(description="超过此秒数不得给出 valid / Beyond this, no offline valid verdict")
    size: int = Field(ge=131072)
    bits: Literal[4] = Field(description="每项位数 / Bits per entry (W3C statusSize)")
    statuses: list[Literal[STATUSES]] = Field(description="第 n 项为取值 n 的状态 / The status of each value, "
                                                          "value n at index n")
    kid: str = Field(description="签名密钥 / Signing key id")



class StatusListClaims(Answer):
    __doc__ = STATUS_LIST_FORMAT
    iss: str
    jti: str
    sub: str | None = Field(None, description="状态列表地址 / URL of the list")
    iat: int
    exp: int = Field(description="iat + 7 天 / days")
    ttl: int
    bits: Literal[4]
    size: int
    statuses: list[str]
    statusMessage: list[dict[str, str]] = Field(  # noqa: N815
        description='W3C Bitstring Status List statusMessage: [{"status": "0x0", "message": "ok"}, …], value n at n')
    encodedList: str = Field(description="u + base64url(gzip(bitstring))", pattern="^u[A-Za-z0-9_-]+$")  # noqa: N815


class CertificateClaims(Answer):
    __doc__ = CERTIFICATE_TOKEN
    iss: str
    jti: str
    iat: int
    exp: int
    i: int = Field(ge=1)
    r: str
    n: str
    k: str
    s: list[list[str | int]]
    e: list[str] = Field(min_length=2, max_length=2)
    h: str | None = Field(None, description="身份证号后4位(v2)/ The last 4 characters of the ID number (v2)")


class Catalogue(Answer):
    """证书类别与专业名称(离线显示用)/ Kind and specialty names, for offline display."""
    kinds: list[dict[str, Any]]
    timezone: str
    issuer: dict[str, Any]
