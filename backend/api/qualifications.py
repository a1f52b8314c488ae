"""资格证书 of a person, recorded and listed by authority staff (the workflow rules read them)."""
from __future__ import annotations

from flask import Blueprint, jsonify

from backend.api import deps
from backend.api.auth import actor, require_role
from backend.api.schemas.registry import Qualification, QualificationInput, QualificationList, qualification_json
from backend.api.spec import BODY, INVALID, operation
from backend.models import Role
from backend.services.registry.qualifications import add_qualification, list_qualifications

bp = Blueprint("qualifications", __name__, url_prefix="/api/v1/persons")
PERSON_404 = (404, "person_not_found")


@bp.post("/<int:person_id>/qualifications")
@require_role(Role.AUTHORITY)
@operation("登记资格证书 / Record a qualification", tag="registry", auth=True, json=QualificationInput, ok=Qualification,
           status=201, ok_text="已登记 / Recorded", operation_id="add_qualification",
           errors=[*BODY, INVALID, PERSON_404, (409, "qualification_exists")])
def add(person_id: int, json: QualificationInput):
    q = add_qualification(deps.session(), person_id, **json.model_dump(), actor=actor())
    deps.session().commit()
    return jsonify(qualification_json(q)), 201


@bp.get("/<int:person_id>/qualifications")
@require_role(Role.AUTHORITY)
@operation("资格证书列表 / A person's qualifications", tag="registry", auth=True, ok=QualificationList,
           operation_id="list_qualifications", errors=[PERSON_404])
def index(person_id: int):
    return jsonify({"qualifications": [qualification_json(q) for q in list_qualifications(deps.session(), person_id)]})
