"""Certificate copies (加注件) as their holder, employer and the authority see them, and the holder's own
registrations (我的注册) with each one's current copy. Each answer model is built by the `*_json` beside it."""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from backend.api.schemas.base import Answer, DateTime
from backend.api.schemas.registry import Registration, registration_json
from backend.api.schemas.renewals import RenewalOptions
from backend.api.token_docs import CERTIFICATE_TOKEN
from backend.models import CertificateCopy, Registration as RegistrationRow
from backend.services.clock import iso_utc
from backend.services.kinds import Catalogue


class CopyLinks(Answer):
    qr_png: str
    qr_svg: str
    pdf: str


class Copy(Answer):
    __doc__ = "电子证书(加注件)/ An electronic copy. " + CERTIFICATE_TOKEN.split("\n\n")[0]
    copy_id: str = Field(description="电子证书编号(令牌 jti)/ The copy id (the token's jti)")
    identifier: str = Field(description="电子证照标识 / Licence identifier")
    version: int
    registration_number: str
    status: Literal["current", "superseded", "revoked"]
    issued_at: DateTime
    usage_from: DateTime
    usage_until: DateTime
    superseded_at: DateTime | None
    status_index: int = Field(description="在状态列表中的序号 / Index in the status list")
    kid: str
    qr: str = Field(description="二维码文本 / QR text: {PUBLIC_BASE_URL, scheme and host upper-cased}/V#{packed token}")
    qr_version: int | None
    links: CopyLinks


class CopyList(Answer):
    copies: list[Copy]


class CurrentCopy(Answer):
    copy_id: str
    identifier: str
    usage_from: DateTime
    usage_until: DateTime
    expired: bool


class HolderRegistration(Registration):
    current_copy: CurrentCopy | None
    renewal: RenewalOptions = Field(description="延续注册:今日可延续的专业 / Renewal: what can be renewed today")


class HolderRegistrations(Answer):
    """持证人本人的全部注册及各自当前的电子证书 / Every registration of the signed-in holder, each with its current
    copy."""
    registrations: list[HolderRegistration]


class LiveCode(Answer):
    """动态二维码:本人当前电子证书的短时出示令牌,约每 30-60 秒更换 / A live code: a short-lived presentation of the
    holder's current copy, renewed every 30-60 s (docs/certificate-token.md, "A live code")."""
    copy_id: str = Field(description="所出示的电子证书编号 / The copy it presents")
    token: str = Field(description="紧凑 JWS,`typ: jz-presentation`,CBOR 声明 / Compact JWS, `typ: jz-presentation`, "
                                   "CBOR claims")
    qr_text: str = Field(description="二维码文本 / QR text: {PUBLIC_BASE_URL, scheme and host upper-cased}/V#1{packed}")
    qr_svg: str = Field(description="二维码 SVG(纠错等级 M)/ The QR code as SVG (error correction M)")
    qr_version: int = Field(description="二维码版本 / QR version")
    issued_at: DateTime
    expires_at: DateTime = Field(description="过期时间(签发后不超过 120 秒)/ Expiry, at most 120 s after issued_at")
    refresh_after: int = Field(description="多少秒后应取新码 / Seconds after which to fetch a new code")


def copy_json(c: CertificateCopy) -> dict:
    base = f"/api/v1/certificates/{c.public_id}"
    return {"copy_id": c.public_id, "identifier": c.identifier, "version": c.version,
            "registration_number": c.registration.registration_number, "status": c.status,
            "issued_at": iso_utc(c.issued_at), "usage_from": iso_utc(c.usage_from), "usage_until": iso_utc(c.usage_until),
            "superseded_at": iso_utc(c.superseded_at), "status_index": c.id, "kid": c.kid,
            "qr": c.qr_text, "qr_version": c.snapshot.get("qr_version"),
            "links": {"qr_png": f"{base}/qr.png", "qr_svg": f"{base}/qr.svg", "pdf": f"{base}/certificate.pdf"}}


def holder_registrations_json(found: list[tuple[RegistrationRow, CertificateCopy | None]], catalogue: Catalogue,
                              now: dt.datetime) -> dict:
    return {"registrations": [registration_json(r, catalogue) | {"current_copy": None if c is None else {
        "copy_id": c.public_id, "identifier": c.identifier, "usage_from": iso_utc(c.usage_from),
        "usage_until": iso_utc(c.usage_until), "expired": c.usage_until < now}} for r, c in found]}
