"""What a bulk-check row means for the HR officer: one category per row, defined here and nowhere else.

A `result` says how the row was matched (found, not_found, mismatch, invalid_row); "found" alone mixed a
revoked registration and someone registered at another employer with the staff who are fine. The category
says what the officer has to do about the row:

    valid_here       有效·本单位   an active registration at this enterprise: nothing to do
    valid_elsewhere  有效·他单位   active, but at another enterprise: 挂证 risk, check the employment
    ended            无效或终止    suspended, rescinded, cancelled, lapsed or revoked: not usable for a bid
    mismatch         信息不符      the name or ID number in the file does not match the register
    not_found        未找到        no registration found (for anyone else's staff: no ID-number oracle)
    invalid_row      无法核查      the row itself is malformed: fix the file

The words (label, what to do) are in Chinese and English for the result files; the page has its own copy in
pwa/js/enterprise/strings.js, keyed by the same codes.
"""
from __future__ import annotations

from backend.models import RegStatus

CATEGORIES = ("valid_here", "valid_elsewhere", "ended", "mismatch", "not_found", "invalid_row")

LABELS = {
    "valid_here": ("有效·本单位", "Valid, this enterprise"),
    "valid_elsewhere": ("有效·他单位", "Valid, another enterprise"),
    "ended": ("无效或终止", "Not valid or ended"),
    "mismatch": ("信息不符", "Details do not match"),
    "not_found": ("未找到", "Not found"),
    "invalid_row": ("无法核查", "Could not check"),
}

ADVICE = {
    "valid_here": ("无需处理", "Nothing to do"),
    "valid_elsewhere": ("注册在其他单位,存在挂证风险:核实劳动关系,或请本人办理变更注册",
                        "Registered at another enterprise (certificate-renting risk): check the employment, or have "
                        "the holder change the registration"),
    "ended": ("注册已暂扣、终止或失效,不能以此证书执业或投标:核实情况,需要时重新申请注册",
              "The registration is suspended, ended or lapsed and cannot be used for work or bids: find out why, "
              "and apply to register again if needed"),
    "mismatch": ("核对文件中的姓名、身份证号和注册编号是否与证书一致",
                 "Check the name, ID number and registration number in the file against the certificate"),
    "not_found": ("核对号码;其他单位人员请填写注册编号核查", "Check the numbers; check anyone else's staff by registration "
                                                 "number"),
    "invalid_row": ("按说明更正该行后重新上传", "Correct the row as the reason says and upload the file again"),
}


def category_of(row: dict) -> str:
    """The category of one answered row (also of rows stored before categories existed)."""
    result = row["result"]
    if result != "found":
        return result
    if row.get("status") != RegStatus.ACTIVE:
        return "ended"
    return "valid_here" if row.get("employer") == "this" else "valid_elsewhere"


def count(rows: list[dict]) -> dict[str, int]:
    out = dict.fromkeys(CATEGORIES, 0)
    for r in rows:
        out[r.get("category") or category_of(r)] += 1
    return out


def label(code: str, lang: str) -> str:
    return LABELS[code][lang == "en"]


def advice(code: str, lang: str) -> str:
    return ADVICE[code][lang == "en"]
