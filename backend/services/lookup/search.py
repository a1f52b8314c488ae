"""The public lookup: registrations found by a name, a registration number, a seal number (执业印章号)
or a certificate copy's identifier, masked, paginated and capped against scraping (DOMAIN.md: the
national platform lists at most 30 pages).

What was typed decides what is searched (`detect`). A name of two or more characters matches every
name that starts with it; exact matches sort first because the results are ordered by name, and `match`
says "name" when every hit is the name itself, "name_prefix" when some only start with it. Names are
compared as a range, name >= q AND name < q' (q with its last character incremented), so one ordered
index walk serves exact and prefix matches alike, with no LIKE pattern to escape: the holder's name as
the database copies it onto registrations and specialties (migration 0010), in indexes that put each
filter before the name, on SQLite in its BINARY collation, on PostgreSQL in COLLATE "C" (see 0002).
Every value reaches the database as a bound parameter.

A query shaped like a part of a registration number (`苏2322526`, or `2322526` without the province) is
searched as a prefix of the numbers: with the province's abbreviation as a range of registration_number,
without it as a range of the number after its first character, `substr(registration_number, 2)`, which
an expression index serves (migration 0009). At least MIN_NUMBER_PREFIX characters after the
abbreviation are needed, so that a number prefix is as narrow as a two-character name prefix; a query
shaped like an ID number is refused (the public lookup never searches by it, docs/privacy.md).

Filters narrow any query, as the national platform's do: the province of registration (the number's
first character: `registrations.province_code`), the kind, a specialty, and the employer (text within
its name or short name, or its 统一社会信用代码). They are checked against the catalogue (422 otherwise)
and added to the same statements as conditions; a statement is built once per dialect, query type and
set of filters. Capped totals say so (`total_capped`): "at least 600", never a false count.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Integer, bindparam, exists, func, literal_column, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from backend.models import CertificateCopy, Enterprise, Person, Registration, RegistrationSpecialty, RegStatus
from backend.services.clock import age_cap_date
from backend.services.errors import FieldProblem, FieldProblems
from backend.services.formats import NAME_CHARS
from backend.services.kinds import Catalogue
from backend.services.lookup.errors import (
    EmployerTooLong,
    EmployerTooShort,
    IdNumberNotSearchable,
    NumberTooShort,
    PageInvalid,
    PageOutOfRange,
    QueryNotUnderstood,
    QueryRequired,
    QueryTooLong,
    QueryTooShort,
    UnknownKind,
    UnknownProvince,
    UnknownSpecialty,
)
from backend.services.masking import public_id_number

MAX_QUERY = 64
MAX_IDENTIFIER = 96      # 电子证照标识 run to about 72 characters, beyond MAX_QUERY
IDENTIFIER_RE = re.compile(r"^1\.2\.156\.3005\.2\.[0-9A-Z]+(\.[0-9A-Z]+)+$")
PUBLIC_ID_RE = re.compile(r"^[a-z2-7]{8}$")                      # base32 of 5 random bytes, lower case
SEAL_RE = re.compile(r"^(.+)\((\d{2})\)$")                       # after NFKC, （） are ( )
NAME_RE = re.compile(rf"^[{NAME_CHARS}]{{2,64}}$")      # a name typed to search: 2 characters or more
ID_NUMBER_RE = re.compile(r"^\d{17}[\dX]$")      # never searched: refused by its shape alone
# A part of a registration number after its province abbreviation: digits, capitals, the brackets and 建安
# of the 安管 numbers, at least one digit. 6 characters name the level, province and qualification year of
# a 建造师 number (2 32 25 …): the narrowest a typed prefix usually is, and no wider than a 2-character name.
NUMBER_TAIL_RE = re.compile(r"^(?=.*\d)[0-9A-Z()建安]+$")
MIN_NUMBER_PREFIX = 6
MAX_NUMBER_TAIL = 16     # the longest number after its abbreviation: 京2112014201653442
MAX_EMPLOYER = 100
USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
FILTER_KEYS = ("province", "kind", "specialty", "employer", "uscc")
EMPLOYER_KEYS = ("employer", "employer_fold", "employer_ids", "uscc")
MAX_EMPLOYER_IDS = 5000  # a text matching more employers is checked on the name walk's rows instead


@dataclass(frozen=True)
class Filters:
    """What narrows a lookup, checked and normalised by parse_filters()."""
    province: str | None = None     # GB/T 2260 code of the province of registration
    kind: str | None = None
    specialty: str | None = None
    employer: str | None = None     # text within the employer's name or short name
    uscc: str | None = None         # or the employer's 统一社会信用代码

    def keys(self) -> tuple[str, ...]:
        """The filters given; "employer_fold" too when the employer's text has Latin letters, whose case the
        match ignores (Chinese has none: PostgreSQL's LIKE is then several times faster than its ILIKE)."""
        keys = tuple(k for k in FILTER_KEYS if getattr(self, k) is not None)
        return keys + ("employer_fold",) if self.employer and re.search("[A-Za-z]", self.employer) else keys

    def params(self) -> dict:
        out = {k: getattr(self, k) for k in self.keys() if k in FILTER_KEYS}
        if self.employer is not None:
            out["employer"] = "%" + re.sub(r"([\\%_])", r"\\\1", self.employer) + "%"
        return out

    def as_json(self) -> dict:
        return {"province": self.province, "kind": self.kind, "specialty": self.specialty,
                "employer": self.uscc or self.employer}


NO_FILTERS = Filters()


def _text(value) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        return ""          # not text: refused below as an unknown value
    value = unicodedata.normalize("NFKC", value).strip()
    return value or None


def parse_filters(catalogue: Catalogue, *, province=None, kind=None, specialty=None, employer=None) -> Filters:
    """The filters, checked against the catalogue; every bad one is named in one 422. Empty means absent."""
    filters, problems = _check_filters(catalogue, province, kind, specialty, employer)
    FieldProblems.check(problems)
    return filters


def _check_filters(catalogue: Catalogue, province, kind, specialty, employer) -> tuple[Filters, list[FieldProblem]]:
    problems: list[FieldProblem] = []
    province, kind, specialty, employer = map(_text, (province, kind, specialty, employer))
    if province is not None:
        code = province if province in catalogue.provinces else catalogue.province_code_of(province)
        if code is None:
            problems.append(UnknownProvince())
        province = code
    if kind is not None:
        kind = kind.upper()
        if catalogue.kind(kind) is None:
            problems.append(UnknownKind())
            kind = None
    if specialty is not None:
        specialty = specialty.upper()
        kinds = [catalogue.kind(kind)] if kind else catalogue.kinds.values()
        if not any(k and k.specialty(specialty) for k in kinds):
            problems.append(UnknownSpecialty())
    uscc = None
    if employer is not None:
        employer = re.sub(r"\s+", " ", employer)
        if len(employer) < 2:
            problems.append(EmployerTooShort())
        elif len(employer) > MAX_EMPLOYER:
            problems.append(EmployerTooLong(max_length=MAX_EMPLOYER))
        elif USCC_RE.match(employer.upper()):
            uscc, employer = employer.upper(), None
    return Filters(province, kind, specialty, employer, uscc), problems


@dataclass(frozen=True)
class LookupPage:
    query: str
    match: str            # name | name_prefix | registration_number | number_prefix | seal_number | certificate
    page: int
    page_size: int
    total: int            # capped at page_size × max_pages (600)
    total_capped: bool
    results: list[dict]
    filters: Filters = NO_FILTERS

    def as_json(self) -> dict:
        # Not dataclasses.asdict: it deep-copies every result (milliseconds per page).
        return {"query": self.query, "match": self.match, "page": self.page, "page_size": self.page_size,
                "total": self.total, "total_capped": self.total_capped, "results": self.results,
                "filters": self.filters.as_json()}


def parse_page(page, max_pages: int) -> int:
    if page is None or page == "":
        return 1
    if isinstance(page, str) and page.isascii() and page.isdigit() and len(page) <= 6:
        page = int(page)
    if not isinstance(page, int) or isinstance(page, bool) or page < 1:
        raise PageInvalid()
    if page > max_pages:
        raise PageOutOfRange(max_pages=max_pages)
    return page


def _as_name(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip())


def detect(q, catalogue: Catalogue) -> tuple[str, str]:
    """(kind of query, normalised text), or ValidationFailed naming the problem."""
    if not isinstance(q, str) or not q.strip():
        raise QueryRequired()
    if len(q) > MAX_QUERY and not (len(q) <= MAX_IDENTIFIER and IDENTIFIER_RE.match(q.strip().upper())):
        raise QueryTooLong(max_length=MAX_QUERY)
    text = unicodedata.normalize("NFKC", q).strip()      # full-width brackets and digits become ASCII
    compact = re.sub(r"\s+", "", text)
    if len(compact) < 2:
        raise QueryTooShort()
    if IDENTIFIER_RE.match(compact.upper()):
        return "certificate", compact.upper()
    if PUBLIC_ID_RE.match(compact.lower()):
        return "copy_id", compact.lower()          # or a Latin name: lookup() falls back to names
    seal = SEAL_RE.match(compact.upper())
    if seal and catalogue.kind_of_number(seal.group(1)):
        return "seal_number", compact.upper()
    if catalogue.kind_of_number(compact.upper()):
        return "registration_number", compact.upper()
    if ID_NUMBER_RE.match(compact.upper()):
        raise IdNumberNotSearchable()
    number = _number_prefix(compact.upper(), catalogue)
    if number:
        return "number_prefix", number
    if NAME_RE.match(_as_name(text)):
        return "name", _as_name(text)
    raise QueryNotUnderstood()


def _number_prefix(compact: str, catalogue: Catalogue) -> str | None:
    """The query as the start of a registration number (with or without its province abbreviation), or None
    when it is not shaped like one. Too short a part: NumberTooShort."""
    tail = compact[1:] if compact[0] in catalogue.provinces.values() else compact
    if not NUMBER_TAIL_RE.match(tail) or len(tail) > MAX_NUMBER_TAIL:
        return None
    if len(tail) < MIN_NUMBER_PREFIX:
        raise NumberTooShort(min_length=MIN_NUMBER_PREFIX, example="232252")
    return compact


def lookup(session: Session, catalogue: Catalogue, q, page=None, *, province=None, kind=None, specialty=None,
           employer=None, page_size: int = 20, max_pages: int = 30) -> LookupPage:
    """One page of what q finds, narrowed by the filters (as typed: they are checked here). A bad q and bad
    filters are named together in one 422."""
    filters, problems = _check_filters(catalogue, province, kind, specialty, employer)
    try:
        what, text = detect(q, catalogue)
    except FieldProblem as e:
        problems.insert(0, e)
    FieldProblems.check(problems)
    page = parse_page(page, max_pages)
    conn = session.connection()
    dialect, keys, params = conn.dialect.name, filters.keys(), filters.params()
    if what == "name":
        return _walk(conn, catalogue, "name", text, page, page_size, max_pages, filters)
    if what == "number_prefix":
        return _walk(conn, catalogue, "number", text, page, page_size, max_pages, filters)
    if what == "seal_number":
        number, counter = SEAL_RE.match(text).groups()
        rows = conn.execute(_statement(dialect, "by_seal", keys), {"number": number, "counter": int(counter), **params}).all()
    else:   # unique values: one registration or none
        rows = conn.execute(_statement(dialect, "by_" + what, keys), {"v": text, **params}).all()
    name = _as_name(unicodedata.normalize("NFKC", q))
    if not rows and what == "copy_id" and NAME_RE.match(name):
        return _walk(conn, catalogue, "name", name, page, page_size, max_pages, filters)
    match = "certificate" if what == "copy_id" else what
    results = list(_results(catalogue, rows).values())
    return LookupPage(text, match, page, page_size, len(results), False, results if page == 1 else [], filters)


def _filtered(dialect: str, keys: tuple[str, ...], R) -> list:
    """The conditions on registrations R of the filters named in keys, as bound parameters of those names.
    The employer's and specialty's tables are aliased: the details statement joins them already."""
    E, S = Enterprise.__table__.alias("fe"), RegistrationSpecialty.__table__.alias("fs")
    out = []
    if "province" in keys:
        out.append(R.c.province_code == bindparam("province"))
    if "kind" in keys:
        out.append(R.c.kind_code == bindparam("kind"))
    if "specialty" in keys:
        out.append(exists().where(S.c.registration_id == R.c.id, S.c.specialty_code == bindparam("specialty")))
    if "employer" in keys:
        out.append(R.c.enterprise_id.in_(_employer_match(dialect, "employer_fold" in keys, E)))
    if "employer_ids" in keys:       # the employers the text matched, found first (_employer_ids)
        if dialect == "postgresql":  # one array parameter: an index probe per employer, not thousands of parameters
            out.append(R.c.enterprise_id == func.any(bindparam("employer_ids", type_=ARRAY(Integer))))
        else:
            out.append(R.c.enterprise_id.in_(bindparam("employer_ids", expanding=True)))
    if "uscc" in keys:
        out.append(R.c.enterprise_id == select(E.c.id).where(E.c.uscc == bindparam("uscc")).scalar_subquery())
    return out


@lru_cache(maxsize=512)      # 9 query types × 32 sets of filters
def _statement(dialect: str, what: str, keys: tuple[str, ...] = ()):
    """Core statements, built once per dialect, query type and set of filters: lookups are frequent and
    building a statement costs more than running these ones on SQLite."""
    P, R, E = Person.__table__, Registration.__table__, Enterprise.__table__
    S, C = RegistrationSpecialty.__table__, CertificateCopy.__table__
    pg = dialect == "postgresql"
    # PostgreSQL: compare in the "C" collation, so that a range is a prefix range and the C index serves.
    number = R.c.registration_number.collate("C") if pg else R.c.registration_number
    # The number after its province abbreviation: the literal 2 (not a parameter) matches the index's expression.
    tail = func.substr(R.c.registration_number, literal_column("2"))
    tail = tail.collate("C") if pg else tail
    lo, hi, cap = bindparam("lo"), bindparam("hi"), bindparam("cap")
    where = _filtered(dialect, keys, R)
    if what in ("hits", "longer"):
        return _name_walk(pg, what, keys, where, lo, hi, cap)
    if what == "number_hits":       # the province's abbreviation typed: the number's own index
        return select(R.c.id).where(number >= lo, number < hi, *where).order_by(number).limit(cap)
    if what == "tail_hits":         # without it: the index on the number after its first character
        return select(R.c.id).where(tail >= lo, tail < hi, *where).order_by(tail, R.c.id).limit(cap)
    # A registration with its specialties: one row per specialty, so one round trip per lookup.
    details = (select(R.c.id, P.c.name, P.c.sex, P.c.birth_date, P.c.id_number, R.c.registration_number, R.c.seal_counter,
                      R.c.kind_code, R.c.status, E.c.name, E.c.uscc, S.c.specialty_code, S.c.valid_until, S.c.status)
               .select_from(R.join(P, P.c.id == R.c.person_id).join(E, E.c.id == R.c.enterprise_id)
                            .outerjoin(S, S.c.registration_id == R.c.id))
               .order_by(R.c.id, S.c.id))
    copy_of = lambda col: select(C.c.registration_id).where(col == bindparam("v")).scalar_subquery()  # noqa: E731
    key = {
        "by_ids": R.c.id.in_(bindparam("ids", expanding=True)),
        "by_registration_number": R.c.registration_number == bindparam("v"),
        "by_seal": (R.c.registration_number == bindparam("number")) & (R.c.seal_counter == bindparam("counter")),
        "by_certificate": R.c.id == copy_of(C.c.identifier),
        "by_copy_id": R.c.id == copy_of(C.c.public_id),
    }[what]
    return details.where(key, *where)


def _name_walk(pg: bool, what: str, keys: tuple[str, ...], where: list, lo, hi, cap):
    """Registrations whose holder's name is in [lo, hi), in page order (name, person, registration), up to
    cap ("hits"), or whether one beyond the name lo itself exists ("longer"). The walk reads the holder's name
    copied onto registrations (and specialties) by migration 0010, whose indexes put each filter's value
    before the name: the database picks the one whose equality the filters give (a province, a kind, the
    employers), so that a page is one range of one index however many same-prefix names a filter rejects.
    With a specialty, the walk is over the specialties' own index, which carries the kind and the province;
    only an employer needs the registration itself."""
    R = Registration.__table__
    if "specialty" in keys:
        W = RegistrationSpecialty.__table__.alias("ws")
        name, person, rid = W.c.person_name, W.c.person_id, W.c.registration_id
        where = [W.c.specialty_code == bindparam("specialty")]
        where += [W.c[k + "_code"] == bindparam(k) for k in ("province", "kind") if k in keys]
        employer = tuple(k for k in keys if k in EMPLOYER_KEYS)
        source = W
        if employer:
            source = W.join(R, R.c.id == W.c.registration_id)
            where += _filtered("postgresql" if pg else "sqlite", employer, R)
    else:
        name, person, rid, source = R.c.person_name, R.c.person_id, R.c.id, R
    name = name.collate("C") if pg else name
    if what == "longer":
        return select(rid).select_from(source).where(name > lo, name < hi, *where).limit(1)
    return (select(rid, name).select_from(source).where(name >= lo, name < hi, *where)
            .order_by(name, person, rid).limit(cap))


def _walk(conn, catalogue: Catalogue, by: str, q: str, page: int, page_size: int, max_pages: int,
          filters: Filters) -> LookupPage:
    """A name or number prefix: every hit up to the cap in page order (its count is the total, capped),
    then the page's registrations in full."""
    dialect, keys, params = conn.dialect.name, filters.keys(), filters.params()
    cap = page_size * max_pages                   # 600 by default: the last page ends there
    walk_keys, walk_params = keys, params
    if "employer" in keys:
        ids = _employer_ids(conn, params["employer"], "employer_fold" in keys)
        if ids is not None:
            if not ids:
                return LookupPage(q, "number_prefix" if by == "number" else "name", page, page_size, 0, False, [],
                                  filters)
            walk_keys = tuple("employer_ids" if k == "employer" else k for k in keys)
            walk_params = {**params, "employer_ids": ids}
    if by == "name":
        what, lo = "hits", q
    elif q[0] in catalogue.provinces.values():
        what, lo = "number_hits", q
    elif filters.province:                        # one province: its abbreviation makes the number whole
        what, lo = "number_hits", catalogue.provinces[filters.province] + q
    else:
        what, lo = "tail_hits", q
    hi = lo[:-1] + chr(ord(lo[-1]) + 1)           # NAME_RE and NUMBER_TAIL_RE keep lo[-1] far from U+10FFFF
    hits = conn.execute(_statement(dialect, what, walk_keys), {"lo": lo, "hi": hi, "cap": cap + 1, **walk_params}).all()
    ids = [h[0] for h in hits[(page - 1) * page_size:page * page_size]]
    found = _results(catalogue, conn.execute(_statement(dialect, "by_ids", keys), {"ids": ids, **params}).all()
                     if ids else [])
    results = [found[i] for i in ids if i in found]          # in the order of the walk
    if by == "name":
        longer = any(h[1] != q for h in hits) or (len(hits) > cap and conn.execute(
            _statement(dialect, "longer", walk_keys), {"lo": q, "hi": hi, **walk_params}).first() is not None)
        match = "name_prefix" if longer else "name"
    else:
        match = "number_prefix"
    return LookupPage(q, match, page, page_size, min(len(hits), cap), len(hits) > cap, results, filters)


def _employer_ids(conn, like: str, fold: bool) -> list[int] | None:
    """The ids of the employers whose name or short name contains the text (as the LIKE pattern `like`), or
    None when more than MAX_EMPLOYER_IDS do. A few employers are best walked one by one on the employer
    index (their registrations by name); a text common to many is best checked on the rows of the name walk."""
    ids = [r[0] for r in conn.execute(_employer_statement(conn.dialect.name, fold),
                                      {"employer": like, "n": MAX_EMPLOYER_IDS + 1})]
    return None if len(ids) > MAX_EMPLOYER_IDS else ids


def _employer_match(dialect: str, fold: bool, E):
    """The ids of the employers E whose name or short name is LIKE the parameter "employer"; ignoring the case
    of Latin letters (fold): SQLite's LIKE does so itself (lower() on every name would cost four times the
    scan), PostgreSQL's ILIKE."""
    like = bindparam("employer")
    if fold and dialect == "postgresql":
        return select(E.c.id).where(or_(E.c.name.ilike(like, escape="\\"), E.c.short_name.ilike(like, escape="\\")))
    return select(E.c.id).where(or_(E.c.name.like(like, escape="\\"), E.c.short_name.like(like, escape="\\")))


@lru_cache(maxsize=8)
def _employer_statement(dialect: str, fold: bool):
    return _employer_match(dialect, fold, Enterprise.__table__).limit(bindparam("n"))


def _results(catalogue: Catalogue, rows) -> dict[int, dict]:
    """Masked results by registration id, from rows of (registration ..., one specialty)."""
    out: dict[int, dict] = {}
    ids: dict[int, tuple] = {}          # registration id -> (ID number, age-cap date), masked once complete
    for rid, name, sex, birth, id_number, number, seal, kind_code, status, emp_name, emp_uscc, code, until, s_status in rows:
        kind = catalogue.kind(kind_code)
        res = out.get(rid)
        if res is None:
            ids[rid] = (id_number, age_cap_date(birth, kind.age_cap_for(sex)) if kind else None)
            res = out[rid] = {
                "name": name, "sex": sex, "id_number": None,
                "registration_number": number, "seal_number": f"{number}({seal:02d})",
                "kind": kind_code, "kind_name": kind.name if kind else kind_code,
                "kind_name_en": kind.name_en if kind else kind_code, "level": kind.level if kind else "",
                "status": status, "status_name": RegStatus.ZH.get(status, status),
                "employer": {"name": emp_name, "uscc": emp_uscc}, "specialties": [],
            }
        if code is not None:
            spec = kind.specialty(code) if kind else None
            res["specialties"].append({"code": code, "name": spec.name if spec else code,
                                       "valid_until": until.isoformat(), "status": s_status})
    for rid, res in out.items():
        id_number, cap = ids[rid]
        res["id_number"] = public_id_number(id_number, cap, (dt.date.fromisoformat(s["valid_until"])
                                                             for s in res["specialties"]))
    return out
