"""The public lookup service: what it finds for names, prefixes and numbers, narrowed by its filters, and what it
refuses."""
from __future__ import annotations

import collections

import pytest
from sqlalchemy import select, update

from backend.demo.seed import seed_registry
from backend.extensions import db
from backend.models import Enterprise, Person, Registration, RegistrationSpecialty, RegStatus
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


# -- filters, number prefixes, empty and capped answers (issue 11) ----------------------------------------------

@pytest.fixture()
def regs(world, session):
    """Every registration with what the filters look at, in name-lookup order."""
    E = Enterprise
    specs = collections.defaultdict(set)
    for rid, code in session.execute(select(RegistrationSpecialty.registration_id, RegistrationSpecialty.specialty_code)):
        specs[rid].add(code)
    rows = session.execute(select(Person.name, Person.id, Registration.id, Registration.registration_number,
                                  Registration.province_code, Registration.kind_code, E.name, E.short_name, E.uscc)
                           .join(Registration, Registration.person_id == Person.id)
                           .join(E, E.id == Registration.enterprise_id)).all()
    return [collections.namedtuple("Reg", "name pid rid number province kind employer short uscc specs")(*r, specs[r[2]])
            for r in sorted(rows)]


def numbers(page):
    return [r["registration_number"] for r in page.results]


def all_pages(session, svc, q, **kw):
    """Every result of q, page after page (5 per page), and the total of page 1."""
    first = find(session, svc, q, 1, page_size=5, **kw)
    seen, page = numbers(first), 2
    while page <= -(-first.total // 5):
        seen += numbers(find(session, svc, q, page, page_size=5, **kw))
        page += 1
    return first, seen


def test_filters_narrow_a_name_prefix(regs, session, svc):
    q = collections.Counter(r.name[:2] for r in regs).most_common(1)[0][0]
    hits = [r for r in regs if r.name.startswith(q)]
    province = collections.Counter(r.province for r in hits).most_common(1)[0][0]
    kind = collections.Counter(r.kind for r in hits).most_common(1)[0][0]
    specialty = collections.Counter(s for r in hits if r.kind == kind for s in r.specs).most_common(1)[0][0]
    cases = [
        ({"province": province}, lambda r: r.province == province),
        ({"province": svc.catalogue.provinces[province]}, lambda r: r.province == province),   # 苏 as 32
        ({"kind": kind.lower()}, lambda r: r.kind == kind),
        ({"kind": kind, "specialty": specialty}, lambda r: r.kind == kind and specialty in r.specs),
        ({"specialty": specialty}, lambda r: specialty in r.specs),
        ({"province": province, "kind": kind}, lambda r: r.province == province and r.kind == kind),
    ]
    for kw, keep in cases:
        want = [r.number for r in hits if keep(r)]
        assert 0 < len(want) < len(hits), kw
        first, seen = all_pages(session, svc, q, **kw)
        assert (first.total, first.total_capped, seen) == (len(want), False, want), kw
        assert first.filters.province in (None, province) and first.match == "name_prefix"


def test_employer_filter_by_part_of_its_name_or_its_credit_code(regs, session, svc):
    r0 = next(r for r in regs if sum(x.employer == r.employer for x in regs) >= 3)
    q = r0.name[:2]
    part = r0.employer[2:8]                                   # text within the name, not its start
    want = [r.number for r in regs if r.name.startswith(q) and (part in r.employer or part in r.short)]
    first, seen = all_pages(session, svc, q, employer=f"  {part} ")
    assert r0.number in seen and seen == want and first.total == len(want)
    by_code = find(session, svc, q, employer=r0.uscc.lower())
    assert numbers(by_code) == [r.number for r in regs if r.name.startswith(q) and r.uscc == r0.uscc]
    assert by_code.as_json()["filters"]["employer"] == r0.uscc
    # LIKE's wildcards are plain characters here: "%%" and "__" match no employer's name
    for text in ("%%", "__", "%_"):
        assert find(session, svc, q, employer=text).results == []


def test_filters_apply_to_whole_numbers_too(regs, session, svc):
    r = regs[0]
    other = next(p for p in svc.catalogue.provinces if p != r.province)
    assert numbers(find(session, svc, r.number, province=r.province, kind=r.kind)) == [r.number]
    got = find(session, svc, r.number, province=other)
    assert (got.total, got.results, got.match) == (0, [], "registration_number")


def test_a_partial_number_is_searched_as_a_prefix(regs, session, svc):
    r0 = next(r for r in regs if r.kind in ("JZS1", "JZS2") and len(r.number) == 13)
    for q in (r0.number[:9], r0.number[:8]):                        # 苏2322526 …: with the province
        want = sorted(r.number for r in regs if r.number.startswith(q))
        first, seen = all_pages(session, svc, q)
        assert first.match == "number_prefix" and seen == want and first.total == len(want) and r0.number in seen
    tail = r0.number[1:7]                                           # 232252: without it, every province
    want = [r.number for r in sorted(regs, key=lambda r: (r.number[1:], r.rid)) if r.number[1:].startswith(tail)]
    first, seen = all_pages(session, svc, tail)
    assert first.match == "number_prefix" and seen == want and r0.number in seen
    assert len({n[0] for n in want}) >= 1
    # with a province, the part without it finds what the part with it finds
    first, seen = all_pages(session, svc, tail, province=r0.province)
    assert seen == sorted(n for n in want if n[0] == r0.number[0])
    # full-width digits and spaces are read as typed on a phone
    assert numbers(find(session, svc, " ".join(r0.number[:8]).translate(str.maketrans("0123456789", "０１２３４５６７８９")))) \
        == numbers(find(session, svc, r0.number[:8]))


def test_an_anguan_number_prefix(regs, session, svc):
    r0 = next(r for r in regs if r.kind.startswith("AQ"))
    q = r0.number[:9]                                               # 京建安A(2015
    want = sorted(r.number for r in regs if r.number.startswith(q))
    _, seen = all_pages(session, svc, q.replace("(", "（"))
    assert seen == want and r0.number in seen


@pytest.mark.parametrize("q", ["苏23225", "23225", "京2", "建安A(2"])
def test_too_short_a_part_of_a_number_says_how_much_is_needed(q, world, session, svc):
    with pytest.raises(ValidationFailed) as e:
        find(session, svc, q)
    f = e.value.details["fields"]["q"]
    assert f["code"] == "too_short" and "6" in f["message"] and "6" in f["message_en"]


def test_nothing_found_is_an_empty_page_not_an_error(world, session, svc):
    for q in ("无此人名", "京999999", "999999", "京111050700001"):
        got = find(session, svc, q)
        assert (got.total, got.total_capped, got.results) == (0, False, []), q


def test_a_capped_total_is_a_lower_bound(regs, session, svc):
    tail = collections.Counter(r.number[1:7] for r in regs if r.kind in ("JZS1", "JZS2")).most_common(1)[0]
    assert tail[1] > 4
    got = find(session, svc, tail[0], 2, page_size=2, max_pages=2)
    assert (got.total, got.total_capped, len(got.results)) == (4, True, 2)
    exact = find(session, svc, tail[0], page_size=100, max_pages=1)
    assert (exact.total, exact.total_capped) == (tail[1], False)


def test_bad_filters_are_refused_together(world, session, svc):
    with pytest.raises(ValidationFailed) as e:
        find(session, svc, "王伟", province="火星", kind="XX", specialty="ZZ", employer="a")
    fields = e.value.details["fields"]
    assert {k: v["code"] for k, v in fields.items()} == {
        "province": "choice", "kind": "choice", "specialty": "choice", "employer": "too_short"}
    assert all(v["message"] and v["message_en"] for v in fields.values())
    with pytest.raises(ValidationFailed) as e:                      # 铁路 is a 一级 specialty only
        find(session, svc, "王伟", kind="JZS2", specialty="TL")
    assert set(e.value.details["fields"]) == {"specialty"}
    with pytest.raises(ValidationFailed) as e:
        find(session, svc, "王伟", employer="建" * 101)
    assert e.value.details["fields"]["employer"]["code"] == "too_long"
    assert find(session, svc, "王伟", province="", kind=" ", specialty=None, employer="").filters.keys() == ()


def test_no_oracle_for_id_numbers(regs, session, svc):
    """An ID number is refused by its shape, the same for one on file and one that is not; a part of one
    is a part of a registration number like any other: what it finds depends on the numbers alone."""
    person = session.scalar(select(Person).order_by(Person.id).limit(1))
    absent = "11010519491231002X"
    assert session.scalar(select(Person.id).where(Person.id_number == absent)) is None
    answers = []
    for idn in (person.id_number, absent, absent.lower()):
        with pytest.raises(ValidationFailed) as e:
            find(session, svc, idn)
        answers.append(e.value.details)
    assert answers[0] == answers[1] == answers[2] and answers[0]["fields"]["q"]["code"] == "format"
    for n in (6, 10, 14, 16):
        part = person.id_number[:n]
        want = [r.number for r in sorted(regs, key=lambda r: (r.number[1:], r.rid)) if r.number[1:].startswith(part)]
        assert numbers(find(session, svc, part, page_size=100, max_pages=1)) == want[:100]


def test_new_kinds_of_answer_are_masked_as_before(regs, session, svc):
    r0 = next(r for r in regs if r.kind in ("JZS1", "JZS2") and len(r.number) == 13)
    full = {p.id: p.id_number for p in session.scalars(select(Person))}
    for got in (find(session, svc, r0.number[1:8]), find(session, svc, r0.name[:2], province=r0.province),
                find(session, svc, r0.name[:2], employer=r0.uscc)):
        assert got.results
        for res in got.results:
            idn = res["id_number"]
            assert idn == "*" * 18 or (idn[6:] == "*" * 12 and len(idn) == 18)
            assert "birth_date" not in res and "phone" not in res
        assert not any(v in repr(got.as_json()) for v in full.values())


# -- the holder's name as the database copies it for the walks (migration 0010) ---------------------------------

def test_a_new_registration_and_a_renamed_holder_are_found_by_the_name_now(world, session, svc):
    from backend.services.registry.persons import change_name
    p = f.person(session, name="甄试名")
    reg = f.registration(session, svc.catalogue, svc.clock, p=p, kind="JZS2", specialties=("JZ", "SZ"))
    session.flush()
    copied = session.execute(select(RegistrationSpecialty.person_name, RegistrationSpecialty.person_id)
                             .where(RegistrationSpecialty.registration_id == reg.id)).all()
    assert copied == [("甄试名", p.id)] * 2
    for kw in ({}, {"kind": "JZS2", "specialty": "SZ"}, {"province": reg.province_code}):
        assert numbers(find(session, svc, "甄试名", **kw)) == [reg.registration_number], kw
    change_name(session, svc.clock, p.id, "甄新名", "test")
    session.flush()
    for kw in ({}, {"kind": "JZS2", "specialty": "JZ"}, {"kind": "JZS2"}):
        assert numbers(find(session, svc, "甄试名", **kw)) == [], kw
        assert numbers(find(session, svc, "甄新名", **kw)) == [reg.registration_number], kw


def test_a_name_written_around_the_application_is_corrected_by_the_database(world, session, svc):
    """Whoever writes (an import, a hand-made UPDATE), the copy follows the person's name."""
    reg = session.scalars(select(Registration).order_by(Registration.id.desc()).limit(1)).one()
    session.execute(update(Registration).where(Registration.id == reg.id).values(person_name="伪造名"))
    name = session.scalar(select(Person.name).where(Person.id == reg.person_id))
    assert session.scalar(select(Registration.person_name).where(Registration.id == reg.id)) == name


def test_an_employer_typed_with_latin_letters_matches_either_case(world, session, svc):
    ent = f.enterprise(session, svc.catalogue, name="苏州ABCd建设工程有限公司")
    p = f.person(session, name="甄拉丁")
    reg = f.registration(session, svc.catalogue, svc.clock, p=p, ent=ent)
    session.flush()
    for employer in ("abcD", "ABCD", "Cd建设"):
        for kw in ({}, {"kind": "JZS2", "specialty": "JZ"}):
            assert numbers(find(session, svc, "甄拉", employer=employer, **kw)) == [reg.registration_number], employer
    assert numbers(find(session, svc, "甄拉", employer="abce")) == []
