"""An enterprise's staff roster and warnings: everyone registered at the enterprise, with validity,
status, current copy, age cap, warnings and 挂证 signals, most urgent first (or by name in 拼音 order,
registration number or expiry on request).

Built with four set-based queries whatever the number of staff (registrations with their persons,
specialties, current copies, held registrations elsewhere), then sorted, filtered and paged in Python.
The filters arrive checked at the edge (api/schemas/enterprise.py). The same queries narrowed to one
person make the person's page (staff_person.py).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import CertificateCopy, CopyStatus, Enterprise, Person, Registration, RegistrationSpecialty, RegStatus
from backend.services.clock import Clock, age_cap_date, iso_utc
from backend.services.enterprise.name_order import pinyin_key, spelled
from backend.services.enterprise.signals import HELD, RegFact, person_signals
from backend.services.enterprise.staff_warnings import (
    SEVERITIES,
    CopyRow,
    SpecialtyRow,
    StaffRecord,
    WarningSettings,
    staff_warnings,
    urgency,
    warning_sort_key,
)
from backend.services.enterprise.worklist import work_list
from backend.services.kinds import Catalogue

PAGE_SIZE = 100
SORTS = ("urgency", "name", "number", "expiry")
ENDED = (*RegStatus.ENDED, RegStatus.LAPSED)     # 已终止: listed last, for the record


@dataclass(frozen=True)
class RosterFilter:
    status: str | None = None       # a registration status
    kind: str | None = None         # a kind code of the catalogue
    warning: str | None = None      # a warning code
    signal: str | None = None       # a signal code
    q: str | None = None            # part of a name or registration number, or a name's pinyin, any case
    page: int = 1
    sort: str = "urgency"           # one of SORTS


def enterprise_ref(e: Enterprise) -> dict:
    """The enterprise in short, as every answer about it names it (roster, warnings, bulk checks, accounts)."""
    return {"name": e.name, "short_name": e.short_name, "uscc": e.uscc}


def load_staff(session: Session, enterprise_id: int, person_id: int | None = None) -> list[StaffRecord]:
    """The enterprise's registrations (only one person's with `person_id`) with what the roster shows."""
    R, S, C = Registration, RegistrationSpecialty, CertificateCopy
    mine = (R.enterprise_id == enterprise_id,) + (() if person_id is None else (R.person_id == person_id,))
    here = select(R.id).where(*mine)
    records = {row.id: StaffRecord(row.id, row.registration_number, row.seal_counter, row.kind_code, row.status,
                                   row.person_id, row.name, row.sex, row.birth_date, row.id_number)
               for row in session.execute(
                   select(R.id, R.registration_number, R.seal_counter, R.kind_code, R.status, R.person_id, Person.name,
                          Person.sex, Person.birth_date, Person.id_number)
                   .join(Person, Person.id == R.person_id).where(*mine))}
    for row in session.execute(select(S.registration_id, S.specialty_code, S.valid_from, S.valid_until, S.status)
                               .where(S.registration_id.in_(here)).order_by(S.id)):
        records[row.registration_id].specialties.append(SpecialtyRow(row.specialty_code, row.valid_from,
                                                                     row.valid_until, row.status))
    newest: dict[int, int] = {}
    for row in session.execute(select(C.registration_id, C.id, C.public_id, C.usage_from, C.usage_until)
                               .where(C.registration_id.in_(here), C.status == CopyStatus.CURRENT)):
        if row.id > newest.get(row.registration_id, 0):     # "current copy": the newest one still current
            newest[row.registration_id] = row.id
            records[row.registration_id].copy = CopyRow(row.public_id, row.usage_from, row.usage_until)
    return list(records.values())


def held_elsewhere(session: Session, enterprise_id: int, person_id: int | None = None) -> dict[int, list[RegFact]]:
    """person id -> held registrations at other enterprises, for the persons registered here (or one of them)."""
    R = Registration
    people = select(R.person_id).where(R.enterprise_id == enterprise_id,
                                       *(() if person_id is None else (R.person_id == person_id,)))
    out: dict[int, list[RegFact]] = {}
    for row in session.execute(select(R.person_id, R.registration_number, R.kind_code, R.status, R.enterprise_id,
                                      Enterprise.name, Enterprise.uscc)
                               .join(Enterprise, Enterprise.id == R.enterprise_id)
                               .where(R.person_id.in_(people), R.enterprise_id != enterprise_id, R.status.in_(HELD))):
        out.setdefault(row.person_id, []).append(RegFact(row.registration_number, row.kind_code, row.status,
                                                         row.enterprise_id, row.name, row.uscc))
    return out


def staff_entries(session: Session, catalogue: Catalogue, clock: Clock, settings: WarningSettings,
                  ent: Enterprise, person_id: int | None = None) -> list[dict]:
    """Every registration at the enterprise (or one person's there) as a roster entry, most urgent first."""
    records = load_staff(session, ent.id, person_id)
    elsewhere = held_elsewhere(session, ent.id, person_id)
    by_person: dict[int, list[RegFact]] = {}
    for r in records:
        by_person.setdefault(r.person_id, []).append(
            RegFact(r.registration_number, r.kind_code, r.status, ent.id, ent.name, ent.uscc))
    today = clock.today()
    entries = []
    for r in records:
        kind = catalogue.kind(r.kind_code)
        warnings = sorted(staff_warnings(r, kind, clock, settings), key=warning_sort_key)
        cap = age_cap_date(r.birth_date, kind.age_cap_for(r.sex))
        entries.append({
            "person_id": r.person_id, "name": r.name, "sex": r.sex, "id_number": r.id_number,
            "registration_number": r.registration_number,
            "seal_number": f"{r.registration_number}({r.seal_counter:02d})", "kind": kind.code,
            "kind_name": kind.name, "kind_name_en": kind.name_en, "level": kind.level, "status": r.status,
            "status_name": RegStatus.ZH[r.status], "status_name_en": RegStatus.EN[r.status],
            "specialties": [{"code": s.code, "name": sp.name if sp else s.code, "name_en": sp.name_en if sp else s.code,
                             "valid_from": s.valid_from.isoformat(), "valid_until": s.valid_until.isoformat(),
                             "status": s.status, "days_left": (s.valid_until - today).days}
                            for s, sp in ((s, kind.specialty(s.code)) for s in r.specialties)],
            "current_copy": None if r.copy is None else {
                "copy_id": r.copy.public_id, "usage_from": iso_utc(r.copy.usage_from),
                "usage_until": iso_utc(r.copy.usage_until), "expired": r.copy.usage_until < clock.now()},
            "age_cap_date": cap.isoformat(), "days_to_age_cap": (cap - today).days,
            "warnings": warnings,
            "signals": person_signals(by_person[r.person_id] + elsewhere.get(r.person_id, []), ent.id, catalogue,
                                      focus=r.registration_number),
            "urgency": urgency(r, warnings),
        })
    entries.sort(key=lambda e: (e["urgency"] if e["urgency"] is not None else 10**9,
                                min((SEVERITIES.index(w["severity"]) for w in e["warnings"]), default=3),
                                e["name"], e["registration_number"]))
    return entries


def _query(q: str | None) -> str | None:
    """The search text as it is compared: NFKC (full-width letters and digits as typed on a phone), lower
    case, no spaces."""
    return unicodedata.normalize("NFKC", q).lower().replace(" ", "") if q else None


def _matches(e: dict, f: RosterFilter, q: str | None) -> bool:
    if f.status and e["status"] != f.status or f.kind and e["kind"] != f.kind:
        return False
    if f.warning and not any(w["code"] == f.warning for w in e["warnings"]):
        return False
    if f.signal and not any(s["code"] == f.signal for s in e["signals"]):
        return False
    if q:
        if q in unicodedata.normalize("NFKC", e["name"]).lower() or q in e["registration_number"].lower():
            return True
        # typed in pinyin on a phone: the whole reading or the initials, from the start (wangw, ww)
        return q.isascii() and q.isalpha() and any(s.startswith(q) for s in spelled(e["name"]))
    return True


def earliest_expiry(e: dict) -> str | None:
    """The entry's earliest expiry: the first end of validity among its specialties still on it."""
    return min((s["valid_until"] for s in e["specialties"] if s["status"] != "cancelled"), default=None)


def ordered(entries: list[dict], sort: str) -> list[dict]:
    """The roster in the order asked for. By urgency (the default): what needs doing soonest first, a
    suspended registration first of all, registrations that ended (撤销, 注销, 吊销, 失效) last, for the
    record; names in 拼音 order within a tie and for `name`; `expiry` soonest first, none last."""
    def name(e):
        return pinyin_key(e["name"]), e["registration_number"]

    def urgent(e):
        return (e["status"] in ENDED, e["urgency"] if e["urgency"] is not None else 10**9,
                min((SEVERITIES.index(w["severity"]) for w in e["warnings"]), default=3), *name(e))
    keys = {"name": name, "number": lambda e: e["registration_number"],
            "expiry": lambda e: ((end := earliest_expiry(e)) is None, end or "", *name(e)), "urgency": urgent}
    return sorted(entries, key=keys[sort])


def chosen_staff(session: Session, catalogue: Catalogue, clock: Clock, settings: WarningSettings, ent: Enterprise,
                 f: RosterFilter) -> list[dict]:
    """Every entry the filters and search choose, in the order asked for: the roster's pages, and its exports
    (roster_export.py), which hold exactly what the screen shows."""
    q = _query(f.q)
    return ordered([e for e in staff_entries(session, catalogue, clock, settings, ent) if _matches(e, f, q)], f.sort)


def roster(session: Session, catalogue: Catalogue, clock: Clock, settings: WarningSettings, ent: Enterprise,
           f: RosterFilter) -> dict:
    chosen = chosen_staff(session, catalogue, clock, settings, ent, f)
    start = (f.page - 1) * PAGE_SIZE
    return {"enterprise": enterprise_ref(ent), "generated_at": iso_utc(clock.now()), "total": len(chosen),
            "page": f.page, "page_size": PAGE_SIZE, "sort": f.sort, "staff": chosen[start:start + PAGE_SIZE]}


def enterprise_warnings(session: Session, catalogue: Catalogue, clock: Clock, settings: WarningSettings,
                        ent: Enterprise) -> dict:
    """Every warning (as before), and the work list made of them: `todo_count` is the one number that the
    warnings tab, the warnings page and the daily digest show (worklist.py)."""
    work = work_list(session, catalogue, clock, settings, ent, load_staff(session, ent.id))
    work["warnings"].sort(key=warning_sort_key)
    return {"enterprise": enterprise_ref(ent), "generated_at": iso_utc(clock.now()), **work}
