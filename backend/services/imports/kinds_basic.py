"""Batches of enterprises, persons and qualifications: each row's natural key looked up with one IN query
per batch, then inserted, updated (what changed, audited per record) or left unchanged. A person's new name
supersedes the copies of their registrations (registry/superseding.py, as a change of name does); an
enterprise's status 'revoked' or 'bankrupt' is for the daily job to turn into cancellations (DOMAIN.md)."""
from __future__ import annotations

from backend.models import Enterprise, Person, Qualification, Registration
from backend.services.imports.bulk import fetch, insert, new_ids, update
from backend.services.imports.context import Context, sort_row
from backend.services.imports.rows import check_enterprise, check_person, check_qualification, from_error, problem
from backend.services.registry.errors import PersonNotFound
from backend.services.registry.superseding import supersede_copies


class EnterpriseBatch:
    kind = "enterprises"
    FIELDS = ("name", "short_name", "province_code", "status")

    def check(self, row, vocab, today):
        return check_enterprise(row, vocab)

    def key(self, row) -> str | None:
        return row.get("uscc")

    def apply(self, ctx: Context, items: list) -> None:
        E = Enterprise
        keys = {rec[0] for _, rec in items}
        known = {r[1]: [r[0], *r[2:]] for r in fetch(ctx.session, (E.id, E.uscc, E.name, E.short_name,
                                                                    E.province_code, E.status), E.uscc, keys)}
        known.update({k: ctx.carry[k] for k in keys if k in ctx.carry})
        new, changed = {}, {}
        for line, (uscc, *values) in items:
            cur, diff = sort_row(ctx, known, new, uscc, values, self.FIELDS)
            if cur is not None:
                changed[cur[0]] = cur
                ctx.event("enterprise.import", "enterprise", cur[0], line, diff)
        if ctx.dry_run:
            ctx.carry.update(known)
            return
        ids = new_ids(ctx.session, "enterprises", len(new))
        insert(ctx.session, "enterprises", ("id", "uscc", "name", "short_name", "province_code", "status",
                                            "created_at", "updated_at"),
               [(i, uscc, *v[1:], ctx.now, ctx.now) for i, (uscc, v) in zip(ids, new.items())])
        update(ctx.session, "enterprises", (*self.FIELDS, "updated_at"),
               [(*v[1:], ctx.now, i) for i, v in changed.items()])


class PersonBatch:
    kind = "persons"
    FIELDS = ("name", "sex", "birth_date", "phone")

    def check(self, row, vocab, today):
        return check_person(row, vocab)

    def key(self, row) -> str | None:
        return row.get("id_number")

    def apply(self, ctx: Context, items: list) -> None:
        P = Person
        keys = {rec[0] for _, rec in items}
        known = {r[1]: [r[0], *r[2:]] for r in fetch(ctx.session, (P.id, P.id_number, P.name, P.sex, P.birth_date,
                                                                    P.phone), P.id_number, keys)}
        known.update({k: ctx.carry[k] for k in keys if k in ctx.carry})
        new, changed, renamed = {}, {}, []
        for line, (idn, *values) in items:
            cur, diff = sort_row(ctx, known, new, idn, values, self.FIELDS)
            if cur is not None:
                changed[cur[0]] = cur
                if "name" in diff:
                    renamed.append(cur[0])
                ctx.event("person.import", "person", cur[0], line, diff)
        if ctx.dry_run:
            ctx.carry.update(known)
            return
        ids = new_ids(ctx.session, "persons", len(new))
        insert(ctx.session, "persons", ("id", "id_number", "name", "sex", "birth_date", "phone", "id_type",
                                        "synthetic", "created_at", "updated_at"),
               [(i, idn, *v[1:], "ID", False, ctx.now, ctx.now) for i, (idn, v) in zip(ids, new.items())])
        update(ctx.session, "persons", (*self.FIELDS, "updated_at"), [(*v[1:], ctx.now, i) for i, v in changed.items()])
        if renamed:      # every copy printed the old name (as registry.persons.change_identity)
            regs = {}
            for pid, rid in fetch(ctx.session, (Registration.person_id, Registration.id), Registration.person_id,
                                  renamed):
                regs.setdefault(pid, []).append(rid)
            for pid in renamed:
                supersede_copies(ctx.session, regs.get(pid, []), ctx.clock, "name", ctx.actor)


class QualificationBatch:
    """Natural key: the person (by ID number), the kind and the specialty (none: the kind as a whole), as
    registry.qualifications.add_qualification keeps them one of each; the certificate number and issue date
    are what an import may change."""
    kind = "qualifications"
    FIELDS = ("certificate_no", "issued_on")

    def check(self, row, vocab, today):
        return check_qualification(row, vocab, today)

    def key(self, row) -> str | None:
        return row.get("id_number")

    def apply(self, ctx: Context, items: list) -> None:
        P, Q = Person, Qualification
        persons = {r[1]: (r[0], r[2]) for r in fetch(ctx.session, (P.id, P.id_number, P.birth_date), P.id_number,
                                                     [rec[0] for _, rec in items])}
        known = {}
        for qid, pid, kind, spec, cert, issued in sorted(fetch(
                ctx.session, (Q.id, Q.person_id, Q.kind_code, Q.specialty_code, Q.certificate_no, Q.issued_on),
                Q.person_id, [p for p, _ in persons.values()]), reverse=True):
            known[(pid, kind, spec)] = [qid, cert, issued]          # the first one, if stored twice
        new, changed = {}, {}
        for line, (idn, kind, spec, cert, issued) in items:
            person = persons.get(idn)
            if person is None:
                ctx.refuse(line, idn, from_error(PersonNotFound(), "id_number"))
                continue
            if issued < person[1]:
                ctx.refuse(line, idn, [problem("issued_on", "before_birth", "签发日期早于出生日期",
                                               "The issue date is before the birth date")])
                continue
            key = (person[0], kind, spec)
            cur = ctx.carry.get(key) or known.get(key)      # a dry run's earlier batches first
            if cur is not None:
                known[key] = cur
            cur, diff = sort_row(ctx, known, new, key, (cert, issued), self.FIELDS)
            if cur is not None:
                changed[cur[0]] = cur
                ctx.event("qualification.import", "person", person[0], line,
                          {"kind": kind, "specialty": spec, **diff})
        if ctx.dry_run:
            ctx.carry.update(known)
            return
        ids = new_ids(ctx.session, "qualifications", len(new))
        insert(ctx.session, "qualifications", ("id", "person_id", "kind_code", "specialty_code", "certificate_no",
                                               "issued_on"),
               [(i, *k, *v[1:]) for i, (k, v) in zip(ids, new.items())])
        update(ctx.session, "qualifications", self.FIELDS, [(*v[1:], i) for i, v in changed.items()])
