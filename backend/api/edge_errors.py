"""The errors of the edge itself, before any service is called: a body that is not a JSON object, a counter
store that does not answer, a daily quota used up. Each is a named ServiceError with its code, status and
messages; api/errors.py turns it into JSON like every other."""
from __future__ import annotations

from backend.services.errors import ServiceError


class PayloadTooLarge(ServiceError):
    code, status = "payload_too_large", 413
    message, message_en = "请求体过大", "Request body too large"


class InvalidEncoding(ServiceError):
    code, status = "invalid_encoding", 400
    message, message_en = "请求体不是有效的 UTF-8 文本", "The body is not valid UTF-8"


class InvalidJson(ServiceError):
    code, status = "invalid_json", 400
    message, message_en = "请求体不是有效的 JSON", "The body is not valid JSON"


class InvalidBody(ServiceError):
    code, status = "invalid_body", 400
    message, message_en = "请求体必须是 JSON 对象", "The body must be a JSON object"


class DatabaseSilent(ServiceError):
    """/healthz only: the database does not answer (elsewhere api/errors.py answers service_unavailable)."""
    code, status = "unavailable", 503
    message, message_en = "数据库无响应", "The database does not answer"


class NotReady(ServiceError):
    """/readyz: a dependency does not answer, or the schema is not at this code's migration head."""
    code, status = "not_ready", 503
    message, message_en = "服务尚未就绪", "Not ready to serve"

    def __init__(self, checks: dict):
        failed = sorted(k for k, v in checks.items() if v not in ("ok", "ahead", "not_configured"))
        super().__init__(f"服务尚未就绪:{'、'.join(failed)}", f"Not ready to serve: {', '.join(failed)}",
                         details={"checks": checks})


class MetricsForbidden(ServiceError):
    code, status = "forbidden", 403
    message, message_en = ("指标仅对内部网络或持有指标令牌者开放", "Metrics are open to the internal network or to a "
                           "bearer of the metrics token only")


class CounterStoreSilent(ServiceError):
    code, status = "service_unavailable", 503
    message, message_en = "计数服务暂不可用,请稍后再试", "The counter store does not answer: try again later"

    def __init__(self):
        super().__init__(details={"retry_after": 30})


class IdCheckLimitReached(ServiceError):
    code, status = "id_check_limit_reached", 429

    def __init__(self, limit: int, asked: int, remaining: int, reset_at: int):
        super().__init__(f"今日核对身份证号的次数已达上限({limit} 个),请明日再试",
                         f"Today's limit of ID numbers checked ({limit}) is reached: try again tomorrow",
                         details={"limit": limit, "asked": asked, "remaining": remaining, "reset_at": reset_at})
