"""Batches of registrations. A row is one registration with one or more specialties sharing the row's period;
the same registration number may come again on another row for specialties of another period. Checked
against the database (and the rows before it): the person and the employer exist, a number belongs to one
person, a qualification for each specialty (as the workflow rule qualification_held reads them), and for a
held registration (active, suspended) the registry's conflicts: an active employer, one employer per
person, one registration per kind, a living holder under the age cap; no period past the age cap.

Writes, as the registry's own changes do: a new employer or new or changed specialties supersede the
registration's current copies (registry/superseding.py); a status that ends it (撤销, 注销, 吊销) revokes
its current copies and cancels its specialties (registry.registrations.set_status). An import never removes
a specialty a row does not name."""
from __future__ import annotations

from sqlalchemy import update as sql_update

from backend.models import (
    CertificateCopy,
    CopyStatus,
    Enterprise,
    Person,
    Qualification,
    Registration,
    RegistrationSpecialty,
    RegStatus,
    SpecialtyStatus,
)
from backend.services.clock import age_cap_date
from backend.services.imports.bulk import fetch, insert, new_ids, update
from backend.services.imports.context import Context, changes_of
from backend.services.imports.rows import check_registration, from_error, problem
from backend.services.registry.errors import (
    AgeCapReached,
    AlreadyRegistered,
    EmployerConflict,
    EmployerInactive,
    EnterpriseNotFound,
    PersonDeceased,
    PersonNotFound,
    RegistrationEnded,
)
from backend.services.registry.registrations import HELD
from backend.services.registry.superseding import supersede_copies

FIELDS = ("enterprise_id", "status", "status_reason", "seal_counter", "first_registered_on")
REG_COLUMNS = ("id", "person_id", "enterprise_id", "kind_code", "registration_number", "seal_counter", "province_code",
               "status", "status_reason", "first_registered_on", "created_at", "updated_at", "version")
SPEC_COLUMNS = ("id", "registration_id", "specialty_code", "valid_from", "valid_until", "status")


class Reg:
    """A registration as this batch sees it; id 0 until a new one is written; specs: code -> [id, from, until,
    status] (None for a registration only read for the one-employer check)."""
    __slots__ = ("id", "number", "person_id", "kind", "values", "province", "specs", "dirty", "why", "ended")

    def __init__(self, rid, number, person_id, kind, values, province, specs):
        self.id, self.number, self.person_id, self.kind, self.values = rid, number, person_id, kind, values
        self.province, self.specs, self.dirty, self.why, self.ended = province, specs, False, None, False


def spec_status(status: str, until, today) -> str:
    if status in RegStatus.ENDED:
        return SpecialtyStatus.CANCELLED
    return SpecialtyStatus.LAPSED if status == RegStatus.LAPSED or until < today else SpecialtyStatus.ACTIVE


class RegistrationBatch:
    kind = "registrations"

    def check(self, row, vocab, today):
        return check_registration(row, vocab, today)

    def key(self, row) -> str | None:
        return row.get("registration_number")

    def _load(self, ctx: Context, items: list):
        s, P, E, R, S, Q = ctx.session, Person, Enterprise, Registration, RegistrationSpecialty, Qualification
        persons = {r[1]: r for r in fetch(s, (P.id, P.id_number, P.sex, P.birth_date, P.deceased_on), P.id_number,
                                          [rec[1] for _, rec in items])}
        ents = {r[1]: r for r in fetch(s, (E.id, E.uscc, E.status), E.uscc, [rec[3] for _, rec in items])}
        carry = ctx.carry
        regs: dict[str, Reg] = {}
        cols = (R.id, R.registration_number, R.person_id, R.kind_code, R.province_code, *(getattr(R, f) for f in FIELDS))
        for r in fetch(s, cols, R.registration_number, [rec[0] for _, rec in items if rec[0] not in carry]):
            regs[r[1]] = Reg(r[0], r[1], r[2], r[3], list(r[5:]), r[4], {})
        by_id = {g.id: g for g in regs.values()}
        for sid, rid, code, vf, vu, st in fetch(s, (S.id, S.registration_id, S.specialty_code, S.valid_from,
                                                   S.valid_until, S.status), S.registration_id, by_id):
            by_id[rid].specs[code] = [sid, vf, vu, st, False]          # the last: changed here
        pids = [p[0] for p in persons.values()]
        by_person: dict[int, dict[str, Reg]] = {}
        for r in fetch(s, cols, R.person_id, pids, R.status.in_(HELD)):
            g = regs.get(r[1]) or carry.get(r[1]) or Reg(r[0], r[1], r[2], r[3], list(r[5:]), r[4], None)
            by_person.setdefault(r[2], {})[r[1]] = g
        for _, rec in items:                          # a dry run's earlier batches
            g = carry.get(rec[0])
            if g is not None:
                regs[rec[0]] = g
        for pid in pids:
            by_person.setdefault(pid, {}).update(carry.get(("person", pid), {}))
        quals = set(fetch(s, (Q.person_id, Q.kind_code, Q.specialty_code), Q.person_id, pids))
        return persons, ents, regs, by_person, quals

    def apply(self, ctx: Context, items: list) -> None:
        persons, ents, regs, by_person, quals = self._load(ctx, items)
        today, new = ctx.today, []
        for line, rec in items:
            number, idn, kind_code, uscc, specs, vf, vu, first, status, reason, seal, province = rec
            bad = self._refusal(ctx, rec, persons, ents, regs, by_person, quals)
            if bad:
                ctx.refuse(line, number, bad)
                continue
            pid, ent_id = persons[idn][0], ents[uscc][0]
            values = [ent_id, status, reason, seal, first]
            g = regs.get(number)
            if g is None:
                g = regs[number] = Reg(0, number, pid, kind_code, values, province, {})
                by_person.setdefault(pid, {})[number] = g
                for code in specs:
                    g.specs[code] = [0, vf, vu, spec_status(status, vu, today), False]
                new.append(g)
                ctx.inserted += 1
                continue
            diff = changes_of(FIELDS, g.values, values)
            for code in specs:
                want = [vf, vu, spec_status(status, vu, today)]
                have = g.specs.get(code)
                if have is None:
                    g.specs[code] = [0, *want, False]
                    diff.setdefault("specialties", {}).setdefault("added", []).append(code)
                elif have[1:4] != want:
                    diff.setdefault("specialties", {}).setdefault("changed", []).append(
                        {"specialty": code, "from": [str(have[1]), str(have[2])], "to": [str(vf), str(vu)]})
                    have[1:] = *want, True
            if not diff:
                ctx.unchanged += 1
                continue
            ctx.updated += 1
            if "enterprise_id" in diff:
                diff["enterprise"] = {"from": diff["enterprise_id"]["from"], "to": uscc}
            ended = status in RegStatus.ENDED and g.values[1] not in RegStatus.ENDED
            g.values = values
            if g.id:
                g.dirty = True
                g.ended = g.ended or ended
                g.why = "employer" if "enterprise_id" in diff or g.why == "employer" else \
                    ("specialties" if "specialties" in diff else g.why)
                ctx.event("registration.import", "registration", number, line, diff)
        if ctx.dry_run:
            ctx.carry.update({g.number: g for g in regs.values()})
            for pid, numbers in by_person.items():
                ctx.carry.setdefault(("person", pid), {}).update(numbers)
            return
        self._write(ctx, new, [g for g in regs.values() if g.dirty])

    def _refusal(self, ctx, rec, persons, ents, regs, by_person, quals) -> list:
        number, idn, kind_code, uscc, specs, vf, vu, first, status, reason, seal, province = rec
        out = []
        person, ent = persons.get(idn), ents.get(uscc)
        if person is None:
            out += from_error(PersonNotFound(), "id_number")
        if ent is None:
            out += from_error(EnterpriseNotFound(), "enterprise_uscc")
        if out:
            return out
        pid, sex, birth, deceased = person[0], person[2], person[3], person[4]
        g = regs.get(number)
        if g is not None and (g.person_id != pid or g.kind != kind_code):
            return [problem("registration_number", "number_taken", "该注册编号已属于另一人员或另一类别",
                            "This registration number belongs to another person or kind")]
        if g is not None and g.values[1] in RegStatus.ENDED and status not in RegStatus.ENDED:
            return from_error(RegistrationEnded(), "status")      # 重新注册, not an import, restores it
        kind = ctx.vocab.catalogue.kind(kind_code)
        cap = age_cap_date(birth, kind.age_cap_for(sex))
        if vu >= cap:
            out.append(problem("valid_until", "age_cap", f"有效期超过年龄上限(满 {kind.age_cap_for(sex)} 周岁)",
                               f"The period runs past the age cap ({kind.age_cap_for(sex)})"))
        missing = [c for c in specs if (pid, kind_code, c) not in quals and (pid, kind_code, None) not in quals]
        if missing:
            out.append(problem("specialties", "qualification_missing", f"缺少以下专业的资格证书:{'、'.join(missing)}",
                               f"No qualification for: {', '.join(missing)}"))
        if status in HELD:
            if ent[2] != "active":
                out += from_error(EmployerInactive(), "enterprise_uscc")
            if deceased:
                out += from_error(PersonDeceased(), "id_number")
            elif ctx.today >= cap:
                out += from_error(AgeCapReached(), "id_number")
            for other in by_person.get(pid, {}).values():
                if other.number == number or other.values[1] not in HELD:
                    continue
                if other.values[0] != ent[0]:
                    out += from_error(EmployerConflict(other.number), "enterprise_uscc")
                    break
                if other.kind == kind_code:
                    out += from_error(AlreadyRegistered(), "kind")
                    break
        return out

    def _write(self, ctx: Context, new: list[Reg], dirty: list[Reg]) -> None:
        s, now = ctx.session, ctx.now
        for g, rid in zip(new, new_ids(s, "registrations", len(new))):
            g.id = rid
        insert(s, "registrations", REG_COLUMNS,
               [(g.id, g.person_id, g.values[0], g.kind, g.number, g.values[3], g.province, g.values[1], g.values[2],
                 g.values[4], now, now, 1) for g in new], dates=(9, 10, 11))
        update(s, "registrations", ("enterprise_id", "status", "status_reason", "seal_counter", "first_registered_on",
                                    "updated_at"), [(*g.values, now, g.id) for g in dirty], extra="version = version + 1")
        added = [(g.id, code, spec) for g in (*new, *dirty) for code, spec in g.specs.items() if not spec[0]]
        insert(s, "registration_specialties", SPEC_COLUMNS,
               [(sid, rid, code, spec[1], spec[2], spec[3])
                for sid, (rid, code, spec) in zip(new_ids(s, "registration_specialties", len(added)), added)],
               dates=(3, 4))
        update(s, "registration_specialties", ("valid_from", "valid_until", "status"),
               [(spec[1], spec[2], spec[3], spec[0]) for g in dirty for spec in g.specs.values()
                if spec[0] and spec[4]])
        ended = [g.id for g in dirty if g.ended]
        if ended:            # as registry.registrations.set_status: the copies revoked, the specialties cancelled
            s.execute(sql_update(CertificateCopy).where(CertificateCopy.registration_id.in_(ended),
                                                        CertificateCopy.status == CopyStatus.CURRENT)
                      .values(status=CopyStatus.REVOKED))
            s.execute(sql_update(RegistrationSpecialty).where(RegistrationSpecialty.registration_id.in_(ended))
                      .values(status=SpecialtyStatus.CANCELLED))
        for g in dirty:
            if g.why and not g.ended:
                supersede_copies(s, [g.id], ctx.clock, g.why, ctx.actor)
