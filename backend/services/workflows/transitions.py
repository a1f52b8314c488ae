"""The transitions of an application: submit, withdraw, confirm, decline, decide.

draft → submitted → awaiting_employer → confirmed | declined → approved | returned | refused (docs/workflows-api.md).
Every transition first locks the application's row (SELECT … FOR UPDATE on PostgreSQL; on SQLite a write
to the row takes the database's write lock before anything is read), then checks the state: two decisions
at once serialize, and the second finds the application decided and changes nothing. The effects of an
approval run in the same transaction as the decision.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from backend.models import Application
from backend.models.base import utcnow
from backend.services.workflows.access import is_confirmer, lock, record_event, require_applicant
from backend.services.workflows.effects import apply_effects
from backend.services.workflows.errors import AuthorityDecides, InvalidState, OnlyConfirmer, ReasonRequired
from backend.services.workflows.lapse import lapse_registration
from backend.services.workflows.rules import evaluate
from backend.services.workflows.types import SYSTEM, TYPES, Actor, State, WorkflowContext

DECISIONS = {"approve": State.APPROVED, "return": State.RETURNED, "refuse": State.REFUSED}


def _reason(reason: str | None, required: bool) -> str | None:
    """The reason as given (its length is checked at the edge), trimmed; blank is none."""
    reason = (reason or "").strip() or None
    if reason is None and required:
        raise ReasonRequired()
    return reason


def submit(session: Session, ctx: WorkflowContext, actor: Actor, public_id: str) -> Application:
    app = lock(session, public_id)
    # After a return, the employer that confirms may correct and resubmit too (Guangdong: 补正后重新上报).
    by_employer = app.state == State.RETURNED and is_confirmer(actor, app)
    if not by_employer:
        require_applicant(actor, app)
    if app.state not in State.EDITABLE:
        raise InvalidState(app, "submit")
    app.state = State.SUBMITTED
    app.submitted_at = app.submitted_at or ctx.clock.now().replace(microsecond=0)    # filed: kept on resubmission
    app.decision_outcome = app.decision_reason = app.decided_by = app.decided_at = None
    province = app.enterprise.province_code if app.enterprise else None
    app.decision_mode = ctx.policy.mode_for(province, app.type)
    record_event(session, app, actor, "submit")
    app.rules = evaluate(session, ctx, app)          # shown as advice while the employer looks at it
    if by_employer:
        app.state = State.CONFIRMED
        record_event(session, app, actor, "confirm")
    elif TYPES[app.type].confirm:
        app.state = State.AWAITING
        record_event(session, app, SYSTEM, "forward")
        return app
    return _complete(session, ctx, app)


def confirm(session: Session, ctx: WorkflowContext, actor: Actor, public_id: str) -> Application:
    app = lock(session, public_id)
    if not is_confirmer(actor, app):
        raise OnlyConfirmer("confirm")
    if app.state != State.AWAITING:
        raise InvalidState(app, "confirm")
    app.state = State.CONFIRMED
    record_event(session, app, actor, "confirm")
    return _complete(session, ctx, app)


def decline(session: Session, ctx: WorkflowContext, actor: Actor, public_id: str, reason: str | None) -> Application:
    reason = _reason(reason, True)
    app = lock(session, public_id)
    if not is_confirmer(actor, app):
        raise OnlyConfirmer("decline")
    if app.state != State.AWAITING:
        raise InvalidState(app, "decline")
    app.state = State.DECLINED
    _set_decision(app, "declined", reason, actor)
    record_event(session, app, actor, "decline", reason)
    _closed(session, ctx, app)
    return app


def withdraw(session: Session, ctx: WorkflowContext, actor: Actor, public_id: str) -> Application:
    app = lock(session, public_id)
    require_applicant(actor, app)
    if app.state in State.FINAL:
        raise InvalidState(app, "withdraw")
    was_open = app.state in State.OPEN
    app.state = State.WITHDRAWN
    record_event(session, app, actor, "withdraw")
    if was_open:
        _closed(session, ctx, app)
    return app


def _closed(session: Session, ctx: WorkflowContext, app: Application) -> None:
    """A renewal that ends without approval no longer holds its expired specialties: they lapse now, as the
    daily job would have done had it not been filed (lapse.py skips specialties with an open renewal)."""
    if app.type == "renewal" and app.registration_id is not None:
        lapse_registration(session, ctx.catalogue, ctx.clock, app.registration_id, f"system:lapse ({app.public_id})")


def decide(session: Session, ctx: WorkflowContext, actor: Actor, public_id: str, decision: str,
           reason: str | None) -> Application:
    """`decision`: approve, return or refuse (DECISIONS); a return or a refusal says why."""
    if actor.role != "authority":
        raise AuthorityDecides()
    reason = _reason(reason, decision != "approve")
    app = lock(session, public_id)
    if app.state not in State.PENDING_DECISION:
        raise InvalidState(app, "decide")
    app.rules = evaluate(session, ctx, app)
    return _apply(session, ctx, app, DECISIONS[decision], reason, actor)


def _complete(session: Session, ctx: WorkflowContext, app: Application) -> Application:
    """Submitted, and confirmed where needed: decided at once in auto mode, else left in the review queue."""
    app.rules = evaluate(session, ctx, app)
    if app.decision_mode != "auto":
        return app
    failed = [r for r in app.rules if not r["passed"]]
    if not failed:
        return _apply(session, ctx, app, State.APPROVED, None, SYSTEM)
    final = [r for r in failed if not r["correctable"]]
    shown = final or failed
    reason = ";".join(r["message"] for r in shown) + " / " + "; ".join(r["message_en"] for r in shown)
    return _apply(session, ctx, app, State.REFUSED if final else State.RETURNED, reason[:1000], SYSTEM)


def _set_decision(app: Application, outcome: str, reason: str | None, actor: Actor) -> None:
    app.decision_outcome, app.decision_reason = outcome, reason
    app.decided_by, app.decided_at = actor.label, utcnow().replace(microsecond=0)


def _apply(session: Session, ctx: WorkflowContext, app: Application, state: str, reason, actor: Actor) -> Application:
    if state == State.APPROVED:
        app.result_registration_number, app.result_copy_id = apply_effects(session, ctx, app, actor)
    app.state = state
    _set_decision(app, state, reason, actor)
    record_event(session, app, actor, {State.APPROVED: "approve", State.RETURNED: "return",
                                       State.REFUSED: "refuse"}[state], reason)
    if state == State.REFUSED:
        _closed(session, ctx, app)
    return app
