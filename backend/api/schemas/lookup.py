"""The public lookup: a name or number in, masked registrations out."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictBool

from backend.api.schemas.base import Answer, Date, QueryModel
from backend.api.schemas.verify import MASKED_ID, Employer, RegistrationStatus
from backend.services.lookup.search import MAX_IDENTIFIER


class LookupQuery(QueryModel):
    q: str = Field(description="姓名、注册编号、执业印章号或电子证照标识 / A name, registration or seal number, or a "
                               "certificate identifier", max_length=MAX_IDENTIFIER)
    page: int | None = Field(None, description="页码 / Page (20 per page, at most 30 pages)", ge=1)


class LookupSpecialty(Answer):
    code: str
    name: str
    valid_until: Date
    status: str


class LookupResult(Answer):
    name: str
    sex: Literal["M", "F"]
    id_number: str | None = Field(description=MASKED_ID)
    registration_number: str
    seal_number: str
    kind: str = Field(description="证书类别代码 / Kind code")
    kind_name: str
    kind_name_en: str
    level: str | None
    status: RegistrationStatus
    status_name: str
    employer: Employer
    specialties: list[LookupSpecialty]


class LookupResults(Answer):
    query: str
    match: str = Field(description="匹配方式(姓名或编号)/ How q matched (name or number)")
    page: int = Field(ge=1)
    page_size: int
    total: int
    total_capped: StrictBool = Field(description="总数已封顶 / total is capped")
    results: list[LookupResult]
