"""Requests for a second approver: filed, found, listed, and the record as it was when filed (its snapshot), to
tell at approval whether it changed since (stale)."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from backend.models import AuthorityRequest, Enterprise, Registration
from backend.services import audit
from backend.services.authority.errors import RequestAlreadyPending, RequestNotFound
from backend.services.row_locks import lock_by_public_id

PENDING, APPROVED, REJECTED, STALE = "pending", "approved", "rejected", "stale"
STATES = (PENDING, APPROVED, REJECTED, STALE)
STATE_NAMES = {PENDING: ("待批准", "awaiting approval"), APPROVED: ("已批准并生效", "approved and applied"),
               REJECTED: ("已驳回", "rejected"), STALE: ("已失效(记录已变化)", "stale (the record changed)")}
PAGE_SIZE = 20


@dataclass(frozen=True)
class Official:
    """Who acts: `label` as histories show it ("authority:<username>", or "admin-token"), the account id (None for
    the admin service token), and the audit trail's actor (with the client address)."""
    label: str
    account_id: int | None
    audit: str


def snapshot(session: Session, target_type: str, params: dict, target: str) -> dict:
    """What approving must find unchanged: each registration's status and row version, or the enterprise's status."""
    if target_type == "registration":
        rows = session.execute(select(Registration.registration_number, Registration.status, Registration.version)
                               .where(Registration.registration_number.in_(params["numbers"]))).all()
        return {"registrations": {n: {"status": st, "version": v} for n, st, v in rows}}
    status = session.scalar(select(Enterprise.status).where(Enterprise.uscc == target))
    return {"enterprise": {"status": status}}


def numbers_of(req: AuthorityRequest) -> list[str]:
    return list(req.params.get("numbers") or []) if req.target_type == "registration" else []


def pending_on(session: Session, target_type: str, targets: list[str]) -> AuthorityRequest | None:
    """A pending request touching any of these records (pending requests are few: read them all)."""
    wanted = set(targets)
    for req in session.scalars(select(AuthorityRequest).where(AuthorityRequest.state == PENDING,
                                                              AuthorityRequest.target_type == target_type)):
        touched = set(numbers_of(req)) if target_type == "registration" else {req.target}
        if touched & wanted:
            return req
    return None


def file_request(session: Session, action: str, target_type: str, target: str, params: dict, reason: str,
                 who: Official) -> AuthorityRequest:
    targets = params["numbers"] if target_type == "registration" else [target]
    other = pending_on(session, target_type, targets)
    if other is not None:
        raise RequestAlreadyPending(other.public_id)
    req = AuthorityRequest(public_id="aq_" + secrets.token_hex(8), action=action, target_type=target_type,
                           target=target, params=params, snapshot=snapshot(session, target_type, params, target),
                           reason=reason, state=PENDING, requested_by=who.label[:64],
                           requested_by_account=who.account_id, result={})
    session.add(req)
    session.flush()
    audit.record(session, who.audit, "authority_request.file", "authority_request", req.public_id,
                 {"action": action, "target_type": target_type, "target": target, "params": params,
                  "reason": reason, "requested_by": req.requested_by})
    return req


def get_request(session: Session, public_id: str) -> AuthorityRequest:
    req = session.scalar(select(AuthorityRequest).where(AuthorityRequest.public_id == public_id)) \
        if isinstance(public_id, str) else None
    if req is None:
        raise RequestNotFound()
    return req


def lock(session: Session, public_id: str) -> AuthorityRequest:
    req = lock_by_public_id(session, AuthorityRequest, public_id)
    if req is None:
        raise RequestNotFound()
    return req


def list_requests(session: Session, *, state: str | None = PENDING, target: str | None = None,
                  page: int = 1) -> tuple[list[AuthorityRequest], int, int]:
    """(one page, the total, the page). Pending ones oldest first (a queue), the others newest first. `target`:
    those touching one registration number or credit code."""
    q = select(AuthorityRequest)
    if state:
        q = q.where(AuthorityRequest.state == state)
    if target:
        # a bulk cancellation names its numbers in `params` only; bulk requests are rare, read them all
        q = q.where(or_(AuthorityRequest.target == target, AuthorityRequest.action == "bulk_cancel"))
        rows = [r for r in session.scalars(q.order_by(AuthorityRequest.id.desc()))
                if r.target == target or target in numbers_of(r)]
        return rows[(page - 1) * PAGE_SIZE:page * PAGE_SIZE], len(rows), page
    total = session.scalar(select(func.count()).select_from(q.subquery()))
    order = AuthorityRequest.id.asc() if state == PENDING else AuthorityRequest.id.desc()
    rows = session.scalars(q.order_by(order).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return list(rows), total, page
