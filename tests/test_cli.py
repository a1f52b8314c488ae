"""The digest and accounts commands (flask --app backend digest / accounts create)."""
import pytest

from backend.extensions import db
from backend.services.registry import enterprises, registrations
from tests import factories as f
from tests.services.enterprise.test_digest import FakeSMTP


@pytest.fixture()
def runner(app):
    return app.test_cli_runner()


@pytest.fixture()
def ent(app, svc):
    with app.app_context():
        e = f.enterprise(db.session, svc.catalogue)
        reg = f.registration(db.session, svc.catalogue, svc.clock, ent=e)
        registrations.set_status(db.session, svc.clock, reg.registration_number, "suspend", "test", "test")
        db.session.commit()
        return e.uscc


def test_digest_prints_for_one_enterprise(runner, ent):
    out = runner.invoke(args=["digest", "--uscc", ent])
    assert out.exit_code == 0, out.output
    assert "建证每日待办摘要" in out.output and "Jianzheng daily digest" in out.output and "注册已被暂扣" in out.output


def test_digest_without_accounts_says_so(runner):
    out = runner.invoke(args=["digest"])
    assert out.exit_code == 0 and "--uscc" in out.output


def test_send_needs_smtp(runner, ent):
    out = runner.invoke(args=["digest", "--uscc", ent, "--send"])
    assert out.exit_code == 1 and "SMTP" in out.output


def test_send_mails_the_enterprise_accounts(app, runner, ent, monkeypatch):
    with app.app_context():
        e = enterprises.get_enterprise(db.session, ent)
        f.account(db.session, ent=e, email="hr@example.com")
        db.session.commit()
    monkeypatch.setitem(app.config, "SMTP_HOST", "mail.example.com")
    monkeypatch.setitem(app.config, "SMTP_FROM", "jz@example.com")
    monkeypatch.setattr("backend.services.enterprise.digest.smtplib.SMTP", FakeSMTP)
    out = runner.invoke(args=["digest", "--send"])
    assert out.exit_code == 0, out.output
    assert f"{ent} -> 1" in out.output
    assert FakeSMTP.sent[-1][-1][1] == "hr@example.com"


def test_accounts_create(runner, ent):
    out = runner.invoke(args=["accounts", "create", "hr.boss", "--role", "enterprise", "--uscc", ent],
                        input="correct horse battery\ncorrect horse battery\n")
    assert out.exit_code == 0 and "hr.boss (enterprise)" in out.output
    again = runner.invoke(args=["accounts", "create", "hr.boss", "--role", "inspector"],
                          input="correct horse battery\ncorrect horse battery\n")
    assert again.exit_code == 1 and "username_taken" in again.output
