"""The inspector's site check, recorded and signed: each person's scanned certificates verified again here (the
verification service, as POST /api/v1/verify does, masked as that answers the caller's role), evaluated against
the role the inspector gave them, and the whole kept as one record whose token the server signs
(record_token.py). The app's `client_id` makes creating idempotent: a sync retried after a lost answer finds the
record it made. Each genuine certificate recorded tells its holder "your certificate was checked" (notices).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.crypto.keys import KeyRing
from backend.models import Account, CertificateCopy, Inspection, Registration
from backend.services.checkdigits import uscc_ok
from backend.services.clock import Clock, epoch, iso_utc
from backend.services.errors import FieldProblems
from backend.services.kinds import Catalogue
from backend.services.settings import IssuerSettings
from backend.services.sitecheck import record_token
from backend.services.sitecheck.errors import (
    ClientIdConflict,
    FinishedBeforeStart,
    InspectionNotFound,
    InvalidContractor,
    TooManyCodes,
    UnknownRole,
    UnknownSpecialty,
)
from backend.services.sitecheck.evaluate import evaluate
from backend.services.sitecheck.roles import Roles
from backend.services.verification.verify import verify_qr

PAGE_SIZE = 20
MAX_PEOPLE = 200
MAX_CODES = 10            # certificates scanned for one person
MAX_TOTAL_CODES = 400     # in one record: each is verified again here, within one request


@dataclass(frozen=True)
class Inspector:
    """Who records the check: the account (None for the admin service token), its username and organisation;
    `full_view`: the authority sees full ID numbers in verdicts, an inspector the public answer."""
    account_id: int | None
    username: str
    organisation: str
    full_view: bool = False


def inspector_for(session: Session, settings: IssuerSettings, *, account_id: int | None, username: str,
                  authority: bool) -> Inspector:
    """The recording account with its organisation (an inspector's, set on the account); the authority's own staff
    check for the issuing authority."""
    org = session.scalar(select(Account.organisation).where(Account.id == account_id)) if account_id else None
    if not org and authority:
        org = settings.issuer_name
    return Inspector(account_id=account_id, username=username, organisation=org or "", full_view=authority)


def _naive_utc(t: dt.datetime | None) -> dt.datetime | None:
    if t is None:
        return None
    return t.astimezone(dt.UTC).replace(tzinfo=None) if t.tzinfo else t


def _check(catalogue: Catalogue, roles: Roles, body: dict) -> None:
    problems = []
    for i, person in enumerate(body["people"]):
        if roles.get(person["role"]) is None:
            p = UnknownRole(role=person["role"])
            p.details["fields"] = {f"people.{i}.role": p.details["fields"]["role"]}
            problems.append(p)
    site = body["site"]
    known = {code for k in catalogue.kinds.values() if k.family == "constructor" for code in k.specialties}
    if site.get("specialty") not in known:
        problems.append(UnknownSpecialty(specialty=site.get("specialty")))
    if not uscc_ok(site.get("contractor_uscc") or ""):
        problems.append(InvalidContractor())
    if body.get("finished_at") and body["finished_at"] < body["started_at"]:
        problems.append(FinishedBeforeStart())
    if sum(len(p["qr"]) for p in body["people"]) > MAX_TOTAL_CODES:
        problems.append(TooManyCodes(max=MAX_TOTAL_CODES))
    FieldProblems.check(problems)


def body_hash(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True, default=str,
                                     separators=(",", ":")).encode()).hexdigest()


def _summary(people: list[dict]) -> dict:
    verdicts: dict[str, int] = {}
    flags: dict[str, int] = {}
    for p in people:
        for c in p["certificates"]:
            verdicts[c["verdict"]] = verdicts.get(c["verdict"], 0) + 1
        for f in p["flags"]:
            flags[f] = flags.get(f, 0) + 1
    return {"people": len(people), "met": sum(1 for p in people if p["met"]),
            "certificates": sum(verdicts.values()), "verdicts": verdicts, "flags": flags}


def _site_claims(site: dict) -> dict:
    out = {"n": site["name"], "sp": site["specialty"], "u": site["contractor_uscc"]}
    if site.get("scale"):
        out["sc"] = site["scale"]
    if site.get("province"):
        out["pr"] = site["province"]
    if site.get("gps"):
        g = site["gps"]
        out["g"] = [g["lat"], g["lon"], g.get("accuracy_m")]
    return out


def _checked_hook(session: Session, people: list[dict], inspector: Inspector, at: dt.datetime,
                  tz: dt.tzinfo | None) -> None:
    """Tells each holder of a genuine certificate recorded here that it was checked (services/notices, once per
    registration, organisation and day), in this transaction."""
    copy_ids = {c["certificate"]["copy_id"] for p in people for c in p["certificates"]
                if c["verdict"] not in ("invalid", "not_found") and c.get("certificate")}
    if not copy_ids:
        return
    from backend.services.notices.checked import certificate_checked
    rows = session.execute(select(Registration.id, Registration.person_id)
                           .join(CertificateCopy, CertificateCopy.registration_id == Registration.id)
                           .where(CertificateCopy.public_id.in_(sorted(copy_ids)))).all()
    for reg_id, person_id in sorted(set(rows)):
        certificate_checked(session, person_id=person_id, registration_id=reg_id, organisation=inspector.organisation,
                            at=at, via="site_check", tz=tz)


def _existing(session: Session, client_id: str, inspector: Inspector, digest: str) -> Inspection | None:
    row = session.scalar(select(Inspection).where(Inspection.client_id == client_id))
    if row is None:
        return None
    if row.account_id != inspector.account_id or row.inspector != inspector.username or row.body_hash != digest:
        raise ClientIdConflict()
    return row


def create_inspection(session: Session, ring: KeyRing, catalogue: Catalogue, settings: IssuerSettings, clock: Clock,
                      roles: Roles, inspector: Inspector, body: dict) -> tuple[Inspection, bool]:
    """(the record, whether it was made now). `body`: the request as JSON values (times as aware datetimes)."""
    digest = body_hash(body)
    found = _existing(session, body["client_id"], inspector, digest)
    if found is not None:
        return found, False
    _check(catalogue, roles, body)
    site = {k: body["site"].get(k) for k in ("name", "specialty", "contractor_uscc", "scale", "province", "gps")}
    entitled = (lambda person_id, enterprise_id: True) if inspector.full_view else None
    people = []
    for i, person in enumerate(body["people"]):
        results = [verify_qr(session, ring, catalogue, settings, clock, text, entitled=entitled)
                   for text in person["qr"]]
        ev = evaluate(roles.get(person["role"]), results, site)
        people.append({"index": i, **ev, "certificates": results})
    now = clock.now()
    started, finished = _naive_utc(body["started_at"]), _naive_utc(body.get("finished_at"))
    summary = _summary(people)
    public_id = "in_" + secrets.token_hex(8)
    claims = {"jti": public_id, "iat": epoch(now), "t0": epoch(started), "site": _site_claims(site),
              "ins": {"a": inspector.account_id, "o": inspector.organisation or None}, "sum": summary,
              "h": record_token.results_hash(people)}
    if finished:
        claims["t1"] = epoch(finished)
    row = Inspection(public_id=public_id, client_id=body["client_id"], body_hash=digest,
                     account_id=inspector.account_id, inspector=inspector.username[:64],
                     organisation=(inspector.organisation or "")[:200], site=site, started_at=started,
                     finished_at=finished, people=people, summary=summary,
                     token=record_token.sign_record(ring, settings, claims), created_at=now)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:          # the same client_id recorded by a concurrent retry a moment ago
        found = _existing(session, body["client_id"], inspector, digest)
        if found is None:
            raise
        return found, False
    _checked_hook(session, people, inspector, started, getattr(clock, "tz", None))
    return row, True


def get_inspection(session: Session, public_id: str, *, account_id: int | None, any_account: bool) -> Inspection:
    """The record for its own inspector, or for the authority (`any_account`); anyone else: not found."""
    row = session.scalar(select(Inspection).where(Inspection.public_id == public_id)) if isinstance(public_id, str) \
        else None
    if row is None or not (any_account or (account_id is not None and row.account_id == account_id)):
        raise InspectionNotFound()
    return row


def list_inspections(session: Session, *, account_id: int | None, any_account: bool,
                     page: int = 1) -> tuple[list[Inspection], int]:
    """Newest first, PAGE_SIZE a page: the inspector's own, or every one for the authority."""
    q = select(Inspection)
    if not any_account:
        q = q.where(Inspection.account_id == account_id) if account_id is not None else q.where(False)
    total = session.scalar(select(func.count()).select_from(q.subquery()))
    rows = session.scalars(q.order_by(Inspection.created_at.desc(), Inspection.id.desc())
                           .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return list(rows), total


def record_json(row: Inspection, settings: IssuerSettings, *, full: bool = True) -> dict:
    """The record as its inspector and the authority see it (`full`: with every person's results)."""
    out = {"id": row.public_id, "client_id": row.client_id, "created_at": iso_utc(row.created_at),
           "started_at": iso_utc(row.started_at), "finished_at": iso_utc(row.finished_at), "site": row.site,
           "inspector": {"username": row.inspector, "organisation": row.organisation or None},
           "summary": row.summary}
    if full:
        out |= {"people": row.people, "token": row.token, "link": record_token.link(settings, row.token)}
    return out
