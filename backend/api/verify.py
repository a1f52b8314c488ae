"""Verification endpoints: a scanned QR text, or a photo holding one or more QR codes, and the holder's photo
behind a verification. Anyone may call them (rate-limited); a bearer token of the holder, their employer or
the authority shows them more (docs/privacy.md)."""
from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, jsonify, request
from sqlalchemy.exc import SQLAlchemyError

from backend.api import deps
from backend.api.auth import current_principal
from backend.api.schemas.verify import PhotoQuery, VerifyImageForm, VerifyImageResult, VerifyRequest, VerifyResult
from backend.api.spec import BODY, INVALID, RATE_LIMITED, binary, operation
from backend.api.verification_days import count as count_days
from backend.content.sniff import PDF, sniff
from backend.extensions import limiter
from backend.metrics import count_verdicts
from backend.models import Role
from backend.services.notices import checked
from backend.services.verification import photo_links
from backend.services.verification.copy_view import CopyView
from backend.services.verification.documents import DocumentLimits, verify_document
from backend.services.verification.images import ImageLimits, qr_texts
from backend.services.verification.verify import verify_qr

bp = Blueprint("verify", __name__, url_prefix="/api/v1")
log = logging.getLogger(__name__)


def _photo_url(config, script_root: str):
    """A short-lived signed link to the holder's photo: only someone who just verified the copy sees it."""
    secret, ttl = config["SECRET_KEY"], config["PHOTO_URL_TTL"]

    def photo_url(copy: CopyView) -> str | None:
        person = copy.registration.person
        if not (person.photo_mime or person.synthetic):
            return None
        link = photo_links.link_params(secret, copy.public_id, ttl)
        # built by hand, not url_for (a tenth of a verification's CPU): the id is base32, exp digits, sig hex
        return f"{script_root}/api/v1/photos/{link['public_id']}?exp={link['exp']}&sig={link['sig']}"
    return photo_url


def _read_session():
    """The session for a verification, which only reads. On PostgreSQL, outside a transaction (autocommit)
    when the request has not begun one: psycopg empties its prepared-statement cache on every rollback (the
    end of every request), so the verification's join would be planned anew each time, about 0.5 ms of
    database CPU per request; in autocommit there is no rollback, and psycopg prepares the statement after
    five uses. (Not on SQLite, where switching the isolation level costs more than it saves.)"""
    session = deps.read_session()
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
    app = current_app._get_current_object()      # once: every proxy lookup costs on the hot path
    ext = app.extensions
    return verify_qr(_read_session(), ext["jz.keystore"].get(), ext["jz.catalogue"], ext["jz.settings"],
                     ext["jz.clock"], text, photo_url=_photo_url(app.config, request.script_root),
                     entitled=_entitled())


CHECKED_VERDICTS = frozenset(("invalid", "not_found"))     # no copy of ours behind them: nobody to tell


def _tell_holders(results) -> None:
    """A signed-in inspector's online check tells the holder the day and the inspector's organisation
    (services/notices/checked.py): at most one row per copy checked. The anonymous path does nothing here
    (no header read beyond this test, no account, no write); a failed write never costs the verdict."""
    if "Authorization" not in request.headers:
        return
    p = current_principal()                      # already resolved by _entitled, kept in g
    if p is None or p.role != Role.INSPECTOR or p.account_id is None:
        return
    numbers = {r["certificate"]["registration_number"] for r in results
               if r["verdict"] not in CHECKED_VERDICTS and r.get("certificate")}
    if not numbers:
        return
    session, clock = deps.session(), deps.clock()
    try:
        for number in sorted(numbers):
            checked.inspector_verified(session, account_id=p.account_id, registration_number=number, at=clock.now(),
                                       tz=clock.tz)
        session.commit()
    except SQLAlchemyError:
        session.rollback()
        log.warning("核验通知未能写入 / a check notice could not be written")


def _no_store(resp):
    resp.headers["Cache-Control"] = "no-store"   # a live answer must never come from a cache
    return resp


@bp.post("/verify")
@limiter.limit(lambda: current_app.config["VERIFY_RATE_LIMIT"])
@operation("核验证书 / Verify a certificate", tag="verify", json=VerifyRequest, ok=VerifyResult,
           errors=[*BODY, INVALID, RATE_LIMITED],
           description="`qr` 为扫描所得文本:`{PUBLIC_BASE_URL 大写}/V#{打包令牌}`、此前签发的 `{PUBLIC_BASE_URL}/v#{令牌}`,"
                       "或裸令牌(紧凑或打包)。任何输入都得到结论。/ `qr` is the scanned text: `{PUBLIC_BASE_URL, "
                       "upper-cased}/V#{packed token}`, an earlier copy's `{PUBLIC_BASE_URL}/v#{token}`, or a bare token, "
                       "compact or packed (docs/certificate-token.md). Every input gets a verdict.")
def verify(json: VerifyRequest):
    result = _verify(json.qr)
    count_verdicts("verify", (result,))
    count_days((result,))
    _tell_holders((result,))
    return _no_store(jsonify(result))


@bp.post("/verify/image")
@limiter.limit(lambda: current_app.config["VERIFY_RATE_LIMIT"])
@operation("核验照片或证书 PDF / Verify the certificates in a photo or a certificate PDF", tag="verify",
           form=VerifyImageForm, ok=VerifyImageResult, operation_id="verify_image",
           errors=[(413, "image_too_large", "too_many_pixels", "pdf_too_large", "pdf_too_many_pages",
                    "pdf_page_too_large", "pdf_image_too_large", "pdf_too_complex"), (415, "unsupported_media_type"),
                   INVALID,
                   (422, "corrupt_image", "no_qr_found", "pdf_unreadable", "pdf_encrypted"), RATE_LIMITED],
           description="照片中每个二维码各得一个核验结果。证书 PDF:另验其电子签名(完整、签名者可信),并读取第 1 页的二维码;"
                       "签名被破坏或签名者不受信任的 PDF 结论为 invalid(docs/verify-api.md)。/ One verification result "
                       "per QR code in the photo. A certificate PDF also has its signature checked (intact, by a "
                       "trusted signer) and the QR codes of its page 1 read; a PDF whose signature is broken or "
                       "untrusted is `invalid` (docs/verify-api.md).")
def verify_image(form: VerifyImageForm):
    cfg = current_app.config
    limits = ImageLimits.from_config(cfg)
    data = form.image.read(limits.max_bytes + 1)
    if sniff(data) == PDF:
        ext = current_app.extensions
        answer = verify_document(data, DocumentLimits.from_config(cfg), ext["jz.pdf_trust"], ext["jz.clock"], _verify)
    else:
        answer = {"codes": [_verify(t) | {"qr": t} for t in qr_texts(data, limits)]}
    count_verdicts("verify_image", answer["codes"])
    count_days(answer["codes"])
    _tell_holders(answer["codes"])
    return _no_store(jsonify(answer))


@bp.get("/photos/<public_id>")
@operation("持证人照片 / The holder's photo", tag="verify", query=PhotoQuery, operation_id="photo",
           content=binary("image/jpeg", "image/png", description="照片 / The photo"),
           errors=[(403, "photo_link_invalid"), (404, "not_found", "photo_missing")],
           description="仅通过核验结果中的 `photo_url`(短时签名)访问 / Reached only through a verification result's "
                       "short-lived signed `photo_url`.")
def photo(public_id: str, query: PhotoQuery):
    data, mime = photo_links.photo_by_link(deps.read_session(), current_app.config["SECRET_KEY"], public_id, query.exp,
                                           query.sig)
    resp = Response(data, mimetype=mime)
    resp.headers["Cache-Control"] = "private, max-age=600"
    return resp
