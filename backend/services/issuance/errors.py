"""The issuance package's errors, with their Chinese and English messages."""
from __future__ import annotations

from backend.services.errors import ServiceError


class IssuanceRefused(ServiceError):
    code, status = "issuance_refused", 409
    message, message_en = "不能签发电子证书", "No certificate copy can be issued"


class DailyLimitReached(IssuanceRefused):
    code, status = "daily_limit_reached", 429
    message, message_en = "今日已申请过加注件,请勿重复加注", "Today's limit of certificate copies is reached"
