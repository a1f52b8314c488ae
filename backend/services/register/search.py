"""The authority's register search: one page of persons and their registrations, found by what was typed
(`detect`, or `by` naming the type) and narrowed by filters, with an honest total.

What is searched, and the index that serves it (the public lookup's ideas, services/lookup/search.py):
- a name: every name starting with q, as the range name >= q AND name < q' on (name, id) (PostgreSQL in
  COLLATE "C", migration 0002); persons without a registration are found too (a person imported, or waiting
  for their first registration);
- a full ID number (check character valid): the unique index of persons.id_number; `by=id_number` also takes
  its first 6 characters or more, as a range;
- a registration number whole or its start (with or without the province abbreviation: the unique index, or
  the expression index on the number after its first character, migration 0009); a seal number;
- a copy's 电子证照标识 or its public id (the copies' unique indexes);
- an employer: its 统一社会信用代码 (unique index) or text within its name or short name (a scan of
  enterprises, one row per enterprise, not per registration); the answer lists the matching enterprises too.
Filters (kind, status, province of registration, employer, specialties expiring within N days) are
conditions on the same statement; the expiry filter walks ix_reg_specialties_until (0018). Filters alone
list in the holder's name order, each through the lookup index its equality leads.

Totals are counted, never guessed: up to MAX_COUNT matches exactly; beyond it the answer says "at least
MAX_COUNT" (`total_capped`) and pages stop there. Counting stops at MAX_COUNT + 1 rows, so that a
one-character name or a whole province costs a bounded walk. Every value reaches the database as a bound
parameter."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import and_, func, join, literal_column, or_, outerjoin, select
from sqlalchemy.orm import Session

from backend.models import CertificateCopy, Enterprise, Person, Registration, RegistrationSpecialty, RegStatus, SpecialtyStatus
from backend.services.checkdigits import id_number_ok, uscc_ok
from backend.services.errors import FieldProblem, ValidationFailed
from backend.services.formats import NAME_CHARS
from backend.services.kinds import Catalogue
from backend.services.lookup.search import (
    IDENTIFIER_RE,
    MAX_IDENTIFIER,
    MIN_NUMBER_PREFIX,
    NUMBER_TAIL_RE,
    PUBLIC_ID_RE,
    SEAL_RE,
    parse_filters,
)
from backend.services.register.errors import (
    EmployerTooShort,
    ExpiringOutOfRange,
    NumberTooShort,
    PageInvalid,
    PageOutOfRange,
    PageSizeInvalid,
    QueryNotOfType,
    QueryNotUnderstood,
    QueryRequiredForType,
    QueryTooLong,
    UnknownSearchType,
    UnknownStatus,
)

MAX_QUERY = MAX_IDENTIFIER
MAX_COUNT = 10_000            # counted exactly up to here; beyond, "at least" and no further pages
PAGE_SIZE, MAX_PAGE_SIZE = 20, 100
MAX_EXPIRING_DAYS = 3650
MAX_ENTERPRISES = 20          # enterprises listed beside an employer search's registrations
TYPES = ("auto", "name", "id_number", "registration_number", "seal_number", "certificate", "employer")
NAME_RE = re.compile(rf"^[{NAME_CHARS}]{{1,64}}$")
ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
ID_PREFIX = re.compile(r"^\d{6,17}[\dX]?$")
USCC_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
TYPE_WORDS = {"name": ("姓名", "a name"), "id_number": ("身份证号(完整,或前 6 位以上)", "an ID number (whole, or its "
                                                                                        "first 6 characters or more)"),
              "registration_number": ("注册编号", "a registration number"),
              "seal_number": ("执业印章号,如 苏132070800001(01)", "a seal number such as 苏132070800001(01)"),
              "certificate": ("电子证照标识或电子证书编号", "a certificate identifier or copy id"),
              "employer": ("单位名称或统一社会信用代码", "an employer's name or credit code")}


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    status: str | None = None
    province: str | None = None
    employer: str | None = None     # text within the employer's name or short name
    uscc: str | None = None         # or its credit code
    expiring_within: int | None = None

    def as_json(self) -> dict:
        return {"kind": self.kind, "status": self.status, "province": self.province,
                "employer": self.uscc or self.employer, "expiring_within": self.expiring_within}


def _text(value) -> str | None:
    if value is None:
        return None
    value = unicodedata.normalize("NFKC", str(value)).strip()
    return value or None


def _int(value, problem: FieldProblem, lo: int, hi: int) -> int:
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 6:
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        raise problem
    return value


def check_filters(catalogue: Catalogue, problems: list, *, kind=None, status=None, province=None, employer=None,
                  expiring_within=None) -> Filters:
    """The filters, checked; each problem is added to `problems` (answered together with the query's)."""
    try:
        lf = parse_filters(catalogue, province=province, kind=kind, employer=employer)
    except ValidationFailed as e:        # the lookup's own checks and words for the filters they share
        problems.append(e)
        lf = None
    status = _text(status)
    if status is not None:
        status = status.lower()
        if status not in RegStatus.ALL:
            problems.append(UnknownStatus())
    days = _text(expiring_within)
    if days is not None:
        try:
            days = _int(days, ExpiringOutOfRange(max_days=MAX_EXPIRING_DAYS), 1, MAX_EXPIRING_DAYS)
        except FieldProblem as e:
            problems.append(e)
    if lf is None:
        return Filters(status=status, expiring_within=days)
    return Filters(lf.kind, status, lf.province, lf.employer, lf.uscc, days)


def detect(q: str | None, by: str, catalogue: Catalogue) -> tuple[str, str | None]:
    """(what to search, normalised text). `what`: none | name | id_number | id_prefix | registration_number |
    number_prefix | seal_number | certificate | copy_id | employer_uscc | employer_name."""
    by = (by or "auto").strip().lower()
    if by not in TYPES:
        raise UnknownSearchType()
    if q is not None and len(q) > MAX_QUERY:
        raise QueryTooLong(max_length=MAX_QUERY)
    text = _text(q)
    if text is None:
        if by != "auto":
            raise QueryRequiredForType()
        return "none", None
    compact = re.sub(r"\s+", "", text).upper()
    found = _detect_typed(text, compact, catalogue) if by == "auto" else _as_type(by, text, compact, catalogue)
    if found is None:
        if by == "auto":
            raise QueryNotUnderstood()
        zh, en = TYPE_WORDS[by]
        raise QueryNotOfType(what=zh, what_en=en)
    return found


def _detect_typed(text: str, compact: str, catalogue: Catalogue) -> tuple[str, str] | None:
    for by in ("certificate", "seal_number", "registration_number", "id_number"):
        found = _as_type(by, text, compact, catalogue, auto=True)
        if found:
            return found
    if len(compact) == 18 and uscc_ok(compact):
        return "employer_uscc", compact
    return _as_type("name", text, compact, catalogue)


def _as_type(by: str, text: str, compact: str, catalogue: Catalogue, auto: bool = False) -> tuple[str, str] | None:
    if by == "certificate":
        if IDENTIFIER_RE.match(compact):
            return "certificate", compact
        return ("copy_id", compact.lower()) if PUBLIC_ID_RE.match(compact.lower()) else None
    if by == "seal_number":
        seal = SEAL_RE.match(compact)
        return ("seal_number", compact) if seal and catalogue.kind_of_number(seal.group(1)) else None
    if by == "registration_number":
        if catalogue.kind_of_number(compact):
            return "registration_number", compact
        return _number_prefix(compact, catalogue, required=not auto)
    if by == "id_number":
        if ID_SHAPE.match(compact) and (id_number_ok(compact) or not auto):
            return "id_number", compact
        return ("id_prefix", compact) if ID_PREFIX.match(compact) and not auto else None
    if by == "employer":
        if USCC_SHAPE.match(compact) and uscc_ok(compact):
            return "employer_uscc", compact
        name = re.sub(r"\s+", " ", text)
        if len(name) < 2:
            raise EmployerTooShort()
        return "employer_name", name
    name = re.sub(r"\s+", " ", text)
    return ("name", name) if NAME_RE.match(name) else None


def _number_prefix(compact: str, catalogue: Catalogue, required: bool) -> tuple[str, str] | None:
    tail = compact[1:] if compact[0] in catalogue.provinces.values() else compact
    if not NUMBER_TAIL_RE.match(tail) or len(tail) > 16:
        return None
    if len(tail) < MIN_NUMBER_PREFIX:
        if required or compact[0] in catalogue.provinces.values():
            raise NumberTooShort(min_length=MIN_NUMBER_PREFIX)
        return None          # digits too few for a number: perhaps a name after all (none is all digits)
    return "number_prefix", compact


def _page(page, page_size) -> tuple[int, int]:
    size = PAGE_SIZE if page_size in (None, "") else _int(page_size, PageSizeInvalid(max_size=MAX_PAGE_SIZE), 1,
                                                          MAX_PAGE_SIZE)
    return (1 if page in (None, "") else _int(page, PageInvalid(), 1, 999_999)), size


def search(session: Session, catalogue: Catalogue, today: dt.date, *, q=None, by="auto", kind=None, status=None,
           province=None, employer=None, expiring_within=None, page=None, page_size=None) -> dict:
    """One page of what q finds (every registration, and persons with none when only a name or ID number is
    asked), with its total. Bad values of q, the type, the filters and the page are named together (422)."""
    problems: list = []
    what = text = None
    try:
        what, text = detect(q, by, catalogue)
    except FieldProblem as e:
        problems.append(e)
    filters = check_filters(catalogue, problems, kind=kind, status=status, province=province, employer=employer,
                            expiring_within=expiring_within)
    try:
        page, size = _page(page, page_size)
    except FieldProblem as e:
        problems.append(e)
    _raise(problems)
    conn = session.connection()
    pg = conn.dialect.name == "postgresql"
    hits, order = _hits(what, text, filters, catalogue, today, pg)
    counted = conn.execute(select(func.count()).select_from(hits.limit(MAX_COUNT + 1).subquery())).scalar()
    if not counted and what == "copy_id" and (by or "auto") == "auto" and NAME_RE.match(q.strip()):
        what, text = "name", q.strip()          # eight Latin letters: a copy id, else a name
        hits, order = _hits(what, text, filters, catalogue, today, pg)
        counted = conn.execute(select(func.count()).select_from(hits.limit(MAX_COUNT + 1).subquery())).scalar()
    total, capped = min(counted, MAX_COUNT), counted > MAX_COUNT
    pages = max(1, -(-total // size))
    if page > pages:
        raise PageOutOfRange(pages=pages)
    rows = conn.execute(hits.order_by(*order).limit(size).offset((page - 1) * size)).all()
    enterprises = _enterprises(conn, what, text, pg) if what in ("employer_uscc", "employer_name") else []
    return {"query": text, "match": what, "page": page, "page_size": size, "pages": pages, "total": total,
            "total_capped": capped, "results": page_rows(session, catalogue, [(r.pid, r.rid) for r in rows]),
            "enterprises": enterprises, "filters": filters.as_json()}


def _raise(problems: list) -> None:
    """One problem as itself (its own code, e.g. page_out_of_range); several as one 422 naming each field."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ValidationFailed(details={"fields": {k: v for p in problems for k, v in p.details["fields"].items()}})


def _conditions(f: Filters, today: dt.date, pg: bool) -> list:
    R, E, S = Registration, Enterprise, RegistrationSpecialty
    out = []
    if f.kind:
        out.append(R.kind_code == f.kind)
    if f.status:
        out.append(R.status == f.status)
    if f.province:
        out.append(R.province_code == f.province)
    if f.uscc:
        out.append(R.enterprise_id == select(E.id).where(E.uscc == f.uscc).scalar_subquery())
    if f.employer:
        out.append(R.enterprise_id.in_(_employer_ids(f.employer, pg)))
    if f.expiring_within:
        out.append(R.id.in_(select(S.registration_id).where(
            S.status == SpecialtyStatus.ACTIVE, S.valid_until >= today,
            S.valid_until <= today + dt.timedelta(days=f.expiring_within))))
    return out


def _employer_ids(text: str, pg: bool):
    E = Enterprise
    like = "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"
    match = (lambda c: c.ilike(like, escape="\\")) if pg else (lambda c: c.like(like, escape="\\"))  # noqa: E731
    return select(E.id).where(or_(match(E.name), match(E.short_name)))


def _hits(what: str, text: str | None, f: Filters, catalogue: Catalogue, today: dt.date, pg: bool):
    """(select of (pid, rid) with every condition, its page order)."""
    P, R, C = Person, Registration, CertificateCopy
    where = _conditions(f, today, pg)
    name = P.name.collate("C") if pg else P.name
    if what == "name" and where:
        # A filter on registrations: walk the holder's name copied onto them (migration 0010), whose indexes put
        # each filter's equality in front of the name (province, kind, employer), not every person of the prefix.
        held = Registration.person_name.collate("C") if pg else Registration.person_name
        hi = text[:-1] + chr(ord(text[-1]) + 1)
        return (select(R.person_id.label("pid"), R.id.label("rid")).where(held >= text, held < hi, *where),
                (held, R.person_id, R.id))
    if what in ("name", "id_number", "id_prefix"):
        # Persons first: with no registration filter, a person without registrations is a hit of their own.
        base = select(P.id.label("pid"), R.id.label("rid")).select_from(
            outerjoin(P, R, R.person_id == P.id) if not where else join(P, R, R.person_id == P.id))
        if what == "name":
            hi = text[:-1] + chr(ord(text[-1]) + 1)
            return base.where(name >= text, name < hi, *where), (name, P.id, R.id)
        if what == "id_number":
            return base.where(P.id_number == text, *where), (P.id, R.id)
        hi = text[:-1] + chr(ord(text[-1]) + 1)
        return base.where(P.id_number >= text, P.id_number < hi, *where), (P.id_number, R.id)
    base = select(R.person_id.label("pid"), R.id.label("rid"))
    if what == "registration_number":
        return base.where(R.registration_number == text, *where), (R.id,)
    if what == "seal_number":
        number, counter = SEAL_RE.match(text).groups()
        return base.where(R.registration_number == number, R.seal_counter == int(counter), *where), (R.id,)
    if what in ("certificate", "copy_id"):
        col = C.identifier if what == "certificate" else C.public_id
        return base.where(R.id == select(C.registration_id).where(col == text).scalar_subquery(), *where), (R.id,)
    if what == "number_prefix":
        number = R.registration_number.collate("C") if pg else R.registration_number
        if text[0] in catalogue.provinces.values():
            lo, col = text, number
        else:
            lo, col = text, func.substr(R.registration_number, literal_column("2"))
            col = col.collate("C") if pg else col
        hi = lo[:-1] + chr(ord(lo[-1]) + 1)
        return base.where(col >= lo, col < hi, *where), (col, R.id)
    if what == "employer_uscc":
        return base.where(R.enterprise_id == select(Enterprise.id).where(Enterprise.uscc == text).scalar_subquery(),
                          *where), (R.id,)
    if what == "employer_name":
        return base.where(R.enterprise_id.in_(_employer_ids(text, pg)), *where), (R.id,)
    if f.expiring_within:       # no query: the soonest expiry first
        return _expiry_walk(f, today, pg, where[:-1])       # the expiry condition (the last) is the walk itself
    # Filters alone: in the holder's name order (as a register is read), walking the one lookup index whose
    # equality leads with a filter (ix_reg_lookup_kind/province/employer, 0010; ix_reg_lookup_status, 0019),
    # so that a page and the count up to MAX_COUNT read one range, not the whole table.
    held = Registration.person_name.collate("C") if pg else Registration.person_name
    return base.where(*where), (held, R.person_id, R.id)


def _expiry_walk(f: Filters, today: dt.date, pg: bool, rest: list):
    """Walk the specialties in the order of their last day (ix_reg_specialties_until, no sort), each
    registration once: at its earliest active specialty still to come (ties by the specialty's id). Kind,
    province and status are read from the copies on the specialty (0010, 0018) in the same index, so the
    registration is joined only for an employer filter."""
    R = Registration
    S, S2 = RegistrationSpecialty, RegistrationSpecialty.__table__.alias("s2")
    until = today + dt.timedelta(days=f.expiring_within)
    earlier = select(S2.c.id).where(
        S2.c.registration_id == S.registration_id, S2.c.status == SpecialtyStatus.ACTIVE, S2.c.valid_until >= today,
        or_(S2.c.valid_until < S.valid_until, and_(S2.c.valid_until == S.valid_until, S2.c.id < S.id)))
    own = [c for c, v in ((S.kind_code == f.kind, f.kind), (S.province_code == f.province, f.province),
                          (S.reg_status == f.status, f.status)) if v]
    employer = [c for c in rest if not _on_copied_column(c)]
    hits = select(S.person_id.label("pid"), S.registration_id.label("rid"))
    if employer:
        hits = hits.select_from(S.__table__.join(R, R.id == S.registration_id))
    hits = hits.where(S.status == SpecialtyStatus.ACTIVE, S.valid_until >= today, S.valid_until <= until,
                      *own, *employer, ~earlier.exists())
    return hits, (S.valid_until, S.registration_id)


def _on_copied_column(condition) -> bool:
    """A condition of _conditions on the registration's kind, status or province (copied onto specialties)."""
    col = getattr(condition, "left", None)
    return col is not None and getattr(col, "table", None) is Registration.__table__ and \
        col.key in ("kind_code", "status", "province_code")


def _enterprises(conn, what: str, text: str, pg: bool) -> list[dict]:
    E = Enterprise
    cond = E.uscc == text if what == "employer_uscc" else E.id.in_(_employer_ids(text, pg))
    return [{"name": r.name, "short_name": r.short_name, "uscc": r.uscc, "province_code": r.province_code,
             "status": r.status}
            for r in conn.execute(select(E.name, E.short_name, E.uscc, E.province_code, E.status)
                                  .where(cond).order_by(E.name, E.id).limit(MAX_ENTERPRISES))]


def page_rows(session: Session, catalogue: Catalogue, keys: list[tuple[int, int | None]]) -> list[dict]:
    """The page's rows in order: the person and the registration (None for a person without one), in full."""
    P, R, E, S = Person, Registration, Enterprise, RegistrationSpecialty
    pids = {p for p, _ in keys}
    rids = {r for _, r in keys if r is not None}
    persons = {r.id: r for r in session.execute(
        select(P.id, P.name, P.sex, P.birth_date, P.id_number, P.deceased_on).where(P.id.in_(pids)))} if pids else {}
    regs = {r.id: r for r in session.execute(
        select(R.id, R.registration_number, R.seal_counter, R.kind_code, R.status, R.province_code, E.name, E.uscc,
               E.status.label("employer_status"))
        .join(E, E.id == R.enterprise_id).where(R.id.in_(rids)))} if rids else {}
    specs: dict[int, list] = {}
    if rids:
        for s in session.execute(select(S.registration_id, S.specialty_code, S.valid_until, S.status)
                                 .where(S.registration_id.in_(rids)).order_by(S.id)):
            specs.setdefault(s.registration_id, []).append(s)
    out = []
    for pid, rid in keys:
        p = persons[pid]
        out.append({"person": {"id": p.id, "name": p.name, "sex": p.sex, "birth_date": p.birth_date.isoformat(),
                               "id_number": p.id_number,
                               "deceased_on": p.deceased_on.isoformat() if p.deceased_on else None},
                    "registration": _registration(catalogue, regs[rid], specs.get(rid, [])) if rid else None})
    return out


def _registration(catalogue: Catalogue, r, specs: list) -> dict:
    kind = catalogue.kind(r.kind_code)
    active = [s.valid_until for s in specs if s.status == SpecialtyStatus.ACTIVE]
    return {
        "registration_number": r.registration_number, "seal_number": f"{r.registration_number}({r.seal_counter:02d})",
        "kind": r.kind_code, "kind_name": kind.name if kind else r.kind_code,
        "kind_name_en": kind.name_en if kind else r.kind_code, "level": kind.level if kind else None,
        "status": r.status, "status_name": RegStatus.ZH.get(r.status, r.status),
        "status_name_en": RegStatus.EN.get(r.status, r.status), "province_code": r.province_code,
        "employer": {"name": r.name, "uscc": r.uscc, "status": r.employer_status},
        "specialties": [{"code": s.specialty_code,
                         "name": (kind.specialty(s.specialty_code).name if kind and kind.specialty(s.specialty_code)
                                  else s.specialty_code),
                         "valid_until": s.valid_until.isoformat(), "status": s.status} for s in specs],
        "next_expiry": min(active).isoformat() if active else None,
    }
