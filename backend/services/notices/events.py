"""The hooks that turn registry and workflow events into notices, each called in the transaction of the
change it tells of: copies superseded (what changed, so that old prints are not used), a registration's
status changed (暂扣, 注销, 撤销, 吊销, 失效 …), an application waiting for its employer or returned to its
applicant, and a specialty with under 180 days at 加注 or 增项 time (Jiangsu FAQ Q36)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import CertificateCopy, CopyStatus, Enterprise, Registration, RegistrationSpecialty, SpecialtyStatus
from backend.models.base import utcnow
from backend.services.notices import post, texts


def _audiences(session: Session, person_id: int | None, enterprise_id: int | None) -> list[dict]:
    """{"person_id"} and/or {"enterprise_id"}: whichever of the two has an active account."""
    out = []
    if person_id is not None and post.persons_with_accounts(session, [person_id]):
        out.append({"person_id": person_id})
    if enterprise_id is not None and post.enterprises_with_accounts(session, [enterprise_id]):
        out.append({"enterprise_id": enterprise_id})
    return out


def copies_superseded(session: Session, registration_ids: list[int], why: str, now: dt.datetime) -> int:
    """Before the copies' update: one notice per registration that has current copies, to its holder and its
    (current) employer, keyed by the newest copy it supersedes (a copy is superseded once)."""
    rows = session.execute(
        select(Registration.id, Registration.registration_number, Registration.person_id, Registration.enterprise_id,
               Enterprise.name, CertificateCopy.id)
        .join(CertificateCopy, CertificateCopy.registration_id == Registration.id)
        .join(Enterprise, Enterprise.id == Registration.enterprise_id)
        .where(Registration.id.in_(registration_ids), CertificateCopy.status == CopyStatus.CURRENT)).all()
    newest: dict[int, tuple] = {}
    for rid, number, pid, eid, ename, cid in rows:
        if rid not in newest or cid > newest[rid][-1]:
            newest[rid] = (number, pid, eid, ename, cid)
    if not newest:
        return 0
    persons = post.persons_with_accounts(session, [v[1] for v in newest.values()])
    ents = post.enterprises_with_accounts(session, [v[2] for v in newest.values()])
    out = []
    for rid, (number, pid, eid, ename, cid) in newest.items():
        text = texts.copy_superseded(number, [why], ename)
        data = {"registration_number": number, "changed": [why], "employer": ename if why == "employer" else None}
        for who in ([{"person_id": pid}] if pid in persons else []) + ([{"enterprise_id": eid}] if eid in ents else []):
            out.append(post.row(now=now, kind="copy_superseded", event=f"{rid}:{cid}", text=text, registration_id=rid,
                                data=data, **who))
    return post.insert(session, out)


def status_changed(session: Session, reg: Registration, old: str, new: str, reason: str | None,
                   now: dt.datetime) -> int:
    text = texts.status_changed(reg.registration_number, old, new, reason)
    data = {"registration_number": reg.registration_number, "from": old, "to": new}
    return post.insert(session, [
        post.row(now=now, kind="status_changed", event=f"{reg.id}:{new}:{now.isoformat()}", text=text,
                 registration_id=reg.id, data=data, **who)
        for who in _audiences(session, reg.person_id, reg.enterprise_id)])


def application_step(session: Session, app, event_id: int, action: str, reason: str | None,
                     type_names: tuple[str, str]) -> int:
    """`app`: an Application just moved by `action` (its event `event_id`). "forward": its employer is asked
    to confirm; "return": its applicant corrects it (a holder, or the enterprise that filed it)."""
    if action == "forward" and app.confirm_enterprise_id is not None:
        step, audiences = "confirm", _audiences(session, None, app.confirm_enterprise_id)
    elif action == "return":
        step = "returned"
        audiences = _audiences(session, app.person_id, None) if app.filed_by == "holder" else \
            _audiences(session, None, app.filed_by_enterprise_id)
    else:
        return 0
    text = texts.application_action(app.public_id, type_names, step, reason)
    data = {"application": app.public_id, "step": step, "type": app.type}
    now = utcnow()
    return post.insert(session, [
        post.row(now=now, kind="application_action", event=f"{app.public_id}:{event_id}", text=text,
                 registration_id=app.registration_id, data=data, **who) for who in audiences])


def specialties_short(session: Session, reg: Registration, names, today: dt.date, now: dt.datetime,
                      days: int = 180) -> int:
    """At 加注 or 增项 time: each valid specialty of `reg` with under `days` left (Q36). `names`: code ->
    (name, name_en). The same key as the daily job's, so either makes it once."""
    specs = session.execute(select(RegistrationSpecialty.specialty_code, RegistrationSpecialty.valid_until)
                            .where(RegistrationSpecialty.registration_id == reg.id,
                                   RegistrationSpecialty.status == SpecialtyStatus.ACTIVE,
                                   RegistrationSpecialty.valid_until >= today,
                                   RegistrationSpecialty.valid_until < today + dt.timedelta(days=days))).all()
    if not specs:
        return 0
    audiences = _audiences(session, reg.person_id, reg.enterprise_id)
    return post.insert(session, [short_row(reg.id, reg.registration_number, code, until, names(code), days, now, who)
                                 for code, until in specs for who in audiences])


def short_row(rid: int, number: str, code: str, until: dt.date, name: tuple[str, str], days: int, now: dt.datetime,
              who: dict) -> dict:
    return post.row(now=now, kind="specialty_short", event=f"{rid}:{code}:{until.isoformat()}",
                    text=texts.specialty_short(number, name, until, days), registration_id=rid,
                    data={"registration_number": number, "specialty": code, "valid_until": until.isoformat()}, **who)
