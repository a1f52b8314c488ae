"""A copy's data, QR images and printable PDF, for those entitled to them: authority staff, the holder, and the
holder's employer. Someone else's copy is answered exactly as an unknown one (404 `copy_not_found`)."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify

from backend.api import deps
from backend.api.auth import current_principal, require_role
from backend.api.schemas.certificates import Copy, copy_json
from backend.api.spec import binary, operation
from backend.models import CertificateCopy, Role
from backend.services.issuance.copies import entitled_copy

bp = Blueprint("certificates", __name__, url_prefix="/api/v1/certificates")
ENTITLED = (Role.AUTHORITY, Role.ENTERPRISE, Role.HOLDER)


def certificate_op(summary: str, **kw):
    return operation(summary, tag="certificates", auth=True, errors=[(404, "copy_not_found")], **kw)


def _copy(public_id: str, *load) -> CertificateCopy:
    p = current_principal()
    return entitled_copy(deps.session(), public_id, role=p.role, person_id=p.person_id, enterprise_id=p.enterprise_id,
                         load=load)


def _download(data, mime: str, filename: str | None = None):
    resp = Response(data, mimetype=mime)
    resp.headers["Cache-Control"] = "private, no-store"
    if filename:
        resp.headers["Content-Disposition"] = f"inline; filename={filename}"
    return resp


@bp.get("/<public_id>")
@require_role(*ENTITLED)
@certificate_op("电子证书信息 / A certificate copy", ok=Copy)
def get_copy(public_id: str):
    return jsonify(copy_json(_copy(public_id)))


@bp.get("/<public_id>/qr.png")
@require_role(*ENTITLED)
@certificate_op("二维码 PNG / QR code as PNG", operation_id="qr_png", content=binary("image/png", description="PNG"))
def qr_png(public_id: str):
    return _download(_copy(public_id, CertificateCopy.qr_png).qr_png, "image/png")


@bp.get("/<public_id>/qr.svg")
@require_role(*ENTITLED)
@certificate_op("二维码 SVG / QR code as SVG", operation_id="qr_svg",
                content=binary("image/svg+xml", description="SVG"))
def qr_svg(public_id: str):
    return _download(_copy(public_id, CertificateCopy.qr_svg).qr_svg, "image/svg+xml")


@bp.get("/<public_id>/certificate.pdf")
@require_role(*ENTITLED)
@certificate_op("打印版证书 / Printable certificate (PDF)", operation_id="certificate_pdf",
                description="A4,发证机关数字签名(PAdES),可见签名为其电子印章 / A4, digitally signed by the issuing "
                            "authority (PAdES), its seal as the visible signature",
                content=binary("application/pdf", description="PDF"))
def certificate_pdf(public_id: str):
    c = _copy(public_id)
    return _download(deps.certificate_pdfs().signed(c), "application/pdf", f"certificate-{c.public_id}.pdf")
