"""The daily job: renewal window open, closing in N days, under 180 days left; run twice (or a day missed)
it makes each notice once; the e-mails of the pending notices go once, through a local SMTP server."""
import datetime as dt
import email
import email.policy
import socket

import pytest
from sqlalchemy import select

from backend.models import Notice
from backend.services.notices import daily, mail
from backend.services.workflows.types import WorkflowPolicy
from tests import factories as f

POLICY = WorkflowPolicy(decision_mode={}, renewal_window={}, employer_change_mode={})


def kinds_of(session, person):
    return sorted(session.scalars(select(Notice.kind).where(Notice.audience == f"p:{person.id}")))


@pytest.fixture()
def expiring(session, svc):
    p, ent = f.person(session), f.enterprise(session, svc.catalogue)
    reg = f.registration(session, svc.catalogue, svc.clock, p=p, ent=ent, specialties=("JZ",))
    f.account(session, role="holder", person_id=p.id, email="holder@example.com")
    f.account(session, role="enterprise", ent=ent, email="hr@example.com")
    until = reg.specialties[0].valid_until
    return reg, p, ent, until


def on(svc, until, days_left):
    return f.at(svc.clock, (until - svc.clock.today()).days - days_left)


def test_daily_job_makes_each_notice_once(session, svc, expiring):
    reg, p, ent, until = expiring
    assert daily.run_daily(session, svc.catalogue, on(svc, until, 200), POLICY)["notices_created"] == 0
    first = daily.run_daily(session, svc.catalogue, on(svc, until, 179), POLICY)
    assert first["notices_created"] == 2 and kinds_of(session, p) == ["specialty_short"]       # holder + employer
    assert daily.run_daily(session, svc.catalogue, on(svc, until, 179), POLICY)["notices_created"] == 0  # twice
    daily.run_daily(session, svc.catalogue, on(svc, until, 30), POLICY)       # JZS2: the window opens 30 days before
    assert kinds_of(session, p) == ["renewal_open", "specialty_short"]
    opened = session.scalar(select(Notice).where(Notice.audience == f"p:{p.id}", Notice.kind == "renewal_open"))
    assert opened.data["closes"] == until.isoformat() and "可以申请延续注册" in opened.title
    daily.run_daily(session, svc.catalogue, on(svc, until, 20), POLICY)
    assert kinds_of(session, p) == ["renewal_open", "specialty_short"]         # 20 days: no threshold yet
    daily.run_daily(session, svc.catalogue, on(svc, until, 13), POLICY)
    daily.run_daily(session, svc.catalogue, on(svc, until, 12), POLICY)        # the same threshold (14): nothing
    daily.run_daily(session, svc.catalogue, on(svc, until, 2), POLICY)         # a day missed: 3 crossed at 2
    closing = session.scalars(select(Notice.data).where(Notice.audience == f"p:{p.id}",
                                                         Notice.kind == "renewal_closing")).all()
    assert [d["days"] for d in closing] == [13, 2]
    assert daily.run_daily(session, svc.catalogue, on(svc, until, 2), POLICY)["notices_created"] == 0


def test_no_renewal_notice_while_a_renewal_is_filed_or_past_the_age_cap(session, svc):
    old = f.person(session, birth=svc.clock.today().replace(year=svc.clock.today().year - 63))
    reg = f.registration(session, svc.catalogue, svc.clock, p=old, specialties=("JZ",))
    f.account(session, role="holder", person_id=old.id)
    until = reg.specialties[0].valid_until                    # cut at the 65th birthday: cannot be renewed
    daily.run_daily(session, svc.catalogue, on(svc, until, 10), POLICY)
    assert kinds_of(session, old) == ["specialty_short"]


def test_a_province_window_overrides_the_kind(session, svc, expiring):
    reg, p, ent, until = expiring
    beijing_like = WorkflowPolicy(decision_mode={}, renewal_window={"default": [90, 30]}, employer_change_mode={})
    daily.run_daily(session, svc.catalogue, on(svc, until, 60), beijing_like)
    opened = session.scalar(select(Notice).where(Notice.audience == f"p:{p.id}", Notice.kind == "renewal_open"))
    assert opened.data["closes"] == (until - dt.timedelta(days=30)).isoformat()


# -- e-mail through a local SMTP server ------------------------------------------------------------------------

@pytest.fixture()
def smtp_server():
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content.decode("utf-8")))
            return "250 OK"

    with socket.socket() as probe:                 # a free port (aiosmtpd's start connects to the one it is given)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    ctl = Controller(inbox, hostname="127.0.0.1", port=port)
    ctl.start()
    try:
        yield inbox, port
    finally:
        ctl.stop()


def test_mail_sent_once(session, svc, expiring, smtp_server, caplog):
    inbox, port = smtp_server
    reg, p, ent, until = expiring
    today = on(svc, until, 30)
    daily.run_daily(session, svc.catalogue, today, POLICY)
    smtp = mail.SmtpSettings("127.0.0.1", port, None, None, "jz@example.com")
    caplog.set_level("INFO")
    counts = mail.send_pending(session, smtp, today.now())
    assert counts["mail_sent"] == 2 and counts["mail_failed"] == 0          # holder and employer: one message each
    rcpts = sorted(r for _, rs, _ in inbox.messages for r in rs)
    assert rcpts == ["holder@example.com", "hr@example.com"]
    msg = email.message_from_string(next(m for _, rs, m in inbox.messages if rs == ["holder@example.com"]),
                                    policy=email.policy.default)
    body = msg.get_content()
    assert msg["Subject"].startswith("建证通知 2 条") and msg["From"] == "jz@example.com"
    assert reg.registration_number in body and body.index("可以申请延续注册") < body.index("Renewal can be filed")
    assert mail.send_pending(session, smtp, today.now())["mail_sent"] == 0   # once
    assert len(inbox.messages) == 2
    ours = " ".join(r.getMessage() for r in caplog.records if r.name.startswith("backend"))
    assert "mail_sent" in ours and "example.com" not in ours and reg.registration_number not in ours  # counts only
    states = session.scalars(select(Notice.mail_state).where(Notice.audience.in_([f"p:{p.id}", f"e:{ent.id}"])))
    assert set(states) == {"sent"}


def test_no_smtp_sends_nothing_and_old_notices_are_not_a_backlog(session, svc, expiring, smtp_server):
    inbox, port = smtp_server
    reg, p, ent, until = expiring
    today = on(svc, until, 170)
    daily.run_daily(session, svc.catalogue, today, POLICY)
    assert mail.send_pending(session, mail.SmtpSettings(), today.now())["mail_sent"] == 0
    mine = select(Notice.mail_state).where(Notice.audience == f"p:{p.id}")
    assert set(session.scalars(mine)) == {"pending"}
    later = f.at(today, 10)
    smtp = mail.SmtpSettings("127.0.0.1", port, None, None, "jz@example.com")
    mail.send_pending(session, smtp, later.now(), max_age_days=7)
    assert set(session.scalars(mine)) == {"skipped"} and inbox.messages == []


def test_email_preference_off(session, svc, expiring, smtp_server):
    from backend.models import Account
    inbox, port = smtp_server
    reg, p, ent, until = expiring
    session.execute(Account.__table__.update().where(Account.person_id == p.id).values(notice_email=False))
    today = on(svc, until, 100)
    daily.run_daily(session, svc.catalogue, today, POLICY)
    mail.send_pending(session, mail.SmtpSettings("127.0.0.1", port, None, None, "jz@example.com"), today.now())
    assert [rs for _, rs, _ in inbox.messages] == [["hr@example.com"]]
    assert set(session.scalars(select(Notice.mail_state).where(Notice.audience == f"p:{p.id}"))) == {"skipped"}
