"""The kinds of notice and their words, Chinese first, English second: (title, title_en, body, body_en).
A notice names the registration by its number and the specialty by name; never an ID number, and of an
inspection only the date and the organisation."""
from __future__ import annotations

import datetime as dt

KINDS = ("renewal_open", "renewal_closing", "specialty_short", "copy_superseded", "status_changed",
         "application_action", "certificate_checked")
CHECK_KINDS = ("certificate_checked",)     # what a holder's notice_checks turns off

WHY = {   # supersede_copies' `why` -> what changed, as a holder reads it
    "employer": ("聘用单位变更", "a new employer"),
    "name": ("姓名变更", "a new name"),
    "identity": ("身份信息变更", "new identity details"),
    "specialties": ("注册专业变更", "changed specialties"),
    "renewal": ("延续注册,专业有效期更新", "a renewal: new validity dates"),
    "photo": ("照片更新", "a new photo"),
    "signature": ("签名更新", "a new signature"),
}
STATUS = {"active": ("有效", "active"), "suspended": ("暂扣", "suspended"), "rescinded": ("撤销", "rescinded"),
          "cancelled": ("注销", "cancelled"), "lapsed": ("失效", "lapsed"), "revoked": ("吊销", "revoked")}
SITE_INSPECTOR = ("现场检查人员", "a site inspector")


def spec_names(kind):
    """code -> (name, name_en) of a specialty of `kind` (a kinds.Kind)."""
    def names(code: str) -> tuple[str, str]:
        spec = kind.specialty(code) if kind else None
        return (spec.name, spec.name_en) if spec else (code, code)
    return names


def renewal_open(number: str, spec: tuple[str, str], until: dt.date, opens: dt.date, closes: dt.date):
    zh, en = spec
    return (f"可以申请延续注册:{zh}", f"Renewal can be filed: {en}",
            f"注册证书 {number} 的{zh}专业有效期至 {until},延续注册申请期为 {opens} 至 {closes},请及时申请。",
            f"The specialty {en} of registration {number} is valid until {until}; a renewal can be filed from "
            f"{opens} until {closes}.")


def renewal_closing(number: str, spec: tuple[str, str], until: dt.date, closes: dt.date, days: int):
    zh, en = spec
    return (f"延续注册申请期 {days} 天后截止:{zh}", f"The renewal window closes in {days} days: {en}",
            f"注册证书 {number} 的{zh}专业有效期至 {until},延续注册须于 {closes} 前提交,否则该专业将失效。",
            f"The specialty {en} of registration {number} is valid until {until}: file the renewal by {closes}, "
            f"or the specialty lapses.")


def specialty_short(number: str, spec: tuple[str, str], until: dt.date, days: int):
    zh, en = spec
    return (f"部分专业有效期不足{days}天:{zh}", f"A specialty has under {days} days left: {en}",
            f"注册证书 {number} 的{zh}专业有效期至 {until},不足{days}天:新的电子证书使用期将截至该日,"
            f"请及时办理延续注册。",
            f"The specialty {en} of registration {number} is valid until {until}, under {days} days: new copies "
            f"are usable only until then. File a renewal in time.")


def copy_superseded(number: str, whys: list[str], employer: str | None):
    zh = "、".join(WHY.get(w, (w, w))[0] for w in whys)
    en = ", ".join(WHY.get(w, (w, w))[1] for w in whys)
    new_zh = f"现聘用单位:{employer}。" if employer and "employer" in whys else ""
    new_en = f" The employer now: {employer}." if employer and "employer" in whys else ""
    return (f"电子证书已更新({zh}),旧的打印件不再有效", f"Copy superseded ({en}): old prints are no longer valid",
            f"注册证书 {number} 因{zh},此前的电子证书已被替代,核验时显示“已替代”。{new_zh}请下载新的电子证书,"
            f"不要再使用旧的打印件。",
            f"The copies of registration {number} were superseded by {en}: they now verify as superseded."
            f"{new_en} Download a new copy and stop using old prints.")


def status_changed(number: str, old: str, new: str, reason: str | None):
    (ozh, oen), (nzh, nen) = STATUS.get(old, (old, old)), STATUS.get(new, (new, new))
    why_zh = f"原因:{reason}" if reason else ""
    why_en = f" Reason: {reason}" if reason else ""
    return (f"注册状态变更:{ozh} → {nzh}", f"Registration status: {oen} → {nen}",
            f"注册证书 {number} 的状态由“{ozh}”变为“{nzh}”。{why_zh}",
            f"Registration {number} changed from {oen} to {nen}.{why_en}")


def application_action(app_id: str, type_names: tuple[str, str], step: str, reason: str | None):
    """`step`: "confirm" (the employer is asked to confirm) or "returned" (the applicant corrects it)."""
    zh, en = type_names
    if step == "confirm":
        return (f"待确认:{zh}申请", f"To confirm: a {en} application",
                f"{zh}申请 {app_id} 等待贵单位确认,请在“待确认”中处理。",
                f"The {en} application {app_id} awaits your confirmation (To confirm).")
    why_zh = f"原因:{reason}" if reason else ""
    why_en = f" Reason: {reason}" if reason else ""
    return (f"申请已退回,请修改:{zh}", f"Returned for changes: {en}",
            f"{zh}申请 {app_id} 已被退回,请修改后重新提交。{why_zh}",
            f"The {en} application {app_id} was returned: correct it and submit it again.{why_en}")


def certificate_checked(number: str, day: dt.date, organisation: tuple[str, str], via: str):
    zh, en = organisation
    how_zh, how_en = ("现场检查", "a site check") if via == "site_check" else ("在线核验", "an online check")
    return (f"您的证书已被核验({day})", f"Your certificate was checked ({day})",
            f"{day},{zh}通过{how_zh}核验了您的注册证书 {number}。",
            f"On {day}, {en} checked your registration {number} in {how_en}.")
