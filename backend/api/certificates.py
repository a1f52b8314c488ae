"""A copy's data, QR images and printable PDF, for those entitled to them."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify
from sqlalchemy import select
from sqlalchemy.orm import undefer

from backend.api import deps
from backend.api.auth import current_principal, require_role
from backend.api.shapes import copy_json
from backend.models import CertificateCopy
from backend.services.errors import NotFound
from backend.services.issuance.certificate_pdf import render_certificate_pdf
from backend.services.registry.portraits import synthetic_portrait

bp = Blueprint("certificates", __name__, url_prefix="/api/v1/certificates")
ENTITLED = ("authority", "enterprise", "holder")


def _copy(public_id: str, *deferred_cols) -> CertificateCopy:
    """The copy, if the caller may have it: authority staff, the holder, or the holder's employer."""
    q = select(CertificateCopy).where(CertificateCopy.public_id == public_id)
    for col in deferred_cols:
        q = q.options(undefer(col))
    c = deps.session().scalar(q)
    p = current_principal()
    reg = c.registration if c is not None else None
    # Someone else's copy answers exactly as an unknown one: whether a copy id exists is nobody else's business.
    if reg is None or not (p.role == "authority" or (p.role == "holder" and p.person_id == reg.person_id)
                           or (p.role == "enterprise" and p.enterprise_id == reg.enterprise_id)):
        raise NotFound("未找到该电子证书", "No such certificate copy", code="copy_not_found")
    return c


def _download(data, mime: str, filename: str | None = None):
    resp = Response(data, mimetype=mime)
    resp.headers["Cache-Control"] = "private, no-store"
    if filename:
        resp.headers["Content-Disposition"] = f"inline; filename={filename}"
    return resp


@bp.get("/<public_id>")
@require_role(*ENTITLED)
def get_copy(public_id: str):
    return jsonify(copy_json(_copy(public_id)))


@bp.get("/<public_id>/qr.png")
@require_role(*ENTITLED)
def qr_png(public_id: str):
    return _download(_copy(public_id, CertificateCopy.qr_png).qr_png, "image/png")


@bp.get("/<public_id>/qr.svg")
@require_role(*ENTITLED)
def qr_svg(public_id: str):
    return _download(_copy(public_id, CertificateCopy.qr_svg).qr_svg, "image/svg+xml")


@bp.get("/<public_id>/certificate.pdf")
@require_role(*ENTITLED)
def certificate_pdf(public_id: str):
    c = _copy(public_id, CertificateCopy.qr_png)
    person = c.registration.person
    photo = person.photo or (synthetic_portrait(person.id_number, person.sex) if person.synthetic else None)
    pdf = render_certificate_pdf(c.snapshot, identifier=c.identifier, copy_id=c.public_id, status=c.status,
                                 issued_at=c.issued_at, usage_until=c.usage_until, qr_png=c.qr_png,
                                 photo=photo, signature=person.signature)
    return _download(pdf, "application/pdf", f"certificate-{c.public_id}.pdf")
