"""The warnings as a work list (issue 15): what the enterprise has to do, by due date (待办), and the
registrations that ended, kept for the record (已终止). `work_list` is the one place that counts them, so
that the warnings tab's badge, the warnings page and the daily digest show the same number.

Several warnings about one fact become one item, the action that fact calls for: a specialty inside its
renewal window is also "expiring" and "under 180 days", but the officer has one thing to do (file the
renewal). A specialty that a renewal already filed names is no longer a to-do: the application is, when it
waits for this employer. Copies (none current, or past their usage period) are fetched by the holder when
a site needs one and have no deadline; they are counted apart (`notes`), not in the to-do number.

Continuing education is not an item: the registry holds no record of hours done, only what an application
declares (cpd_hours, cpd_commitment), so there is nothing to base a due date on.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Application, Enterprise, Registration
from backend.services.clock import Clock, age_cap_date
from backend.services.enterprise.staff_warnings import StaffRecord, WarningSettings, staff_warnings
from backend.services.kinds import Catalogue, Kind
from backend.services.workflows.types import TYPES, State

# In this order when two items fall due on the same day.
TODO_ACTIONS = ("registration_suspended", "confirm_application", "application_returned", "renew", "age_cap",
                "specialty_expiring", "prepare_renewal")
ENDED_ACTIONS = ("registration_ended", "specialty_lapsed")
ACTIONS = TODO_ACTIONS + ENDED_ACTIONS
NOTE_CODES = {"copy_expired": ("电子证书使用期已结束", "current copy past its usage period"),
              "no_current_copy": ("无当前电子证书", "no current copy")}
SPECIALTY_CODES = ("specialty_lapsed", "renewal_window_open", "specialty_expiring_notice", "specialty_under_180_days")


def _item(action, group, severity, todo: tuple[str, str], reason: tuple[str, str], *, today, name, regno=None,
          person_id=None, kind=None, specialties=(), due: dt.date | None = None, codes=(), application_id=None):
    return {"action": action, "group": group, "severity": severity, "message": todo[0], "message_en": todo[1],
            "reason": reason[0], "reason_en": reason[1], "due": due.isoformat() if due else None,
            "days_left": (due - today).days if due else None, "name": name, "registration_number": regno,
            "person_id": person_id, "kind": kind, "specialties": list(specialties), "codes": list(codes),
            "application_id": application_id}


def _names(kind: Kind, codes) -> tuple[str, str]:
    specs = [kind.specialty(c) for c in codes]
    return ("、".join(s.name if s else c for s, c in zip(specs, codes, strict=True)),
            ", ".join(s.name_en if s else c for s, c in zip(specs, codes, strict=True)))


def registration_items(rec: StaffRecord, kind: Kind, warnings: list[dict], today: dt.date,
                       held: set[tuple[int, str]]) -> list[dict]:
    """One registration's warnings as work items; `held`: (registration id, specialty) named by an open renewal."""
    who = {"today": today, "name": rec.name, "regno": rec.registration_number, "person_id": rec.person_id,
           "kind": rec.kind_code}
    by_code = {w["code"]: w for w in warnings if w["specialty"] is None}
    if "registration_revoked" in by_code or "registration_lapsed" in by_code:
        w = by_code.get("registration_revoked") or by_code["registration_lapsed"]
        return [_item("registration_ended", "ended", "info", ("仅供备查,无需处理", "For the record: nothing to do"),
                      (w["message"], w["message_en"]), codes=[w["code"]], **who)]
    out = []
    if w := by_code.get("registration_suspended"):
        out.append(_item("registration_suspended", "todo", "critical",
                         ("暂停安排其担任须持证的岗位,并与主管部门联系", "Take them off the roles that need the "
                          "registration and contact the authority"), (w["message"], w["message_en"]),
                         codes=[w["code"]], **who))
    if w := by_code.get("age_cap_within_year"):
        past = w["days_left"] is not None and w["days_left"] <= 0
        out.append(_item("age_cap", "todo", w["severity"],
                         ("注册应已失效:请勿再安排其执业" if past else "请及早安排接替人员",
                          "The registration should have lapsed: do not deploy them" if past
                          else "Arrange a successor in good time"),
                         (w["message"], w["message_en"]), due=dt.date.fromisoformat(w["due"]), codes=[w["code"]], **who))
    # Per specialty: the one action its warnings call for; specialties with the same action and date together.
    grouped: dict[tuple[str, dt.date], list[str]] = {}
    per_spec: dict[str, dict[str, dict]] = {}
    for w in warnings:
        if w["specialty"] is not None and w["code"] in SPECIALTY_CODES:
            per_spec.setdefault(w["specialty"], {})[w["code"]] = w
    cap = age_cap_date(rec.birth_date, kind.age_cap_for(rec.sex))
    for s in rec.specialties:
        ws = per_spec.get(s.code)
        if not ws:
            continue
        if "specialty_lapsed" in ws:
            action, due = "specialty_lapsed", s.valid_until
        elif (rec.registration_id, s.code) in held:
            continue            # a renewal is filed: the application is the item, when it waits for us
        elif "renewal_window_open" in ws:
            action, due = "renew", dt.date.fromisoformat(ws["renewal_window_open"]["due"])
        elif s.valid_until - dt.timedelta(days=kind.renewal_opens_days) > today and cap > s.valid_until + dt.timedelta(days=1):
            action, due = "prepare_renewal", s.valid_until - dt.timedelta(days=kind.renewal_opens_days)
        else:
            action, due = "specialty_expiring", s.valid_until
        grouped.setdefault((action, due), []).append(s.code)
    for (action, due), codes in grouped.items():
        zh, en = _names(kind, codes)
        until = min(s.valid_until for s in rec.specialties if s.code in codes)
        all_codes = sorted({c for code in codes for c in per_spec[code]})
        if action == "specialty_lapsed":
            out.append(_item(action, "ended", "info", ("仅供备查:不得再以该专业执业", "For the record: they may no "
                                                      "longer practise in it"),
                             (f"{zh}专业有效期已于{until}届满", f"Specialty {en}: validity ended on {until}"),
                             specialties=codes, codes=all_codes, **who))
        elif action == "renew":
            out.append(_item(action, "todo", "warning",
                             (f"提交{zh}专业的延续注册申请(须承诺继续教育),截至{due}",
                              f"File the renewal of {en} (with the continuing-education commitment) by {due}"),
                             (f"{zh}专业将于{until}到期", f"Specialty {en} expires on {until}"),
                             due=due, specialties=codes, codes=all_codes, **who))
        elif action == "prepare_renewal":
            out.append(_item(action, "todo", "info",
                             (f"{due}起可申请{zh}专业延续注册,请提前准备", f"Prepare the renewal of {en}: it can be "
                              f"filed from {due}"),
                             (f"{zh}专业将于{until}到期,新电子证书的使用期将截至该日", f"Specialty {en} expires on "
                              f"{until}; new copies end on that day"),
                             due=due, specialties=codes, codes=all_codes, **who))
        else:
            out.append(_item(action, "todo", "warning",
                             (f"{zh}专业到期后不能延续:请安排其他人员接替", f"{en} cannot be renewed: arrange for "
                              "someone else to take over"),
                             (f"{zh}专业将于{until}到期", f"Specialty {en} expires on {until}"),
                             due=due, specialties=codes, codes=all_codes, **who))
    return out


def open_renewals(session: Session, enterprise_id: int) -> set[tuple[int, str]]:
    """(registration id, specialty) named by a renewal filed and not yet decided, for this enterprise's staff."""
    rows = session.execute(select(Application.registration_id, Application.specialties).where(
        Application.type == "renewal", Application.state.in_(State.OPEN),
        Application.registration_id.in_(select(Registration.id).where(Registration.enterprise_id == enterprise_id))))
    return {(rid, code) for rid, specs in rows for code in specs or []}


def application_items(session: Session, catalogue: Catalogue, clock: Clock, ent: Enterprise) -> list[dict]:
    """Applications waiting for this employer: to confirm (or decline), or returned to be corrected."""
    today = clock.today()
    staff = set(session.scalars(select(Registration.person_id).where(Registration.enterprise_id == ent.id)))
    out = []
    for app in session.scalars(select(Application).where(Application.confirm_enterprise_id == ent.id,
                                                         Application.state.in_((State.AWAITING, State.RETURNED)))
                               .order_by(Application.id)):
        t = TYPES[app.type]
        reg = app.registration
        kind_code = app.kind_code or (reg.kind_code if reg else None)
        named = [s for s in (reg.specialties if reg else []) if s.specialty_code in (app.specialties or [])]
        due = min((s.valid_until for s in named), default=None) if app.type == "renewal" else None
        filed = clock.local(app.submitted_at).date() if app.submitted_at else today
        if app.state == State.AWAITING:
            todo = (f"确认或不予确认其{t.name}申请", f"Confirm or decline their application ({t.name_en.lower()})")
            reason = (f"{t.name}申请于{filed}提交,待本单位确认", f"{t.name_en} filed on {filed}, awaiting this employer")
            action = "confirm_application"
        else:
            todo = (f"与持证人核对补正后重新提交{t.name}申请", f"Correct the {t.name_en.lower()} application with the "
                    "holder and resubmit it")
            why = app.decision_reason or ""
            reason = (f"{t.name}申请已被主管部门退回" + (f":{why}" if why else ""),
                      f"The {t.name_en.lower()} application was returned by the authority" + (f": {why}" if why else ""))
            action = "application_returned"
        out.append(_item(action, "todo", "warning", todo, reason, today=today, name=app.person.name,
                         regno=reg.registration_number if reg else None,
                         person_id=app.person_id if app.person_id in staff else None,
                         kind=kind_code, specialties=list(app.specialties or []), due=due,
                         application_id=app.public_id))
    return out


def todo_key(item: dict) -> tuple:
    """By due date (past first; an item with no date is due today), then the kind of action, then the name."""
    days = item["days_left"] if item["days_left"] is not None else 0
    return (days, TODO_ACTIONS.index(item["action"]), item["name"], item["registration_number"] or "")


def work_list(session: Session, catalogue: Catalogue, clock: Clock, settings: WarningSettings, ent: Enterprise,
              records: list[StaffRecord]) -> dict:
    """{todo, ended, notes, todo_count, ended_count, warnings}: `warnings` is every warning, as before."""
    today = clock.today()
    held = open_renewals(session, ent.id)
    todo, ended, warnings, notes = [], [], [], Counter()
    for rec in records:
        kind = catalogue.kind(rec.kind_code)
        ws = staff_warnings(rec, kind, clock, settings)
        warnings.extend(ws)
        notes.update(w["code"] for w in ws if w["code"] in NOTE_CODES)
        for item in registration_items(rec, kind, ws, today, held):
            (todo if item["group"] == "todo" else ended).append(item)
    todo.extend(application_items(session, catalogue, clock, ent))
    todo.sort(key=todo_key)
    ended.sort(key=lambda i: (i["action"] != "registration_ended", i["name"], i["registration_number"] or ""))
    return {"todo_count": len(todo), "ended_count": len(ended), "todo": todo, "ended": ended,
            "notes": [{"code": c, "count": notes[c], "name": NOTE_CODES[c][0], "name_en": NOTE_CODES[c][1]}
                      for c in NOTE_CODES if notes[c]],
            "warnings": warnings}
