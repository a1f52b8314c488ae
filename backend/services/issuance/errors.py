"""Every error issuance raises, with its code, HTTP status and messages in Chinese and English. A refusal to
issue is an IssuanceRefused (409) naming its reason, and the daily limit one of them (429)."""
from __future__ import annotations

import datetime as dt

from backend.models import RegStatus
from backend.services.errors import NotFound, ServiceError


class IssuanceRefused(ServiceError):
    code, status = "issuance_refused", 409
    message, message_en = "不能签发电子证书", "No certificate copy can be issued"


class RegistrationSuspended(IssuanceRefused):
    code = "registration_suspended"
    message, message_en = "注册已被暂扣(锁定),不能签发电子证书", "The registration is suspended (locked)"


class RegistrationInactive(IssuanceRefused):
    code = "registration_not_active"

    def __init__(self, status: str):
        super().__init__(f"注册状态为{RegStatus.ZH[status]},不能签发电子证书", f"The registration is {RegStatus.EN[status]}",
                         details={"status": status})


class HolderDeceased(IssuanceRefused):
    code = "person_deceased"
    message, message_en = "持证人已死亡", "The holder is deceased"


class HolderOverAgeCap(IssuanceRefused):
    code = "age_cap_reached"

    def __init__(self, age_cap: int, age_cap_date: dt.date):
        super().__init__(f"持证人已超过{age_cap}周岁", "The holder is over the age cap",
                         details={"age_cap_date": age_cap_date.isoformat()})


class NoValidSpecialty(IssuanceRefused):
    code = "no_valid_specialty"
    message, message_en = "没有在有效期内的注册专业", "No specialty is within its validity"


class DailyCopyLimitReached(IssuanceRefused):
    code, status = "daily_limit_reached", 429
    message, message_en = "今日已申请过加注件,请勿重复加注", "Today's limit of certificate copies is reached"

    def __init__(self, limit: int, issued_today: int):
        super().__init__(details={"limit": limit, "issued_today": issued_today})


class CopyNotFound(NotFound):
    """Also someone else's copy: whether a copy id exists is nobody else's business."""
    code = "copy_not_found"
    message, message_en = "未找到该电子证书", "No such certificate copy"


class OwnRegistrationNotFound(NotFound):
    """A holder asking for a copy of a registration that is not theirs, or of none: the same answer."""
    code = "registration_not_found"
    message, message_en = "未找到您的该项注册", "No such registration of yours"


class TimestampUnavailable(ServiceError):
    """The configured timestamp server (PDF_TIMESTAMP_URL) did not answer: no certificate PDF without its B-T
    timestamp, rather than a weaker one handed out silently."""
    code, status = "service_unavailable", 503
    message, message_en = "时间戳服务暂不可用,请稍后再试", "The timestamp server is unavailable; try again later"


class CopyNotCurrent(ServiceError):
    """A live code is made of the holder's current copy only: a superseded or void one is not shown."""
    code, status = "copy_not_current", 409
    message, message_en = "此电子证书不是当前有效版本,不能生成动态二维码", "Not the current copy: no live code for it"


class CopyUsageOver(ServiceError):
    code, status = "copy_usage_over", 409
    message, message_en = ("此电子证书已超过使用时限,请先申请新的电子证书(加注)",
                           "The copy's usage period is over: get a new copy first")
