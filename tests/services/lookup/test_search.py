"""The public lookup service: what it finds for names, prefixes and numbers, and what it refuses."""
from __future__ import annotations

import collections

import pytest
from sqlalchemy import select, update

from backend.demo.seed import seed_registry
from backend.extensions import db
from backend.models import Person, Registration, RegistrationSpecialty, RegStatus
from backend.services.errors import ValidationFailed
from backend.services.issuance import copies as issuance
from backend.services.issuance.errors import IssuanceRefused
from backend.services.lookup.search import lookup
from tests import factories as f

LONG_NUMBER = "京2112014201653442"          # Beijing's 17-character form (DOMAIN.md)


@pytest.fixture(scope="module")
def world(app):
    """2,000 seeded persons, one registration renumbered to the 17-character form, one copy issued."""
    e = app.extensions
    with app.app_context():
        s = db.session
        seed_registry(s, e["jz.catalogue"], e["jz.clock"], 2000, seed=3)
        jzs2 = s.scalar(select(Registration.id).where(Registration.kind_code == "JZS2").order_by(Registration.id))
        s.execute(update(Registration).where(Registration.id == jzs2).values(registration_number=LONG_NUMBER))
        s.commit()
        for number in s.scalars(select(Registration.registration_number).where(
                Registration.status == RegStatus.ACTIVE).order_by(Registration.id).limit(50)):
            try:
                copy = issuance.issue_copy(s, e["jz.keystore"].get(), e["jz.catalogue"], e["jz.settings"],
                                           e["jz.clock"], number, "test")
                break
            except IssuanceRefused:
                s.rollback()
        s.commit()
        return {"copy": (copy.identifier, copy.public_id, copy.registration.registration_number)}


@pytest.fixture()
def rows(world, session):
    """(name, person id, registration id, number) of every registration, in lookup order."""
    return sorted(session.execute(select(Person.name, Person.id, Registration.id, Registration.registration_number)
                                  .join(Registration, Registration.person_id == Person.id)).all())


def expected(rows, q):
    return [r[3] for r in rows if r[0].startswith(q)]


def find(session, svc, q, page=None, **kw):
    return lookup(session, svc.catalogue, q, page, **kw)


def test_exact_name_finds_every_registration_of_that_name(rows, session, svc):
    names = collections.Counter(r[0] for r in rows)
    q = next(n for n, _ in names.most_common() if not any(o != n and o.startswith(n) for o in names))
    got = find(session, svc, q)
    assert got.match == "name" and got.total == len(expected(rows, q)) == names[q] and not got.total_capped
    assert [r["registration_number"] for r in got.results] == expected(rows, q)[:20]
    assert {r["name"] for r in got.results} == {q}


def test_prefix_of_two_characters_pages_through_all_matches(rows, session, svc):
    prefixes = collections.Counter(r[0][:2] for r in rows)
    q = next(p for p, _ in prefixes.most_common() if any(r[0] == p for r in rows))   # also an exact name
    want = expected(rows, q)
    assert 10 < len(want) <= 150 and any(len(r[0]) > 2 for r in rows if r[3] in want)
    seen, page = [], 1
    while True:
        got = find(session, svc, q, page, page_size=5)
        assert got.match == "name_prefix" and got.total == len(want) and got.page == page and got.page_size == 5
        if not got.results:
            break
        seen += [r["registration_number"] for r in got.results]
        page += 1
    assert seen == want                                     # ordered by name: exact matches come first
    names = [r["name"] for r in find(session, svc, q).results]
    assert names == sorted(names) and names[0] == q and all(n.startswith(q) for n in names)


def test_a_person_with_two_registrations_appears_twice(rows, session, svc):
    by_person = collections.defaultdict(list)
    for name, pid, _, number in rows:
        by_person[(name, pid)].append(number)
    (name, _), numbers = next((k, v) for k, v in by_person.items() if len(v) == 2 and len(expected(rows, k[0])) <= 20)
    found = [r["registration_number"] for r in find(session, svc, name).results]
    assert set(numbers) <= set(found)


def test_total_is_capped_and_pages_are_limited(rows, session, svc):
    q = collections.Counter(r[0][:2] for r in rows).most_common(1)[0][0]
    assert len(expected(rows, q)) > 10
    got = find(session, svc, q, 2, page_size=5, max_pages=2)
    assert (got.total, got.total_capped, len(got.results)) == (10, True, 5)
    assert [r["registration_number"] for r in got.results] == expected(rows, q)[5:10]
    with pytest.raises(ValidationFailed) as e:
        find(session, svc, q, 3, page_size=5, max_pages=2)
    assert e.value.code == "page_out_of_range"


@pytest.mark.parametrize("form", ["short", "long"])
def test_registration_number_in_13_and_17_characters(form, rows, session, svc):
    number = LONG_NUMBER if form == "long" else next(r[3] for r in rows if r[3][1] in "12" and len(r[3]) == 13)
    got = find(session, svc, number)
    assert got.match == "registration_number" and got.total == 1
    assert got.results[0]["registration_number"] == number and len(number) == (17 if form == "long" else 13)
    assert find(session, svc, f" {number} ").results[0]["registration_number"] == number


def test_seal_number_with_half_and_full_width_brackets(world, session, svc):
    reg = session.scalar(select(Registration).where(Registration.seal_counter == 2).limit(1))
    for q in (f"{reg.registration_number}(02)", f"{reg.registration_number}（02）"):
        got = find(session, svc, q)
        assert got.match == "seal_number" and [r["seal_number"] for r in got.results] == [reg.seal_number]
    assert find(session, svc, f"{reg.registration_number}(01)").results == []      # a replaced seal


def test_certificate_identifier_and_copy_id(world, session, svc):
    identifier, public_id, number = world["copy"]
    for q in (identifier, identifier.lower(), public_id):
        got = find(session, svc, q)
        assert got.match == "certificate" and [r["registration_number"] for r in got.results] == [number]
    assert find(session, svc, identifier[:-5] + "9.999").results == []


def test_results_are_masked_and_complete(world, session, svc):
    number = world["copy"][2]
    got = find(session, svc, number).results[0]
    reg = session.scalar(select(Registration).where(Registration.registration_number == number))
    full = reg.person.id_number
    assert got["id_number"] == full[:6] + "*" * 12 and "phone" not in got      # the region only (docs/privacy.md)
    assert got["employer"] == {"name": reg.enterprise.name, "uscc": reg.enterprise.uscc}
    assert (got["kind"], got["status"], got["status_name"]) == (reg.kind_code, reg.status, RegStatus.ZH[reg.status])
    specs = session.scalars(select(RegistrationSpecialty).where(RegistrationSpecialty.registration_id == reg.id)
                            .order_by(RegistrationSpecialty.id)).all()
    assert [(s["code"], s["valid_until"], s["status"]) for s in got["specialties"]] == [
        (s.specialty_code, s.valid_until.isoformat(), s.status) for s in specs]
    assert full not in repr(find(session, svc, reg.person.name).results)


@pytest.mark.parametrize("q,code", [
    (None, "required"), ("", "required"), ("   ", "required"), ("张" * 65, "too_long"), ("王", "too_short"),
    ("%", "too_short"), ("_", "too_short"), ("*", "too_short"), ("王%", "format"), ("王_", "format"),
    ("王*", "format"), ("<script>alert(1)</script>", "format"), ("' OR 1=1 --", "format"),
    ("王伟' OR '1'='1", "format"), ("京1%", "format"), ("110105194912310021", "format"),
])
def test_bad_queries_are_refused(q, code, world, session, svc):
    with pytest.raises(ValidationFailed) as e:
        find(session, svc, q)
    assert e.value.details["fields"]["q"]["code"] == code


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "１", 0, True, "9" * 20])
def test_bad_pages_are_refused(page, world, session, svc):
    with pytest.raises(ValidationFailed) as e:
        find(session, svc, "王伟", page)
    assert e.value.code in ("validation_failed", "page_out_of_range")


def test_page_beyond_thirty_is_out_of_range(world, session, svc):
    with pytest.raises(ValidationFailed) as e:
        find(session, svc, "王伟", "31")
    assert e.value.code == "page_out_of_range" and e.value.details["max_pages"] == 30


def test_a_latin_name_shaped_like_a_copy_id_is_still_found(world, session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock, p=f.person(session, name="zhangwei"))
    got = find(session, svc, " ZhangWei ".lower())
    assert got.match == "name" and [r["registration_number"] for r in got.results] == [reg.registration_number]
