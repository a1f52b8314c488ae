"""Every form a certificate was ever issued in verifies alike (issue 11): v2 packed in `{BASE}/V#…` (and its
fragment sent bare, as the web app does), and v1, the JSON token of every copy issued before, in
`{base}/v#<token>` and bare, until the copy expires."""
import pytest

from backend.crypto import tokens
from backend.services.issuance.copies import issue_copy
from backend.services.registry import persons, registrations
from backend.services.verification.qr_text import extract_token
from backend.services.verification.verify import verify_qr
from tests import factories as f


def issue(session, svc, reg, clock=None):
    return issue_copy(session, svc.ring, svc.catalogue, svc.settings, clock or svc.clock, reg.registration_number, "test")


def verify(session, svc, text):
    r = verify_qr(session, svc.ring, svc.catalogue, svc.settings, svc.clock, text)
    return r["verdict"], [x["code"] for x in r["reasons"]]


def forms(svc, copy) -> dict[str, str]:
    """The QR texts of one copy in every form: v2 as issued, and v1 as it would have been issued before."""
    _, claims = tokens.verify(svc.ring, copy.token, issuer=svc.settings.issuer)
    v1 = tokens.sign(svc.ring, {k: v for k, v in claims.items() if k != "h"})
    base = svc.settings.base_url
    return {"v2 link": copy.qr_text, "v2 bare": copy.qr_text.split("#", 1)[1], "v2 compact": copy.token,
            "v1 link": f"{base}/v#{v1}", "v1 link, upper-case host": f"{base.upper()}/v#{v1}", "v1 bare": v1}


AFTER = {
    "valid": lambda s, svc, reg: None,
    "suspended": lambda s, svc, reg: registrations.set_status(s, svc.clock, reg.registration_number, "suspend", "x", "t"),
    "revoked": lambda s, svc, reg: registrations.set_status(s, svc.clock, reg.registration_number, "revoke", "x", "t"),
    "lapsed": lambda s, svc, reg: registrations.set_status(s, svc.clock, reg.registration_number, "lapse", "x", "t"),
    "superseded": lambda s, svc, reg: persons.change_name(s, svc.clock, reg.person_id, "王小明", "t"),
}


@pytest.mark.parametrize("verdict", AFTER)
def test_every_form_gets_the_same_verdict(session, svc, verdict):
    reg = f.registration(session, svc.catalogue, svc.clock)
    copy = issue(session, svc, reg)
    texts = forms(svc, copy)
    AFTER[verdict](session, svc, reg)
    answers = {form: verify(session, svc, text) for form, text in texts.items()}
    assert {v for v, _ in answers.values()} == {verdict}, answers
    assert len({tuple(codes) for _, codes in answers.values()}) == 1


def test_an_expired_v1_copy_is_expired(session, svc):
    reg = f.registration(session, svc.catalogue, f.at(svc.clock, -400))
    copy = issue(session, svc, reg, f.at(svc.clock, -181))
    assert verify(session, svc, forms(svc, copy)["v1 link"]) == ("expired", ["copy_expired"])


def test_paths_and_forms_do_not_mix(session, svc):
    copy = issue(session, svc, f.registration(session, svc.catalogue, svc.clock))
    base, packed = svc.settings.base_url, copy.qr_text.split("#", 1)[1]
    assert extract_token(f"{base}/V#{packed}", base) == (copy.token, None)             # host in lower case too
    assert extract_token(f"{base}/v#{packed}", base) == (None, "malformed")            # /v takes a compact token
    assert extract_token(f"{base}/V#{copy.token}", base) == (None, "malformed")        # /V a packed one
    assert extract_token(f"{base}/VV#{packed}", base) == (None, "foreign_url")
    assert extract_token(f"http://127.0.0.1:5001/V#{packed}", base) == (None, "foreign_url")
    assert extract_token(f"{base.upper()}/V#{packed.lower()}", base) == (None, "malformed")


@pytest.mark.parametrize("text, why", [
    ("HELLO WORLD", "not_a_certificate"), ("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "not_a_certificate"),
    ("A" * 113, "not_a_certificate"), ("A" * 114, "unknown_key"), ("A" * 115, "malformed"),
])
def test_bare_upper_case_texts(session, svc, text, why):
    """Only a text as long as the shortest packed token is read as one; anything shorter is no certificate."""
    assert verify(session, svc, text) == ("invalid", [why])
