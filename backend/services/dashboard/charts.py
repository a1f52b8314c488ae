"""Each chart's numbers, aggregated by the database. One function per chart, each taking a ChartContext
and answering {"rows": [...]} (plus a chart's own totals); build() runs them all. The SQL is written so
that each aggregate walks one index of 0013_dashboard.py in the order of its groups (bench/
dashboard_bench.py); what differs by dialect (durations, medians, local days) is in small helpers here.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, case, exists, func, literal_column, select
from sqlalchemy.orm import Session, aliased

from backend.models import (
    Application,
    CertificateCopy,
    Enterprise,
    Registration,
    RegistrationSpecialty,
    RegStatus,
    SpecialtyStatus,
    VerificationCount,
)
from backend.services.clock import Clock
from backend.services.dashboard.regions import prefecture_name, province_name
from backend.services.enterprise.signals import HELD, is_constructor, is_safety_b
from backend.services.kinds import Catalogue
from backend.services.workflows.types import TYPES, State

EXPIRY_WINDOWS = (30, 90, 180)
DAYS = 30                       # copies and verifications per day: the last 30 local days, today included
OK, FORGED = ("valid",), ("invalid", "not_found")   # the verdicts of the verifications chart's columns


@dataclass
class ChartContext:
    session: Session
    catalogue: Catalogue
    clock: Clock
    memo: dict = field(default_factory=dict)       # a query two charts share, run once per build

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name


def _kind_names(catalogue: Catalogue, code: str) -> tuple[str, str]:
    k = catalogue.kind(code)
    return (k.name, k.name_en) if k else (code, code)


def _kind_status(c: ChartContext) -> list[tuple[str, str, int]]:
    """(kind, status, count): walks ix_registrations_kind_status in group order."""
    if "kind_status" not in c.memo:
        q = (select(Registration.kind_code, Registration.status, func.count())
             .group_by(Registration.kind_code, Registration.status))
        c.memo["kind_status"] = [tuple(r) for r in c.session.execute(q)]
    return c.memo["kind_status"]


def by_kind(c: ChartContext) -> dict:
    rows: dict[str, dict] = {}
    for kind, status, n in _kind_status(c):
        row = rows.get(kind)
        if row is None:
            name, name_en = _kind_names(c.catalogue, kind)
            row = rows[kind] = {"kind": kind, "name": name, "name_en": name_en, "total": 0,
                                **dict.fromkeys(RegStatus.ALL, 0)}
        row["total"] += n
        if status in RegStatus.ALL:
            row[status] += n
    order = list(c.catalogue.kinds)
    return {"rows": sorted(rows.values(), key=lambda r: (order.index(r["kind"]) if r["kind"] in order else 99,
                                                          r["kind"]))}


def by_status(c: ChartContext) -> dict:
    counts = dict.fromkeys(RegStatus.ALL, 0)
    for _, status, n in _kind_status(c):
        counts[status] = counts.get(status, 0) + n
    return {"rows": [{"status": s, "name": RegStatus.ZH.get(s, s), "name_en": RegStatus.EN.get(s, s), "count": n}
                     for s, n in counts.items()]}


def by_city(c: ChartContext) -> dict:
    """By the employer's city: the prefecture of the registering authority in its credit code (GB 32100,
    positions 3-8), the one place of the enterprise the register holds. Per employer first (in the order of
    ix_registrations_employer_status), then the 20,000-odd employers joined and grouped by prefecture."""
    per_employer = (select(Registration.enterprise_id.label("eid"), func.count().label("n"),
                           func.sum(case((Registration.status == RegStatus.ACTIVE, 1), else_=0)).label("active"))
                    .group_by(Registration.enterprise_id).subquery())
    code = func.substr(Enterprise.uscc, 3, 4)
    q = (select(code, func.sum(per_employer.c.n), func.sum(per_employer.c.active))
         .join(Enterprise, Enterprise.id == per_employer.c.eid).group_by(code))
    merged: dict[tuple, dict] = {}
    for pref, total, active in c.session.execute(q):
        name = prefecture_name(pref) or f"区划 {pref}"
        key = (pref[:2], name)            # old and new codes of one city (1101/1102 北京市) are one row
        row = merged.setdefault(key, {"code": pref, "name": name, "province": pref[:2],
                                      "province_name": province_name(pref[:2]) or pref[:2], "total": 0, "active": 0})
        row["total"] += int(total or 0)
        row["active"] += int(active or 0)
    return {"rows": sorted(merged.values(), key=lambda r: (-r["total"], r["code"]))}


def expiring(c: ChartContext) -> dict:
    """Registrations in force (有效) whose earliest specialty in force ends within 30, 90, 180 days (counted
    cumulatively: the 90 includes the 30), by kind. One range of ix_reg_specialties_until (migration 0018: the
    registration's status and kind are copied onto its specialties), grouped per registration, then per kind."""
    today = c.clock.today()
    limits = [today + dt.timedelta(days=n) for n in EXPIRY_WINDOWS]
    s = RegistrationSpecialty
    first_end = (select(s.kind_code.label("kind"), func.min(s.valid_until).label("until"))
                 .where(s.valid_until.between(today, limits[-1]), s.status == SpecialtyStatus.ACTIVE,
                        s.reg_status == RegStatus.ACTIVE)
                 .group_by(s.registration_id, s.kind_code).subquery())
    q = (select(first_end.c.kind, *[func.sum(case((first_end.c.until <= lim, 1), else_=0)) for lim in limits])
         .group_by(first_end.c.kind))
    rows = []
    for kind, *ns in c.session.execute(q):
        name, name_en = _kind_names(c.catalogue, kind)
        rows.append({"kind": kind, "name": name, "name_en": name_en,
                     **{f"within_{d}": int(n or 0) for d, n in zip(EXPIRY_WINDOWS, ns)}})
    order = list(c.catalogue.kinds)
    rows.sort(key=lambda r: order.index(r["kind"]) if r["kind"] in order else 99)
    totals = {f"within_{d}": sum(r[f"within_{d}"] for r in rows) for d in EXPIRY_WINDOWS}
    return {"rows": rows, "totals": totals, "from_day": today.isoformat()}


def applications(c: ChartContext) -> dict:
    q = select(Application.type, Application.state, func.count()).group_by(Application.type, Application.state)
    rows = []
    for app_type, state, n in c.session.execute(q):
        t = TYPES.get(app_type)
        zh, en = State.NAMES.get(state, (state, state))
        rows.append({"type": app_type, "type_name": t.name if t else app_type, "type_name_en": t.name_en if t else app_type,
                     "state": state, "state_name": zh, "state_name_en": en, "count": n})
    types, states = list(TYPES), list(State.NAMES)
    rows.sort(key=lambda r: (types.index(r["type"]) if r["type"] in types else 99,
                             states.index(r["state"]) if r["state"] in states else 99))
    pending = sum(r["count"] for r in rows if r["state"] in State.PENDING_DECISION)
    return {"rows": rows, "pending_decision": pending}


def _seconds_between(c: ChartContext, start, end):
    if c.dialect == "postgresql":
        return func.extract("epoch", end - start)
    return (func.julianday(end) - func.julianday(start)) * 86400.0


def decision_time(c: ChartContext) -> dict:
    """Median time from first filing to decision, per application type (decided ones: approved, refused).
    PostgreSQL: percentile_cont. SQLite has no percentile function: the middle row (or the mean of the two
    middle rows) by row_number over each type's durations."""
    a = Application
    done = and_(a.decided_at.is_not(None), a.submitted_at.is_not(None))
    secs = _seconds_between(c, a.submitted_at, a.decided_at)
    if c.dialect == "postgresql":
        q = (select(a.type, func.count(), func.percentile_cont(0.5).within_group(secs))
             .where(done).group_by(a.type))
    else:
        d = (select(a.type.label("type"), secs.label("s"),
                    func.row_number().over(partition_by=a.type, order_by=secs).label("rn"),
                    func.count().over(partition_by=a.type).label("n")).where(done).subquery())
        q = (select(d.c.type, func.max(d.c.n), func.avg(d.c.s))
             .where(d.c.rn.in_([(d.c.n + 1) // 2, (d.c.n + 2) // 2])).group_by(d.c.type))
    rows = []
    for app_type, n, median in c.session.execute(q):
        t = TYPES.get(app_type)
        rows.append({"type": app_type, "type_name": t.name if t else app_type,
                     "type_name_en": t.name_en if t else app_type, "decided": int(n),
                     "median_hours": round(float(median) / 3600, 2) if median is not None else None})
    types = list(TYPES)
    rows.sort(key=lambda r: types.index(r["type"]) if r["type"] in types else 99)
    return {"rows": rows}


def signals(c: ChartContext) -> dict:
    """挂证 signals of services/enterprise/signals.py over the whole register, counted in SQL:
    multiple_employers (persons held at two or more employers at once) and safety_b_without_constructor
    (held 安管 B registrations without a held constructor registration of the same person at the same
    employer). registered_elsewhere is seen from one employer's roster or list, not province-wide."""
    r = Registration
    # more than one employer: PostgreSQL sorts each group for a count(DISTINCT), 3x slower than min <> max;
    # SQLite walks the groups in index order either way and counts distinct ones faster
    two = (func.min(r.enterprise_id) != func.max(r.enterprise_id)) if c.dialect == "postgresql" else \
        (func.count(func.distinct(r.enterprise_id)) > 1)
    per_person = select(r.person_id).where(r.status.in_(HELD)).group_by(r.person_id).having(two).subquery()
    multiple = c.session.scalar(select(func.count()).select_from(per_person))
    safety_b = [k for k in c.catalogue.kinds if is_safety_b(c.catalogue, k)]
    builders = [k for k in c.catalogue.kinds if is_constructor(c.catalogue, k)]
    other = aliased(Registration)
    constructor_there = exists().where(other.person_id == r.person_id, other.enterprise_id == r.enterprise_id,
                                       other.kind_code.in_(builders), other.status.in_(HELD))
    b_alone = c.session.scalar(select(func.count()).select_from(r).where(
        r.kind_code.in_(safety_b), r.status.in_(HELD), ~constructor_there)) if safety_b else 0
    return {"rows": [
        {"code": "multiple_employers", "name": "同时在多个单位有有效注册的人员",
         "name_en": "Persons held at more than one employer", "count": int(multiple or 0)},
        {"code": "safety_b_without_constructor", "name": "安管B证持有人不是同一单位的注册建造师",
         "name_en": "安管 B registrations without a constructor registration at the same employer",
         "count": int(b_alone or 0)},
    ]}


def _local_day(c: ChartContext, column):
    """The issuer's calendar day of a naive-UTC column (China keeps one offset all year)."""
    minutes = int(c.clock.local(c.clock.now()).utcoffset().total_seconds() // 60)
    if c.dialect == "postgresql":
        return func.date(column + func.make_interval(0, 0, 0, 0, 0, minutes))
    return func.date(column, literal_column(f"'{minutes:+d} minutes'"))


def _days(c: ChartContext) -> list[dt.date]:
    today = c.clock.today()
    return [today - dt.timedelta(days=i) for i in range(DAYS - 1, -1, -1)]


def copies_per_day(c: ChartContext) -> dict:
    days = _days(c)
    day = _local_day(c, CertificateCopy.issued_at)
    q = (select(day, func.count()).where(CertificateCopy.issued_at >= c.clock.start_of_local_day(days[0]))
         .group_by(day))
    got = {str(d): n for d, n in c.session.execute(q)}
    return {"rows": [{"day": d.isoformat(), "count": got.get(d.isoformat(), 0)} for d in days]}


def verifications_per_day(c: ChartContext) -> dict:
    days = _days(c)
    v = VerificationCount
    q = (select(v.day, v.verdict, v.count).where(v.day >= days[0]))
    rows = {d.isoformat(): {"day": d.isoformat(), "total": 0, "valid": 0, "invalid": 0, "other": 0} for d in days}
    for day, verdict, n in c.session.execute(q):
        row = rows.get(str(day))
        if row is None:
            continue
        row["total"] += n
        row["valid" if verdict in OK else "invalid" if verdict in FORGED else "other"] += n
    return {"rows": list(rows.values())}


CHARTS = {f.__name__: f for f in (by_kind, by_status, by_city, expiring, applications, decision_time, signals,
                                  copies_per_day, verifications_per_day)}


# Charts run in parallel, each group on a connection of its own: the aggregates are independent and each
# reads a different index, so on two CPUs the dashboard takes about the longest group, not the sum
# (by_kind and by_status share one query, so they are one group).
GROUPS = (("by_kind", "by_status"), ("signals",), ("by_city",), ("expiring",), ("decision_time",),
          ("applications", "copies_per_day", "verifications_per_day"))
assert sorted(n for g in GROUPS for n in g) == sorted(CHARTS)


def _parallel_ok(session: Session) -> bool:
    """A connection per thread needs a pool that gives each its own: not an in-memory SQLite database
    (one connection shared by the tests' StaticPool), and not a session inside a transaction that wrote
    (the others would not see its writes)."""
    bind = session.get_bind()
    if bind.dialect.name == "sqlite" and (bind.url.database or ":memory:") in (":memory:", ""):
        return False
    return not (session.new or session.dirty or session.deleted)


def _run_group(engine, catalogue: Catalogue, clock: Clock, names: tuple, timings: dict | None) -> dict:
    """One group on a session of its own; on SQLite a deferred (read) transaction: the thread has not the
    request's transaction mode, and the default, BEGIN IMMEDIATE, would take the write lock, so the groups
    would wait for each other and every writer for them."""
    import time

    from backend.database import DEFERRED, transaction_mode
    with transaction_mode(DEFERRED), Session(bind=engine) as s:
        c = ChartContext(s, catalogue, clock)
        out = {}
        for name in names:
            t0 = time.perf_counter()
            out[name] = CHARTS[name](c)
            if timings is not None:
                timings[name] = time.perf_counter() - t0
        s.rollback()
        return out


def build(session: Session, catalogue: Catalogue, clock: Clock, timings: dict | None = None,
          workers: int = 1) -> dict:
    """Every chart, with the time it was computed (as_of, naive UTC). `timings`, if given, receives each
    chart's seconds (the benchmark prints them). With workers > 1 the groups run on that many threads, each
    on its own connection of the session's engine (see GROUPS); else one after the other in `session`."""
    from concurrent.futures import ThreadPoolExecutor
    as_of = clock.now()
    if workers > 1 and _parallel_ok(session):
        engine = session.get_bind()
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dashboard") as pool:
            parts = list(pool.map(lambda g: _run_group(engine, catalogue, clock, g, timings), GROUPS))
        got = {k: v for part in parts for k, v in part.items()}
        return {"as_of": as_of, "charts": {name: got[name] for name in CHARTS}}
    import time
    c = ChartContext(session, catalogue, clock)
    charts = {}
    for name, fn in CHARTS.items():
        t0 = time.perf_counter()
        charts[name] = fn(c)
        if timings is not None:
            timings[name] = time.perf_counter() - t0
    return {"as_of": as_of, "charts": charts}
