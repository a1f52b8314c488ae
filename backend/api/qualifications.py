"""资格证书 of a person, recorded and listed by authority staff (the workflow rules read them)."""
from __future__ import annotations

from flask import Blueprint, jsonify

from backend.api import deps
from backend.api.auth import actor, require_role
from backend.models import Role
from backend.services.registry.qualifications import add_qualification, list_qualifications, qualification_json

bp = Blueprint("qualifications", __name__, url_prefix="/api/v1/persons")


@bp.post("/<int:person_id>/qualifications")
@require_role(Role.AUTHORITY)
def add(person_id: int):
    q = add_qualification(deps.session(), deps.catalogue(), deps.clock(), person_id, deps.json_body(), actor())
    deps.session().commit()
    return jsonify(qualification_json(q)), 201


@bp.get("/<int:person_id>/qualifications")
@require_role(Role.AUTHORITY)
def index(person_id: int):
    return jsonify({"qualifications": [qualification_json(q) for q in list_qualifications(deps.session(), person_id)]})
