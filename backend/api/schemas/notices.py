"""Notices of a signed-in holder or enterprise (docs/notices.md)."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StrictBool
from pydantic_core import PydanticCustomError

from backend.api.schemas.base import Answer, ApiModel, DateTime, QueryModel
from backend.services.notices.texts import KINDS

MAX_PAGE = 10000


def _page(value: Any) -> Any:
    if value in ("", None):
        return 1
    if isinstance(value, str) and not value.isdigit():
        raise PydanticCustomError("range", "页码须为正整数 / page is a positive integer")
    return value


def _flag(value: Any) -> Any:
    if value in ("", None):
        return False
    if isinstance(value, str):
        v = value.strip().lower()
        if v in ("1", "true", "yes"):
            return True
        if v in ("0", "false", "no"):
            return False
        raise PydanticCustomError("format", "unread 须为 1 或 0 / unread is 1 or 0")
    return value


class NoticeQuery(QueryModel):
    unread: Annotated[bool, BeforeValidator(_flag)] = Field(False, description="1:仅未读 / 1: unread only")
    page: Annotated[int, BeforeValidator(_page)] = Field(1, ge=1, le=MAX_PAGE, description="页码 / Page")


class NoticeItem(Answer):
    id: int
    kind: Literal[KINDS] = Field(description="通知类型 / Kind: " + ", ".join(KINDS))
    title: str
    title_en: str
    body: str
    body_en: str
    data: dict[str, Any] = Field(description="按类型的数据,如注册编号、专业、日期 / By kind: the registration number, "
                                             "specialty, dates …")
    created_at: DateTime
    read: StrictBool


class NoticeList(Answer):
    notices: list[NoticeItem] = Field(description="新的在前 / Newest first")
    unread: int = Field(description="未读总数 / Unread, in all")
    total: int = Field(description="符合条件的总数 / Matching, in all")
    page: int
    per_page: int


class NoticeRead(Answer):
    notice: NoticeItem
    unread: int


class AllRead(Answer):
    marked: int = Field(description="本次标为已读的条数 / Marked read now")
    unread: Literal[0]


class NoticePreferences(Answer):
    checks: StrictBool = Field(description="“您的证书已被核验”通知(持证人)/ \"Your certificate was checked\" notices "
                                           "(holders)")
    email: StrictBool = Field(description="设置了 SMTP 时以电子邮件发送通知 / E-mail the notices when SMTP is set")


class NoticePreferencesInput(ApiModel):
    """未给出的字段保持不变 / A field left out stays as it is."""
    checks: StrictBool | None = Field(None, description="核验通知 / Check notices")
    email: StrictBool | None = Field(None, description="电子邮件 / E-mail")
