"""Verification endpoints: a scanned QR text, or a photo holding one or more QR codes."""
from __future__ import annotations

import hashlib
import hmac
import time

from flask import Blueprint, Response, current_app, jsonify, request, url_for

from backend.api import deps
from backend.api.auth import current_principal
from backend.extensions import limiter
from backend.models import CertificateCopy, Role
from backend.qr.decode import ImageRejected, decode_image_bytes
from backend.services.errors import NotFound, ServiceError, ValidationFailed
from backend.services.registry.portraits import synthetic_portrait
from backend.services.verification.copy_view import CopyView
from backend.services.verification.errors import NoQrFound
from backend.services.verification.qr_text import MAX_QR_TEXT
from backend.services.verification.verify import verify_qr

bp = Blueprint("verify", __name__, url_prefix="/api/v1")

IMAGE_STATUS = {"unsupported_media_type": 415, "image_too_large": 413, "too_many_pixels": 413, "corrupt_image": 422}


def _photo_sig(public_id: str, exp: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"photo:{public_id}:{exp}".encode(), hashlib.sha256).hexdigest()[:32]


def photo_url(copy: CopyView) -> str | None:
    """A short-lived signed link: only someone who just verified the copy sees the holder's photo."""
    person = copy.registration.person
    if not (person.photo_mime or person.synthetic):
        return None
    exp = int(time.time()) + current_app.config["PHOTO_URL_TTL"]
    return url_for("verify.photo", public_id=copy.public_id, exp=exp, sig=_photo_sig(copy.public_id, exp))


def _read_session():
    """The session for a verification, which only reads. On PostgreSQL, outside a transaction (autocommit)
    when the request has not begun one: psycopg empties its prepared-statement cache on every rollback (the
    end of every request), so the verification's join would be planned anew each time, about 0.5 ms of
    database CPU per request; in autocommit there is no rollback, and psycopg prepares the statement after
    five uses. (Not on SQLite, where switching the isolation level costs more than it saves.)"""
    session = deps.session()
    if not session().in_transaction() and session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    return session


def _entitled():
    """Who may see the full ID number and the age-cap date in a verification: the holder, their employer and
    the authority, when they send their bearer token (the anonymous path reads no header and no account)."""
    if "Authorization" not in request.headers:
        return None
    p = current_principal()
    if p is None:
        return None
    if p.role == Role.AUTHORITY:
        return lambda person_id, enterprise_id: True
    if p.role == Role.ENTERPRISE:
        return lambda person_id, enterprise_id: enterprise_id == p.enterprise_id
    if p.role == Role.HOLDER:
        return lambda person_id, enterprise_id: person_id == p.person_id
    return None


def _verify(text: str) -> dict:
    entitled = _entitled()
    return verify_qr(_read_session(), deps.ring(), deps.catalogue(), deps.settings(), deps.clock(), text,
                     photo_url=photo_url, entitled=entitled)


def _no_store(resp):
    resp.headers["Cache-Control"] = "no-store"   # a live answer must never come from a cache
    return resp


@bp.post("/verify")
@limiter.limit(lambda: current_app.config["VERIFY_RATE_LIMIT"])
def verify():
    body = deps.json_body()
    qr = body.get("qr")
    if not isinstance(qr, str) or not qr.strip():
        raise ValidationFailed.field("qr", "required", "qr 必须是扫描得到的文本", "qr must be the scanned text")
    if len(qr) > MAX_QR_TEXT:
        raise ValidationFailed.field("qr", "too_long", f"qr 过长(最多 {MAX_QR_TEXT} 个字符)",
                                     f"qr is too long (at most {MAX_QR_TEXT} characters)")
    return _no_store(jsonify(_verify(qr)))


@bp.post("/verify/image")
@limiter.limit(lambda: current_app.config["VERIFY_RATE_LIMIT"])
def verify_image():
    f = request.files.get("image")
    if f is None:
        raise ValidationFailed.field("image", "required", "请以 multipart 字段 image 上传图片",
                                     "Send the photo as the multipart field 'image'")
    data = f.read(current_app.config["IMAGE_MAX_BYTES"] + 1)
    try:
        texts = decode_image_bytes(data, max_bytes=current_app.config["IMAGE_MAX_BYTES"],
                                   max_pixels=current_app.config["IMAGE_MAX_PIXELS"],
                                   budget_ms=current_app.config["IMAGE_DECODE_BUDGET_MS"])
    except ImageRejected as e:
        raise ServiceError(e.message, e.message_en, code=e.code, details=e.details,
                           status=IMAGE_STATUS.get(e.code, 422)) from None
    if not texts:
        raise NoQrFound()
    return _no_store(jsonify({"codes": [_verify(t) | {"qr": t} for t in texts]}))


@bp.get("/photos/<public_id>")
def photo(public_id: str):
    try:
        exp = int(request.args.get("exp", ""))
    except ValueError:
        exp = 0
    sig = request.args.get("sig", "")
    # compare bytes: compare_digest refuses str with non-ASCII characters (a TypeError, not a mismatch)
    if exp < time.time() or not hmac.compare_digest(sig.encode(), _photo_sig(public_id, exp).encode()):
        raise ServiceError("照片链接无效或已过期,请重新核验", "The photo link is invalid or expired: verify again",
                           code="photo_link_invalid", status=403)
    copy = deps.session().query(CertificateCopy).filter_by(public_id=public_id).one_or_none()
    if copy is None:
        raise NotFound()
    person = copy.registration.person
    if person.photo:
        data, mime = person.photo, person.photo_mime or "image/jpeg"
    elif person.synthetic:
        data, mime = synthetic_portrait(person.id_number, person.sex), "image/jpeg"
    else:
        raise NotFound("未登记照片", "No photo on file", code="photo_missing")
    resp = Response(data, mimetype=mime)
    resp.headers["Cache-Control"] = "private, max-age=600"
    return resp
