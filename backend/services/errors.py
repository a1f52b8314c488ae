"""Domain exceptions. Each carries a machine code, a Chinese and an English message and details;
the API layer (backend/api/errors.py) turns any of them into the one error shape.

`status` is the HTTP status the edge should use; it is a plain number, the services know nothing of HTTP.
"""
from __future__ import annotations


class ServiceError(Exception):
    code = "service_error"
    status = 400
    message = "请求无法处理"
    message_en = "The request could not be processed"

    def __init__(self, message: str | None = None, message_en: str | None = None, *,
                 code: str | None = None, details: dict | None = None, status: int | None = None):
        if message is not None:
            self.message = message
        if message_en is not None:
            self.message_en = message_en
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.details = details or {}
        super().__init__(f"{self.code}: {self.message_en}")


class ValidationFailed(ServiceError):
    """Field-level problems: details = {"fields": {name: {"code", "message", "message_en"}}}."""
    code, status = "validation_failed", 422
    message, message_en = "输入数据有误", "Some fields are invalid"

    @classmethod
    def field(cls, name: str, code: str, zh: str, en: str) -> "ValidationFailed":
        return cls(details={"fields": {name: {"code": code, "message": zh, "message_en": en}}})


class NotFound(ServiceError):
    code, status = "not_found", 404
    message, message_en = "未找到", "Not found"


class Conflict(ServiceError):
    code, status = "conflict", 409
    message, message_en = "与现有数据冲突", "Conflicts with existing data"


class EmployerConflict(Conflict):
    code = "employer_conflict"
    message = "该人员已在其他单位注册(一人只能在一个单位注册)"
    message_en = "The person is registered with another employer (one person, one employer)"


class CannotTakeEffect(Conflict):
    """An approval whose effect the registry refuses: nothing changes, the application stays undecided."""
    code = "cannot_take_effect"
    message = "批准后无法生效,申请保持未决"
    message_en = "The approval cannot take effect: the application stays undecided"


class IssuanceRefused(ServiceError):
    code, status = "issuance_refused", 409
    message, message_en = "不能签发电子证书", "No certificate copy can be issued"


class DailyLimitReached(IssuanceRefused):
    code, status = "daily_limit_reached", 429
    message, message_en = "今日已申请过加注件,请勿重复加注", "Today's limit of certificate copies is reached"


class ImageRejectedError(ServiceError):
    code, status = "image_rejected", 415


class NoQrFound(ServiceError):
    code, status = "no_qr_found", 422
    message, message_en = "图片中未找到二维码", "No QR code was found in the image"


class Forbidden(ServiceError):
    code, status = "forbidden", 403
    message, message_en = "无权访问", "You are not allowed to do this"
