"""The notices' errors."""
from __future__ import annotations

from backend.services.errors import NotFound, ServiceError


class NoticeNotFound(NotFound):
    """Also someone else's notice: an inbox never tells which ids exist."""
    code = "notice_not_found"
    message, message_en = "没有这条通知", "No such notice"


class NoInbox(ServiceError):
    code, status = "no_inbox", 403
    message, message_en = "此账户没有通知", "This account has no notices"
