"""The one error shape: {"error", "message", "message_en", "details"}. Built here and nowhere else."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, request
from sqlalchemy.exc import DisconnectionError, IntegrityError, InterfaceError, OperationalError, TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from backend.extensions import db
from backend.services.conflicts import conflict_from_integrity_error
from backend.services.errors import ServiceError

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5    # sent with every 503: the database is back or the write lock free by then, usually
# The database does not answer: refused or lost connection, SQLite's "database is locked" after busy_timeout,
# no free connection in the pool.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)

HTTP_TEXT = {   # status -> (code, 中文, English)
    400: ("bad_request", "请求格式错误", "Bad request"),
    401: ("unauthorized", "需要登录或有效的访问令牌", "Authentication required"),
    403: ("forbidden", "无权访问", "Forbidden"),
    404: ("not_found", "未找到", "Not found"),
    405: ("method_not_allowed", "不支持此请求方法", "Method not allowed"),
    406: ("not_acceptable", "无法提供所请求的格式", "Not acceptable"),
    408: ("request_timeout", "请求超时", "Request timeout"),
    409: ("conflict", "与现有数据冲突", "Conflict"),
    411: ("length_required", "需要 Content-Length", "Length required"),
    413: ("payload_too_large", "请求体过大", "Request body too large"),
    414: ("uri_too_long", "请求地址过长", "URI too long"),
    415: ("unsupported_media_type", "不支持的内容类型", "Unsupported media type"),
    422: ("unprocessable", "无法处理的内容", "Unprocessable content"),
    423: ("locked", "已锁定", "Locked"),
    429: ("rate_limited", "请求过于频繁,请稍后再试", "Too many requests, try again later"),
    431: ("headers_too_large", "请求头过大", "Request headers too large"),
    500: ("internal_error", "服务器内部错误", "Internal server error"),
    503: ("unavailable", "服务暂不可用", "Service unavailable"),
}


def error_response(status: int, code: str, message: str, message_en: str, details: dict | None = None):
    resp = jsonify({"error": code, "message": message, "message_en": message_en, "details": details or {}})
    resp.status_code = status
    if status == 503:
        resp.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return resp


def _discard_transaction() -> None:
    """The failed transaction is of no further use (SQLAlchemy has already invalidated a lost connection)."""
    try:
        db.session.rollback()
    except Exception:   # noqa: BLE001 - the connection may be gone; the session is removed at teardown anyway
        log.debug("rollback after a database error failed", exc_info=True)


def register_errorhandlers(app: Flask) -> None:
    @app.errorhandler(ServiceError)
    def _service(e: ServiceError):
        return error_response(e.status, e.code, e.message, e.message_en, e.details)

    @app.errorhandler(IntegrityError)
    def _integrity(e: IntegrityError):
        # Two requests raced past a service's check (or a check is missing): 409 naming the field.
        _discard_transaction()
        conflict = conflict_from_integrity_error(e)
        log.info("integrity conflict %s %s", conflict.code, conflict.details)   # not the values: ID numbers
        return _service(conflict)

    @app.errorhandler(StaleDataError)
    def _stale(e: StaleDataError):
        # A row with a version counter (registrations) changed under us between reading and writing it.
        _discard_transaction()
        return error_response(409, "concurrent_update", "该记录刚被他人修改,请刷新后重试",
                              "Someone else changed this record just now: reload and try again")

    def _unavailable(e: Exception):
        _discard_transaction()
        log.warning("database unavailable: %s: %s", type(e).__name__, getattr(e, "orig", None) or e)
        return error_response(503, "service_unavailable", "数据库暂时无法访问,请稍后重试",
                              "The database is not answering at the moment: try again shortly")

    for exc_class in DATABASE_UNAVAILABLE:
        app.register_error_handler(exc_class, _unavailable)

    @app.errorhandler(HTTPException)
    def _http(e: HTTPException):
        code, zh, en = HTTP_TEXT.get(e.code or 500, ("http_error", "请求错误", e.name))
        details = {}
        if e.code == 429 and getattr(e, "description", None):
            details["limit"] = str(e.description)
        resp = error_response(e.code or 500, code, zh, en, details)
        if e.code == 405 and hasattr(e, "valid_methods") and e.valid_methods:
            resp.headers["Allow"] = ", ".join(e.valid_methods)
        return resp

    @app.errorhandler(Exception)
    def _unexpected(e: Exception):
        # the trace goes to the log (with the request id, backend/logs.py), never to the client
        log.exception("unhandled error in %s %s", request.method, request.path)
        code, zh, en = HTTP_TEXT[500]
        return error_response(500, code, zh, en)
