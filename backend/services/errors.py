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
    def field(cls, name: str, code: str, zh: str, en: str) -> ValidationFailed:
        return cls(details={"fields": {name: {"code": code, "message": zh, "message_en": en}}})


class NotFound(ServiceError):
    code, status = "not_found", 404
    message, message_en = "未找到", "Not found"


class Conflict(ServiceError):
    code, status = "conflict", 409
    message, message_en = "与现有数据冲突", "Conflicts with existing data"


class ImageRejectedError(ServiceError):
    code, status = "image_rejected", 415


class Forbidden(ServiceError):
    code, status = "forbidden", 403
    message, message_en = "无权访问", "You are not allowed to do this"


class FieldProblem(ValidationFailed):
    """One field's problem, as the edge's field errors are shaped: FIELD, its FIELD_CODE and the messages,
    formatted with the keyword arguments (which also go into `details`). Each package's catalogue names its
    own (InvalidIdNumber, QueryTooShort, ReasonRequired, ...)."""
    FIELD, FIELD_CODE, ZH, EN = "", "format", "", ""

    def __init__(self, **values):
        super().__init__(details={"fields": {self.FIELD: {
            "code": self.FIELD_CODE, "message": self.ZH.format(**values), "message_en": self.EN.format(**values)}},
            **values})


class FieldProblems(ValidationFailed):
    """Several field problems found together, answered together."""

    def __init__(self, problems: list[FieldProblem]):
        super().__init__(details={"fields": {k: v for p in problems for k, v in p.details["fields"].items()}})

    @classmethod
    def check(cls, problems: list[FieldProblem]) -> None:
        if len(problems) == 1:
            raise problems[0]
        if problems:
            raise cls(problems)
