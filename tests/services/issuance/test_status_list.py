import pytest

from backend.crypto import tokens
from backend.services.issuance.copies import issue_copy
from backend.services.issuance.status_list import (
    MAX_AGE_SECONDS,
    OK,
    REVOKED,
    SUPERSEDED,
    SUSPENDED,
    TYP,
    decode_list,
    read_entry,
    signed_status_list,
)
from backend.services.registry import persons, registrations
from tests import factories as f


def issue(session, svc, reg):
    return issue_copy(session, svc.ring, svc.catalogue, svc.settings, svc.clock, reg.registration_number, "test")


def entries(session, svc):
    body = signed_status_list(session, svc.ring, svc.settings, svc.clock)
    _, claims = tokens.verify(svc.ring, body["token"], issuer=svc.settings.issuer, typ=TYP)
    return body, claims, decode_list(claims["encodedList"])


def test_status_list_marks_each_status(session, svc):
    regs = [f.registration(session, svc.catalogue, svc.clock) for _ in range(5)]
    copies = [issue(session, svc, r) for r in regs]
    registrations.set_status(session, svc.clock, regs[1].registration_number, "suspend", "x", "t")
    registrations.set_status(session, svc.clock, regs[2].registration_number, "cancel", "x", "t")
    persons.change_name(session, svc.clock, regs[3].person_id, "新名", "t")
    registrations.set_status(session, svc.clock, regs[4].registration_number, "lapse", "x", "t")
    body, claims, bits = entries(session, svc)
    assert [read_entry(bits, c.id) for c in copies] == [OK, SUSPENDED, REVOKED, SUPERSEDED, REVOKED]
    assert claims["bits"] == 2 and claims["size"] == body["size"] >= 131072 and len(bits) * 4 == claims["size"]
    assert claims["exp"] - claims["iat"] == MAX_AGE_SECONDS and claims["ttl"] == svc.settings.status_list_ttl
    assert claims["statuses"] == ["ok", "suspended", "revoked", "superseded"]


def test_status_list_unsuspend_clears_the_entry(session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock)
    c = issue(session, svc, reg)
    registrations.set_status(session, svc.clock, reg.registration_number, "suspend", "x", "t")
    assert read_entry(entries(session, svc)[2], c.id) == SUSPENDED
    registrations.set_status(session, svc.clock, reg.registration_number, "unsuspend", "x", "t")
    assert read_entry(entries(session, svc)[2], c.id) == OK


def test_status_list_token_is_not_a_certificate(session, svc):
    body = signed_status_list(session, svc.ring, svc.settings, svc.clock)
    from backend.services.verification.verify import verify_qr
    r = verify_qr(session, svc.ring, svc.catalogue, svc.settings, svc.clock, body["token"])
    assert r["verdict"] in ("invalid", "not_found")


def test_status_list_rejects_tampering(session, svc):
    body = signed_status_list(session, svc.ring, svc.settings, svc.clock)
    h, p, s = body["token"].split(".")
    with pytest.raises(tokens.TokenInvalid):
        tokens.verify(svc.ring, f"{h}.{p[:-3]}AAA.{s}", issuer=svc.settings.issuer, typ=TYP)
