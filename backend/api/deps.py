"""What a view needs from the app, in one place: the session, keys, catalogue, settings and clock."""
from __future__ import annotations

import json
from typing import Any

from flask import current_app, request

from backend.extensions import db
from backend.services.clock import Clock
from backend.services.errors import ServiceError


def ring():
    return current_app.extensions["jz.keystore"].get()


def catalogue():
    return current_app.extensions["jz.catalogue"]


def settings():
    return current_app.extensions["jz.settings"]


def clock() -> Clock:
    return current_app.extensions["jz.clock"]


def session():
    return db.session


def json_body() -> dict:
    """The request's JSON object, or the error shape (malformed JSON, non-UTF-8, not an object, too deep)."""
    if request.content_length is not None and request.content_length > current_app.config["MAX_CONTENT_LENGTH"]:
        raise ServiceError("请求体过大", "Request body too large", code="payload_too_large", status=413)
    raw = request.get_data(cache=True)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ServiceError("请求体不是有效的 UTF-8 文本", "The body is not valid UTF-8", code="invalid_encoding") from None
    try:
        data: Any = json.loads(text)
    except (ValueError, RecursionError):
        raise ServiceError("请求体不是有效的 JSON", "The body is not valid JSON", code="invalid_json") from None
    if not isinstance(data, dict):
        raise ServiceError("请求体必须是 JSON 对象", "The body must be a JSON object", code="invalid_body")
    return data
