"""The dashboard's aggregates (SQL, services/dashboard/charts.py) against the same numbers computed here in
plain Python over the rows of a small seeded register; the median decision time against statistics.median;
the verification tally's batched UPSERT."""
from __future__ import annotations

import datetime as dt
import secrets
import statistics
from collections import Counter

import pytest
from sqlalchemy import select

from backend.demo.seed import seed_registry
from backend.models import Application, Enterprise, Registration, RegistrationSpecialty, VerificationCount
from backend.services.clock import Clock
from backend.services.dashboard import charts
from backend.services.dashboard.export import chart_csv
from backend.services.dashboard.tally import VerificationTally
from backend.services.enterprise.signals import HELD, is_constructor, is_safety_b


@pytest.fixture(scope="module")
def seeded(engine, app):
    from sqlalchemy.orm import Session
    e = app.extensions
    with Session(engine) as s:
        seed_registry(s, e["jz.catalogue"], e["jz.clock"], 600, seed=11)
    return True


@pytest.fixture()
def ctx(session, svc, seeded):
    return charts.ChartContext(session, svc.catalogue, svc.clock)


def test_counts_by_kind_status_and_city(ctx, session):
    regs = session.scalars(select(Registration)).all()
    assert len(regs) > 600
    by_kind = {r["kind"]: r for r in charts.by_kind(ctx)["rows"]}
    assert {k: r["total"] for k, r in by_kind.items()} == Counter(r.kind_code for r in regs)
    assert {(k, s): r[s] for k, r in by_kind.items() for s in ("active", "suspended", "revoked") if r[s]} == \
        {k: n for k, n in Counter((r.kind_code, r.status) for r in regs).items() if k[1] in ("active", "suspended", "revoked")}
    assert {r["status"]: r["count"] for r in charts.by_status(ctx)["rows"] if r["count"]} == Counter(r.status for r in regs)
    uscc = dict(session.execute(select(Enterprise.id, Enterprise.uscc)).all())
    cities = Counter(uscc[r.enterprise_id][2:6] for r in regs)
    rows = charts.by_city(ctx)["rows"]
    assert sum(r["total"] for r in rows) == len(regs)
    for r in rows:
        if r["code"] not in ("1101", "1201", "3101", "5001"):       # municipalities merge their old codes
            assert r["total"] == cities[r["code"]], r
    assert sum(r["active"] for r in rows) == sum(r.status == "active" for r in regs)
    assert all(r["name"] and not r["name"].startswith("区划") for r in rows)      # every demo code has its name


def test_expiring_within_30_90_180_days(ctx, session, svc):
    today = svc.clock.today()
    first_end: dict[int, dt.date] = {}
    for sp in session.scalars(select(RegistrationSpecialty).where(RegistrationSpecialty.status == "active")):
        if today <= sp.valid_until <= today + dt.timedelta(days=180):
            first_end[sp.registration_id] = min(first_end.get(sp.registration_id, sp.valid_until), sp.valid_until)
    kind = dict(session.execute(select(Registration.id, Registration.kind_code).where(Registration.status == "active")).all())
    got = charts.expiring(ctx)
    for days in (30, 90, 180):
        want = Counter(kind[rid] for rid, end in first_end.items() if rid in kind and end <= today + dt.timedelta(days=days))
        assert {r["kind"]: r[f"within_{days}"] for r in got["rows"] if r[f"within_{days}"]} == want
        assert got["totals"][f"within_{days}"] == sum(want.values())
    assert got["totals"]["within_180"] > 0


def test_signals_are_those_of_the_roster_rules(ctx, session, svc):
    held = session.scalars(select(Registration).where(Registration.status.in_(HELD))).all()
    employers: dict[int, set] = {}
    for r in held:
        employers.setdefault(r.person_id, set()).add(r.enterprise_id)
    builders = {(r.person_id, r.enterprise_id) for r in held if is_constructor(svc.catalogue, r.kind_code)}
    b_alone = sum(1 for r in held if is_safety_b(svc.catalogue, r.kind_code) and (r.person_id, r.enterprise_id) not in builders)
    got = {r["code"]: r["count"] for r in charts.signals(ctx)["rows"]}
    assert got == {"multiple_employers": sum(len(v) > 1 for v in employers.values()),
                   "safety_b_without_constructor": b_alone}
    assert b_alone > 0


def _app(session, reg, state, submitted, decided, type_="renewal"):
    session.add(Application(public_id="ap_" + secrets.token_hex(8), type=type_, state=state, person_id=reg.person_id,
                            registration_id=reg.id, enterprise_id=reg.enterprise_id, filed_by="holder",
                            submitted_at=submitted, decided_at=decided, decision_mode="review"))


def test_applications_and_the_median_decision_time(ctx, session):
    regs = session.scalars(select(Registration).limit(9)).all()
    t0 = dt.datetime(2026, 10, 1, 8)
    hours = [5, 1, 30, 2, 8, 100]                       # renewal: median 6.5 h (an even count)
    for reg, h in zip(regs, hours):
        _app(session, reg, "approved", t0, t0 + dt.timedelta(hours=h))
    _app(session, regs[6], "refused", t0, t0 + dt.timedelta(hours=3), "cancel")     # cancel: one, 3 h
    _app(session, regs[7], "submitted", t0, None)
    _app(session, regs[8], "confirmed", t0, None, "change_employer")
    session.flush()
    got = charts.applications(ctx)
    assert {(r["type"], r["state"]): r["count"] for r in got["rows"]} == {
        ("renewal", "approved"): 6, ("cancel", "refused"): 1, ("renewal", "submitted"): 1, ("change_employer", "confirmed"): 1}
    assert got["pending_decision"] == 2
    med = {r["type"]: (r["decided"], r["median_hours"]) for r in charts.decision_time(ctx)["rows"]}
    assert med == {"renewal": (6, statistics.median(hours)), "cancel": (1, 3.0)}


def test_the_tally_adds_up_and_the_chart_reads_it(ctx, session, engine):
    clock = Clock(fixed=dt.datetime(2026, 11, 30, 20, 0))      # 04:00 on 1 December in Beijing
    tally = VerificationTally(clock, flush_seconds=3600)
    assert tally.add(["valid", "valid", "invalid"]) is False       # not due yet: nothing written
    assert tally.flush(engine) == 3
    tally.add(["valid", "expired", "not_found"])
    assert tally.flush(engine) == 3 and tally.flush(engine) == 0
    day = dt.date(2026, 12, 1)
    with engine.connect() as c:
        q = select(VerificationCount.verdict, VerificationCount.count).where(VerificationCount.day == day)
        rows = dict(c.execute(q).all())
    assert rows == {"valid": 3, "invalid": 1, "expired": 1, "not_found": 1}
    got = charts.verifications_per_day(charts.ChartContext(session, ctx.catalogue, clock))["rows"]
    assert len(got) == 30 and got[-1] == {"day": "2026-12-01", "total": 6, "valid": 3, "invalid": 2, "other": 1}


def test_csv_has_a_bom_and_chinese_headers(ctx):
    data = chart_csv("by_status", charts.by_status(ctx))
    text = data.decode("utf-8")
    assert text.startswith("\ufeff状态代码,状态,注册数\r\n")
    assert len(text.strip().splitlines()) == 1 + 6


def _expiring_active(session, today) -> Registration:
    """An active registration with an active specialty ending within 30 days."""
    q = (select(Registration).join(RegistrationSpecialty, RegistrationSpecialty.registration_id == Registration.id)
         .where(Registration.status == "active", RegistrationSpecialty.status == "active",
                RegistrationSpecialty.valid_until.between(today, today + dt.timedelta(days=30))).limit(1))
    return session.scalars(q).one()


def test_a_suspension_leaves_the_expiring_count_at_once(ctx, session, svc):
    """The chart reads the registration's status copied onto its specialties (migration 0018): set_status
    moves it there, and a hand-made UPDATE of the copy is put back by the database."""
    from sqlalchemy import update

    from backend.services.registry.registrations import set_status
    today = svc.clock.today()
    reg = _expiring_active(session, today)
    before = charts.expiring(ctx)["totals"]["within_30"]
    set_status(session, svc.clock, reg.registration_number, "suspend", "测试暂扣", "test")
    session.flush()
    copied = set(session.scalars(select(RegistrationSpecialty.reg_status)
                                 .where(RegistrationSpecialty.registration_id == reg.id)))
    assert copied == {"suspended"}
    assert charts.expiring(ctx)["totals"]["within_30"] == before - 1
    session.execute(update(RegistrationSpecialty).where(RegistrationSpecialty.registration_id == reg.id)
                    .values(reg_status="active"))
    assert set(session.scalars(select(RegistrationSpecialty.reg_status)
                               .where(RegistrationSpecialty.registration_id == reg.id))) == {"suspended"}
    assert charts.expiring(ctx)["totals"]["within_30"] == before - 1


def test_the_charts_on_threads_equal_the_charts_one_by_one(session, svc, seeded, engine):
    """The API runs the chart groups on threads, a connection each: the same numbers as one by one."""
    from sqlalchemy.orm import Session
    with Session(engine) as s:
        assert charts._parallel_ok(s)               # a file or a server: the threads' path is taken
        alone = charts.build(s, svc.catalogue, svc.clock)["charts"]
        threaded = charts.build(s, svc.catalogue, svc.clock, workers=3)["charts"]
    assert threaded == alone and list(threaded) == list(charts.CHARTS)
