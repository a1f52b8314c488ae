"""The registration workflows (docs/workflows-api.md): what a request about an application may carry, each
field's format checked here and nowhere else, and the application as the answers show it (the JSON is built
by api/application_shapes.py). What depends on the type, the catalogue or the register is the service's."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, StrictBool, StrictInt, StringConstraints, field_validator
from pydantic_core import PydanticCustomError
from spectree.model_adapter.pydantic_adapter import BaseFile

from backend.api.schemas.base import Answer, ApiModel, Date, DateTime, QueryModel
from backend.api.schemas.fields import text
from backend.api.schemas.verify import Employer
from backend.services.checkdigits import id_number_facts
from backend.services.formats import PERSON_NAME
from backend.services.workflows.drafts import Draft
from backend.services.workflows.rules import CHECKS
from backend.services.workflows.transitions import DECISIONS
from backend.services.workflows.types import TYPES, State

AppType = Literal[tuple(TYPES)]
AppState = Literal[tuple(State.NAMES)]
Action = Literal["edit", "upload", "submit", "withdraw", "confirm", "decline", "decide"]
TYPE_TABLE = "\n".join(f"- `{t.code}` {t.name} / {t.name_en}: 由{'持证人' if t.filed_by == 'holder' else '单位'}申请 "
                       f"/ filed by the {t.filed_by}" for t in TYPES.values())
MAX_PAGE = 10000
MAX_SPECIALTIES = 12
MAX_REASON = 1000       # applications.decision_reason


def _id_number(value: Any) -> Any:
    return value.strip().upper() or None if isinstance(value, str) else value


def _page(value: Any) -> Any:
    if value in ("", None):
        return 1
    if isinstance(value, str) and not value.isdigit():
        raise PydanticCustomError("range", "页码须为正整数 / The page is a positive integer")
    return value


def _hours(value: Any) -> Any:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise PydanticCustomError("range", "继续教育学时须为 0-10000 的整数 / Continuing-education hours are an integer "
                                           "from 0 to 10000")
    return value


def trimmed(max_length: int, pattern: str | None = None) -> Any:
    """Optional text: NFKC-normalized and trimmed (blank is absent) before its length and pattern are checked."""
    return text(max_length, pattern, required=False)


RegistrationNumber, KindCode, Uscc, Note = trimmed(32), trimmed(16), trimmed(18), trimmed(500)
PersonName = trimmed(40, PERSON_NAME.pattern)
IdNumber = Annotated[Annotated[str, StringConstraints(max_length=18)] | None, BeforeValidator(_id_number)]
RuleCode = Literal[tuple(CHECKS)]


# -- requests ------------------------------------------------------------------------------------------------

class ApplicationChanges(ApiModel):
    """个人信息修改:新姓名和/或更正后的身份证号码;单位申请的死亡注销:死亡日期 / personal_info: the new name and/or the
    corrected ID number; cancel_deceased: the date of death."""
    model_config = ConfigDict(extra="forbid")
    name: PersonName = Field(None, description="新姓名 / New name")
    id_number: IdNumber = Field(None, description="更正后的身份证号码 / Corrected ID number")
    deceased_on: Date | None = Field(None, description="死亡日期 / Date of death")

    @field_validator("id_number")
    @classmethod
    def _check_character(cls, v: str | None) -> str | None:
        if v is not None and id_number_facts(v) is None:
            raise PydanticCustomError("checksum", "新身份证号码无效(校验位或出生日期错误) / The new ID number is invalid "
                                                  "(check character or birth date)")
        return v


class ApplicationFields(ApiModel):
    """What an applicant fills in; which fields a type needs is in the description of ApplicationInput."""
    registration_number: RegistrationNumber = Field(None, description="注册编号 / Registration number")
    kind: KindCode = Field(None, description="证书类别 / Kind")
    specialties: list[str] | None = Field(None, max_length=MAX_SPECIALTIES, description="注册专业 / Specialties")
    enterprise_uscc: Uscc = Field(None, description="聘用单位统一社会信用代码 / Employer's credit code")
    changes: ApplicationChanges | None = Field(None, description="修改内容 / Changes")
    cpd_hours: Annotated[StrictInt | None, BeforeValidator(_hours)] = Field(
        None, ge=0, le=10000, description="继续教育学时 / Continuing-education hours")
    cpd_commitment: StrictBool = Field(False, description="继续教育承诺 / Continuing-education commitment")
    note: Note = Field(None, description="备注 / Note")

    @field_validator("specialties")
    @classmethod
    def _distinct(cls, v: list[str] | None) -> list[str] | None:
        if v is not None and len(set(v)) != len(v):
            raise PydanticCustomError("type", "注册专业不能重复 / Each specialty may be named once")
        return v

    def draft_values(self, *, given_only: bool = False) -> dict:
        """The fields as the service takes them (services/workflows/drafts.Draft); with `given_only`, only
        those the request named (a PATCH)."""
        out = self.model_dump(exclude={"type"}, exclude_unset=given_only)
        if "changes" in out:
            out["changes"] = {k: v for k, v in (out["changes"] or {}).items() if v is not None}
        return out


class ApplicationInput(ApplicationFields):
    __doc__ = ("新建申请。各类型需要的字段:注册编号(增项、延续、变更与各类注销),类别与专业(初始、重新注册),聘用单位"
               "(初始、变更、重新注册),修改内容(个人信息修改、死亡注销)/ A new application. The fields each type needs: "
               "registration_number (add_specialty, renewal, change_employer and the cancellations), kind and "
               "specialties (initial, reregister), enterprise_uscc (initial, change_employer, reregister), changes "
               "(personal_info, cancel_deceased)\n\n" + TYPE_TABLE)
    type: AppType = Field(description="申请类型 / Application type")

    def draft(self) -> Draft:
        return Draft(**self.draft_values())


class ApplicationPatch(ApplicationFields):
    """只需给出要修改的字段 / Only the fields to change."""
    type: str | None = Field(None, description="申请类型 / Application type")

    def edits(self) -> dict:
        return self.draft_values(given_only=True)


class ApplicationQuery(QueryModel):
    state: AppState | None = Field(None, description="状态 / State")
    type: AppType | None = Field(None, description="类型 / Type")
    queue: Literal["review", "confirm"] | None = Field(None, description="队列 / Queue")
    page: Annotated[int, BeforeValidator(_page)] = Field(1, ge=1, le=MAX_PAGE, description="页码 / Page")


class DeclineInput(ApiModel):
    reason: str | None = Field(max_length=MAX_REASON, description="原因 / Reason")


class DecideInput(ApiModel):
    """原因在退回、不予批准时必填 / The reason is required unless the decision is approve."""
    decision: Literal[tuple(DECISIONS)] = Field(description="决定 / Decision")
    reason: str | None = Field(None, max_length=MAX_REASON, description="原因 / Reason")


class ApplicationFileForm(ApiModel):
    file: BaseFile = Field(description="证明材料 / Proof file (PDF, JPEG or PNG)")

    @field_validator("file")
    @classmethod
    def _a_file(cls, v: Any) -> Any:
        if not hasattr(v, "read"):       # a plain form field of that name
            raise PydanticCustomError("required", "请以 multipart 字段 file 上传 PDF、JPEG 或 PNG 文件 / Send a PDF, "
                                                  "JPEG or PNG as the multipart field 'file'")
        return v


# -- answers -------------------------------------------------------------------------------------------------

class ApplicationPerson(Answer):
    id: int
    name: str
    id_number: str = Field(description="完整或脱敏 / Full or masked")


class ApplicationFile(Answer):
    id: int
    name: str
    size: int
    mime: Literal["application/pdf", "image/jpeg", "image/png"]
    url: str


class ApplicationFiles(Answer):
    files: list[ApplicationFile]


class RuleOutcome(Answer):
    code: RuleCode
    name: str
    name_en: str
    passed: bool
    correctable: bool
    message: str
    message_en: str
    details: dict[str, Any]


class ReviewReason(Answer):
    """为何须由主管部门人工审核(与 DECISION_MODE 无关)/ Why a person at the authority decides it, whatever
    DECISION_MODE says."""
    message: str
    message_en: str


class ApplicationDecision(Answer):
    outcome: Literal["approved", "returned", "refused", "declined"]
    reason: str | None
    by: str
    at: DateTime


class ApplicationResult(Answer):
    registration_number: str | None
    copy_id: str | None


class ApplicationEvent(Answer):
    at: DateTime
    actor: str
    action: str
    state: AppState
    reason: str | None


class NextStep(Answer):
    """下一步由谁办理、何时前办理 / Who must act next, and by when."""
    actor: Literal["holder", "enterprise", "authority", "nobody"]
    message: str
    message_en: str
    due_on: Date | None = Field(description="规定的办理期限(仅延续申请期限)/ The deadline the rules give (only the "
                                            "renewal window), else none")
    due_message: str = Field(description="期限说明;无期限时说明无期限,办结时为空 / The deadline in words; says "
                                         "there is none when none is set; empty once closed")
    due_message_en: str


class Application(Answer):
    """注册申请 / An application (docs/workflows-api.md)."""
    id: str = Field(pattern="^ap_")
    type: AppType
    type_name: str
    type_name_en: str
    state: AppState
    state_name: str
    state_name_en: str
    person: ApplicationPerson
    registration_number: str | None
    kind: str | None
    specialties: list[str]
    enterprise: Employer | None
    current_enterprise: Employer | None
    confirm_by: Employer | None
    filed_by: Literal["holder", "enterprise"]
    changes: dict[str, Any]
    cpd_hours: int | None
    cpd_commitment: bool
    note: str | None
    files: list[ApplicationFile]
    decision_mode: Literal["auto", "review"]
    rules: list[RuleOutcome]
    review_reason: ReviewReason | None
    submitted_at: DateTime | None
    decision: ApplicationDecision | None
    result: ApplicationResult | None
    events: list[ApplicationEvent]
    actions: list[Action] = Field(description="此用户现在可执行的操作 / What this user may do now")
    next_step: NextStep
    created_at: DateTime
    updated_at: DateTime


class ApplicationList(Answer):
    applications: list[Application]
    total: int
    page: int = Field(ge=1)
    page_size: int
