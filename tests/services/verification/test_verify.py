"""Every verdict, from copies made by the real services."""
import datetime as dt

import pytest

from backend.services.issuance.copies import issue_copy
from backend.services.registry import persons, registrations
from backend.services.verification.qr_text import extract_token
from backend.services.verification.verify import verify_qr
from tests import factories as f


def issue(session, svc, reg, clock=None):
    return issue_copy(session, svc.ring, svc.catalogue, svc.settings, clock or svc.clock, reg.registration_number, "test")


def verify(session, svc, text, clock=None):
    return verify_qr(session, svc.ring, svc.catalogue, svc.settings, clock or svc.clock, text)


def codes(result):
    return [r["code"] for r in result["reasons"]]


def test_valid(session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock)
    c = issue(session, svc, reg)
    r = verify(session, svc, c.qr_text)
    assert r["verdict"] == "valid" and r["reasons"] == []
    assert r["message"] == "证书真实有效" and r["message_en"]
    cert = r["certificate"]
    assert cert["registration_number"] == reg.registration_number and cert["name"] == reg.person.name
    assert cert["id_number"] != reg.person.id_number and cert["id_number"][:6] == reg.person.id_number[:6]
    assert "*" in cert["id_number"] and "phone" not in cert
    assert [s["status"] for s in r["specialties"]] == ["valid", "valid"]
    assert r["checked_at"].endswith("Z")


def test_bare_token_is_accepted(session, svc):
    c = issue(session, svc, f.registration(session, svc.catalogue, svc.clock))
    assert verify(session, svc, c.token)["verdict"] == "valid"
    assert verify(session, svc, f"  {c.qr_text}\n")["verdict"] == "valid"


def test_expired_copy(session, svc):
    reg = f.registration(session, svc.catalogue, f.at(svc.clock, -400))
    c = issue(session, svc, reg, f.at(svc.clock, -181))
    r = verify(session, svc, c.qr_text)
    assert r["verdict"] == "expired" and codes(r) == ["copy_expired"]


def test_lapsed_registration_past_validity(session, svc):
    reg = f.registration(session, svc.catalogue, f.at(svc.clock, -365 * 3 - 30))
    c = issue(session, svc, reg, f.at(svc.clock, -60))
    r = verify(session, svc, c.qr_text)
    assert r["verdict"] == "lapsed" and "all_specialties_lapsed" in codes(r)
    assert {s["status"] for s in r["specialties"]} == {"lapsed"}


def test_lapsed_at_the_age_cap(session, svc):
    today = svc.clock.today()
    birth = dt.date(today.year - 65, today.month, 1) - dt.timedelta(days=40)     # turned 65 about 10 days ago
    reg = f.registration(session, svc.catalogue, f.at(svc.clock, -300), birth=birth)
    c = issue(session, svc, reg, f.at(svc.clock, -100))
    r = verify(session, svc, c.qr_text)
    assert r["verdict"] == "lapsed" and "age_cap_reached" in codes(r)


def test_lapsed_by_the_daily_job(session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock)
    c = issue(session, svc, reg)
    registrations.set_status(session, svc.clock, reg.registration_number, "lapse", "测试失效", "test")
    assert verify(session, svc, c.qr_text)["verdict"] == "lapsed"


def test_superseded(session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock)
    c = issue(session, svc, reg)
    persons.change_name(session, svc.clock, reg.person_id, "王小明", "test")
    r = verify(session, svc, c.qr_text)
    assert r["verdict"] == "superseded" and "copy_superseded" in codes(r)
    assert r["certificate"]["name"] == "王小明"


def test_superseded_by_a_change_of_employer_names_both_employers(session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock)
    old = reg.enterprise
    c = issue(session, svc, reg)
    new = f.enterprise(session, svc.catalogue, region="110105")
    registrations.change_employer(session, svc.clock, reg.registration_number, new.uscc, "test")
    cert = verify(session, svc, c.qr_text)["certificate"]
    assert (cert["employer_on_copy"], cert["employer_on_copy_uscc"]) == (old.name, old.uscc)
    assert cert["employer"] == {"name": new.name, "uscc": new.uscc}     # the 挂证 clue: the two differ


def test_superseded_by_a_change_of_name_keeps_the_employer(session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock)
    c = issue(session, svc, reg)
    persons.change_name(session, svc.clock, reg.person_id, "王小明", "test")
    cert = verify(session, svc, c.qr_text)["certificate"]
    assert cert["employer_on_copy_uscc"] == cert["employer"]["uscc"] == reg.enterprise.uscc


def test_suspended_and_back(session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock)
    c = issue(session, svc, reg)
    registrations.set_status(session, svc.clock, reg.registration_number, "suspend", "违规锁定", "test")
    r = verify(session, svc, c.qr_text)
    assert r["verdict"] == "suspended" and {s["status"] for s in r["specialties"]} == {"suspended"}
    assert r["reasons"][0]["details"]["note"] == "违规锁定"
    registrations.set_status(session, svc.clock, reg.registration_number, "unsuspend", "解除锁定", "test")
    assert verify(session, svc, c.qr_text)["verdict"] == "valid"


@pytest.mark.parametrize("action,reason", [("cancel", "registration_cancelled"), ("rescind", "registration_rescinded"),
                                           ("revoke", "registration_revoked")])
def test_revoked(session, svc, action, reason):
    reg = f.registration(session, svc.catalogue, svc.clock)
    c = issue(session, svc, reg)
    registrations.set_status(session, svc.clock, reg.registration_number, action, "测试", "test")
    r = verify(session, svc, c.qr_text)
    assert r["verdict"] == "revoked" and reason in codes(r)


def test_revoked_outranks_expired_and_superseded(session, svc):
    reg = f.registration(session, svc.catalogue, f.at(svc.clock, -400))
    c = issue(session, svc, reg, f.at(svc.clock, -200))
    persons.change_name(session, svc.clock, reg.person_id, "赵六", "test")
    registrations.set_status(session, svc.clock, reg.registration_number, "revoke", "测试", "test")
    r = verify(session, svc, c.qr_text)
    assert r["verdict"] == "revoked"
    assert {"copy_superseded", "copy_expired", "registration_revoked"} <= set(codes(r))


def test_not_found_when_the_issuer_has_no_such_copy(session, svc):
    from backend.crypto import tokens
    claims = {"iss": svc.settings.issuer, "jti": "zzzzzzzz", "iat": 1700000000, "exp": 4102444800, "i": 999999,
              "r": "苏232192699999", "n": "无此人", "k": "JZS2", "s": [["JZ", 20991231]], "e": ["91320594780268314T", "x"]}
    r = verify(session, svc, tokens.sign(svc.ring, claims))
    assert r["verdict"] == "not_found" and codes(r) == ["copy_unknown"]


def test_specialty_expiring_soon_is_a_warning_not_a_verdict(session, svc):
    reg = f.registration(session, svc.catalogue, f.at(svc.clock, -365 * 3 + 100))
    c = issue(session, svc, reg)
    r = verify(session, svc, c.qr_text)
    assert r["verdict"] == "valid" and codes(r) == ["specialty_expiring"]


@pytest.mark.parametrize("text,reason", [
    ("https://evil.example.com/v#a.b.c", "foreign_url"),
    ("http://127.0.0.1:5000/x#a.b.c", "foreign_url"),
    ("http://127.0.0.1:5001/v#a.b.c", "foreign_url"),
    ("http://127.0.0.1:5000/v#not-a-token", "malformed"),
    ("WIFI:S:net;T:WPA;P:secret;;", "not_a_certificate"),
    ("你好", "not_a_certificate"),
    ("http://127.0.0.1:99999/v#a.b.c", "not_a_certificate"),
    ("http://[::1/v#a.b.c", "not_a_certificate"),
    ("javascript:alert(1)", "not_a_certificate"),
])
def test_qr_texts_that_are_not_our_certificates(session, svc, text, reason):
    r = verify(session, svc, text)
    assert r["verdict"] == "invalid" and codes(r) == [reason] and r["certificate"] is None


def test_extract_token_accepts_only_this_issuer():
    base = "https://jz.example.gov.cn"
    assert extract_token(f"{base}/v#aa.bb.cc", base) == ("aa.bb.cc", None)
    assert extract_token("HTTPS://JZ.EXAMPLE.GOV.CN/v#aa.bb.cc", base) == ("aa.bb.cc", None)
    assert extract_token("https://jz.example.gov.cn.evil.com/v#aa.bb.cc", base) == (None, "foreign_url")
    assert extract_token("https://user@evil.com/v#aa.bb.cc", base) == (None, "foreign_url")


@pytest.mark.parametrize("text", [
    "http://evil.example\\@127.0.0.1:5000/v#{t}",          # a browser goes to evil.example
    "http://evil.example\\\\127.0.0.1:5000/v#{t}",
    "http://user@127.0.0.1:5000/v#{t}",                     # user info: refused even on our own host
    "http://127.0.0.1:5000@evil.example/v#{t}",
    "http:\\\\evil.example\\v#{t}",
])
def test_urls_are_parsed_as_a_browser_parses_them(session, svc, text):
    """Issue 8: `http://evil.example\\@127.0.0.1:5000/v#<genuine token>` was valid on the server while a phone
    opened evil.example. The WHATWG rules make backslash a slash; user info is refused."""
    reg = f.registration(session, svc.catalogue, svc.clock)
    token = issue(session, svc, reg).token
    r = verify(session, svc, text.format(t=token))
    assert r["verdict"] == "invalid" and codes(r) == ["foreign_url"], r
    assert verify(session, svc, f"http://127.0.0.1:5000/x/../v#{token}")["verdict"] == "valid"   # as the browser


def test_a_status_list_token_is_no_certificate(session, svc):
    from backend.services.issuance.status_list import signed_status_list
    token = signed_status_list(session, svc.ring, svc.settings, svc.clock)["token"]
    r = verify(session, svc, token)
    assert r["verdict"] == "invalid" and codes(r) == ["wrong_type"]
    r = verify(session, svc, f"http://127.0.0.1:5000/v#{token}")
    assert r["verdict"] == "invalid" and codes(r) == ["wrong_type"]
