"""Demo samples: one certificate copy for each verdict, made through the real services (registry,
issuance, status changes) with the clock set back where a verdict needs history; each sample person and the
demo holder with an approved signature image (demo/onboarding.py). Written by make run
to instance/demo-samples.json with a QR PNG per sample, and, on the demo default only, the logins of
two demo accounts (make_demo_accounts)."""
from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

from sqlalchemy import delete, func, select

from backend.demo.onboarding import sign
from backend.models import Account, Enterprise, LoginThrottle, Person, Registration
from backend.qr.encode import qr_png
from backend.services.accounts.logins import hash_password
from backend.services.accounts.management import create_account
from backend.services.checkdigits import id_check_char, uscc_check_char
from backend.services.clock import Clock
from backend.services.issuance.copies import issue_copy
from backend.services.registry import enterprises, persons, registrations

ACTOR = "demo"
SAMPLES = [   # label, name, sex, birth, years ago registered, days ago issued, afterwards
    ("valid", "王建国", "M", dt.date(1978, 5, 12), 0.5, 0, None),
    ("expired", "李秀英", "F", dt.date(1983, 9, 3), 2.0, 200, None),
    ("lapsed", "张志强", "M", dt.date(1975, 2, 28), 3.4, 1100, None),
    ("superseded", "刘洋", "M", dt.date(1988, 11, 20), 1.0, 10, "change_employer"),
    ("suspended", "陈静", "F", dt.date(1985, 7, 7), 1.0, 5, "suspend"),
    ("revoked", "杨帆", "M", dt.date(1980, 1, 15), 1.5, 20, "revoke"),
]


def _uscc(region: str, seq: int) -> str:
    first17 = f"91{region}MA{seq:07d}"[:17]
    first17 = first17.replace("I", "1").replace("O", "0")
    return first17 + uscc_check_char(first17)


def _id_number(session, birth: dt.date, sex: str) -> str:
    for seq in range(900, 1000):
        if (seq % 2 == 1) != (sex == "M"):
            continue
        first17 = f"110105{birth:%Y%m%d}{seq:03d}"
        idn = first17 + id_check_char(first17)
        if not session.scalar(select(Person.id).where(Person.id_number == idn)):
            return idn
    raise RuntimeError("no free demo ID number")


def _enterprise(session, catalogue, uscc: str, name: str, short: str) -> Enterprise:
    e = session.scalar(select(Enterprise).where(Enterprise.uscc == uscc))
    return e or enterprises.create_enterprise(session, catalogue, name=name, short_name=short, uscc=uscc, actor=ACTOR)


def make_samples(session, ring, catalogue, settings, clock: Clock, instance: Path) -> dict:
    out_dir = instance / "demo-samples"
    out_dir.mkdir(parents=True, exist_ok=True)
    ent_a = _enterprise(session, catalogue, _uscc("320500", 1), "苏州示范建设工程有限公司", "示范建设")
    ent_b = _enterprise(session, catalogue, _uscc("110105", 2), "北京样板建筑集团有限公司", "样板建筑")
    now = clock.now()
    samples = []
    for label, name, sex, birth, years_ago, days_ago, then in SAMPLES:
        reg_clock = Clock(str(clock.tz), fixed=now - dt.timedelta(days=round(365.25 * years_ago)))
        issue_clock = Clock(str(clock.tz), fixed=now - dt.timedelta(days=days_ago))
        p = persons.create_person(session, name=name, id_number=_id_number(session, birth, sex), phone="13900000000",
                                  actor=ACTOR)
        p.synthetic = True
        sign(session, clock, p)            # an approved signature image, before any copy prints one
        reg = registrations.create_registration(session, catalogue, reg_clock, person_id=p.id, enterprise_uscc=ent_a.uscc,
                                           kind_code="JZS2", specialties=["JZ", "SZ"],
                                           qualification_issued_on=reg_clock.today() - dt.timedelta(days=400), actor=ACTOR)
        copy = issue_copy(session, ring, catalogue, settings, issue_clock, reg.registration_number, ACTOR)
        if then == "change_employer":
            registrations.change_employer(session, clock, reg.registration_number, ent_b.uscc, ACTOR)
        elif then == "suspend":
            registrations.set_status(session, clock, reg.registration_number, "suspend", "演示:违规被锁定 / demo: locked", ACTOR)
        elif then == "revoke":
            registrations.set_status(session, clock, reg.registration_number, "revoke", "演示:吊销注册证书 / demo: revoked",
                                     ACTOR)
        session.commit()
        png = out_dir / f"{label}.png"
        png.write_bytes(qr_png(copy.qr_text)[0])
        samples.append({"label": label, "qr": copy.qr_text, "png": str(png.relative_to(instance)),
                        "registration_number": reg.registration_number, "name": name})
    # A forged copy: the valid sample's QR text with one character of its payload changed (in the middle of
    # the packed text: the kid is its first 10 characters, the signature its last 103).
    url, packed = samples[0]["qr"].split("#", 1)
    mid = len(packed) // 2
    forged = f"{url}#{packed[:mid]}{'A' if packed[mid] != 'A' else 'B'}{packed[mid + 1:]}"
    (out_dir / "invalid.png").write_bytes(qr_png(forged)[0])
    samples.append({"label": "invalid", "qr": forged, "png": "demo-samples/invalid.png", "registration_number": None,
                    "name": None})
    return {"samples": samples, "accounts": []}


# two authority accounts, so that four-eyes (a 吊销 filed by one, approved by the other) can be tried
DEMO_ACCOUNTS = (("enterprise", "demo-enterprise"), ("authority", "demo-authority"), ("authority", "demo-approver"))


def make_demo_accounts(session) -> list[dict]:
    """An enterprise account for the active enterprise with the most registrations (a long roster, with
    warnings) and two authority accounts (four-eyes), each with a new random password: the passwords exist only in
    the answer (written to demo-samples.json), so an existing demo account gets a new one."""
    eid = session.scalar(select(Registration.enterprise_id).join(Enterprise, Enterprise.id == Registration.enterprise_id)
                         .where(Enterprise.status == "active").group_by(Registration.enterprise_id)
                         .order_by(func.count().desc(), Registration.enterprise_id).limit(1))
    ent = session.get(Enterprise, eid) if eid else None
    out = []
    for role, username in DEMO_ACCOUNTS:
        if role == "enterprise" and ent is None:
            continue
        password = secrets.token_urlsafe(12)
        account = session.scalar(select(Account).where(Account.username == username))
        if account is None:
            create_account(session, username=username, password=password, role=role,
                           enterprise_uscc=ent.uscc if role == "enterprise" else None, actor=ACTOR)
        else:
            account.password_hash, account.active = hash_password(password), True
            if role == "enterprise":
                account.enterprise_id = ent.id
            session.execute(delete(LoginThrottle).where(LoginThrottle.username == username))   # every address
        out.append({"role": role, "username": username, "password": password})
    session.commit()
    return out


DEMO_HOLDER = "demo-holder"


def make_demo_holder(session, catalogue, clock: Clock) -> dict:
    """A holder account bound to a person whose registration is inside its renewal window (it expires in
    about 20 days), employed by the demo enterprise account's enterprise, with a second qualification: so a
    new user can try 延续注册 and 增项注册 from end to end. Idempotent: a second call sets a new password."""
    from backend.models import Qualification
    password = secrets.token_urlsafe(12)
    account = session.scalar(select(Account).where(Account.username == DEMO_HOLDER))
    if account is not None:
        account.password_hash, account.active = hash_password(password), True
        session.execute(delete(LoginThrottle).where(LoginThrottle.username == DEMO_HOLDER))
        session.commit()
        return {"role": "holder", "username": DEMO_HOLDER, "password": password}
    ent_account = session.scalar(select(Account).where(Account.username == "demo-enterprise"))
    ent = ent_account.enterprise if ent_account is not None else \
        session.scalar(select(Enterprise).where(Enterprise.status == "active").order_by(Enterprise.id).limit(1))
    reg_clock = Clock(str(clock.tz), fixed=clock.now() - dt.timedelta(days=3 * 365 - 20))
    p = persons.create_person(session, name="赵延续", id_number=_id_number(session, dt.date(1982, 6, 18), "M"),
                              phone="13900000001", actor=ACTOR)
    p.synthetic = True
    sign(session, clock, p)
    registrations.create_registration(session, catalogue, reg_clock, person_id=p.id, enterprise_uscc=ent.uscc,
                                 kind_code="JZS2", specialties=["JZ"],
                                 qualification_issued_on=reg_clock.today() - dt.timedelta(days=400), actor=ACTOR)
    session.add(Qualification(person_id=p.id, kind_code="JZS2", specialty_code="SZ", certificate_no=f"DEMO-SZ-{p.id}",
                              issued_on=clock.today() - dt.timedelta(days=700)))
    create_account(session, username=DEMO_HOLDER, password=password, role="holder", person_id=p.id, actor=ACTOR)
    session.commit()
    return {"role": "holder", "username": DEMO_HOLDER, "password": password}
