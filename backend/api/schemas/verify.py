"""Verification: the scanned text in, one verdict with its reasons out (DESIGN.md, "Verdicts")."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator
from spectree.model_adapter.pydantic_adapter import BaseFile

from backend.api.schemas.base import Answer, ApiModel, Date, DateTime
from backend.models import RegStatus
from backend.services.verification.qr_text import MAX_QR_TEXT
from backend.services.verification.verdicts import PRIORITY, REASONS

Verdict = Literal[tuple(reversed(PRIORITY))]                      # valid ... invalid
ReasonCode = Literal[tuple(sorted(REASONS))]
RegistrationStatus = Literal[RegStatus.ALL]
MASKED_ID = ("身份证号(脱敏:仅显示前 6 位;同一答复中的日期可推出出生日期时全部隐藏;持证人、其聘用单位和主管部门可见全号)"
             " / ID number, masked: the first 6 characters only, none when a date in the same answer gives the "
             "birth date away; in full for the holder, their employer and the authority (docs/privacy.md)")


class VerifyRequest(ApiModel):
    qr: str = Field(description="扫描所得文本 / The scanned text: `{BASE}/V#{packed}`, `{base}/v#{token}` or a bare token",
                    max_length=MAX_QR_TEXT)

    @field_validator("qr")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("qr 必须是扫描得到的文本 / qr must be the scanned text")
        return v


class Employer(Answer):
    name: str = Field(description="单位名称 / Employer name")
    uscc: str = Field(description="统一社会信用代码 / Unified social credit code")


class Reason(Answer):
    code: ReasonCode = Field(description="原因代码 / Reason code")
    message: str
    message_en: str
    details: dict[str, Any] | None = None


class VerifiedCertificate(Answer):
    """持证人与证书信息(脱敏);not_found 时仅含令牌中的字段 / Masked holder and copy data; only the token's fields
    for not_found."""
    copy_id: str = Field(description="电子证书编号 / Copy id (token `jti`)")
    identifier: str | None = Field(None, description="电子证照标识 / Licence identifier")
    version: int | None = Field(None, description="版本号 / Copy version")
    registration_number: str | None = Field(description="注册编号 / Registration number")
    seal_number: str | None = Field(None, description="执业印章号 / Seal number")
    name: str | None = Field(description="姓名 / Name")
    sex: Literal["M", "F"] | None = None
    id_number: str | None = Field(None, description=MASKED_ID, examples=["110105************"])
    kind: str | None = Field(None, description="证书类别代码 / Kind code")
    kind_name: str | None = Field(None, description="类别名称 / Kind name")
    kind_name_en: str | None = Field(None, description="Kind name in English")
    level: str | None = Field(None, description="级别 / Level")
    employer: Employer | None = None
    employer_on_copy: str | None = Field(None, description="证书上的单位 / Employer printed on the copy")
    employer_on_copy_uscc: str | None = Field(None, description="证书上单位的统一社会信用代码;与 employer.uscc 不同即已变更"
                                                                "聘用单位 / The credit code of the employer on the copy: "
                                                                "unlike employer.uscc, the holder changed employer")
    issued_at: DateTime | None = None
    usage_from: DateTime | None = None
    usage_until: DateTime | None = None
    registration_status: RegistrationStatus | None = None
    age_cap_date: Date | None = Field(None, description="年龄上限日期,仅对持证人、其聘用单位和主管部门(携带访问令牌)给出 / "
                                                        "The age-cap date, only for the holder, their employer and "
                                                        "the authority (with their bearer token)")
    issuer: str | None = Field(None, description="发证机关 / Issuer")
    photo_url: str | None = Field(description="持证人照片的短时签名链接 / Short-lived signed link to the holder's photo")


class SpecialtyVerdict(Answer):
    code: str
    name: str
    name_en: str | None = None
    valid_until: Date | None
    status: Literal["valid", "lapsed", "suspended", "revoked"]


class PresentationWindow(Answer):
    """动态二维码(持证人出示的短时令牌)的时间窗 / A live code's window (the holder's short-lived presentation)."""
    issued_at: DateTime = Field(description="动态码生成时间 / When the live code was made")
    expires_at: DateTime = Field(description="动态码失效时间(其后 30 秒内仍视为有效,以容时钟误差)/ When it stops "
                                             "counting (30 s of clock skew allowed past it)")


class VerifyResult(Answer):
    """核验结果;吊销或过期是结果而非 HTTP 错误 / A verification result: revoked or expired is a result, not an HTTP
    error."""
    verdict: Verdict = Field(description="核验结论 / Verdict")
    message: str
    message_en: str
    reasons: list[Reason]
    checked_at: DateTime
    certificate: VerifiedCertificate | None = Field(description="invalid 时为 null / null for invalid")
    specialties: list[SpecialtyVerdict]
    presentation: PresentationWindow | None = Field(None, description="仅动态二维码:其时间窗;结论与其所出示的电子证书"
                                                                     "相同,过期后为 expired / A live code only: its "
                                                                     "window; the verdict is that of the copy it "
                                                                     "shows, `expired` once past it")


class ReadCode(VerifyResult):
    qr: str = Field(description="识别出的二维码文本 / QR text read")


class DocumentCheck(Answer):
    """证书 PDF 的电子签名检查 / The signature check of a certificate PDF."""
    signed: bool = Field(description="是否带有电子签名 / Whether the PDF carries a signature")
    intact: bool = Field(description="签名完整:签名后未被修改(未签名时为 false)/ The signature is intact: nothing changed "
                                     "since signing (false when unsigned)")
    trusted: bool = Field(description="签名者的证书链到受信任的根证书且未被吊销(未签名时为 false)/ The signer's certificate "
                                      "chains to a trust root and is not revoked (false when unsigned)")
    signer: str | None = Field(description="签名者证书的主题(RFC 4514)/ The signer certificate's subject (RFC 4514)")
    signed_at: DateTime | None = Field(description="签名时间(有可信时间戳时取时间戳,否则为签名者声明的时间)/ When it was "
                                                   "signed: the trusted timestamp's time, else the signer's own claim")


class VerifyImageResult(Answer):
    codes: list[ReadCode]
    document: DocumentCheck | None = Field(None, description="仅证书 PDF:其电子签名检查 / A certificate PDF only: its "
                                                             "signature check")


class VerifyImageForm(ApiModel):
    image: BaseFile = Field(description="照片(JPEG、PNG 或 WebP)或证书 PDF / The photo (JPEG, PNG or WebP) or the "
                                        "certificate PDF")


class PhotoQuery(ApiModel):
    exp: str = Field("", description="链接有效期,Unix 秒 / Expiry, Unix seconds")
    sig: str = Field("", description="签名 / Signature")
