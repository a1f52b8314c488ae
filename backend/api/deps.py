"""What a view needs from the app, in one place: the session, keys, catalogue, settings and clock."""
from __future__ import annotations

import json
from typing import Any

from flask import current_app, request

from backend.api.edge_errors import InvalidBody, InvalidEncoding, InvalidJson, PayloadTooLarge
from backend.extensions import db
from backend.services.clock import Clock


def ring():
    return current_app.extensions["jz.keystore"].get()


def catalogue():
    return current_app.extensions["jz.catalogue"]


def settings():
    return current_app.extensions["jz.settings"]


def clock() -> Clock:
    return current_app.extensions["jz.clock"]


def certificate_pdfs():
    """The maker of signed certificate PDFs, made on first use (pyHanko and the fonts load then, not at start)."""
    ext = current_app.extensions
    if "jz.certificate_pdfs" not in ext:
        from backend.services.issuance.certificate_pdf import CertificatePdfs
        ext["jz.certificate_pdfs"] = CertificatePdfs(ext["jz.pdf_signing"], catalogue(), clock())
    return ext["jz.certificate_pdfs"]


def session():
    return db.session


def read_session():
    """For views that only read: the read replica's session when DATABASE_READ_URL is set (read_replica.py)."""
    from backend.read_replica import read_session as replica
    return replica()


def json_body() -> dict:
    """The request's JSON object, or the error shape (malformed JSON, non-UTF-8, not an object, too deep)."""
    if request.content_length is not None and request.content_length > current_app.config["MAX_CONTENT_LENGTH"]:
        raise PayloadTooLarge()
    raw = request.get_data(cache=True)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidEncoding() from None
    try:
        data: Any = json.loads(text)
    except (ValueError, RecursionError):
        raise InvalidJson() from None
    if not isinstance(data, dict):
        raise InvalidBody()
    return data
