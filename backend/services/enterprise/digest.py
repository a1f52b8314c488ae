"""The daily digest of an enterprise's warnings (Chinese, then English), printed by
`flask --app backend digest` or e-mailed to the enterprise accounts' addresses when SMTP is configured.

Critical and warning items are listed (up to LIST_MAX each); info items only counted, as a daily mail
that lists every "no current copy" would bury what matters.
"""
from __future__ import annotations

import smtplib
from collections import Counter
from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Account, Enterprise, Role
from backend.services.registry.enterprises import get_enterprise

LIST_MAX = 200
SEVERITY_ZH = {"critical": "严重", "warning": "警告", "info": "提示"}
INFO_NAMES = {"no_current_copy": ("无当前电子证书", "no current copy"),
              "specialty_under_180_days": ("专业有效期不足180天", "specialty with under 180 days left")}


@dataclass(frozen=True)
class SmtpSettings:
    host: str | None = None
    port: int = 587
    user: str | None = None
    password: str | None = None
    sender: str | None = None

    @classmethod
    def from_config(cls, cfg) -> SmtpSettings:
        return cls(cfg.get("SMTP_HOST"), cfg.get("SMTP_PORT", 587), cfg.get("SMTP_USER"), cfg.get("SMTP_PASSWORD"),
                   cfg.get("SMTP_FROM"))

    @property
    def configured(self) -> bool:
        return bool(self.host and self.sender)


def digest_enterprises(session: Session, uscc: str | None = None) -> list[Enterprise]:
    """The named enterprise, or every enterprise with an active enterprise account (the subscribers)."""
    if uscc:
        return [get_enterprise(session, uscc)]
    return list(session.scalars(select(Enterprise).where(Enterprise.id.in_(
        select(Account.enterprise_id).where(Account.role == Role.ENTERPRISE, Account.active.is_(True))))
        .order_by(Enterprise.id)))


def recipients(session: Session, enterprise_id: int) -> list[str]:
    return sorted(set(session.scalars(select(Account.email).where(
        Account.enterprise_id == enterprise_id, Account.role == Role.ENTERPRISE, Account.active.is_(True),
        Account.email.is_not(None)))))


def compose(warnings_answer: dict) -> tuple[str, str]:
    """(subject, body) from the answer of roster.enterprise_warnings."""
    ent, warnings = warnings_answer["enterprise"], warnings_answer["warnings"]
    day = warnings_answer["generated_at"][:10]
    counts = Counter(w["severity"] for w in warnings)
    listed = [w for w in warnings if w["severity"] != "info"]
    info = Counter(w["code"] for w in warnings if w["severity"] == "info")
    subject = (f"建证每日预警 / Jianzheng daily warnings: {ent['short_name']} {day} "
               f"({counts['critical']} 严重 critical, {counts['warning']} 警告 warning)")
    zh = [f"建证每日预警摘要:{ent['name']}({ent['uscc']}),{day}",
          f"严重 {counts['critical']} 项,警告 {counts['warning']} 项,提示 {counts['info']} 项。", ""]
    en = [f"Jianzheng daily digest: {ent['name']} ({ent['uscc']}), {day}",
          f"Critical: {counts['critical']}, warning: {counts['warning']}, info: {counts['info']}.", ""]
    for w in listed[:LIST_MAX]:
        zh.append(f"[{SEVERITY_ZH[w['severity']]}] {w['name']} {w['registration_number']}:{w['message']}")
        en.append(f"[{w['severity']}] {w['name']} {w['registration_number']}: {w['message_en']}")
    if len(listed) > LIST_MAX:
        zh.append(f"……另有 {len(listed) - LIST_MAX} 项,请在单位预警页面查看")
        en.append(f"... and {len(listed) - LIST_MAX} more: see the enterprise's warnings page")
    if info:
        names = {code: INFO_NAMES.get(code, (code, code)) for code in info}
        zh.append("提示:" + ",".join(f"{names[c][0]} {n} 项" for c, n in sorted(info.items())))
        en.append("Info: " + ", ".join(f"{names[c][1]}: {n}" for c, n in sorted(info.items())))
    if not warnings:
        zh.append("今日无预警。")
        en.append("No warnings today.")
    return subject, "\n".join(zh + ["", "—" * 20, ""] + en) + "\n"


def send(smtp: SmtpSettings, to: list[str], subject: str, body: str, *, factory=None) -> None:
    """Port 465 speaks TLS from the start; any other port upgrades with STARTTLS when the server offers it."""
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = subject, smtp.sender, ", ".join(to)
    msg.set_content(body)
    factory = factory or (smtplib.SMTP_SSL if smtp.port == 465 else smtplib.SMTP)
    with factory(smtp.host, smtp.port, timeout=30) as conn:
        if smtp.port != 465:
            conn.ehlo()
            if conn.has_extn("starttls"):
                conn.starttls()
                conn.ehlo()
        if smtp.user:
            conn.login(smtp.user, smtp.password or "")
        conn.send_message(msg)
