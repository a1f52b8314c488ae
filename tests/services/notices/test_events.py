"""Notices made by the registry's and the workflows' hooks, each once per event, only for audiences with an
account: a copy superseded (what changed), a status change, an application to act on, a short specialty at
加注 time."""
import datetime as dt

import pytest
from sqlalchemy import select

from backend.models import Notice
from backend.services.issuance.copies import issue_copy
from backend.services.notices import events
from backend.services.registry import persons, registrations
from backend.services.workflows import transitions
from tests import factories as f
from tests.services.workflows import factories as wf


def notices_of(session, *, person=None, ent=None, kind=None):
    q = select(Notice).where(Notice.audience == (f"p:{person.id}" if person is not None else f"e:{ent.id}"))
    if kind:
        q = q.where(Notice.kind == kind)
    return session.scalars(q.order_by(Notice.id)).all()


@pytest.fixture()
def held(session, svc):
    """A registration whose holder and employer both have accounts, with a current copy."""
    p, ent = f.person(session), f.enterprise(session, svc.catalogue)
    reg = f.registration(session, svc.catalogue, svc.clock, p=p, ent=ent)
    f.account(session, role="holder", person_id=p.id)
    f.account(session, role="enterprise", ent=ent)
    issue_copy(session, svc.ring, svc.catalogue, svc.settings, svc.clock, reg.registration_number, "test")
    return reg, p, ent


def test_copy_superseded_says_what_changed_once(session, svc, held):
    reg, p, ent = held
    new = f.enterprise(session, svc.catalogue, name="新东家建设有限公司")
    f.account(session, role="enterprise", ent=new)
    registrations.change_employer(session, svc.clock, reg.registration_number, new.uscc, "test")
    mine = notices_of(session, person=p, kind="copy_superseded")
    assert len(mine) == 1 and mine[0].data["changed"] == ["employer"]
    assert "新东家建设有限公司" in mine[0].body and "a new employer" in mine[0].title_en
    assert "旧的打印件" in mine[0].title and mine[0].registration_id == reg.id
    assert len(notices_of(session, ent=new, kind="copy_superseded")) == 1          # the employer now
    # the same copies seen again (a rerun of the hook) make nothing; no current copy left: nothing to tell
    assert events.copies_superseded(session, [reg.id], "employer", svc.clock.now()) == 0
    registrations.change_employer(session, svc.clock, reg.registration_number, ent.uscc, "test")
    assert len(notices_of(session, person=p, kind="copy_superseded")) == 1


def test_superseded_again_after_a_new_copy_is_a_new_notice(session, svc, held):
    reg, p, _ = held
    registrations.add_specialty(session, svc.catalogue, svc.clock, reg.registration_number, "JD", "test")
    issue_copy(session, svc.ring, svc.catalogue, svc.settings, svc.clock, reg.registration_number, "test",
               enforce_daily_limit=False)
    persons.change_name(session, svc.clock, p.id, "改名人", "test")
    got = [n.data["changed"] for n in notices_of(session, person=p, kind="copy_superseded")]
    assert got == [["specialties"], ["name"]]


def test_no_account_no_notice(session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock)
    issue_copy(session, svc.ring, svc.catalogue, svc.settings, svc.clock, reg.registration_number, "test")
    registrations.set_status(session, svc.clock, reg.registration_number, "suspend", "违规", "test")
    assert session.scalar(select(Notice.id).where(Notice.registration_id == reg.id)) is None


def test_status_changes_each_told_once(session, svc, held):
    reg, p, ent = held
    registrations.set_status(session, svc.clock, reg.registration_number, "suspend", "违规被锁定", "test")
    registrations.set_status(session, f.at(svc.clock, 1), reg.registration_number, "unsuspend", "解除", "test")
    registrations.set_status(session, f.at(svc.clock, 2), reg.registration_number, "revoke", "吊销", "test")
    mine = notices_of(session, person=p, kind="status_changed")
    assert [(n.data["from"], n.data["to"]) for n in mine] == [("active", "suspended"), ("suspended", "active"),
                                                               ("active", "revoked")]
    assert "暂扣" in mine[0].title and "违规被锁定" in mine[0].body
    assert len(notices_of(session, ent=ent, kind="status_changed")) == 3


def test_application_forwarded_and_returned(session, svc):
    ctx = wf.context(svc)
    p, ent = wf.applicant(session, svc), f.enterprise(session, svc.catalogue, region=wf.REVIEW_REGION)
    f.account(session, role="holder", person_id=p.id)
    f.account(session, role="enterprise", ent=ent)
    app = wf.apply(session, ctx, wf.holder(p), type="initial", kind="JZS2", specialties=["JZ"], enterprise_uscc=ent.uscc)
    app = transitions.submit(session, ctx, wf.holder(p), app.public_id)
    asks = notices_of(session, ent=ent, kind="application_action")
    assert len(asks) == 1 and asks[0].data == {"application": app.public_id, "step": "confirm", "type": "initial"}
    transitions.confirm(session, ctx, wf.employer(ent), app.public_id)
    transitions.decide(session, ctx, wf.AUTHORITY, app.public_id, "return", "请补充社保证明")
    back = notices_of(session, person=p, kind="application_action")
    assert len(back) == 1 and back[0].data["step"] == "returned" and "请补充社保证明" in back[0].body
    assert len(notices_of(session, ent=ent, kind="application_action")) == 1      # the return is the holder's


def test_short_specialty_at_copy_time(session, svc, held):
    reg, p, _ = held
    until = min(s.valid_until for s in reg.specialties)
    later = f.at(svc.clock, (until - svc.clock.today()).days - 100)               # 100 days left
    for _ in range(2):                                                            # 加注 twice: one notice each
        issue_copy(session, svc.ring, svc.catalogue, svc.settings, later, reg.registration_number, "test",
                   enforce_daily_limit=False)
    short = notices_of(session, person=p, kind="specialty_short")
    assert len(short) == len(reg.specialties) and all(n.data["valid_until"] == until.isoformat() for n in short)
    assert "不足180天" in short[0].title
    assert dt.date.fromisoformat(short[0].data["valid_until"]) - later.today() == dt.timedelta(days=100)
