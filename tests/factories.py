"""Test data made through the real registry services (factories, not hand-written rows)."""
from __future__ import annotations

import datetime as dt
import itertools
import random

from backend.services.checkdigits import id_check_char, uscc_check_char
from backend.services.clock import Clock
from backend.services.registry import enterprises, persons, registrations

_seq = itertools.count(1)
_rnd = random.Random(7)


def id_number(birth: dt.date, sex: str) -> str:
    """Unique within a test run: the counter walks sequence numbers, then region codes."""
    n = next(_seq)
    region = 320102 + n // 400
    seq = (n % 400) * 2 + 11 + (0 if sex == "M" else 1)     # odd = male
    first17 = f"{region:06d}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


def uscc(region: str = "320500") -> str:
    n = next(_seq)
    first17 = f"91{region}MA{n:05d}{_rnd.randint(10, 99)}"[:17]
    return first17 + uscc_check_char(first17)


def person(session, *, name="测试人", sex="M", birth=dt.date(1985, 3, 1), actor="test"):
    return persons.create_person(session, name=name, id_number=id_number(birth, sex), actor=actor)


def enterprise(session, catalogue, *, name=None, region="320500"):
    code = uscc(region)
    return enterprises.create_enterprise(session, catalogue, name=name or f"测试建设有限公司{code[-6:]}", uscc=code,
                                         actor="test")


def registration(session, catalogue, clock: Clock, *, p=None, ent=None, kind="JZS2", specialties=("JZ", "SZ"),
                 sex="M", birth=dt.date(1985, 3, 1)):
    p = p or person(session, sex=sex, birth=birth)
    ent = ent or enterprise(session, catalogue)
    return registrations.create_registration(session, catalogue, clock, person_id=p.id, enterprise_uscc=ent.uscc,
                                        kind_code=kind, specialties=list(specialties), actor="test")


def at(clock: Clock, days: float = 0, *, now: dt.datetime | None = None) -> Clock:
    """A clock fixed `days` after now (negative: in the past)."""
    base = now or clock.now()
    return Clock(str(clock.tz), fixed=base + dt.timedelta(days=days))


PASSWORD = "correct horse battery"


def account(session, *, role="enterprise", ent=None, person_id=None, username=None, email=None, password=PASSWORD):
    from backend.services.accounts.management import create_account
    n = next(_seq)
    return create_account(session, username=username or f"{role}{n}", password=password, role=role,
                          enterprise_uscc=ent.uscc if ent is not None else None, person_id=person_id, email=email,
                          actor="test")
