"""The daily digest of an enterprise's work list (Chinese, then English), printed by
`flask --app backend digest` or e-mailed to the enterprise accounts' addresses when SMTP is configured.

It says the number the warnings tab and page show (`todo_count` of roster.enterprise_warnings, never a
count of its own), lists the to-do items by due date (up to LIST_MAX), and only counts the ended
registrations and the copies, as a daily mail that lists every "no current copy" would bury what matters.
"""
from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Account, Enterprise, Role
from backend.services.registry.enterprises import get_enterprise

LIST_MAX = 200


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
    a = warnings_answer
    ent, day, n, ended = a["enterprise"], a["generated_at"][:10], a["todo_count"], a["ended_count"]
    subject = f"建证每日待办 / Jianzheng daily to-do: {ent['short_name']} {day}: {n} 项待办 / {n} to do"
    zh = [f"建证每日待办摘要:{ent['name']}({ent['uscc']}),{day}",
          f"待办 {n} 项(按截止日期排列);已终止 {ended} 项(仅供备查)。", ""]
    en = [f"Jianzheng daily digest: {ent['name']} ({ent['uscc']}), {day}",
          f"To do: {n} (by due date); ended: {ended} (for the record).", ""]
    for w in a["todo"][:LIST_MAX]:
        who = " ".join(filter(None, (w["name"], w["registration_number"])))
        zh.append(f"{w['due'] or '今日'} {who}:{w['message']}。{w['reason']}")
        en.append(f"{w['due'] or 'today'} {who}: {w['message_en']}. {w['reason_en']}")
    if n > LIST_MAX:
        zh.append(f"……另有 {n - LIST_MAX} 项,请在单位预警页面查看")
        en.append(f"... and {n - LIST_MAX} more: see the enterprise's warnings page")
    if not n:
        zh.append("今日无待办。")
        en.append("Nothing to do today.")
    if a["notes"]:
        zh.append("不计入待办:" + ",".join(f"{x['name']} {x['count']} 人" for x in a["notes"]))
        en.append("Not counted as to-do: " + ", ".join(f"{x['name_en']}: {x['count']}" for x in a["notes"]))
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
