"""Verdicts and reasons with their Chinese and English words (DESIGN.md, "Verdicts")."""
from __future__ import annotations

# Most serious first: the overall verdict is the first one any reason points to.
PRIORITY = ("invalid", "not_found", "revoked", "suspended", "lapsed", "superseded", "expired", "valid")

VERDICT_TEXT = {
    "valid": ("证书真实有效", "Genuine and valid"),
    "expired": ("电子证书已超过使用时限,请持证人重新下载", "The copy's usage period is over: download a new copy"),
    "lapsed": ("注册已失效(超过有效期或已达年龄上限)", "The registration has lapsed (past its validity or the age cap)"),
    "superseded": ("此电子证书已被新版本替代(信息已变更)", "A newer copy exists after a change of data"),
    "suspended": ("注册已被暂扣(锁定)", "The registration is suspended (locked)"),
    "revoked": ("注册已注销、撤销或吊销", "The registration is cancelled, rescinded or revoked"),
    "not_found": ("签名有效,但签发机关无此证书记录", "Genuine signature, but the issuer has no such copy"),
    "invalid": ("无效:不是本机关签发的真实证书", "Invalid: not a genuine certificate of this issuer"),
}

# reason code -> (verdict it implies, 中文, English)
REASONS = {
    "malformed": ("invalid", "二维码内容不是有效的证书令牌", "The QR text is not a well-formed certificate token"),
    "not_a_certificate": ("invalid", "二维码内容不是电子证书", "The QR code does not hold a certificate"),
    "foreign_url": ("invalid", "二维码指向其他网站,不是本机关的证书", "The QR code points to another site, not this issuer"),
    "algorithm_not_allowed": ("invalid", "签名算法不被接受", "The signature algorithm is not accepted"),
    "missing_kid": ("invalid", "令牌缺少密钥标识", "The token names no key"),
    "unknown_key": ("invalid", "签名密钥未知", "The signing key is unknown"),
    "wrong_type": ("invalid", "令牌类型错误", "Wrong token type"),
    "bad_signature": ("invalid", "签名验证失败(内容被篡改或伪造)", "The signature does not verify (tampered or forged)"),
    "wrong_issuer": ("invalid", "签发者不符", "Wrong issuer"),
    "missing_claim": ("invalid", "令牌缺少必需字段", "The token lacks a required claim"),
    "not_yet_valid": ("invalid", "令牌签发时间在未来", "The token is issued in the future"),
    "inconsistent": ("invalid", "令牌内容与登记记录不一致", "The token does not match the register"),
    "copy_unknown": ("not_found", "签发机关没有此电子证书的记录", "The issuer has no record of this copy"),
    "registration_cancelled": ("revoked", "注册已注销", "The registration is cancelled (注销)"),
    "registration_rescinded": ("revoked", "注册已撤销", "The registration is rescinded (撤销)"),
    "registration_revoked": ("revoked", "注册已吊销", "The registration is revoked (吊销)"),
    "copy_revoked": ("revoked", "此电子证书已作废", "This copy is revoked"),
    "registration_suspended": ("suspended", "注册已被暂扣(锁定)", "The registration is suspended (locked)"),
    "registration_lapsed": ("lapsed", "注册已失效", "The registration has lapsed"),
    "all_specialties_lapsed": ("lapsed", "所有注册专业均已超过有效期", "Every specialty is past its validity"),
    "specialty_lapsed": (None, "部分注册专业已超过有效期", "Some specialties are past their validity"),
    "specialty_expiring": (None, "部分注册专业有效期不足180天,请及时办理延续", "A specialty has under 180 days left"),
    "age_cap_reached": ("lapsed", "持证人已达到年龄上限", "The holder has reached the age cap"),
    "copy_superseded": ("superseded", "已有更新版本的电子证书", "A newer copy exists"),
    "copy_expired": ("expired", "电子证书已超过使用时限", "The copy's usage period is over"),
    # a holder's live code (动态二维码) shown after its time: a screenshot or a photo of an old one
    "presentation_expired": ("expired", "此为过期的动态二维码(可能是截图)", "An old live code: possibly a screenshot"),
    # a certificate PDF (POST /api/v1/verify/image with a PDF): its signature judged with the QR code
    "document_tampered": ("invalid", "PDF 文件在签名后被修改,或签名已损坏", "The PDF was changed after signing, or its "
                                                                        "signature is broken"),
    "document_untrusted": ("invalid", "PDF 文件不是由发证机关签名(签名者不受信任或其证书已被吊销)",
                           "The PDF is not signed by the issuer (an untrusted signer, or a revoked certificate)"),
    "document_unsigned": (None, "PDF 文件没有电子签名,不是发证机关签发的原件;结论仅依据二维码",
                          "The PDF carries no electronic signature, so it is no original from the issuer; "
                          "the verdict rests on the QR code alone"),
}


def reason(code: str, **details) -> dict:
    _, zh, en = REASONS[code]
    out = {"code": code, "message": zh, "message_en": en}
    if details:
        out["details"] = details
    return out


def overall(reasons: list[dict]) -> str:
    implied = {REASONS[r["code"]][0] for r in reasons} - {None}
    return next((v for v in PRIORITY if v in implied), "valid")
