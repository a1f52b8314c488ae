"""Four-eyes: a second authority account approves (the action is applied, in the same transaction) or rejects
(closed with a reason) a pending request.

- The request's row is locked first (services/row_locks.py): of two approvals at once, one applies the action
  and the other finds the request decided (409 `request_not_pending`).
- The account that filed it may not approve it (403 `four_eyes_same_account`), nor may the admin service token,
  which is no person (403 `four_eyes_service_token`); the filer may reject (withdraw) their own request.
- A request whose record changed since it was filed (a registration's status or row version, an enterprise's
  status) is not applied: it is closed as `stale` and the approval refused (409 `request_stale`); the caller
  commits the closing before answering.
Every step is audited: filing (requests.py), approval with both accounts, each effect with both accounts,
rejection and staleness."""
from __future__ import annotations

from sqlalchemy.orm import Session

from backend.models import AuthorityRequest
from backend.models.base import utcnow
from backend.services import audit
from backend.services.authority.actions import apply_registration_action, check_transition, clean_reason
from backend.services.authority.errors import ApproverNotAPerson, RequestNotPending, RequestStale, SameApprover
from backend.services.authority.requests import APPROVED, PENDING, REJECTED, STALE, Official, lock, snapshot
from backend.services.clock import Clock
from backend.services.registry import enterprises, registrations


def may_approve(req: AuthorityRequest, who: Official) -> bool:
    return req.state == PENDING and who.account_id is not None and who.account_id != req.requested_by_account


def _check_approver(req: AuthorityRequest, who: Official) -> None:
    if who.account_id is None:
        raise ApproverNotAPerson()
    if who.account_id == req.requested_by_account:
        raise SameApprover()


def changes_since(session: Session, req: AuthorityRequest) -> list[dict]:
    """What differs from the request's snapshot, read under the records' locks (FOR UPDATE on PostgreSQL; on
    SQLite the request's lock already holds the database's write lock)."""
    if req.target_type == "registration":
        before = req.snapshot.get("registrations", {})
        out = []
        for number in req.params["numbers"]:
            reg = registrations.get_registration(session, number, for_update=True)
            was = before.get(number, {})
            if (reg.status, reg.version) != (was.get("status"), was.get("version")):
                out.append({"registration_number": number, "was": was.get("status"), "now": reg.status})
        return out
    ent = enterprises.get_enterprise_for_update(session, req.target)
    was = req.snapshot.get("enterprise", {}).get("status")
    return [] if ent.status == was else [{"uscc": req.target, "was": was, "now": ent.status}]


def _close(req: AuthorityRequest, state: str, who: Official, reason: str | None) -> None:
    req.state, req.decided_by, req.decided_by_account = state, who.label[:64], who.account_id
    req.decided_at, req.decision_reason = utcnow().replace(microsecond=0), reason


def approve(session: Session, clock: Clock, public_id: str, who: Official) -> AuthorityRequest:
    req = lock(session, public_id)
    if req.state != PENDING:
        raise RequestNotPending(req.state)
    _check_approver(req, who)
    both = {"request": req.public_id, "requested_by": req.requested_by, "approved_by": who.label}
    changes = changes_since(session, req)
    if changes:
        _close(req, STALE, who, None)
        req.result = {"changes": changes}
        session.flush()
        audit.record(session, who.audit, "authority_request.stale", "authority_request", req.public_id,
                     {**both, "changes": changes})
        raise RequestStale(changes)
    if req.target_type == "registration":
        action = "cancel" if req.action == "bulk_cancel" else req.action
        for number in req.params["numbers"]:       # unchanged since filing, so each still allows the action
            check_transition(registrations.get_registration(session, number), action)
        done = [apply_registration_action(session, clock, n, action, req.reason, who.audit, both).status
                for n in req.params["numbers"]]
        req.result = {"registrations": dict(zip(req.params["numbers"], done, strict=True))}
    else:
        ent = enterprises.set_licence_status(session, req.target, req.params["state"], req.reason, who.audit,
                                             audit_extra=both)
        req.result = {"enterprise": {"uscc": ent.uscc, "status": ent.status}}
    _close(req, APPROVED, who, None)
    session.flush()
    audit.record(session, who.audit, "authority_request.approve", "authority_request", req.public_id,
                 {**both, "action": req.action, "target": req.target, "result": req.result})
    return req


def reject(session: Session, public_id: str, reason, who: Official) -> AuthorityRequest:
    """Closed with a reason, by any authority official, including the one who filed it (a withdrawal)."""
    reason = clean_reason(reason)
    req = lock(session, public_id)
    if req.state != PENDING:
        raise RequestNotPending(req.state)
    _close(req, REJECTED, who, reason)
    session.flush()
    audit.record(session, who.audit, "authority_request.reject", "authority_request", req.public_id,
                 {"request": req.public_id, "requested_by": req.requested_by, "rejected_by": who.label,
                  "reason": reason, "withdrawn": who.account_id == req.requested_by_account
                  and who.label == req.requested_by})
    return req


__all__ = ["approve", "changes_since", "may_approve", "reject", "snapshot"]
