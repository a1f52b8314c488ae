"""Bulk check of an uploaded staff list (CSV or XLSX): one result per data row, `found`, `not_found`,
`mismatch` or `invalid_row`, with status, employer (this enterprise or another), earliest expiry and 挂证
signals, and the row's category (categories.py: what the officer has to do about it). The answer is stored
in bulk_checks for BULK_RESULT_HOURS, for its CSV and XLSX downloads.

No oracle: the enterprise's own staff (anyone with a registration there) are compared in full, name and ID
number, and shown with their ID numbers; about anyone else a row answers exactly what the public lookup
answers for that registration number (the name may be compared, it is public; the ID number is never
compared, masked as the lookup masks it), and a row with only an ID number of someone else's staff gets the
same answer as an ID number that does not exist. Authority staff see everything. The ID numbers a file
asks about are counted per account and day (the caller's `id_checks`), refused past the daily limit.
"""
from __future__ import annotations

import base64
import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backend.models import BulkCheck, Enterprise, RegStatus
from backend.services.clock import Clock, age_cap_date, iso_utc
from backend.services.enterprise.bulk import categories
from backend.services.enterprise.bulk.rows import Found, Row, clean_row, lookup, squash_name
from backend.services.enterprise.bulk.tables import read_table
from backend.services.enterprise.errors import BulkCheckNotFound
from backend.services.enterprise.roster import enterprise_ref
from backend.services.enterprise.signals import HELD, person_signals
from backend.services.kinds import Catalogue
from backend.services.masking import mask_id_number, public_id_number

RESULTS = ("found", "not_found", "mismatch", "invalid_row")


@dataclass(frozen=True)
class BulkLimits:
    max_bytes: int = 5 * 1024 * 1024
    max_rows: int = 10_000
    max_unpacked: int = 64 * 1024 * 1024
    keep_hours: int = 24

    @classmethod
    def from_config(cls, cfg) -> BulkLimits:
        return cls(cfg["BULK_MAX_BYTES"], cfg["BULK_MAX_ROWS"], cfg["BULK_XLSX_MAX_UNPACKED"], cfg["BULK_RESULT_HOURS"])


def run_bulk_check(session: Session, catalogue: Catalogue, clock: Clock, limits: BulkLimits, ent: Enterprise,
                   data: bytes, *, actor: str, full_view: bool = False, id_checks=None) -> dict:
    """Check the file's rows and store the answer; `full_view` shows every ID number (authority staff).
    `id_checks(n)` is called with the number of ID numbers to be looked up before any is: it raises to refuse."""
    table = read_table(data, max_rows=limits.max_rows, max_unpacked=limits.max_unpacked)
    col = table.columns

    def cell(cells, field):
        i = col.get(field)
        return cells[i] if i is not None and i < len(cells) else None

    rows = [clean_row(line, cell(c, "name"), cell(c, "id_number"), cell(c, "registration_number"), catalogue)
            for line, c in table.rows]
    ok = [r for r in rows if not r.problems]
    if id_checks is not None:
        id_checks(sum(1 for r in ok if r.id_number))
    found = lookup(session, {r.id_number for r in ok if r.id_number and not r.registration_number},
                   {r.registration_number for r in ok if r.registration_number})
    results = [_resolve(r, found, ent, catalogue, full_view) for r in rows]
    summary = {"rows": len(results), **dict.fromkeys(RESULTS, 0)}
    for r in results:
        summary[r["result"]] += 1
        r["category"] = categories.category_of(r)
    summary["categories"] = categories.count(results)
    now = clock.now()
    check_id = base64.b32encode(secrets.token_bytes(10)).decode().lower()
    answer = {"id": check_id, "enterprise": enterprise_ref(ent), "created_at": iso_utc(now), "file_type": table.kind,
              "header_line": table.header_line, "summary": summary, "rows": results}
    session.execute(delete(BulkCheck).where(BulkCheck.expires_at < now))     # results kept 24 hours, no longer
    session.add(BulkCheck(id=check_id, enterprise_id=ent.id, created_by=actor[:64], created_at=now,
                          expires_at=now + dt.timedelta(hours=limits.keep_hours), result=answer))
    session.flush()
    return answer


def get_bulk_check(session: Session, clock: Clock, check_id: str, enterprise_id: int | None) -> dict:
    """A stored answer; `enterprise_id` None for authority staff, else it must be the check's enterprise."""
    q = select(BulkCheck).where(BulkCheck.id == check_id, BulkCheck.expires_at >= clock.now())
    if enterprise_id is not None:
        q = q.where(BulkCheck.enterprise_id == enterprise_id)
    check = session.scalar(q) if isinstance(check_id, str) and len(check_id) <= 32 else None
    if check is None:          # also for another enterprise's check: its existence is nobody else's business
        raise BulkCheckNotFound()
    return check.result


def _resolve(row: Row, f: Found, ent: Enterprise, catalogue: Catalogue, full_view: bool) -> dict:
    out = {"line": row.line, "result": "invalid_row", "name": row.name, "id_number": mask_id_number(row.id_number),
           "registration_number": row.registration_number, "status": None, "kind": None, "employer": None,
           "earliest_expiry": None, "signals": [], "registrations": []}

    def answer(result, zh, en):
        out.update(result=result, message=zh, message_en=en)
        return out

    if row.problems:
        return answer("invalid_row", ";".join(p[0] for p in row.problems), "; ".join(p[1] for p in row.problems))
    pid = f.person_of_number.get(row.registration_number) if row.registration_number else \
        f.persons_by_idn.get(row.id_number)
    regs = f.regs.get(pid) if pid is not None else None
    own = bool(regs) and (full_view or any(r.enterprise_id == ent.id for r, _ in regs))
    if row.registration_number is None and not own:
        # Only the enterprise's own people are looked up by ID number: for anyone else the answer is the same
        # whether the number is right, wrong or unknown (the public lookup does not search by ID number).
        return answer("not_found", "本单位没有该身份证号的注册人员;其他单位人员请按注册编号核查(不核对身份证号)",
                      "No registered person of this enterprise has this ID number; check anyone else by "
                      "registration number (ID numbers are not compared)")
    if not regs:
        return answer("not_found", "未找到该注册编号的注册信息", "No registration found for this registration number")
    name, idn, birth, sex = f.persons[pid]
    if own:
        return _own(row, f, ent, catalogue, out, answer, regs, name, idn)
    return _public(row, f, ent, catalogue, out, answer, regs, name, idn, birth, sex)


def _own(row: Row, f: Found, ent: Enterprise, catalogue: Catalogue, out: dict, answer, regs, name: str, idn: str):
    """The enterprise's own staff (anyone with a registration there) or authority staff: full comparison."""
    by, by_en = ("注册编号", "registration number") if row.registration_number else ("身份证号", "ID number")
    if row.registration_number and row.id_number and row.id_number != idn:
        return answer("mismatch", "身份证号与注册编号不属于同一人", "The ID number and the registration number belong to "
                                                        "different persons")
    if squash_name(name) != squash_name(row.name):
        return answer("mismatch", f"姓名与{by}不符", f"The name does not match the {by_en}")
    out["id_number"] = idn
    if row.registration_number:
        main, main_id = next((r, rid) for r, rid in regs if r.registration_number == row.registration_number)
    else:     # the person's registration that matters most here: held at this enterprise, held, then here
        main, main_id = min(regs, key=lambda x: (not (x[0].status in HELD and x[0].enterprise_id == ent.id),
                                                 x[0].status not in HELD, x[0].enterprise_id != ent.id,
                                                 f.earliest.get(x[1]) or dt.date.max))
    _fill(out, f, ent, main, main_id, [r for r, _ in regs], regs, catalogue)
    return _found(answer, main, main.enterprise_id == ent.id, catalogue)


def _public(row: Row, f: Found, ent: Enterprise, catalogue: Catalogue, out: dict, answer, regs, name: str, idn: str,
            birth: dt.date, sex: str):
    """Someone else's staff, found by registration number: what the public lookup shows of that registration
    (the name may be compared, it is public there), and no comparison of the ID number, right or wrong."""
    if squash_name(name) != squash_name(row.name):
        return answer("mismatch", "姓名与注册编号不符", "The name does not match the registration number")
    main, main_id = next((r, rid) for r, rid in regs if r.registration_number == row.registration_number)
    _fill(out, f, ent, main, main_id, [main], [(main, main_id)], catalogue)
    out["signals"] = [x for x in out["signals"] if x["code"] == "registered_elsewhere"]     # from this record only
    kind = catalogue.kind(main.kind_code)
    cap = age_cap_date(birth, kind.age_cap_for(sex)) if kind else None
    out["id_number"] = public_id_number(idn, cap, [f.earliest.get(main_id)])
    out = _found(answer, main, False, catalogue)
    if row.id_number:
        out["message"] += ";非本单位人员,未核对身份证号"
        out["message_en"] += "; not this enterprise's staff: the ID number was not compared"
    return out


def _fill(out: dict, f: Found, ent: Enterprise, main, main_id: int, facts: list, shown: list, catalogue: Catalogue):
    expiry = f.earliest.get(main_id)
    out.update(registration_number=main.registration_number, status=main.status, kind=main.kind_code,
               employer="this" if main.enterprise_id == ent.id else "other",
               earliest_expiry=expiry.isoformat() if expiry else None,
               signals=person_signals(facts, ent.id, catalogue),
               registrations=[{"registration_number": r.registration_number, "kind": r.kind_code, "status": r.status,
                               "employer": "this" if r.enterprise_id == ent.id else "other",
                               "earliest_expiry": f.earliest[rid].isoformat() if rid in f.earliest else None}
                              for r, rid in shown])


def _found(answer, main, here: bool, catalogue: Catalogue) -> dict:
    kind = catalogue.kind(main.kind_code)
    where_zh, where_en = ("本单位", "this enterprise") if here else (f"其他单位({main.employer_name})",
                                                                  f"another enterprise ({main.employer_name})")
    return answer("found", f"已找到:{kind.name},{RegStatus.ZH[main.status]},注册在{where_zh}",
                  f"Found: {kind.name_en}, {RegStatus.EN[main.status]}, registered at {where_en}")
