"""Site checks recorded from copies made by the real services: the seeded cases of the issue (met, no 安管 B,
another employer, another specialty), the signed record (verifies; a tampered one does not; never taken for a
certificate, nor a certificate for it) and the idempotent create."""
import datetime as dt
import uuid

import pytest

from backend.crypto import tokens
from backend.services.errors import ValidationFailed
from backend.services.issuance.copies import issue_copy
from backend.services.sitecheck import record_token
from backend.services.sitecheck.errors import ClientIdConflict
from backend.services.sitecheck.inspections import Inspector, create_inspection, get_inspection
from backend.services.sitecheck.register_view import evaluate_person
from backend.services.sitecheck.roles import load_roles
from backend.services.verification.verify import verify_qr
from tests import factories as f

INSPECTOR = Inspector(account_id=None, username="insp.test", organisation="苏州市建设工程质量安全监督站")


@pytest.fixture()
def roles(svc):
    return load_roles(None, svc.catalogue)


def qr(session, svc, reg):
    return issue_copy(session, svc.ring, svc.catalogue, svc.settings, svc.clock, reg.registration_number, "test").qr_text


def person_with(session, svc, ent, kinds):
    """A person registered at `ent` with each (kind, specialties); their copies' QR texts."""
    p = f.person(session)
    return [qr(session, svc, f.registration(session, svc.catalogue, svc.clock, p=p, ent=ent, kind=k, specialties=s))
            for k, s in kinds]


def body(contractor, people, **site):
    return {"client_id": str(uuid.uuid4()), "started_at": dt.datetime(2026, 5, 1, 1, 0, tzinfo=dt.UTC),
            "finished_at": None,
            "site": {"name": "苏州工业园区某住宅项目", "specialty": "JZ", "contractor_uscc": contractor.uscc,
                     "scale": "medium", "gps": {"lat": 31.3, "lon": 120.7, "accuracy_m": 12.0}, **site},
            "people": [{"role": role, "qr": codes} for role, codes in people]}


def record(session, svc, roles, b, who=INSPECTOR):
    return create_inspection(session, svc.ring, svc.catalogue, svc.settings, svc.clock, roles, who, b)


def test_the_seeded_cases(session, svc, roles):
    site_co, other_co = f.enterprise(session, svc.catalogue), f.enterprise(session, svc.catalogue)
    pm = person_with(session, svc, site_co, [("JZS2", ("JZ",)), ("AQB", ("B",))])
    no_b = person_with(session, svc, site_co, [("JZS2", ("JZ", "SZ"))])
    elsewhere = person_with(session, svc, other_co, [("JZS2", ("JZ",)), ("AQB", ("B",))])
    wrong_spec = person_with(session, svc, site_co, [("JZS2", ("SZ",)), ("AQB", ("B",))])
    row, made = record(session, svc, roles, body(site_co, [("project_manager", pm), ("project_manager", no_b),
                                                           ("project_manager", elsewhere),
                                                           ("project_manager", wrong_spec)]))
    assert made and row.public_id.startswith("in_")
    met, missing_b, other, spec = row.people
    assert met["met"] and met["flags"] == [] and [c["verdict"] for c in met["certificates"]] == ["valid", "valid"]
    assert not missing_b["met"] and missing_b["flags"] == ["missing"]
    assert [r["met"] for r in missing_b["requirements"]] == [True, False]
    assert not other["met"] and other["flags"] == ["other_employer"]
    details = other["requirements"][0]["reasons"][0]["details"]
    assert details == {"employer_uscc": other_co.uscc, "contractor_uscc": site_co.uscc}
    assert not spec["met"] and spec["flags"] == ["specialty_mismatch"]
    assert row.summary == {"people": 4, "met": 1, "certificates": 7, "verdicts": {"valid": 7},
                           "flags": {"missing": 1, "other_employer": 1, "specialty_mismatch": 1}}
    # the inspector's view is the public one: a masked ID number
    assert "*" in met["certificates"][0]["certificate"]["id_number"]


def test_a_grade_ii_constructor_on_a_large_project(session, svc, roles):
    co = f.enterprise(session, svc.catalogue)
    codes = person_with(session, svc, co, [("JZS2", ("JZ",)), ("AQB", ("B",))])
    row, _ = record(session, svc, roles, body(co, [("project_manager", codes)], scale="large"))
    assert row.people[0]["flags"] == ["level_limit"]


def test_the_record_verifies_and_a_tampered_one_does_not(session, svc, roles):
    co = f.enterprise(session, svc.catalogue)
    row, _ = record(session, svc, roles, body(co, [("safety_officer", person_with(session, svc, co, [("AQC", ("C2",))]))]))
    ok = record_token.verify_record(session, svc.ring, svc.settings, svc.clock, row.token)
    assert ok["verdict"] == "valid" and ok["record"]["id"] == row.public_id, ok
    assert ok["record"]["organisation"] == INSPECTOR.organisation and ok["record"]["summary"]["met"] == 1
    assert "insp.test" not in str(ok)                                   # no inspector's name in the public answer
    link = record_token.link(svc.settings, row.token)
    assert record_token.verify_record(session, svc.ring, svc.settings, svc.clock, link)["verdict"] == "valid"
    head, payload, sig = row.token.split(".")
    claims = tokens.base64url_decode(payload).decode().replace('"met":1', '"met":2').encode()
    forged = f"{head}.{tokens.base64url_encode(claims).decode()}.{sig}"
    bad = record_token.verify_record(session, svc.ring, svc.settings, svc.clock, forged)
    assert bad["verdict"] == "invalid" and bad["reasons"][0]["code"] == "bad_signature" and bad["record"] is None
    # the archive altered behind the signature: the hash no longer matches
    row.people = [{**row.people[0], "met": False}]
    session.flush()
    altered = record_token.verify_record(session, svc.ring, svc.settings, svc.clock, row.token)
    assert altered["verdict"] == "invalid" and altered["reasons"][0]["code"] == "record_altered"


def test_a_record_is_never_a_certificate_nor_a_certificate_a_record(session, svc, roles):
    co = f.enterprise(session, svc.catalogue)
    codes = person_with(session, svc, co, [("AQC", ("C1",))])
    row, _ = record(session, svc, roles, body(co, [("safety_officer", codes)]))
    as_cert = verify_qr(session, svc.ring, svc.catalogue, svc.settings, svc.clock, row.token)
    assert as_cert["verdict"] == "invalid" and as_cert["reasons"][0]["code"] == "wrong_type"
    as_record = record_token.verify_record(session, svc.ring, svc.settings, svc.clock, codes[0])
    assert as_record["verdict"] == "invalid" and as_record["record"] is None
    legacy = tokens.sign(svc.ring, {"iss": svc.settings.issuer, "jti": "x", "iat": 1, "exp": 2, "h": "y"})
    assert record_token.verify_record(session, svc.ring, svc.settings, svc.clock, legacy)["reasons"][0]["code"] == \
        "wrong_type"


def test_a_retried_sync_finds_its_record_and_another_body_is_refused(session, svc, roles):
    co = f.enterprise(session, svc.catalogue)
    b = body(co, [("principal", person_with(session, svc, co, [("AQA", ("A",))]))])
    first, made = record(session, svc, roles, b)
    again, made_again = record(session, svc, roles, dict(b))
    assert made and not made_again and again.id == first.id
    with pytest.raises(ClientIdConflict):
        record(session, svc, roles, {**b, "site": {**b["site"], "name": "另一个工地"}})
    with pytest.raises(ClientIdConflict):
        record(session, svc, roles, b, Inspector(account_id=None, username="someone.else", organisation=""))


def test_a_record_is_for_its_inspector_and_the_authority(session, svc, roles):
    co = f.enterprise(session, svc.catalogue)
    mine = f.account(session, role="inspector")
    row, _ = record(session, svc, roles, body(co, [("principal", person_with(session, svc, co, [("AQA", ("A",))]))]),
                    Inspector(account_id=mine.id, username=mine.username, organisation=""))
    assert get_inspection(session, row.public_id, account_id=mine.id, any_account=False) is row
    assert get_inspection(session, row.public_id, account_id=None, any_account=True) is row
    with pytest.raises(Exception, match="inspection_not_found"):
        get_inspection(session, row.public_id, account_id=mine.id + 1000, any_account=False)


def test_unknown_roles_specialties_and_contractors_are_field_problems(session, svc, roles):
    co = f.enterprise(session, svc.catalogue)
    b = body(co, [("crane_whisperer", ["x"])], specialty="XX", contractor_uscc="91350100M000100Y4Z")
    with pytest.raises(ValidationFailed) as e:
        record(session, svc, roles, b)
    assert set(e.value.details["fields"]) == {"people.0.role", "site.specialty", "site.contractor_uscc"}


def test_a_person_evaluated_straight_from_the_register(session, svc, roles):
    co, other = f.enterprise(session, svc.catalogue), f.enterprise(session, svc.catalogue)
    p = f.person(session)
    reg = f.registration(session, svc.catalogue, svc.clock, p=p, ent=co, kind="JZS1", specialties=("JZ", "JD"))
    site = {"specialty": "JZ", "contractor_uscc": co.uscc, "scale": "large"}
    out = evaluate_person(session, svc.catalogue, svc.clock, roles.get("project_manager"), p.id, site)
    assert out["flags"] == ["missing"] and out["requirements"][0]["certificate"] == reg.registration_number
    f.registration(session, svc.catalogue, svc.clock, p=p, ent=co, kind="AQB", specialties=("B",))
    assert evaluate_person(session, svc.catalogue, svc.clock, roles.get("project_manager"), p.id, site)["met"]
    elsewhere = {**site, "contractor_uscc": other.uscc}
    assert evaluate_person(session, svc.catalogue, svc.clock, roles.get("project_manager"), p.id,
                           elsewhere)["flags"] == ["other_employer"]
    with pytest.raises(Exception, match="person_not_found"):
        evaluate_person(session, svc.catalogue, svc.clock, roles.get("project_manager"), p.id, site,
                        enterprise_id=other.id)


def test_each_holder_is_told_their_certificate_was_checked_once(session, svc, roles):
    from sqlalchemy import select

    from backend.models import Notice
    co = f.enterprise(session, svc.catalogue)
    p = f.person(session)
    regs = [f.registration(session, svc.catalogue, svc.clock, p=p, ent=co, kind=k, specialties=s)
            for k, s in (("JZS2", ("JZ",)), ("AQB", ("B",)))]
    f.account(session, role="holder", person_id=p.id)
    codes = [qr(session, svc, r) for r in regs]
    record(session, svc, roles, body(co, [("project_manager", codes), ("project_manager", codes[:1])]))
    notices = session.scalars(select(Notice).where(Notice.person_id == p.id,
                                                   Notice.kind == "certificate_checked")).all()
    assert sorted(n.registration_id for n in notices) == sorted(r.id for r in regs)   # once each, not per scan
    assert all(n.data["via"] == "site_check" and n.data["organisation"] == INSPECTOR.organisation for n in notices)
    assert all("insp.test" not in n.body + n.body_en for n in notices)
