"""The demo-data seeder: realistic, valid and consistent synthetic data, written in bulk."""
from __future__ import annotations

import collections
import datetime as dt

import pytest
from sqlalchemy import func, select

from backend.demo.seed import seed_registry
from backend.extensions import db
from backend.models import AuditEvent, Enterprise, Person, Qualification, Registration, RegistrationSpecialty, RegStatus
from backend.services.audit import verify_chain
from backend.services.checkdigits import id_check_char, id_number_facts, uscc_ok
from backend.services.clock import add_years
from backend.services.registry import persons, registrations
from backend.services.workflows.lapse import run_lapse
from tests.conftest import dispose, make_app

N = 2000


@pytest.fixture(scope="module")
def seeded(app):
    e = app.extensions
    with app.app_context():
        made = seed_registry(db.session, e["jz.catalogue"], e["jz.clock"], N, seed=11)
    return made


@pytest.fixture()
def data(seeded, session, svc):
    """All seeded rows, read once per test (2,000 persons: small enough to check in Python)."""
    persons = {p.id: p for p in session.scalars(select(Person))}
    regs = session.scalars(select(Registration)).all()
    specs = session.scalars(select(RegistrationSpecialty)).all()
    return persons, regs, specs


def test_counts_and_ids(seeded, session):
    assert session.scalar(select(func.count(Person.id))) == N
    assert session.scalar(select(func.count(Registration.id))) == seeded > N          # some hold two kinds
    assert session.scalar(select(func.count(Enterprise.id))) == N // 50
    assert session.scalar(select(func.max(Person.id))) == N                          # ids allocated in order
    assert session.scalar(select(func.count(Person.id)).where(Person.synthetic.is_(False))) == 0


def test_id_numbers_are_valid_unique_and_agree_with_sex_and_birth(data, svc):
    persons, _, _ = data
    today = svc.clock.today()
    ages, provinces = [], set()
    for p in persons.values():
        facts = id_number_facts(p.id_number)
        assert facts == (p.birth_date, p.sex), p.id_number
        assert p.id_number[:2] in svc.catalogue.provinces
        provinces.add(p.id_number[:2])
        ages.append((today - p.birth_date).days / 365.2425)
    assert len({p.id_number for p in persons.values()}) == len(persons)
    assert min(ages) >= 23 and max(ages) <= 70.01
    assert any(a >= 65 for a in ages) and any(62 <= a < 65 for a in ages)       # near and past the age cap
    assert len(provinces) >= 20


def test_names_are_common_chinese_names_that_repeat(data):
    persons, _, _ = data
    names = collections.Counter(p.name for p in persons.values())
    surnames = collections.Counter(n[0] for n in names.elements())
    assert {s for s, _ in surnames.most_common(5)} <= set("王李张刘陈杨")          # by real frequency
    assert names.most_common(1)[0][1] >= 3                                        # exact names repeat (张伟 ...)
    prefixes = collections.Counter(n[:2] for n in names.elements() if len(n) >= 3)
    assert prefixes.most_common(1)[0][1] >= 10                                    # 王建…: prefixes find many
    assert {len(n) for n in names} >= {2, 3}
    assert all(p.phone and len(p.phone) == 11 and p.phone[0] == "1" for p in persons.values())


def test_enterprises_have_valid_credit_codes_of_their_province(session):
    ents = session.scalars(select(Enterprise)).all()
    assert all(uscc_ok(e.uscc) for e in ents)
    assert all(e.uscc[2:4] == e.province_code and e.uscc[2:8].isdigit() for e in ents)
    assert len({e.uscc for e in ents}) == len(ents) and len({e.name for e in ents}) == len(ents)
    assert all(e.name.endswith("公司") for e in ents)


def test_registration_numbers_follow_their_kind_and_are_unique(data, svc):
    _, regs, _ = data
    for r in regs:
        kind = svc.catalogue.kind(r.kind_code)
        assert kind.number_pattern.match(r.registration_number), r.registration_number
        assert r.registration_number[0] == svc.catalogue.provinces[r.province_code]
        assert 1 <= r.seal_counter <= 3
    assert len({r.registration_number for r in regs}) == len(regs)
    kinds = collections.Counter(r.kind_code for r in regs)
    assert set(kinds) == set(svc.catalogue.kinds)                                 # every kind occurs
    assert [k for k, _ in kinds.most_common(2)] == ["JZS2", "JZS1"]


def test_every_status_occurs_with_a_reason(data):
    _, regs, _ = data
    statuses = collections.Counter(r.status for r in regs)
    assert set(statuses) == set(RegStatus.ALL)
    assert statuses[RegStatus.ACTIVE] > len(regs) * 0.7
    assert all(r.status_reason for r in regs if r.status != RegStatus.ACTIVE)
    assert not any(r.status_reason for r in regs if r.status == RegStatus.ACTIVE)


def test_one_person_one_employer(data):
    _, regs, _ = data
    employers = collections.defaultdict(set)
    for r in regs:
        if r.status in registrations.HELD:
            employers[r.person_id].add(r.enterprise_id)
    assert all(len(e) == 1 for e in employers.values())
    by_person = collections.Counter(r.person_id for r in regs)
    assert any(n == 2 for n in by_person.values())                                # two kinds, same employer


def test_specialties_have_periods_near_and_past_expiry(data, svc):
    persons, regs, specs = data
    today = svc.clock.today()
    reg_of = {r.id: r for r in regs}
    per_reg = collections.Counter(s.registration_id for s in specs)
    assert set(per_reg) == set(reg_of) and set(per_reg.values()) <= {1, 2, 3} and 3 in per_reg.values()
    for s in specs:
        reg, kind = reg_of[s.registration_id], svc.catalogue.kind(reg_of[s.registration_id].kind_code)
        person = persons[reg.person_id]
        cap = add_years(person.birth_date, kind.age_cap_for(person.sex))
        full = add_years(s.valid_from, kind.validity_years) - dt.timedelta(days=1)
        assert s.valid_from <= s.valid_until == min(full, cap)
        assert kind.specialty(s.specialty_code)
        if s.valid_until < today:
            assert s.status != "active"
    active_until = [s.valid_until for s in specs if s.status == "active"]
    for days in (30, 90, 180):
        assert any(today <= u <= today + dt.timedelta(days=days) for u in active_until)
    assert any(s.valid_until < today for s in specs)


def test_statuses_agree_with_the_daily_lapse_rules(data, svc):
    persons, regs, specs = data
    today = svc.clock.today()
    valid = collections.defaultdict(list)
    for s in specs:
        valid[s.registration_id].append(s.valid_until >= today)
    for r in regs:
        if r.status in registrations.HELD:
            p, kind = persons[r.person_id], svc.catalogue.kind(r.kind_code)
            assert any(valid[r.id]), r.registration_number
            assert add_years(p.birth_date, kind.age_cap_for(p.sex)) >= today


def test_the_daily_lapse_job_finds_nothing_to_do(seeded, session, svc):
    assert run_lapse(session, svc.catalogue, svc.clock, actor="test") == {
        "specialties_lapsed": 0, "registrations_lapsed": 0, "age_cap": 0, "employer_cancelled": 0,
        "deceased_cancelled": 0}


def test_qualifications_back_each_specialty(session, data):
    _, _, specs = data
    assert session.scalar(select(func.count(Qualification.id))) == len(specs)


def test_one_audit_event_per_batch(session):
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "demo.seed")).all()
    assert len(events) == 2                                                       # enterprises, one batch of persons
    assert events[1].data["counts"]["persons"] == N and events[1].data["id_ranges"]["persons"] == [1, N]
    assert verify_chain(session)[0]


def test_registry_services_still_insert_after_the_seed(session, svc):
    """Explicit ids must not collide with the next ones the database hands out (PostgreSQL sequences)."""
    first17 = "11010519491231002"                       # born 1949: older than any seeded person
    p = persons.create_person(session, name="测试甲", id_number=first17 + id_check_char(first17), actor="test")
    assert p.id == N + 1


def test_second_call_adds_more_and_keeps_numbers_unique(app, seeded, svc):
    with app.app_context():
        more = seed_registry(db.session, svc.catalogue, svc.clock, 300, seed=11)
        s = db.session
        assert s.scalar(select(func.count(Registration.id))) == seeded + more
        for col in (Person.id_number, Registration.registration_number, Enterprise.uscc):
            assert s.scalar(select(func.count(func.distinct(col)))) == s.scalar(select(func.count(col)))
        assert s.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "demo.seed")) == 4
        assert verify_chain(s)[0]


def test_same_seed_same_data(tmp_path, svc):
    """Deterministic for a given database state (on SQLite and the real clock's day)."""
    dumps = []
    for i in range(2):
        a = make_app(tmp_path / str(i), SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/same{i}.db")
        try:
            with a.app_context():
                seed_registry(db.session, a.extensions["jz.catalogue"], svc.clock, 200, seed=5)
                dumps.append(db.session.execute(select(Person.name, Person.id_number, Registration.registration_number)
                                                .join(Registration, Registration.person_id == Person.id)
                                                .order_by(Registration.id)).all())
        finally:
            dispose(a)
    assert dumps[0] == dumps[1] and len(dumps[0]) > 200
