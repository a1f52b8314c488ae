"""What a renewal can hold today (services/workflows/renewable.py), as the holder's registrations show it: the
specialties renewable now and, for the others, why not and when."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from backend.api.schemas.base import Answer, Date

NotRenewable = Literal["registration_not_active", "cancelled", "lapsed", "not_yet_open", "closed", "pending", "age_cap"]


class RenewalSpecialty(Answer):
    code: str
    name: str
    name_en: str
    valid_until: Date
    renewable: bool = Field(description="今日可以延续 / Can be renewed today")
    reason: NotRenewable | None = Field(description="不能延续的原因代码 / Why not, as a code")
    message: str
    message_en: str
    opens_on: Date | None = Field(description="延续申请期限起 / The renewal window opens")
    closes_on: Date | None = Field(description="延续申请期限止 / The renewal window closes")


class RenewalOptions(Answer):
    """延续注册:今日可延续的专业及其他专业的原因 / Renewal: the specialties renewable today, and why not the others."""
    renewable: list[str] = Field(description="今日可延续的专业代码;延续申请未指定专业时即延续这些 / The codes renewable "
                                             "today; a renewal naming no specialty renews these")
    specialties: list[RenewalSpecialty]
    message: str
    message_en: str
