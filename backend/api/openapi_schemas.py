"""Component schemas of the OpenAPI description (JSON Schema 2020-12, as OpenAPI 3.1 uses it).

Hand-written to follow the shapes built in services/verification.py, services/status_list.py,
services/issuance.py and api/shapes.py; tests/api/test_openapi.py checks the paths against the app.
"""
from __future__ import annotations

from backend.models import RegStatus
from backend.services.issuance.status_list import STATUSES
from backend.services.registry.registrations import STATUS_ACTIONS as _ACTIONS
from backend.services.verification.verdicts import PRIORITY, REASONS

# enums taken from the code they describe, so that the description cannot drift from it
VERDICTS = list(reversed(PRIORITY))          # valid ... invalid
REG_STATUSES = list(RegStatus.ALL)
STATUS_ACTIONS = list(_ACTIONS)

from backend.api.token_docs import CERTIFICATE_TOKEN, STATUS_LIST_FORMAT  # noqa: E402


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(props: dict, required: list | tuple = (), description: str | None = None, **extra) -> dict:
    out = {"type": "object", "properties": props, **extra}
    if required:
        out["required"] = list(required)
    if description:
        out["description"] = description
    return out


def s(description: str | None = None, **kw) -> dict:
    return {"type": "string", **({"description": description} if description else {}), **kw}


def i(description: str | None = None, **kw) -> dict:
    return {"type": "integer", **({"description": description} if description else {}), **kw}


def nullable(schema: dict) -> dict:
    return {**schema, "type": [schema["type"], "null"]}


def arr(items: dict, **kw) -> dict:
    return {"type": "array", "items": items, **kw}


DATE, DATETIME = s(format="date"), s(format="date-time")
MASKED_ID = s("身份证号(脱敏:仅显示前 6 位;同一答复中的日期可推出出生日期时全部隐藏;持证人、其聘用单位和主管部门可见全号)"
              " / ID number, masked: the first 6 characters only, none when a date in the same answer gives the "
              "birth date away; in full for the holder, their employer and the authority (docs/privacy.md)",
              examples=["110105************"])
EMPLOYER = obj({"name": s("单位名称 / Employer name"), "uscc": s("统一社会信用代码 / Unified social credit code")},
               ["name", "uscc"])
KIND = {"kind": s("证书类别代码 / Kind code"), "kind_name": s("类别名称 / Kind name"),
        "kind_name_en": s("Kind name in English"), "level": nullable(s("级别 / Level"))}

SCHEMAS = {
    "Error": obj({
        "error": s("机器可读错误码 / Machine-readable code", examples=["validation_failed"]),
        "message": s("中文说明 / Message in Chinese"), "message_en": s("Message in English"),
        "details": obj({}, description="补充信息;字段校验错误为 `{\"fields\": {名称: {code, message, message_en}}}` / "
                                       "Details; field errors are `{\"fields\": {name: {code, message, message_en}}}`",
                       additionalProperties=True),
    }, ["error", "message", "message_en", "details"], "统一错误格式 / The one error shape"),
    "Health": obj({"status": s(enum=["ok"])}, ["status"]),
    "Jwks": obj({"keys": arr(obj({"kty": s(enum=["EC"]), "crv": s(enum=["P-256"]), "x": s(), "y": s(),
                                  "kid": s("RFC 7638 指纹 / thumbprint"), "use": s(enum=["sig"]),
                                  "alg": s(enum=["ES256"])}, ["kty", "crv", "x", "y", "kid"]))}, ["keys"],
                "签发机关公钥(含已轮换的旧钥)/ The issuer's public keys, current first, then retired ones"),
    "Verdict": s("核验结论 / Verdict", enum=VERDICTS),
    "Reason": obj({"code": s("原因代码 / Reason code", enum=sorted(REASONS)), "message": s(), "message_en": s(),
                   "details": obj({}, additionalProperties=True)}, ["code", "message", "message_en"]),
    "VerifiedCertificate": nullable(obj({
        "copy_id": s("电子证书编号 / Copy id (token `jti`)"), "identifier": s("电子证照标识 / Licence identifier"),
        "version": i("版本号 / Copy version"), "registration_number": s("注册编号 / Registration number"),
        "seal_number": s("执业印章号 / Seal number"), "name": s("姓名 / Name"), "sex": s(enum=["M", "F"]),
        "id_number": MASKED_ID, **KIND, "employer": EMPLOYER,
        "employer_on_copy": nullable(s("证书上的单位 / Employer printed on the copy")),
        "issued_at": DATETIME, "usage_from": DATETIME, "usage_until": DATETIME,
        "registration_status": s(enum=REG_STATUSES),
        "age_cap_date": {**DATE, "description": "年龄上限日期,仅对持证人、其聘用单位和主管部门(携带访问令牌)给出 / "
                                                 "The age-cap date, only for the holder, their employer and the "
                                                 "authority (with their bearer token)"},
        "issuer": s("发证机关 / Issuer"),
        "photo_url": nullable(s("持证人照片的短时签名链接 / Short-lived signed link to the holder's photo")),
    }, ["copy_id", "registration_number", "name", "photo_url"],
        "持证人与证书信息(脱敏);not_found 时仅含令牌中的字段,invalid 时为 null / Masked holder and copy data; "
        "only the token's fields for not_found, null for invalid")),
    "SpecialtyVerdict": obj({"code": s(), "name": s(), "name_en": s(), "valid_until": nullable(DATE),
                             "status": s(enum=["valid", "lapsed", "suspended", "revoked"])},
                            ["code", "name", "valid_until", "status"]),
    "VerifyResult": obj({
        "verdict": ref("Verdict"), "message": s(), "message_en": s(), "reasons": arr(ref("Reason")),
        "checked_at": DATETIME, "certificate": ref("VerifiedCertificate"), "specialties": arr(ref("SpecialtyVerdict")),
    }, ["verdict", "message", "message_en", "reasons", "checked_at", "certificate", "specialties"],
        "核验结果;吊销或过期是结果而非 HTTP 错误 / A verification result: revoked or expired is a result, "
        "not an HTTP error"),
    "VerifyImageResult": obj({"codes": arr({"allOf": [ref("VerifyResult"),
                                                      obj({"qr": s("识别出的二维码文本 / QR text read")}, ["qr"])]})},
                             ["codes"]),
    "StatusList": obj({
        "token": s("签名的状态列表(JWS,载荷见 StatusListClaims)/ The signed list (JWS with StatusListClaims)"),
        "issued_at": i("Unix 秒 / Unix seconds"), "ttl": i("建议缓存秒数 / Seconds before it is stale"),
        "max_age": i("超过此秒数不得给出 valid / Beyond this, no offline valid verdict"),
        "size": i(minimum=131072), "bits": i(const=2), "statuses": arr(s(), const=list(STATUSES)),
        "kid": s("签名密钥 / Signing key id"),
    }, ["token", "issued_at", "ttl", "max_age", "size", "bits", "statuses", "kid"], STATUS_LIST_FORMAT),
    "StatusListClaims": obj({
        "iss": s(), "jti": s(), "sub": s("状态列表地址 / URL of the list"), "iat": i(), "exp": i("iat + 7 天 / days"),
        "ttl": i(), "bits": i(const=2), "size": i(), "statuses": arr(s(), const=list(STATUSES)),
        "encodedList": s("u + base64url(gzip(bitstring))", pattern="^u[A-Za-z0-9_-]+$"),
    }, ["iss", "jti", "iat", "exp", "ttl", "bits", "size", "statuses", "encodedList"], STATUS_LIST_FORMAT),
    "CertificateClaims": obj({
        "iss": s(), "jti": s(), "iat": i(), "exp": i(), "i": i(minimum=1), "r": s(), "n": s(), "k": s(),
        "s": arr(arr({"type": ["string", "integer"]}, minItems=2, maxItems=2)),
        "e": arr(s(), minItems=2, maxItems=2),
    }, ["iss", "jti", "iat", "exp", "i", "r", "n", "k", "s", "e"], CERTIFICATE_TOKEN),
    "LookupResults": obj({
        "query": s(), "match": s("匹配方式(姓名或编号)/ How q matched (name or number)"), "page": i(minimum=1),
        "page_size": i(), "total": i(), "total_capped": {"type": "boolean", "description": "总数已封顶 / total is capped"},
        "results": arr(obj({
            "name": s(), "sex": s(enum=["M", "F"]), "id_number": MASKED_ID, "registration_number": s(),
            "seal_number": s(), **KIND, "status": s(enum=REG_STATUSES), "status_name": s(), "employer": EMPLOYER,
            "specialties": arr(obj({"code": s(), "name": s(), "valid_until": DATE, "status": s()})),
        }, ["name", "registration_number", "kind", "status", "employer", "specialties"])),
    }, ["query", "match", "page", "page_size", "total", "total_capped", "results"]),
    "PersonInput": obj({"name": s(maxLength=40), "id_number": s(maxLength=18), "sex": s(enum=["M", "F"]),
                        "birth_date": DATE, "phone": s(maxLength=11)}, ["name", "id_number"],
                       "性别和出生日期可省略(由身份证号推出)/ sex and birth_date default to the ID number's"),
    "Person": obj({"id": i(), "name": s(), "sex": s(enum=["M", "F"]), "id_number": s(), "birth_date": DATE,
                   "phone": nullable(s()), "has_photo": {"type": "boolean"}, "deceased_on": nullable(DATE)},
                  ["id", "name", "sex", "id_number"]),
    "EnterpriseInput": obj({"name": s(maxLength=200), "short_name": s(maxLength=32), "uscc": s(maxLength=18),
                            "province_code": s(maxLength=2)}, ["name", "uscc"]),
    "Enterprise": obj({"name": s(), "short_name": s(), "uscc": s(), "province_code": s(), "status": s()},
                      ["name", "short_name", "uscc", "province_code", "status"]),
    "RegistrationInput": obj({"person_id": i(), "enterprise_uscc": s(), "kind": s(), "specialties": arr(s()),
                              "qualification_issued_on": DATE},
                             ["person_id", "enterprise_uscc", "kind", "specialties"]),
    "Registration": obj({
        "registration_number": s(), "seal_number": s(), **KIND, "status": s(enum=REG_STATUSES), "status_name": s(),
        "status_reason": nullable(s()), "first_registered_on": DATE, "person": ref("Person"),
        "employer": ref("Enterprise"), "age_cap_date": DATE,
        "specialties": arr(obj({"code": s(), "name": s(), "valid_from": DATE, "valid_until": DATE,
                                "status": s(enum=["active", "lapsed", "cancelled"])})),
    }, ["registration_number", "kind", "status", "person", "employer", "specialties"]),
    "Copy": obj({
        "copy_id": s(), "identifier": s(), "version": i(), "registration_number": s(),
        "status": s(enum=["current", "superseded", "revoked"]), "issued_at": DATETIME, "usage_from": DATETIME,
        "usage_until": DATETIME, "superseded_at": nullable(DATETIME), "status_index": i(), "kid": s(),
        "qr": s("二维码文本 / QR text: {PUBLIC_BASE_URL}/v#{token}"), "qr_version": nullable(i()),
        "links": obj({"qr_png": s(), "qr_svg": s(), "pdf": s()}),
    }, ["copy_id", "identifier", "version", "registration_number", "status", "usage_until", "qr", "links"],
        "电子证书(加注件)/ An electronic copy. " + CERTIFICATE_TOKEN.split("\n\n")[0]),
    "CopyList": obj({"copies": arr(ref("Copy"))}, ["copies"]),
    "AuditEvents": obj({"events": arr(obj({
        "id": i(), "at": DATETIME, "actor": s(), "action": s(), "entity_type": s(), "entity_id": s(),
        "data": obj({}, additionalProperties=True), "hash": s("哈希链 / Hash chain link")}))}, ["events"]),
}
