""""Your certificate was checked": the organisation and the day, never the inspector; once per registration,
organisation and day; not for a holder without an account or who turned them off."""
import datetime as dt

from sqlalchemy import select

from backend.models import Account, Notice
from backend.services.notices.checked import certificate_checked, inspector_verified
from tests import factories as f


def checks(session, p):
    return session.scalars(select(Notice).where(Notice.audience == f"p:{p.id}", Notice.kind == "certificate_checked")
                           .order_by(Notice.id)).all()


def test_site_check_told_once_a_day(session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock)
    f.account(session, role="holder", person_id=reg.person_id)
    at = dt.datetime(2026, 5, 1, 2, 0)                    # 10:00 in Shanghai
    for minutes in (0, 30, 600):                          # 600 minutes later is 20:00 local: the same day
        certificate_checked(session, person_id=reg.person_id, registration_id=reg.id, organisation="苏州市建设工程质量安全监督站",
                            at=at + dt.timedelta(minutes=minutes), via="site_check")
    got = checks(session, reg.person)
    assert len(got) == 1 and got[0].data == {"registration_number": reg.registration_number, "day": "2026-05-01",
                                             "organisation": "苏州市建设工程质量安全监督站", "via": "site_check"}
    assert "苏州市建设工程质量安全监督站" in got[0].body and "现场检查" in got[0].body
    certificate_checked(session, person_id=reg.person_id, registration_id=reg.id, organisation="苏州市建设工程质量安全监督站",
                        at=at + dt.timedelta(days=1), via="site_check")
    certificate_checked(session, person_id=reg.person_id, registration_id=reg.id, organisation="另一监督站",
                        at=at + dt.timedelta(days=1), via="site_check")
    assert len(checks(session, reg.person)) == 3


def test_inspector_without_organisation_is_a_site_inspector(session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock)
    f.account(session, role="holder", person_id=reg.person_id)
    inspector = f.account(session, role="inspector", username="zhang.inspector", email="zhang@example.com")
    inspector_verified(session, account_id=inspector.id, registration_number=reg.registration_number, at=svc.clock.now())
    (n,) = checks(session, reg.person)
    assert n.data["organisation"] is None and n.data["via"] == "online"
    assert "现场检查人员" in n.body and "a site inspector" in n.body_en
    text = " ".join((n.title, n.title_en, n.body, n.body_en, str(n.data)))
    assert "zhang" not in text and "example.com" not in text


def test_opt_out_and_no_account(session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock)
    certificate_checked(session, person_id=reg.person_id, registration_id=reg.id, organisation="监督站",
                        at=svc.clock.now(), via="site_check")
    assert checks(session, reg.person) == []                       # no holder account: nobody to tell
    acct = f.account(session, role="holder", person_id=reg.person_id)
    session.execute(Account.__table__.update().where(Account.id == acct.id).values(notice_checks=False))
    certificate_checked(session, person_id=reg.person_id, registration_id=reg.id, organisation="监督站",
                        at=svc.clock.now(), via="site_check")
    assert checks(session, reg.person) == []
