"""The daily digest: Chinese then English, the to-do items listed with the page's count, copies counted; sent by SMTP."""
from backend.services.enterprise import digest
from backend.services.enterprise.roster import enterprise_warnings
from backend.services.enterprise.staff_warnings import WarningSettings
from backend.services.registry import registrations
from tests import factories as f


def answer(session, svc, ent):
    return enterprise_warnings(session, svc.catalogue, svc.clock, WarningSettings(), ent)


def test_digest_text(session, svc):
    ent = f.enterprise(session, svc.catalogue)
    locked = f.registration(session, svc.catalogue, svc.clock, ent=ent)
    registrations.set_status(session, svc.clock, locked.registration_number, "suspend", "test", "test")
    f.registration(session, svc.catalogue, svc.clock, ent=ent)
    subject, body = digest.compose(answer(session, svc, ent))
    assert ent.short_name in subject and ": 1 项待办 / 1 to do" in subject
    zh, en = body.split("—" * 20)
    assert "待办 1 项" in zh and f"今日 {locked.person.name} {locked.registration_number}:暂停安排" in zh
    assert "To do: 1" in en and "today" in en and "no current copy: 1" in en and "无当前电子证书 1 人" in zh
    assert zh.startswith(f"建证每日待办摘要:{ent.name}") and en.strip().startswith("Jianzheng daily digest")


def test_who_gets_it(session, svc):
    ent, quiet = f.enterprise(session, svc.catalogue), f.enterprise(session, svc.catalogue)
    f.account(session, ent=ent, email="hr@example.com")
    f.account(session, ent=ent, email="boss@example.com")
    f.account(session, ent=ent)
    f.account(session, role="authority", email="gov@example.com")
    assert ent in digest.digest_enterprises(session) and quiet not in digest.digest_enterprises(session)
    assert digest.digest_enterprises(session, quiet.uscc) == [quiet]
    assert digest.recipients(session, ent.id) == ["boss@example.com", "hr@example.com"]


class FakeSMTP:
    sent = []

    def __init__(self, host, port, timeout):
        self.calls = [("connect", host, port)]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        FakeSMTP.sent.append(self.calls)

    def ehlo(self):
        self.calls.append(("ehlo",))

    def has_extn(self, name):
        return name == "starttls"

    def starttls(self):
        self.calls.append(("starttls",))

    def login(self, user, password):
        self.calls.append(("login", user))

    def send_message(self, msg):
        self.calls.append(("send", msg["To"], msg["Subject"], msg.get_content()))


def test_send_uses_starttls_and_login():
    smtp = digest.SmtpSettings("mail.example.com", 587, "bot", "pw", "jz@example.com")
    digest.send(smtp, ["a@example.com", "b@example.com"], "主题 subject", "正文\nbody", factory=FakeSMTP)
    calls = FakeSMTP.sent[-1]
    assert calls[0] == ("connect", "mail.example.com", 587) and ("starttls",) in calls and ("login", "bot") in calls
    send = calls[-1]
    assert send[1] == "a@example.com, b@example.com" and send[2] == "主题 subject" and "正文" in send[3]
