"""The authority's register search: each kind of query, the filters, honest totals and paging, and what it
refuses (as field errors naming the field)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from backend.demo.seed import seed_registry
from backend.extensions import db
from backend.models import Enterprise, Person, Registration, RegistrationSpecialty, RegStatus
from backend.services.errors import ValidationFailed
from backend.services.issuance import copies as issuance
from backend.services.issuance.errors import IssuanceRefused
from backend.services.register import search as rs
from backend.services.registry import persons
from tests import factories as f


@pytest.fixture(scope="module")
def world(app):
    """500 seeded persons, one copy issued, one person without any registration."""
    e = app.extensions
    with app.app_context():
        s = db.session
        seed_registry(s, e["jz.catalogue"], e["jz.clock"], 500, seed=5)
        s.commit()
        copy = None
        for number in s.scalars(select(Registration.registration_number).where(
                Registration.status == RegStatus.ACTIVE).order_by(Registration.id).limit(50)):
            try:
                copy = issuance.issue_copy(s, e["jz.keystore"].get(), e["jz.catalogue"], e["jz.settings"],
                                           e["jz.clock"], number, "test")
                break
            except IssuanceRefused:
                s.rollback()
        loner = persons.create_person(s, name="欧阳无证", id_number=f.id_number(dt.date(1990, 3, 4), "F"), actor="test")
        s.commit()
        return {"copy_id": copy.public_id, "identifier": copy.identifier, "copy_reg": copy.registration_id,
                "loner": loner.id, "loner_id_number": loner.id_number}


def run(session, svc, **kw):
    return rs.search(session, svc.catalogue, svc.clock.today(), **kw)


def test_a_name_prefix_finds_every_registration_of_every_name_starting_with_it(session, svc, world):
    surname = session.scalar(select(Person.name).join(Registration, Registration.person_id == Person.id)
                             .order_by(Person.id).limit(1))[0]
    want = session.scalar(select(func.count()).select_from(Person).join(Registration, Registration.person_id == Person.id)
                          .where(Person.name.like(surname + "%")))
    got = run(session, svc, q=surname, page_size=100)
    assert got["match"] == "name" and got["total"] == want and not got["total_capped"]
    assert all(h["person"]["name"].startswith(surname) for h in got["results"])
    names = [h["person"]["name"] for h in got["results"]]
    assert names == sorted(names)                                  # in name order
    assert all(len(h["person"]["id_number"]) == 18 for h in got["results"])     # in full


def test_a_person_without_registration_is_found_by_name_and_id_number(session, svc, world):
    by_name = run(session, svc, q="欧阳无证")
    assert by_name["total"] == 1 and by_name["results"][0]["registration"] is None
    by_id = run(session, svc, q=world["loner_id_number"])
    assert by_id["match"] == "id_number" and by_id["results"][0]["person"]["id"] == world["loner"]
    # a registration filter leaves out a person who has none
    assert run(session, svc, q="欧阳无证", status="active")["total"] == 0


def test_numbers_seal_copy_and_employer(session, svc, world):
    r = session.scalar(select(Registration).where(Registration.id == world["copy_reg"]))
    for q, match in ((r.registration_number, "registration_number"), (r.seal_number, "seal_number"),
                     (world["identifier"], "certificate"), (world["copy_id"], "copy_id")):
        got = run(session, svc, q=q)
        assert (got["match"], got["total"]) == (match, 1), q
        assert got["results"][0]["registration"]["registration_number"] == r.registration_number
    prefix = run(session, svc, q=r.registration_number[:8])
    assert prefix["match"] == "number_prefix" and prefix["total"] >= 1
    assert all(h["registration"]["registration_number"].startswith(r.registration_number[:8]) for h in prefix["results"])
    ent = r.enterprise
    at_ent = session.scalar(select(func.count()).select_from(Registration).where(Registration.enterprise_id == ent.id))
    by_uscc = run(session, svc, q=ent.uscc)
    assert by_uscc["match"] == "employer_uscc" and by_uscc["total"] == at_ent
    assert by_uscc["enterprises"][0]["uscc"] == ent.uscc
    by_name = run(session, svc, q=ent.name, by="employer")
    assert by_name["match"] == "employer_name" and by_name["total"] >= at_ent
    assert ent.uscc in {e["uscc"] for e in by_name["enterprises"]}


def test_filters_narrow_and_count_exactly(session, svc, world):
    R = Registration
    kind, province = session.execute(select(R.kind_code, R.province_code).order_by(R.id).limit(1)).one()
    want = session.scalar(select(func.count()).select_from(R).where(R.kind_code == kind, R.province_code == province,
                                                                  R.status == RegStatus.ACTIVE))
    got = run(session, svc, kind=kind, province=province, status="active", page_size=100)
    assert got["match"] == "none" and got["total"] == want
    assert all(h["registration"]["kind"] == kind and h["registration"]["province_code"] == province
               and h["registration"]["status"] == "active" for h in got["results"])
    assert got["filters"] == {"kind": kind, "status": "active", "province": province, "employer": None,
                              "expiring_within": None}


def test_expiring_within_lists_the_soonest_first(session, svc, world):
    S = RegistrationSpecialty
    today = svc.clock.today()
    until = today + dt.timedelta(days=180)
    want = session.scalar(select(func.count(S.registration_id.distinct())).where(
        S.status == "active", S.valid_until >= today, S.valid_until <= until))
    got = run(session, svc, expiring_within=180, page_size=100)
    assert got["total"] == want > 0
    firsts = [h["registration"]["next_expiry"] for h in got["results"]]
    assert firsts == sorted(firsts) and all(today.isoformat() <= d <= until.isoformat() for d in firsts)


def test_pages_and_the_cap(session, svc, world, monkeypatch):
    total = run(session, svc)["total"]
    one = run(session, svc, page=1, page_size=7)
    two = run(session, svc, page=2, page_size=7)
    assert one["pages"] == -(-total // 7) and not {h["registration"]["registration_number"] for h in one["results"]} & {
        h["registration"]["registration_number"] for h in two["results"]}
    with pytest.raises(ValidationFailed) as e:
        run(session, svc, page=one["pages"] + 1, page_size=7)
    assert e.value.code == "page_out_of_range"
    monkeypatch.setattr(rs, "MAX_COUNT", 50)                # beyond the cap: "at least", and no page past it
    capped = run(session, svc, page_size=10)
    assert (capped["total"], capped["total_capped"], capped["pages"]) == (50, True, 5)


@pytest.mark.parametrize("kw,field", [
    ({"status": "gone"}, "status"), ({"kind": "NOPE"}, "kind"), ({"province": "火星"}, "province"),
    ({"expiring_within": "0"}, "expiring_within"), ({"expiring_within": "99999"}, "expiring_within"),
    ({"page": "0"}, "page"), ({"page_size": "1000"}, "page_size"), ({"by": "shoe_size", "q": "x"}, "by"),
    ({"q": "苏23"}, "q"), ({"q": "!!??"}, "q"), ({"q": "王", "by": "seal_number"}, "q"), ({"by": "name"}, "q"),
    ({"q": "x" * 200}, "q"),
])
def test_bad_values_are_field_errors(session, svc, world, kw, field):
    with pytest.raises(ValidationFailed) as e:
        run(session, svc, **kw)
    assert e.value.status == 422 and field in e.value.details["fields"]


def test_several_bad_values_are_named_together(session, svc, world):
    with pytest.raises(ValidationFailed) as e:
        run(session, svc, q="!!??", status="gone", kind="NOPE")
    assert set(e.value.details["fields"]) == {"q", "status", "kind"}


def test_an_employer_filter_takes_a_name_part_or_a_credit_code(session, svc, world):
    ent = session.scalar(select(Enterprise).join(Registration, Registration.enterprise_id == Enterprise.id).limit(1))
    by_code = run(session, svc, employer=ent.uscc, page_size=100)
    assert by_code["total"] >= 1 and all(h["registration"]["employer"]["uscc"] == ent.uscc for h in by_code["results"])
    session.execute(update(Enterprise).where(Enterprise.id == ent.id).values(name="独一无二测试建设有限公司"))
    by_text = run(session, svc, employer="独一无二", page_size=100)
    assert by_text["total"] == by_code["total"]
