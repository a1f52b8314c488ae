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
from backend.services.enterprise.bulk.categories import CATEGORIES
from backend.services.enterprise.bulk.check import RESULTS
from backend.services.enterprise.roster import PAGE_SIZE, SORTS
from backend.services.enterprise.signals import CODES as SIGNAL_CODES
from backend.services.enterprise.staff_warnings import CODES as WARNING_CODES, SEVERITIES, STATUS_URGENCY
from backend.services.enterprise.worklist import ACTIONS as WORK_ACTIONS, NOTE_CODES

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


class StaffFilters(EnterpriseQuery):
    """The roster's filters, search and order: the same for its pages and its exports."""
    status: RegistrationStatus | None = Field(None, description="注册状态 / Registration status")
    kind: str | None = Field(None, description="证书类别代码 / Kind code")
    warning: Literal[WARNING_CODES] | None = Field(None, description="警告代码 / Warning code")
    signal: Literal[SIGNAL_CODES] | None = Field(None, description="挂证风险代码 / Signal code")
    q: text(MAX_QUERY, required=False) = Field(
        None, description="姓名或注册编号的一部分,或姓名拼音(全拼或首字母)的开头 / Part of a name or registration "
                          "number, or the start of a name's pinyin (whole or initials)")
    sort: Literal[SORTS] = Field("urgency", description="urgency:最紧急的在前,已终止的注册在最后;name:姓名拼音顺序;"
                                                        "number:注册编号;expiry:最早到期在前 / urgency: most urgent "
                                                        "first, ended registrations last; name: in pinyin order; "
                                                        "number: registration number; expiry: soonest first")

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, v: str | None, info: ValidationInfo) -> str | None:
        catalogue = getattr(info.context, "catalogue", None)
        if v is not None and catalogue is not None and catalogue.kind(v) is None:
            listed = ", ".join(catalogue.kinds)
            raise PydanticCustomError("choice", f"kind 必须是以下之一:{listed} / kind must be one of: {listed}")
        return v


class StaffQuery(StaffFilters):
    page: Annotated[int, BeforeValidator(_page)] = Field(1, ge=1, le=999_999, description="页码,每页 100 / Page, "
                                                                                         "100 per page")


class StaffExportQuery(StaffFilters):
    format: Literal["csv", "xlsx"] = Field("csv", description="文件格式 / File format")
    lang: Literal["zh", "en"] = Field("zh", description="表头和文字的语言 / The language of the headers and words")


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
    name_en: str
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
    person_id: int = Field(description="人员编号,打开其页面:GET /api/v1/enterprise/staff/{person_id} / The person, "
                                       "whose page it opens")
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
    sort: Literal[SORTS] = Field(description="所用顺序 / The order used")
    staff: list[StaffMember]


class StaffIdentity(Answer):
    """完整证件号与电话:仅本人、其聘用单位和主管部门可见 / ID number and phone in full: for the holder, the employer and
    the authority only."""
    id: int
    name: str
    sex: Literal["M", "F"]
    birth_date: Date
    id_type: str
    id_number: str
    phone: str | None


class StaffApplication(Answer):
    """涉及本单位的申请 / An application that names the enterprise."""
    id: str
    type: str
    type_name: str
    type_name_en: str
    state: str
    state_name: str
    state_name_en: str
    registration_number: str | None
    specialties: list[str]
    submitted_at: DateTime | None
    updated_at: DateTime
    awaiting_enterprise: StrictBool = Field(description="等待本单位确认 / Waiting for this enterprise's confirmation")


class StaffPerson(Answer):
    """本单位一名人员的页面 / One person of the roster on a page of their own."""
    enterprise: EnterpriseRef
    generated_at: DateTime
    person: StaffIdentity
    registrations: list[StaffMember] = Field(description="在本单位的注册,最紧急的在前 / Registrations at the "
                                                          "enterprise, most urgent first")
    warnings: list[Warning]
    signals: list[Signal] = Field(description="该人员全部注册的挂证信号 / Signals over all of the person's "
                                              "registrations")
    applications: list[StaffApplication] = Field(description="最新的 50 件 / The newest 50")


class WorkItem(Answer):
    """待办或已终止的一项 / One item of the work list: what to do (message), why (reason), by when (due)."""
    action: Literal[WORK_ACTIONS] = Field(description="要做的事 / What the item asks for")
    group: Literal["todo", "ended"] = Field(description="待办 / to do; 已终止 / ended, for the record")
    severity: Literal[SEVERITIES]
    message: str = Field(description="要做什么 / What to do")
    message_en: str
    reason: str = Field(description="原因 / Why")
    reason_en: str
    due: Date | None = Field(description="截止日期;无日期即今日应办 / Due date; none: due now")
    days_left: int | None = Field(description="负数为已过期 / negative: overdue")
    name: str
    registration_number: str | None
    person_id: int | None = Field(description="本单位人员的人员编号(花名册 #/staff/<id>)/ The person, when on "
                                              "this enterprise's staff (the roster's #/staff/<id>)")
    kind: str | None = Field(description="证书类别代码 / Kind code")
    specialties: list[str] = Field(description="专业代码 / Specialty codes")
    codes: list[Literal[WARNING_CODES]] = Field(description="归入本项的警告 / The warnings this item stands for")
    application_id: str | None = Field(description="待本单位处理的申请 / The application waiting for this enterprise")


class WorkNote(Answer):
    """不计入待办的提示(电子证书)/ A count outside the to-do number (copies)."""
    code: Literal[tuple(NOTE_CODES)]
    count: int
    name: str
    name_en: str


class WarningList(Answer):
    """`warnings`:全部警告(原有字段);`todo`/`ended`:工作清单,`todo_count` 即预警标签、页面和每日摘要共用的待办数 /
    `warnings`: every warning (as before); `todo`/`ended`: the work list; `todo_count` is the one number the
    warnings tab, the page and the daily digest show."""
    enterprise: EnterpriseRef
    generated_at: DateTime
    warnings: list[Warning]
    todo_count: int = Field(ge=0, description="待办数 / Items to do")
    ended_count: int = Field(ge=0, description="已终止数 / Ended, for the record")
    todo: list[WorkItem] = Field(description="按截止日期排序 / By due date")
    ended: list[WorkItem]
    notes: list[WorkNote]


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
    category: Literal[CATEGORIES] = Field(description="核查结论:有效·本单位、有效·他单位(挂证风险)、无效或终止、信息不符、"
                                                      "未找到、无法核查 / What the row means: valid here, valid at "
                                                      "another enterprise (certificate-renting risk), not valid or "
                                                      "ended, details do not match, not found, could not check")


class BulkCategories(Answer):
    """每种核查结论的行数,每行恰属一种 / Rows per category, each row in exactly one."""
    valid_here: int
    valid_elsewhere: int
    ended: int
    mismatch: int
    not_found: int
    invalid_row: int


class BulkSummary(Answer):
    rows: int
    found: int
    not_found: int
    mismatch: int
    invalid_row: int
    categories: BulkCategories


class BulkDownloads(Answer):
    """保留 24 小时 / kept for 24 hours."""
    csv: str
    xlsx: str


class BulkFileQuery(QueryModel):
    lang: Literal["zh", "en"] = Field("zh", description="表头和文字的语言 / The language of the headers and words")


class BulkCheckResult(Answer):
    id: str
    enterprise: EnterpriseRef
    created_at: DateTime
    file_type: Literal["csv", "xlsx"]
    header_line: int
    summary: BulkSummary
    rows: list[BulkCheckRow]
    downloads: BulkDownloads
