"""JSON shape of an application (docs/workflows-api.md), for a viewer who may see it."""
from __future__ import annotations

from backend.models import Application
from backend.services.clock import iso_utc
from backend.services.masking import mask_id_number
from backend.services.workflows.access import can_see, is_applicant, is_confirmer
from backend.services.workflows.types import TYPES, Actor, State


def _full_id(viewer: Actor, app: Application) -> bool:
    """Holder, authority, and an enterprise the application names (own staff or an applicant to it)."""
    if viewer.role in ("authority", "holder"):
        return can_see(viewer, app)
    return viewer.role == "enterprise" and viewer.enterprise_id in (
        app.enterprise_id, app.current_enterprise_id, app.confirm_enterprise_id, app.filed_by_enterprise_id)


def _actions(viewer: Actor, app: Application) -> list[str]:
    """What this viewer may do now: a hint for the pages; the services check again."""
    out = []
    mine = is_applicant(viewer, app)
    if mine and app.state in State.EDITABLE:
        out += ["edit", "upload", "submit"]
    elif app.state == State.RETURNED and is_confirmer(viewer, app):
        out.append("submit")
    if mine and app.state not in State.FINAL:
        out.append("withdraw")
    if app.state == State.AWAITING and is_confirmer(viewer, app):
        out += ["confirm", "decline"]
    if viewer.role == "authority" and app.state in State.PENDING_DECISION:
        out.append("decide")
    return out


def _ent(e) -> dict | None:
    return None if e is None else {"name": e.name, "uscc": e.uscc}


def application_json(app: Application, viewer: Actor, *, confirm_by=None, current=None, next_step=None) -> dict:
    """`next_step`: who acts next and by when (services/workflows/next_step.py)."""
    t, p = TYPES[app.type], app.person
    zh, en = State.NAMES[app.state]
    decision = None if app.decision_outcome is None else {
        "outcome": app.decision_outcome, "reason": app.decision_reason, "by": app.decided_by,
        "at": iso_utc(app.decided_at)}
    result = None if app.result_registration_number is None else {
        "registration_number": app.result_registration_number, "copy_id": app.result_copy_id}
    return {
        "id": app.public_id, "type": app.type, "type_name": t.name, "type_name_en": t.name_en,
        "state": app.state, "state_name": zh, "state_name_en": en,
        "person": {"id": p.id, "name": p.name,
                   "id_number": p.id_number if _full_id(viewer, app) else mask_id_number(p.id_number)},
        "registration_number": app.registration.registration_number if app.registration else None,
        "kind": app.kind_code, "specialties": list(app.specialties or []), "enterprise": _ent(app.enterprise),
        "current_enterprise": _ent(current), "confirm_by": _ent(confirm_by), "filed_by": app.filed_by,
        "changes": dict(app.changes or {}), "cpd_hours": app.cpd_hours, "cpd_commitment": app.cpd_commitment,
        "note": app.note,
        "files": [{"id": f.id, "name": f.name, "size": f.size, "mime": f.mime,
                   "url": f"/api/v1/applications/{app.public_id}/files/{f.id}"} for f in app.files],
        "decision_mode": app.decision_mode, "rules": list(app.rules or []), "decision": decision, "result": result,
        # why a person at the authority decides it whatever DECISION_MODE says (proof the registry cannot check)
        "review_reason": None if t.review_why is None else {"message": t.review_why[0], "message_en": t.review_why[1]},
        "submitted_at": iso_utc(app.submitted_at),
        "events": [{"at": iso_utc(e.at), "actor": e.actor, "action": e.action, "state": e.state, "reason": e.reason}
                   for e in app.events],
        "actions": _actions(viewer, app), "next_step": next_step,
        "created_at": iso_utc(app.created_at), "updated_at": iso_utc(app.updated_at),
    }
