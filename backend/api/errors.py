"""The one error shape: {"error", "message", "message_en", "details"}. Built here and nowhere else."""
from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from ..services.errors import ServiceError

log = logging.getLogger(__name__)

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
    return resp


def register_errorhandlers(app: Flask) -> None:
    @app.errorhandler(ServiceError)
    def _service(e: ServiceError):
        return error_response(e.status, e.code, e.message, e.message_en, e.details)

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
        log.exception("unhandled error")   # the trace goes to the log, never to the client
        code, zh, en = HTTP_TEXT[500]
        return error_response(500, code, zh, en)
