import pytest

from backend.crypto import tokens
from backend.services.issuance.copies import issue_copy
from backend.services.issuance.status_list import (
    LAPSED,
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
    assert [read_entry(bits, c.id) for c in copies] == [OK, SUSPENDED, REVOKED, SUPERSEDED, LAPSED]
    assert claims["bits"] == 4 and claims["size"] == body["size"] >= 131072 and len(bits) * 2 == claims["size"]
    assert claims["exp"] - claims["iat"] == MAX_AGE_SECONDS and claims["ttl"] == svc.settings.status_list_ttl
    assert claims["statuses"] == ["ok", "suspended", "revoked", "superseded", "lapsed"]
    assert claims["statusMessage"] == [{"status": f"0x{v}", "message": m} for v, m in enumerate(claims["statuses"])]
    # each entry is its own half byte, most significant first: nothing leaks into a neighbour
    for c, want in zip(copies, [OK, SUSPENDED, REVOKED, SUPERSEDED, LAPSED], strict=True):
        assert bits[c.id // 2] >> (4 if c.id % 2 == 0 else 0) & 0xF == want
    assert sum(1 for b in bits for half in (b >> 4, b & 0xF) if half) == 4


def test_lapsed_is_listed_apart_from_revoked_and_superseded(session, svc):
    """Issue 11: offline, a lapsed registration (失效) read as revoked. Lapsed and superseded: lapsed (the
    more serious, as the verdicts rank them); revoked and lapsed: revoked."""
    a, b = (f.registration(session, svc.catalogue, svc.clock) for _ in range(2))
    ca, cb = issue(session, svc, a), issue(session, svc, b)
    persons.change_name(session, svc.clock, a.person_id, "改名", "t")          # ca superseded
    registrations.set_status(session, svc.clock, a.registration_number, "lapse", "x", "t")
    registrations.set_status(session, svc.clock, b.registration_number, "lapse", "x", "t")
    registrations.set_status(session, svc.clock, b.registration_number, "cancel", "x", "t")
    bits = entries(session, svc)[2]
    assert (read_entry(bits, ca.id), read_entry(bits, cb.id)) == (LAPSED, REVOKED)


def test_a_list_of_an_odd_size_holds_its_last_entry(session, svc):
    from backend.services.issuance.status_list import build_bitstring
    bits, size = build_bitstring(session, 131073)
    assert size == 131073 and read_entry(bits, size - 1) == OK and len(bits) == 65537


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
