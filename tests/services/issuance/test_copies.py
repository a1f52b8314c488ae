"""Issuance rules: the 180-day window and its caps, refusals with reasons, the daily limit, superseding."""
import datetime as dt

import pytest

from backend.models import CopyStatus
from backend.services.issuance.copies import issue_copy
from backend.services.issuance.errors import DailyCopyLimitReached, IssuanceRefused
from backend.services.registry import persons, registrations
from tests import factories as f


def issue(session, svc, reg, clock=None):
    return issue_copy(session, svc.ring, svc.catalogue, svc.settings, clock or svc.clock, reg.registration_number, "test")


def test_usage_window_is_180_days_when_nothing_cuts_it(session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock)
    c = issue(session, svc, reg)
    assert c.usage_until - c.usage_from == dt.timedelta(days=180)
    assert c.status == CopyStatus.CURRENT


def test_usage_window_cut_at_earliest_specialty_expiry(session, svc):
    # Registered 2.9 years ago: the specialties end in about 36 days.
    past = f.at(svc.clock, -round(365.25 * 2.9))
    reg = f.registration(session, svc.catalogue, past)
    reg.specialties[1].valid_until = svc.clock.today() + dt.timedelta(days=20)
    session.flush()
    c = issue(session, svc, reg)
    last_day = svc.clock.today() + dt.timedelta(days=20)
    assert c.usage_until == svc.clock.end_of_local_day(last_day)
    assert svc.clock.local(c.usage_until).date() == last_day


def test_usage_window_cut_at_65th_birthday(session, svc):
    today = svc.clock.today()
    birth = dt.date(today.year - 65, today.month, today.day) + dt.timedelta(days=40)   # turns 65 in 40 days
    reg = f.registration(session, svc.catalogue, svc.clock, birth=birth)
    c = issue(session, svc, reg)
    assert svc.clock.local(c.usage_until).date() == birth.replace(year=birth.year + 65)
    assert reg.specialties[0].valid_until == birth.replace(year=birth.year + 65)   # validity also capped


def test_no_id_characters_in_a_code_whose_dates_give_the_birth_date(session, svc):
    """A copy cut at the 65th birthday shows that date in its code: with the region of a public answer and the last
    4, the birth date would complete the ID number, so such a code carries none of its characters."""
    from backend.crypto import tokens
    today = svc.clock.today()
    birth = dt.date(today.year - 65, today.month, today.day) + dt.timedelta(days=40)
    near_cap = f.registration(session, svc.catalogue, svc.clock, birth=birth)
    _, claims = tokens.verify(svc.ring, issue(session, svc, near_cap).token, issuer=svc.settings.issuer)
    assert "h" not in claims
    far = f.registration(session, svc.catalogue, svc.clock)
    _, claims = tokens.verify(svc.ring, issue(session, svc, far).token, issuer=svc.settings.issuer)
    assert claims["h"] == far.person.id_number[-4:]


def test_age_cap_follows_the_kind_and_sex(session, svc):
    # 特种作业: women 50 (Beijing): a woman of 49 and 11 months gets a copy ending on her 50th birthday.
    today = svc.clock.today()
    birth = dt.date(today.year - 50, today.month, 1) + dt.timedelta(days=45)
    birth = birth if birth.day <= 28 else birth.replace(day=28)
    reg = f.registration(session, svc.catalogue, svc.clock, kind="TZZY", specialties=("01",), sex="F", birth=birth)
    c = issue(session, svc, reg)
    assert svc.clock.local(c.usage_until).date() <= birth.replace(year=birth.year + 50)


def test_refused_over_the_age_cap(session, svc):
    today = svc.clock.today()
    birth = dt.date(today.year - 66, 1, 10)
    past = f.at(svc.clock, -365 * 2)
    reg = f.registration(session, svc.catalogue, past, birth=birth)
    with pytest.raises(IssuanceRefused) as e:
        issue(session, svc, reg)
    assert e.value.code in ("age_cap_reached", "no_valid_specialty")
    assert e.value.message and e.value.message_en


def test_refused_when_no_specialty_is_valid(session, svc):
    reg = f.registration(session, svc.catalogue, f.at(svc.clock, -365 * 4))
    with pytest.raises(IssuanceRefused) as e:
        issue(session, svc, reg)
    assert e.value.code == "no_valid_specialty"


@pytest.mark.parametrize("action,code", [("suspend", "registration_suspended"), ("cancel", "registration_not_active"),
                                         ("revoke", "registration_not_active"), ("rescind", "registration_not_active")])
def test_refused_for_a_registration_not_active(session, svc, action, code):
    reg = f.registration(session, svc.catalogue, svc.clock)
    registrations.set_status(session, svc.clock, reg.registration_number, action, "测试", "test")
    with pytest.raises(IssuanceRefused) as e:
        issue(session, svc, reg)
    assert e.value.code == code


def test_daily_limit_default_two(session, svc):
    assert svc.settings.daily_limit == 2
    reg = f.registration(session, svc.catalogue, svc.clock)
    issue(session, svc, reg)
    issue(session, svc, reg)
    with pytest.raises(DailyCopyLimitReached) as e:
        issue(session, svc, reg)
    assert e.value.status == 429 and e.value.details["limit"] == 2
    # The next local day the limit starts again.
    tomorrow = f.at(svc.clock, 1)
    assert issue(session, svc, reg, tomorrow).version == 3


def test_earlier_copies_stay_current_without_a_change(session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock)
    a = issue(session, svc, reg)
    b = issue(session, svc, reg)
    assert (a.status, b.status) == (CopyStatus.CURRENT, CopyStatus.CURRENT)
    assert (a.version, b.version) == (1, 2)
    assert a.identifier.split(".")[-2] == "001" and b.identifier.split(".")[-2] == "002"


def _supersede_by(kind, session, svc, reg):
    if kind == "employer":
        ent = f.enterprise(session, svc.catalogue)
        registrations.change_employer(session, svc.clock, reg.registration_number, ent.uscc, "test")
    elif kind == "name":
        persons.change_name(session, svc.clock, reg.person_id, "新名字", "test")
    else:
        registrations.add_specialty(session, svc.catalogue, svc.clock, reg.registration_number, "JD", "test")


@pytest.mark.parametrize("change", ["employer", "name", "specialties"])
def test_a_change_supersedes_earlier_copies(session, svc, change):
    reg = f.registration(session, svc.catalogue, svc.clock)
    old = issue(session, svc, reg)
    _supersede_by(change, session, svc, reg)
    session.refresh(old)
    assert old.status == CopyStatus.SUPERSEDED and old.superseded_at is not None
    new = issue(session, svc, reg, f.at(svc.clock, 1))
    session.refresh(old)
    assert old.superseded_by_id == new.id and new.status == CopyStatus.CURRENT


def test_token_and_qr_are_made_once_and_stored(session, svc):
    from backend.crypto import tokens
    reg = f.registration(session, svc.catalogue, svc.clock)
    c = issue(session, svc, reg)
    assert c.qr_text == f"{svc.settings.base_url.upper()}/V#{tokens.pack(c.token)}"
    assert c.qr_png.startswith(b"\x89PNG") and c.qr_svg.lstrip().startswith("<")
    header, claims = tokens.verify(svc.ring, c.token, issuer=svc.settings.issuer)
    assert header == {"alg": "ES256", "kid": svc.ring.current_kid, "typ": "jz2"}
    assert claims["jti"] == c.public_id and claims["i"] == c.id and claims["r"] == reg.registration_number
    assert claims["n"] == reg.person.name and claims["e"] == [reg.enterprise.uscc, reg.enterprise.short_name]
    assert [s[0] for s in claims["s"]] == ["JZ", "SZ"]
    assert claims["h"] == reg.person.id_number[-4:]             # printed on the certificate; the rest never
    for forbidden in (reg.person.id_number, reg.person.id_number[6:14], "13800138000"):
        assert forbidden not in str(claims)


def test_typical_copy_qr_version(session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock)
    c = issue(session, svc, reg)
    assert c.snapshot["qr_version"] <= 11       # tests/qr/test_qr_size.py decodes the PNG of every shape
