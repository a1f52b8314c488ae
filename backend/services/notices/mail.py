"""The notices' e-mail, sent by the daily job, never inside a request: the outbox is the notices whose
mail_state is "pending". Each audience's pending notices go in one message (Chinese, then English) to the
e-mail addresses of its active accounts that keep notice_email on; then they are "sent". No address, or
older than NOTICE_MAIL_MAX_AGE_DAYS (an SMTP server set up later sends no backlog): "skipped". A failed
delivery stays pending for the next run. Nothing personal is logged: only counts."""
from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from backend.models import Account, Notice, Role

log = logging.getLogger(__name__)
LIST_MAX = 50                      # notices listed in one message; the rest are in the app


@dataclass(frozen=True)
class SmtpSettings:
    host: str | None = None
    port: int = 587
    user: str | None = None
    password: str | None = None
    sender: str | None = None
    starttls: str = "auto"         # auto | true | false

    @classmethod
    def from_config(cls, cfg) -> SmtpSettings:
        return cls(cfg.get("SMTP_HOST"), int(cfg.get("SMTP_PORT") or 587), cfg.get("SMTP_USER"),
                   cfg.get("SMTP_PASSWORD"), cfg.get("SMTP_FROM"), str(cfg.get("SMTP_STARTTLS") or "auto").lower())

    @property
    def configured(self) -> bool:
        return bool(self.host and self.sender)


def connect(smtp: SmtpSettings, factory=None):
    """An open, logged-in connection. Port 465: TLS from the start; else STARTTLS as SMTP_STARTTLS says."""
    factory = factory or (smtplib.SMTP_SSL if smtp.port == 465 else smtplib.SMTP)
    conn = factory(smtp.host, smtp.port, timeout=30)
    if smtp.port != 465 and smtp.starttls not in ("false", "0", "no", "off"):
        conn.ehlo()
        if conn.has_extn("starttls"):
            conn.starttls()
            conn.ehlo()
        elif smtp.starttls in ("true", "1", "yes", "on"):
            conn.close()
            raise smtplib.SMTPNotSupportedError("STARTTLS required (SMTP_STARTTLS) but not offered")
    if smtp.user:
        conn.login(smtp.user, smtp.password or "")
    return conn


def recipients(session: Session, audience: str) -> list[str]:
    kind, _, ident = audience.partition(":")
    col, role = (Account.person_id, Role.HOLDER) if kind == "p" else (Account.enterprise_id, Role.ENTERPRISE)
    return sorted(set(session.scalars(select(Account.email).where(
        col == int(ident), Account.role == role, Account.active.is_(True), Account.notice_email.is_(True),
        Account.email.is_not(None)))))


def compose(notices: list[Notice]) -> tuple[str, str]:
    n = len(notices)
    subject = f"建证通知 {n} 条 / Jianzheng: {n} new notice{'s' if n != 1 else ''}"
    shown = notices[:LIST_MAX]
    zh = [f"您有 {n} 条新通知:", ""] + [f"· {x.title}\n  {x.body}" for x in shown]
    en = [f"You have {n} new notice{'s' if n != 1 else ''}:", ""] + [f"· {x.title_en}\n  {x.body_en}" for x in shown]
    if n > LIST_MAX:
        zh.append(f"……另有 {n - LIST_MAX} 条,请登录查看")
        en.append(f"... and {n - LIST_MAX} more: sign in to read them")
    return subject, "\n".join(zh + ["", "—" * 20, ""] + en) + "\n"


def _mark(session: Session, ids: list[int], state: str) -> None:
    if ids:
        session.execute(update(Notice).where(Notice.id.in_(ids)).values(mail_state=state))


def send_pending(session: Session, smtp: SmtpSettings, now: dt.datetime, *, max_age_days: int = 7,
                 factory=None) -> dict:
    """Without SMTP configured, nothing is sent and the pending notices wait (those too old are skipped)."""
    counts = {"mail_sent": 0, "mail_notices": 0, "mail_skipped": 0, "mail_failed": 0}
    old = session.execute(update(Notice).where(Notice.mail_state == "pending",
                                               Notice.created_at < now - dt.timedelta(days=max_age_days))
                          .values(mail_state="skipped"))
    counts["mail_skipped"] += max(old.rowcount or 0, 0)
    if not smtp.configured:
        return counts
    pending = session.scalars(select(Notice).where(Notice.mail_state == "pending").order_by(Notice.id)).all()
    by_audience: dict[str, list[Notice]] = {}
    for x in pending:
        by_audience.setdefault(x.audience, []).append(x)
    conn = None
    try:
        for audience, notices in by_audience.items():
            ids = [x.id for x in notices]
            to = recipients(session, audience)
            if not to:
                _mark(session, ids, "skipped")
                counts["mail_skipped"] += len(ids)
                continue
            subject, body = compose(notices)
            msg = EmailMessage()
            msg["Subject"], msg["From"], msg["To"] = subject, smtp.sender, ", ".join(to)
            msg.set_content(body)
            try:
                conn = conn or connect(smtp, factory)
                conn.send_message(msg)
            except (smtplib.SMTPException, OSError) as e:
                counts["mail_failed"] += 1
                log.warning("通知邮件发送失败 / a notice e-mail failed: %s", type(e).__name__)
                conn = None
                continue
            _mark(session, ids, "sent")
            session.flush()
            counts["mail_sent"] += 1
            counts["mail_notices"] += len(ids)
    finally:
        if conn is not None:
            try:
                conn.quit()
            except (smtplib.SMTPException, OSError):
                pass
    log.info("通知邮件 / notice e-mails: %s", counts)
    return counts
