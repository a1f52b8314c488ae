"""The public lookup: a name or number in, masked registrations out."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictBool

from backend.api.schemas.base import Answer, Date, QueryModel
from backend.api.schemas.verify import MASKED_ID, Employer, RegistrationStatus
from backend.services.lookup.search import MAX_EMPLOYER, MAX_IDENTIFIER, MIN_NUMBER_PREFIX


class LookupQuery(QueryModel):
    q: str = Field(description="姓名(前缀)、注册编号(完整,或省份简称后至少 "
                               f"{MIN_NUMBER_PREFIX} 位的前缀,可不带省份简称)、执业印章号或电子证照标识 / A name (prefix), "
                               "a registration number (whole, or its first characters: at least "
                               f"{MIN_NUMBER_PREFIX} after the province abbreviation, which may be left out), a seal "
                               "number or a certificate identifier", max_length=MAX_IDENTIFIER)
    page: int | None = Field(None, description="页码 / Page (20 per page, at most 30 pages)", ge=1)
    province: str | None = Field(None, description="注册省份:行政区划代码(如 32)或简称(如 苏)/ Province of "
                                                   "registration: GB/T 2260 code (32) or abbreviation (苏)",
                                 max_length=8)
    kind: str | None = Field(None, description="证书类别代码,如 JZS2(见 /api/v1/catalogue)/ Kind code, e.g. JZS2 "
                                               "(see /api/v1/catalogue)", max_length=16)
    specialty: str | None = Field(None, description="注册专业代码,如 SZ / Specialty code, e.g. SZ", max_length=16)
    employer: str | None = Field(None, description="聘用单位名称(包含即可,至少两个字)或统一社会信用代码 / Employer: "
                                                   "part of its name (two characters or more) or its credit code",
                                 max_length=MAX_EMPLOYER)


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


class LookupFilters(Answer):
    """所用的筛选条件(已规范化)/ The filters applied, normalised."""
    province: str | None = Field(description="行政区划代码 / GB/T 2260 code")
    kind: str | None
    specialty: str | None
    employer: str | None


class LookupResults(Answer):
    query: str
    match: Literal["name", "name_prefix", "registration_number", "number_prefix", "seal_number", "certificate"] = Field(
        description="匹配方式 / How q matched: a name, names starting with it, a whole registration number, numbers "
                    "starting with it, a seal number, a certificate")
    page: int = Field(ge=1)
    page_size: int
    total: int = Field(description="匹配总数;封顶时为“至少”此数 / Matches; when capped, at least this many")
    total_capped: StrictBool = Field(description="总数已封顶(实际更多,请缩小范围)/ total is capped: there are more, "
                                                 "narrow the search")
    results: list[LookupResult]
    filters: LookupFilters
