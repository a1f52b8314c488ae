"""The contractors' endpoints (docs/contractors-api.md): the staff roster with its filters, the warnings, and
the bulk check of an uploaded staff list."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StrictBool, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError
from spectree.model_adapter.pydantic_adapter import BaseFile

from backend.api.schemas.base import Answer, ApiModel, Date, DateTime, QueryModel
from backend.api.schemas.fields import text
from backend.api.schemas.registry import EnterpriseRef
from backend.api.schemas.verify import RegistrationStatus
from backend.services.enterprise.bulk.check import RESULTS
from backend.services.enterprise.roster import PAGE_SIZE
from backend.services.enterprise.signals import CODES as SIGNAL_CODES
from backend.services.enterprise.staff_warnings import CODES as WARNING_CODES, SEVERITIES, STATUS_URGENCY

MAX_QUERY = 64
Employer = Literal["this", "other"]


def _page(v: Any) -> Any:
    if v is None or v == "":
        return 1
    if isinstance(v, str) and v.isascii() and v.isdigit() and len(v) <= 6 and int(v) >= 1:
        return int(v)
    raise PydanticCustomError("format", "页码必须是不小于 1 的整数 / page must be an integer of at least 1")


class EnterpriseQuery(QueryModel):
    uscc: str | None = Field(None, description="统一社会信用代码 / The enterprise, for authority staff (omitted by "
                                               "enterprise accounts)")


class StaffQuery(EnterpriseQuery):
    status: RegistrationStatus | None = Field(None, description="注册状态 / Registration status")
    kind: str | None = Field(None, description="证书类别代码 / Kind code")
    warning: Literal[WARNING_CODES] | None = Field(None, description="警告代码 / Warning code")
    signal: Literal[SIGNAL_CODES] | None = Field(None, description="挂证风险代码 / Signal code")
    q: text(MAX_QUERY, required=False) = Field(
        None, description="姓名或注册编号前缀 / Name or registration number prefix")
    page: Annotated[int, BeforeValidator(_page)] = Field(1, ge=1, le=999_999, description="页码,每页 100 / Page, "
                                                                                         "100 per page")

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, v: str | None, info: ValidationInfo) -> str | None:
        catalogue = getattr(info.context, "catalogue", None)
        if v is not None and catalogue is not None and catalogue.kind(v) is None:
            listed = ", ".join(catalogue.kinds)
            raise PydanticCustomError("choice", f"kind 必须是以下之一:{listed} / kind must be one of: {listed}")
        return v


class Warning(Answer):      # shadows the builtin here: the document has always called it Warning
    code: Literal[WARNING_CODES]
    severity: Literal[SEVERITIES]
    message: str
    message_en: str
    registration_number: str
    name: str
    specialty: str | None = Field(description="专业代码 / Specialty code")
    due: Date | None
    days_left: int | None = Field(description="负数为已过期 / negative: already past")


class Signal(Answer):
    """挂证风险提示 / A 挂证 (certificate renting) signal."""
    code: Literal[SIGNAL_CODES]
    message: str
    message_en: str
    details: dict[str, Any]


class StaffSpecialty(Answer):
    code: str
    name: str
    valid_from: Date
    valid_until: Date
    status: Literal["active", "lapsed", "cancelled"]
    days_left: int


class RosterCopy(Answer):
    """当前电子证书 / The registration's current copy."""
    copy_id: str
    usage_from: DateTime
    usage_until: DateTime
    expired: StrictBool


class StaffMember(Answer):
    name: str
    sex: Literal["M", "F"]
    id_number: str = Field(description="完整身份证号(本单位人员)/ Full ID number (own staff)")
    registration_number: str
    seal_number: str
    kind: str = Field(description="证书类别代码 / Kind code")
    kind_name: str = Field(description="类别名称 / Kind name")
    kind_name_en: str = Field(description="Kind name in English")
    level: str | None = Field(description="级别 / Level")
    status: RegistrationStatus
    status_name: str
    status_name_en: str
    specialties: list[StaffSpecialty]
    current_copy: RosterCopy | None
    age_cap_date: Date
    days_to_age_cap: int
    warnings: list[Warning]
    signals: list[Signal]
    urgency: int | None = Field(description=f"警告中最小的 days_left;暂扣、注销、失效为 {STATUS_URGENCY}(最先);无日期为 "
                                            f"null(最后)/ the smallest days_left of the warnings; {STATUS_URGENCY} for "
                                            "a suspended, ended or lapsed registration (first of all); null when no "
                                            "warning has a date (last)")


class StaffList(Answer):
    """最紧急的在前 / Most urgent first."""
    enterprise: EnterpriseRef
    generated_at: DateTime
    total: int
    page: int = Field(ge=1)
    page_size: Literal[PAGE_SIZE]
    staff: list[StaffMember]


class WarningList(Answer):
    enterprise: EnterpriseRef
    generated_at: DateTime
    warnings: list[Warning]


def _uploaded(v: Any) -> Any:
    if not hasattr(v, "read"):        # a plain form field of that name, not a file
        raise PydanticCustomError("required", "请以 multipart 字段 file 上传 CSV 或 XLSX 文件 / Send the CSV or XLSX "
                                              "file as the multipart field 'file'")
    return v


class BulkCheckForm(ApiModel):
    file: Annotated[BaseFile, AfterValidator(_uploaded)] = Field(description="CSV 或 XLSX 文件 / The CSV or XLSX file")


class BulkRegistration(Answer):
    registration_number: str
    kind: str
    status: RegistrationStatus
    employer: Employer
    earliest_expiry: Date | None = Field(description="最早到期日 / Earliest expiry")


class BulkCheckRow(Answer):
    line: int = Field(description="文件中的行号(表头为第 1 行)/ Line in the file (the header is line 1)")
    result: Literal[RESULTS]
    name: str | None
    id_number: str | None = Field(description="如所给;非本单位人员脱敏 / as given; masked unless own staff")
    registration_number: str | None
    status: RegistrationStatus | None
    kind: str | None
    employer: Employer | None = Field(description="本单位或其他单位 / this enterprise or another")
    earliest_expiry: Date | None = Field(description="最早到期日 / Earliest expiry")
    signals: list[Signal]
    registrations: list[BulkRegistration] = Field(description="该人员的全部注册 / All registrations of the person "
                                                              "found")
    message: str
    message_en: str


class BulkSummary(Answer):
    rows: int
    found: int
    not_found: int
    mismatch: int
    invalid_row: int


class BulkDownloads(Answer):
    """保留 24 小时 / kept for 24 hours."""
    csv: str
    xlsx: str


class BulkCheckResult(Answer):
    id: str
    enterprise: EnterpriseRef
    created_at: DateTime
    file_type: Literal["csv", "xlsx"]
    header_line: int
    summary: BulkSummary
    rows: list[BulkCheckRow]
    downloads: BulkDownloads
