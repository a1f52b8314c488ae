"""The public lookup: registrations found by a name, a registration number, a seal number (执业印章号)
or a certificate copy's identifier, masked, paginated and capped against scraping (DOMAIN.md: the
national platform lists at most 30 pages).

What was typed decides what is searched (`detect`). A name of two or more characters matches every
name that starts with it; exact matches sort first because the results are ordered by name, and `match`
says "name" when every hit is the name itself, "name_prefix" when some only start with it. Names are
compared as a range, name >= q AND name < q' (q with its last character incremented), so one ordered
index walk serves exact and prefix matches alike, with no LIKE pattern to escape: on SQLite the
(name, id) index in its BINARY collation, on PostgreSQL an index in COLLATE "C" (migration 0002).
Every value reaches the database as a bound parameter.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from backend.models import CertificateCopy, Enterprise, Person, Registration, RegistrationSpecialty, RegStatus
from backend.services.clock import age_cap_date
from backend.services.formats import NAME_CHARS
from backend.services.kinds import Catalogue
from backend.services.lookup.errors import (
    PageInvalid,
    PageOutOfRange,
    QueryNotUnderstood,
    QueryRequired,
    QueryTooLong,
    QueryTooShort,
)
from backend.services.masking import public_id_number

MAX_QUERY = 64
MAX_IDENTIFIER = 96      # 电子证照标识 run to about 72 characters, beyond MAX_QUERY
IDENTIFIER_RE = re.compile(r"^1\.2\.156\.3005\.2\.[0-9A-Z]+(\.[0-9A-Z]+)+$")
PUBLIC_ID_RE = re.compile(r"^[a-z2-7]{8}$")                      # base32 of 5 random bytes, lower case
SEAL_RE = re.compile(r"^(.+)\((\d{2})\)$")                       # after NFKC, （） are ( )
NAME_RE = re.compile(rf"^[{NAME_CHARS}]{{2,64}}$")      # a name typed to search: 2 characters or more


@dataclass(frozen=True)
class LookupPage:
    query: str
    match: str            # name | name_prefix | registration_number | seal_number | certificate
    page: int
    page_size: int
    total: int            # capped at page_size × max_pages (600)
    total_capped: bool
    results: list[dict]

    def as_json(self) -> dict:
        # Not dataclasses.asdict: it deep-copies every result (milliseconds per page).
        return {"query": self.query, "match": self.match, "page": self.page, "page_size": self.page_size,
                "total": self.total, "total_capped": self.total_capped, "results": self.results}


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
    if NAME_RE.match(_as_name(text)):
        return "name", _as_name(text)
    raise QueryNotUnderstood()


def lookup(session: Session, catalogue: Catalogue, q, page=None, *, page_size: int = 20,
           max_pages: int = 30) -> LookupPage:
    what, text = detect(q, catalogue)
    page = parse_page(page, max_pages)
    conn = session.connection()
    st = _statements(conn.dialect.name)
    if what == "name":
        return _by_name(conn, st, catalogue, text, page, page_size, max_pages)
    if what == "seal_number":
        number, counter = SEAL_RE.match(text).groups()
        rows = conn.execute(st["by_seal"], {"number": number, "counter": int(counter)}).all()
    else:
        rows = conn.execute(st["by_" + what], {"v": text}).all()   # unique values: one registration or none
    name = _as_name(unicodedata.normalize("NFKC", q))
    if not rows and what == "copy_id" and NAME_RE.match(name):
        return _by_name(conn, st, catalogue, name, page, page_size, max_pages)
    match = "certificate" if what == "copy_id" else what
    results = list(_results(catalogue, rows).values())
    return LookupPage(text, match, page, page_size, len(results), False, results if page == 1 else [])


@lru_cache(maxsize=4)
def _statements(dialect: str) -> dict:
    """Core statements, built once per dialect: lookups are frequent and building a statement costs
    more than running these ones on SQLite."""
    P, R, E = Person.__table__, Registration.__table__, Enterprise.__table__
    S, C = RegistrationSpecialty.__table__, CertificateCopy.__table__
    # PostgreSQL: compare in the "C" collation, so that a range is a prefix range and the C index serves.
    name = P.c.name.collate("C") if dialect == "postgresql" else P.c.name
    lo, hi = bindparam("lo"), bindparam("hi")
    # A registration with its specialties: one row per specialty, so one round trip per lookup.
    details = (select(R.c.id, P.c.name, P.c.sex, P.c.birth_date, P.c.id_number, R.c.registration_number, R.c.seal_counter,
                      R.c.kind_code, R.c.status, E.c.name, E.c.uscc, S.c.specialty_code, S.c.valid_until, S.c.status)
               .select_from(R.join(P, P.c.id == R.c.person_id).join(E, E.c.id == R.c.enterprise_id)
                            .outerjoin(S, S.c.registration_id == R.c.id))
               .order_by(R.c.id, S.c.id))
    copy_of = lambda col: select(C.c.registration_id).where(col == bindparam("v")).scalar_subquery()  # noqa: E731
    return {
        # Every hit up to the cap, in page order, from covering indexes only: (name, id) and
        # registrations(person_id). One walk gives the total, the page's ids and whether longer names match.
        "hits": (select(R.c.id, P.c.name).select_from(P.join(R, R.c.person_id == P.c.id))
                 .where(name >= lo, name < hi).order_by(name, P.c.id, R.c.id).limit(bindparam("cap"))),
        "longer": select(P.c.id).where(name > lo, name < hi).limit(1),
        "by_ids": details.where(R.c.id.in_(bindparam("ids", expanding=True))),
        "by_registration_number": details.where(R.c.registration_number == bindparam("v")),
        "by_seal": details.where(R.c.registration_number == bindparam("number"), R.c.seal_counter == bindparam("counter")),
        "by_certificate": details.where(R.c.id == copy_of(C.c.identifier)),
        "by_copy_id": details.where(R.c.id == copy_of(C.c.public_id)),
    }


def _by_name(conn, st: dict, catalogue: Catalogue, q: str, page: int, page_size: int, max_pages: int) -> LookupPage:
    hi = q[:-1] + chr(ord(q[-1]) + 1)             # NAME_RE keeps q[-1] far from U+10FFFF and surrogates
    cap = page_size * max_pages                   # 600 by default: the last page ends there
    hits = conn.execute(st["hits"], {"lo": q, "hi": hi, "cap": cap + 1}).all()
    ids = [h[0] for h in hits[(page - 1) * page_size:page * page_size]]
    found = _results(catalogue, conn.execute(st["by_ids"], {"ids": ids}).all() if ids else [])
    results = [found[i] for i in ids if i in found]          # in the order of the walk
    longer = any(h[1] != q for h in hits) or (
        len(hits) > cap and conn.execute(st["longer"], {"lo": q, "hi": hi}).first() is not None)
    return LookupPage(q, "name_prefix" if longer else "name", page, page_size, min(len(hits), cap),
                      len(hits) > cap, results)


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
