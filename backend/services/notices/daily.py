"""The daily job's notices (`flask --app backend notices`): for each valid specialty of an active
registration whose holder or employer has an account — the renewal window is open (延续注册, the window of
the kind, or the province's RENEWAL_WINDOW), it closes in N days (NOTICE_CLOSING_DAYS), or under 180 days
of validity are left (Jiangsu FAQ Q36). Each notice's key names its specialty and validity date (and N):
running the job twice, or missing a day, makes each notice once."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from backend.models import (
    Account,
    Application,
    Enterprise,
    Person,
    Registration,
    RegistrationSpecialty,
    RegStatus,
    Role,
    SpecialtyStatus,
)
from backend.services.clock import Clock, age_cap_date
from backend.services.kinds import Catalogue
from backend.services.notices import events, post, texts
from backend.services.workflows.types import State, WorkflowPolicy


def _open_renewals(session: Session) -> set[tuple[int, str]]:
    rows = session.execute(select(Application.registration_id, Application.specialties).where(
        Application.type == "renewal", Application.state.in_(State.OPEN), Application.registration_id.is_not(None)))
    return {(rid, code) for rid, specs in rows for code in specs or []}


def _horizon(catalogue: Catalogue, policy: WorkflowPolicy, short_days: int) -> int:
    opens = [k.renewal_opens_days for k in catalogue.kinds.values()]
    opens += [int(w[0]) for w in policy.renewal_window.values()]
    return max([short_days, *opens])


def due(session: Session, catalogue: Catalogue, clock: Clock, policy: WorkflowPolicy, *, short_days: int = 180,
        closing_days: tuple[int, ...] = (14, 3)) -> list[dict]:
    """The rows of every notice due today (those made before are dropped by the insert)."""
    today, now = clock.today(), clock.now()
    R, S = Registration, RegistrationSpecialty
    holder = exists().where(Account.person_id == R.person_id, Account.role == Role.HOLDER, Account.active.is_(True))
    staff = exists().where(Account.enterprise_id == R.enterprise_id, Account.role == Role.ENTERPRISE,
                           Account.active.is_(True))
    rows = session.execute(
        select(R.id, R.registration_number, R.kind_code, R.person_id, R.enterprise_id, Person.birth_date, Person.sex,
               Enterprise.province_code, S.specialty_code, S.valid_until)
        .join(S, S.registration_id == R.id).join(Person, Person.id == R.person_id)
        .join(Enterprise, Enterprise.id == R.enterprise_id)
        .where(S.status == SpecialtyStatus.ACTIVE, S.valid_until >= today,
               S.valid_until <= today + dt.timedelta(days=_horizon(catalogue, policy, short_days)),
               R.status == RegStatus.ACTIVE, or_(holder, staff))
        .order_by(R.id, S.specialty_code)).all()
    if not rows:
        return []
    persons = post.persons_with_accounts(session, [r.person_id for r in rows])
    ents = post.enterprises_with_accounts(session, [r.enterprise_id for r in rows])
    renewing = _open_renewals(session)
    out = []
    for r in rows:
        kind = catalogue.kinds.get(r.kind_code)
        if kind is None:
            continue
        name = texts.spec_names(kind)(r.specialty_code)
        audiences = ([{"person_id": r.person_id}] if r.person_id in persons else []) + \
            ([{"enterprise_id": r.enterprise_id}] if r.enterprise_id in ents else [])
        left = (r.valid_until - today).days
        opens, closes = policy.window_for(kind, r.province_code)
        cap = age_cap_date(r.birth_date, kind.age_cap_for(r.sex))
        # as the warnings say (staff_warnings.py): no renewal of a period the age cap already cuts
        renewable = cap > r.valid_until + dt.timedelta(days=1) and (r.id, r.specialty_code) not in renewing
        base = {"registration_number": r.registration_number, "specialty": r.specialty_code,
                "valid_until": r.valid_until.isoformat()}
        event = f"{r.id}:{r.specialty_code}:{r.valid_until.isoformat()}"
        for who in audiences:
            if renewable and closes <= left <= opens:
                open_day, close_day = r.valid_until - dt.timedelta(days=opens), r.valid_until - dt.timedelta(days=closes)
                out.append(post.row(now=now, kind="renewal_open", event=event, registration_id=r.id, **who,
                                    text=texts.renewal_open(r.registration_number, name, r.valid_until, open_day,
                                                            close_day),
                                    data={**base, "opens": open_day.isoformat(), "closes": close_day.isoformat()}))
                to_close = left - closes
                n = min((d for d in closing_days if d >= to_close and d < opens - closes), default=None)
                if n is not None:
                    out.append(post.row(now=now, kind="renewal_closing", event=f"{event}:{n}", registration_id=r.id,
                                        **who, text=texts.renewal_closing(r.registration_number, name, r.valid_until,
                                                                          close_day, to_close),
                                        data={**base, "closes": close_day.isoformat(), "days": to_close}))
            if left < short_days:
                out.append(events.short_row(r.id, r.registration_number, r.specialty_code, r.valid_until, name,
                                            short_days, now, who))
    return out


def run_daily(session: Session, catalogue: Catalogue, clock: Clock, policy: WorkflowPolicy, *, short_days: int = 180,
              closing_days: tuple[int, ...] = (14, 3)) -> dict:
    rows = due(session, catalogue, clock, policy, short_days=short_days, closing_days=closing_days)
    made = post.insert(session, rows)
    session.flush()
    return {"notices_due": len(rows), "notices_created": made}
