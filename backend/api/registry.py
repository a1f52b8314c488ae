"""Registry endpoints for authority staff: persons, enterprises, registrations, changes and issuance."""
from __future__ import annotations

from flask import Blueprint, jsonify, request
from sqlalchemy import select

from backend.api import deps
from backend.api.auth import actor, require_role
from backend.api.shapes import copy_json, enterprise_json, person_json, registration_json
from backend.models import AuditEvent, CertificateCopy, Person
from backend.services.dates import parse_date
from backend.services.errors import NotFound, ValidationFailed
from backend.services.issuance import copies as issuance
from backend.services.registry import enterprises, persons, registrations
from backend.services.uploads.photos import clean_upload

bp = Blueprint("registry", __name__, url_prefix="/api/v1")


def _person(person_id: int) -> Person:
    p = deps.session().get(Person, person_id)
    if p is None:
        raise NotFound("未找到该人员", "No such person", code="person_not_found")
    return p


def _commit(obj_json, status=200):
    deps.session().commit()
    return jsonify(obj_json), status


@bp.post("/persons")
@require_role("authority")
def create_person():
    p = persons.create_person(deps.session(), deps.json_body(), actor())
    return _commit(person_json(p, full=True), 201)


@bp.get("/persons/<int:person_id>")
@require_role("authority")
def get_person(person_id: int):
    return jsonify(person_json(_person(person_id), full=True))


@bp.put("/persons/<int:person_id>/<any(photo, signature):what>")
@require_role("authority")
def put_image(person_id: int, what: str):
    p = _person(person_id)
    f = request.files.get("image")
    if f is None:
        raise ValidationFailed.field("image", "required", "请以 multipart 字段 image 上传图片", "Send the multipart field 'image'")
    data, mime = clean_upload(f.read(2 * 1024 * 1024 + 1), max_bytes=2 * 1024 * 1024)
    if what == "photo":
        p.photo, p.photo_mime = data, mime
    else:
        p.signature = data
    from backend.services import audit
    audit.record(deps.session(), actor(), f"person.{what}", "person", p.id, {"bytes": len(data), "mime": mime})
    return _commit(person_json(p, full=True))


@bp.post("/persons/<int:person_id>/name")
@require_role("authority")
def change_name(person_id: int):
    body = deps.json_body()
    p = persons.change_name(deps.session(), deps.clock(), person_id, body.get("name"), actor())
    return _commit(person_json(p, full=True))


@bp.post("/enterprises")
@require_role("authority")
def create_enterprise():
    e = enterprises.create_enterprise(deps.session(), deps.json_body(), deps.catalogue(), actor())
    return _commit(enterprise_json(e), 201)


@bp.get("/enterprises/<uscc>")
@require_role("authority")
def get_enterprise(uscc: str):
    return jsonify(enterprise_json(enterprises.get_enterprise(deps.session(), uscc)))


@bp.post("/registrations")
@require_role("authority")
def create_registration():
    b = deps.json_body()
    qual = b.get("qualification_issued_on")
    qual_on = parse_date(qual) if isinstance(qual, str) else None
    if isinstance(qual, str) and qual_on is None:
        raise ValidationFailed.field("qualification_issued_on", "format", "日期格式应为 YYYY-MM-DD",
                                     "Use a date YYYY-MM-DD")
    r = registrations.create_registration(deps.session(), deps.catalogue(), deps.clock(), person_id=b.get("person_id"),
                                     enterprise_uscc=b.get("enterprise_uscc"), kind_code=b.get("kind"),
                                     specialties=b.get("specialties"), qualification_issued_on=qual_on, actor=actor())
    return _commit(registration_json(r, deps.catalogue(), full=True), 201)


@bp.get("/registrations/<number>")
@require_role("authority")
def get_registration(number: str):
    r = registrations.get_registration(deps.session(), number)
    return jsonify(registration_json(r, deps.catalogue(), full=True))


@bp.post("/registrations/<number>/employer")
@require_role("authority")
def change_employer(number: str):
    r = registrations.change_employer(deps.session(), deps.clock(), number, deps.json_body().get("enterprise_uscc"), actor())
    return _commit(registration_json(r, deps.catalogue(), full=True))


@bp.post("/registrations/<number>/specialties")
@require_role("authority")
def add_specialty(number: str):
    r = registrations.add_specialty(deps.session(), deps.catalogue(), deps.clock(), number,
                               deps.json_body().get("specialty"), actor())
    return _commit(registration_json(r, deps.catalogue(), full=True))


@bp.post("/registrations/<number>/status")
@require_role("authority")
def set_status(number: str):
    b = deps.json_body()
    r = registrations.set_status(deps.session(), deps.clock(), number, b.get("action"), b.get("reason"), actor())
    return _commit(registration_json(r, deps.catalogue(), full=True))


@bp.post("/registrations/<number>/copies")
@require_role("authority")
def issue_copy(number: str):
    c = issuance.issue_copy(deps.session(), deps.ring(), deps.catalogue(), deps.settings(), deps.clock(), number, actor())
    return _commit(copy_json(c), 201)


@bp.get("/registrations/<number>/copies")
@require_role("authority")
def list_copies(number: str):
    r = registrations.get_registration(deps.session(), number)
    copies = deps.session().scalars(select(CertificateCopy).where(CertificateCopy.registration_id == r.id)
                                    .order_by(CertificateCopy.id.desc()).limit(100)).all()
    return jsonify({"copies": [copy_json(c) for c in copies]})


@bp.get("/audit")
@require_role("authority")
def audit_events():
    q = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(200)
    if request.args.get("entity_type"):
        q = q.where(AuditEvent.entity_type == request.args["entity_type"])
    if request.args.get("entity_id"):
        q = q.where(AuditEvent.entity_id == request.args["entity_id"])
    return jsonify({"events": [{"id": e.id, "at": e.at.isoformat() + "Z", "actor": e.actor, "action": e.action,
                                "entity_type": e.entity_type, "entity_id": e.entity_id, "data": e.data,
                                "hash": e.hash} for e in deps.session().scalars(q)]})
