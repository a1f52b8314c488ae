"""The holder's own registrations and copies (我的注册), and 证照加注: a new copy on request."""
from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import select

from backend.api import deps
from backend.api.auth import actor, current_principal, require_role
from backend.api.shapes import copy_json, registration_json
from backend.models import CertificateCopy, CopyStatus, Registration
from backend.services.clock import iso_utc
from backend.services.errors import NotFound
from backend.services.issuance import copies as issuance

bp = Blueprint("holder", __name__, url_prefix="/api/v1/holder")


def _current_copies(reg_ids: list[int]) -> dict[int, CertificateCopy]:
    """The newest current copy of each registration (one query)."""
    if not reg_ids:
        return {}
    rows = deps.session().scalars(select(CertificateCopy).where(
        CertificateCopy.registration_id.in_(reg_ids), CertificateCopy.status == CopyStatus.CURRENT)
        .order_by(CertificateCopy.id)).all()
    return {c.registration_id: c for c in rows}     # later ids overwrite earlier: the newest wins


@bp.get("/registrations")
@require_role("holder")
def my_registrations():
    person_id = current_principal().person_id
    regs = deps.session().scalars(select(Registration).where(Registration.person_id == person_id)
                                  .order_by(Registration.id)).all()
    copies = _current_copies([r.id for r in regs])
    now = deps.clock().now()
    out = []
    for r in regs:
        c = copies.get(r.id)
        out.append(registration_json(r, deps.catalogue(), full=True) | {"current_copy": None if c is None else {
            "copy_id": c.public_id, "identifier": c.identifier, "usage_from": iso_utc(c.usage_from),
            "usage_until": iso_utc(c.usage_until), "expired": c.usage_until < now}})
    return jsonify({"registrations": out})


@bp.post("/registrations/<number>/copies")
@require_role("holder")
def request_copy(number: str):
    """证照加注: the holder downloads a new copy of their own registration (daily limit applies)."""
    reg = deps.session().scalar(select(Registration).where(Registration.registration_number == number))
    if reg is None or reg.person_id != current_principal().person_id:
        raise NotFound("未找到您的该项注册", "No such registration of yours", code="registration_not_found")
    c = issuance.issue_copy(deps.session(), deps.ring(), deps.catalogue(), deps.settings(), deps.clock(), number, actor())
    deps.session().commit()
    return jsonify(copy_json(c)), 201
