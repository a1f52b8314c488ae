"""A holder's live code (动态二维码): made of their own current copy only, it verifies as that copy does, and
`expired` with the screenshot reason once past its time; its type never passes for a certificate's, nor a
certificate's for its."""
import base64
import datetime as dt

import pytest

from backend.crypto import cbor_claims, tokens
from backend.services.clock import epoch, iso_utc
from backend.services.issuance import copies
from backend.services.issuance.errors import CopyNotCurrent, CopyNotFound, CopyUsageOver
from backend.services.issuance.presentations import present_copy
from backend.services.registry import persons, registrations
from backend.services.verification.qr_text import extract_token
from backend.services.verification.verify import PRESENTATION_SKEW_S, verify_qr
from tests import factories as f


def seconds_ago(clock, s):
    return f.at(clock, -s / 86400)


def issue(session, svc, reg):
    return copies.issue_copy(session, svc.ring, svc.catalogue, svc.settings, f.at(svc.clock, -1),
                             reg.registration_number, "test")


def live(session, svc, copy, person_id=None, ago=0, **kw):
    clock = seconds_ago(svc.clock, ago) if ago else svc.clock
    return present_copy(session, svc.ring, svc.settings, clock, copy.public_id,
                        copy.registration.person_id if person_id is None else person_id, **kw)


def verify(session, svc, text):
    r = verify_qr(session, svc.ring, svc.catalogue, svc.settings, svc.clock, text)
    return r["verdict"], [x["code"] for x in r["reasons"]], r


def test_a_live_code_is_the_copy_for_seconds(session, svc):
    copy = issue(session, svc, f.registration(session, svc.catalogue, f.at(svc.clock, -30)))
    code = live(session, svc, copy)
    header, claims = tokens.verify(svc.ring, code["token"], issuer=svc.settings.issuer, typ=tokens.PRESENTATION)
    assert header == {"alg": "ES256", "kid": svc.ring.current_kid, "typ": "jz-presentation"}
    _, copy_claims = tokens.verify(svc.ring, copy.token, issuer=svc.settings.issuer)
    assert claims["exp"] - claims["iat"] == 90 and claims["u"] == copy_claims["exp"]
    assert {k: v for k, v in claims.items() if k not in ("iat", "exp", "u")} == \
        {k: v for k, v in copy_claims.items() if k not in ("iat", "exp")}     # bound to the copy: jti, i, …
    assert code["qr_text"].startswith(svc.settings.base_url.upper() + "/V#1")
    assert extract_token(code["qr_text"], svc.settings.base_url) == (code["token"], None)
    assert code["refresh_after"] == 45 and "<svg" in code["qr_svg"][:200] and code["qr_version"] <= 13
    verdict, reasons, r = verify(session, svc, code["qr_text"])
    assert (verdict, reasons) == ("valid", []) and r["certificate"]["copy_id"] == copy.public_id
    assert r["presentation"] == {"issued_at": code["issued_at"], "expires_at": code["expires_at"]}
    assert r["certificate"]["usage_until"] == iso_utc(copy.usage_until)
    # the fragment sent bare (the app, when a phone's camera opened the link) and the compact token alike
    for text in (code["qr_text"].split("#", 1)[1], code["token"]):
        assert verify(session, svc, text)[:2] == ("valid", [])
    assert "presentation" not in verify(session, svc, copy.qr_text)[2]   # the printed code: as before


def test_past_its_time_it_is_an_old_screenshot(session, svc):
    copy = issue(session, svc, f.registration(session, svc.catalogue, f.at(svc.clock, -30)))
    within_skew = live(session, svc, copy, ago=90 + PRESENTATION_SKEW_S - 5)      # exp 25 s ago: clocks differ
    assert verify(session, svc, within_skew["qr_text"])[:2] == ("valid", [])
    old = live(session, svc, copy, ago=90 + PRESENTATION_SKEW_S + 5)
    verdict, reasons, r = verify(session, svc, old["qr_text"])
    assert (verdict, reasons) == ("expired", ["presentation_expired"])
    assert (r["message"], r["message_en"]) == ("此为过期的动态二维码(可能是截图)", "An old live code: possibly a screenshot")
    assert r["reasons"][0]["details"] == {"expired_at": old["expires_at"]}
    assert verify(session, svc, copy.qr_text)[:2] == ("valid", [])           # the copy itself is not expired


def test_it_answers_as_its_copy(session, svc):
    reg = f.registration(session, svc.catalogue, f.at(svc.clock, -30))
    code = live(session, svc, issue(session, svc, reg))
    registrations.set_status(session, svc.clock, reg.registration_number, "suspend", "调查中", "t")
    assert verify(session, svc, code["qr_text"])[:2] == ("suspended", ["registration_suspended"])
    persons.change_name(session, svc.clock, reg.person_id, "王小明", "t")          # a new copy supersedes it
    assert "copy_superseded" in verify(session, svc, code["qr_text"])[1]


def test_only_the_holders_own_current_copy(session, svc):
    reg = f.registration(session, svc.catalogue, f.at(svc.clock, -30))
    other = f.registration(session, svc.catalogue, f.at(svc.clock, -30))
    copy = issue(session, svc, reg)
    with pytest.raises(CopyNotFound):
        live(session, svc, copy, person_id=other.person_id)
    with pytest.raises(CopyNotFound):
        present_copy(session, svc.ring, svc.settings, svc.clock, "nosuchid", reg.person_id)
    persons.change_name(session, svc.clock, reg.person_id, "王小明", "t")   # a new copy supersedes it
    with pytest.raises(CopyNotCurrent) as e:
        live(session, svc, copy)
    assert (e.value.status, e.value.code) == (409, "copy_not_current")


def test_no_live_code_past_the_copys_usage(session, svc):
    copy = issue(session, svc, f.registration(session, svc.catalogue, f.at(svc.clock, -30)))
    with pytest.raises(CopyUsageOver):
        present_copy(session, svc.ring, svc.settings, f.at(svc.clock, 200), copy.public_id, copy.registration.person_id)
    ends = epoch(copy.usage_until)
    near = present_copy(session, svc.ring, svc.settings, f.at(svc.clock, now=copy.usage_until - dt.timedelta(seconds=20)),
                        copy.public_id, copy.registration.person_id)
    claims = cbor_claims.decode(base64.urlsafe_b64decode(near["token"].split(".")[1] + "=="))   # iat: in the future
    assert claims["exp"] == ends and near["refresh_after"] == 20          # never outlives the copy


@pytest.mark.parametrize("ttl, refresh", [(121, 45), (90, 90), (90, 0)])
def test_the_window_is_bounded(session, svc, ttl, refresh):
    copy = issue(session, svc, f.registration(session, svc.catalogue, f.at(svc.clock, -30)))
    with pytest.raises(ValueError):
        live(session, svc, copy, ttl=ttl, refresh=refresh)


def test_tampered_and_overlong_codes_are_invalid(session, svc):
    copy = issue(session, svc, f.registration(session, svc.catalogue, f.at(svc.clock, -30)))
    code = live(session, svc, copy)
    base, packed = code["qr_text"].split("#1", 1)
    raw = bytearray(base64.b32decode(packed + "=" * (-len(packed) % 8)))
    raw[10] ^= 1
    flipped = base64.b32encode(bytes(raw)).decode().rstrip("=")
    assert verify(session, svc, f"{base}#1{flipped}")[:2] == ("invalid", ["bad_signature"])
    _, claims = tokens.verify(svc.ring, code["token"], issuer=svc.settings.issuer, typ=tokens.PRESENTATION)
    long_lived = tokens.sign_presentation(svc.ring, {**claims, "exp": claims["iat"] + 121})   # even if signed
    assert verify(session, svc, long_lived)[:2] == ("invalid", ["malformed"])
    no_u = tokens.sign_presentation(svc.ring, {k: v for k, v in claims.items() if k != "u"})
    assert verify(session, svc, no_u)[:2] == ("invalid", ["missing_claim"])


def test_types_never_mix(session, svc):
    """A live code is no certificate, and a certificate no live code: by the header where the token is
    compact, by the signature (the template chosen by the mark) where it is packed."""
    copy = issue(session, svc, f.registration(session, svc.catalogue, f.at(svc.clock, -30)))
    code = live(session, svc, copy)
    with pytest.raises(tokens.TokenInvalid) as e:                      # where a certificate is expected
        tokens.verify(svc.ring, code["token"], issuer=svc.settings.issuer, typ=tokens.CERTIFICATE_TYPES)
    assert e.value.reason == "wrong_type"
    with pytest.raises(tokens.TokenInvalid) as e:                      # where a live code is expected
        tokens.verify(svc.ring, copy.token, issuer=svc.settings.issuer, typ=tokens.PRESENTATION)
    assert e.value.reason == "wrong_type"
    base = svc.settings.base_url
    live_packed = code["qr_text"].split("#1", 1)[1]
    copy_packed = copy.qr_text.split("#", 1)[1]
    assert verify(session, svc, f"{base.upper()}/V#{live_packed}")[:2] == ("invalid", ["bad_signature"])
    assert verify(session, svc, f"{base.upper()}/V#1{copy_packed}")[:2] == ("invalid", ["bad_signature"])
    assert verify(session, svc, live_packed)[:2] == ("invalid", ["bad_signature"])
    # the same claims signed as a certificate are no presentation, and the other way round
    _, claims = tokens.verify(svc.ring, code["token"], issuer=svc.settings.issuer, typ=tokens.PRESENTATION)
    as_cert = tokens.sign_certificate(svc.ring, {k: v for k, v in claims.items() if k != "u"})
    with pytest.raises(tokens.TokenInvalid):
        tokens.verify(svc.ring, as_cert, issuer=svc.settings.issuer, typ=tokens.PRESENTATION)
    assert set(cbor_claims.KEYS) >= set(claims)
