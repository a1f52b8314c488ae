"""Site checks (docs/site-checks.md): the roles document, an evaluation against a role, the inspection record
(request, answer, list) and the record's verification."""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StrictInt, field_validator

from backend.api.schemas.base import Answer, ApiModel, DateTime, QueryModel
from backend.api.schemas.onboarding import MAX_PAGE, _page
from backend.api.schemas.verify import VerifyResult
from backend.services.sitecheck.inspections import MAX_CODES, MAX_PEOPLE
from backend.services.sitecheck.record_token import MAX_TEXT, REASONS, VERDICTS
from backend.services.sitecheck.roles import SCALES
from backend.services.verification.qr_text import MAX_QR_TEXT

Scale = Literal[SCALES]
Province = Annotated[str, Field(pattern=r"^\d{2}$", description="GB/T 2260 省级代码,如 11 / Province code, e.g. 11")]


# -- the roles document ------------------------------------------------------------------------------------------

class RoleOption(Answer):
    kind: str = Field(description="证书类别代码(kinds.json)/ Kind code")
    specialties: list[str] | None = Field(None, description="限于这些专业或类别代码之一 / Only with one of these "
                                                            "specialty or category codes")
    max_scale: Scale | None = Field(None, description="只可担任此规模及以下的工程 / For projects up to this size only")


class RoleRequirement(Answer):
    code: str
    name: str
    name_en: str
    explanation: str | None = None
    explanation_en: str | None = None
    any_of: list[RoleOption] = Field(description="任一种证书即可满足 / Any one of these kinds meets it")
    specialty: Literal["project"] | None = Field(None, description="project:须持有工程专业且有效 / project: the "
                                                                   "project's own specialty, valid")
    at_contractor: bool = Field(False, description="须注册在本工地施工单位,否则为挂证标记 other_employer / Registered "
                                                   "at the site's contractor, else the 挂证 flag other_employer")


class RoleOverride(Answer):
    name: str | None = None
    name_en: str | None = None
    explanation: str | None = None
    explanation_en: str | None = None
    requirements: list[RoleRequirement] | None = None


class SiteRole(Answer):
    code: str = Field(description="岗位代码 / Role code")
    name: str
    name_en: str
    group: str | None = Field(None, description="management / safety / special")
    explanation: str
    explanation_en: str
    requirements: list[RoleRequirement]
    province_overrides: dict[str, RoleOverride] | None = Field(None, description="按省级代码替换的字段 / Fields "
                                                                                 "replaced in a province")


class ScaleName(Answer):
    code: Scale
    name: str | None = None
    name_en: str | None = None


class FlagText(Answer):
    message: str
    message_en: str
    failing: bool = Field(description="true:使要求不满足;false:仅说明未核对的内容 / true: leaves the requirement "
                                      "unmet; false: only says what was not checked")


class RolesDocument(Answer):
    """现场岗位要求(roles.json),供应用离线评估 / The site roles (roles.json), for the app's offline evaluation."""
    version: int
    scales: list[ScaleName]
    roles: list[SiteRole]
    flags: dict[str, FlagText] = Field(description="评估标记及其说明 / The evaluation's flags and their words")


# -- an evaluation ----------------------------------------------------------------------------------------------

class FlagReason(Answer):
    code: str = Field(description="标记 / Flag")
    message: str
    message_en: str
    details: dict[str, Any] | None = None


class RequirementResult(Answer):
    code: str
    name: str
    name_en: str
    met: bool
    certificate: str | None = Field(description="满足(或最接近满足)此项的证书:电子证书编号;按登记簿评估时为注册编号 / "
                                                "The certificate meeting it (or coming nearest): a copy id; from the "
                                                "register, a registration number")
    flags: list[str]
    reasons: list[FlagReason]


class RoleResult(Answer):
    role: str
    role_name: str
    role_name_en: str
    met: bool = Field(description="每项要求均满足 / Every requirement met")
    holder: str | None = Field(description="持证人姓名(证书所载)/ The holder's name, as the certificates say")
    flags: list[str]
    reasons: list[FlagReason] = Field(description="人员层面的问题(如 different_holders)/ Problems of the person as a "
                                                  "whole (e.g. different_holders)")
    requirements: list[RequirementResult]


class PersonResult(RoleResult):
    index: int = Field(description="在请求 people 中的位置 / Position in the request's people")
    certificates: list[VerifyResult] = Field(description="每个二维码的核验结果(按调用者角色脱敏)/ The verification "
                                                         "of each QR text, masked as for the caller's role")


class SiteQuery(ApiModel):
    specialty: str | None = Field(None, max_length=16, description="工程专业代码,如 JZ / Project specialty code")
    contractor_uscc: str | None = Field(None, max_length=18, description="施工单位统一社会信用代码 / The contractor")
    scale: Scale | None = Field(None, description="工程规模 / Project size")
    province: Province | None = None


class EvaluatePerson(ApiModel):
    person_id: StrictInt = Field(description="人员编号 / Person id")
    site: SiteQuery


# -- inspections ------------------------------------------------------------------------------------------------

class Gps(ApiModel):
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False)
    accuracy_m: float | None = Field(None, ge=0, le=1_000_000, allow_inf_nan=False, description="精度(米)/ Accuracy, "
                                                                                             "metres")


class GpsOut(Answer):
    lat: float
    lon: float
    accuracy_m: float | None = None


class SiteIn(ApiModel):
    name: str = Field(min_length=1, max_length=200, description="工地名称 / Site name")
    specialty: str = Field(max_length=16, description="工程专业代码(建造师专业,如 JZ 建筑工程)/ The project's "
                                                      "specialty (a constructor specialty code, e.g. JZ)")
    contractor_uscc: str = Field(max_length=18, description="施工单位统一社会信用代码 / The contractor's credit code")
    scale: Scale | None = Field(None, description="工程规模;省略则不核对二级建造师的规模限制 / Project size; when "
                                                  "omitted the Grade II size limit is not checked")
    province: Province | None = None
    gps: Gps | None = None


class PersonIn(ApiModel):
    role: str = Field(max_length=40, description="岗位代码(GET /api/v1/roles)/ Role code")
    qr: list[Annotated[str, Field(max_length=MAX_QR_TEXT)]] = Field(
        min_length=1, max_length=MAX_CODES, description="此人的证书二维码文本 / The QR texts of this person's "
                                                        "certificates")


class InspectionCreate(ApiModel):
    client_id: uuid.UUID = Field(description="应用生成的检查编号;重试同一请求不会重复记录 / The app's id of the check: a "
                                             "retried request makes no second record")
    site: SiteIn
    started_at: dt.datetime = Field(description="开始时间(ISO 8601;无时区视为 UTC)/ Start (ISO 8601; UTC when no zone)")
    finished_at: dt.datetime | None = None
    people: list[PersonIn] = Field(min_length=1, max_length=MAX_PEOPLE)

    @field_validator("started_at", "finished_at")
    @classmethod
    def _plausible(cls, v: dt.datetime | None) -> dt.datetime | None:
        if v is not None and not (2000 <= v.year <= 2100):
            raise ValueError("时间须在 2000 至 2100 年之间 / The time must fall between 2000 and 2100")
        return v


class SiteOut(Answer):
    name: str | None
    specialty: str | None
    contractor_uscc: str | None
    scale: Scale | None = None
    province: str | None = None
    gps: GpsOut | None = None


class InspectorOut(Answer):
    username: str = Field(description="检查人员账户名 / The inspector's account name")
    organisation: str | None = Field(description="所属单位 / Organisation")


class Summary(Answer):
    people: int
    met: int = Field(description="符合岗位要求的人数 / People meeting their role")
    certificates: int
    verdicts: dict[str, int] = Field(description="各核验结论的证书数 / Certificates per verdict")
    flags: dict[str, int] = Field(description="有各标记的人数 / People per flag")


class Downloads(Answer):
    pdf: str
    csv: str


class InspectionListItem(Answer):
    id: str = Field(description="记录编号 in_… / Record id")
    client_id: str
    created_at: DateTime
    started_at: DateTime
    finished_at: DateTime | None
    site: SiteOut
    inspector: InspectorOut
    summary: Summary


class InspectionRecord(InspectionListItem):
    """现场检查记录(检查人员本人与主管部门可见)/ A site inspection record (its inspector and the authority)."""
    people: list[PersonResult]
    token: str = Field(description="签名的检查记录令牌(typ jz-inspection+jwt)/ The signed record token")
    link: str = Field(description="记录的核验链接(PDF 上的二维码)/ The record's link, the QR code on its PDF")
    downloads: Downloads


class InspectionQuery(QueryModel):
    page: Annotated[int, BeforeValidator(_page)] = Field(1, ge=1, le=MAX_PAGE, description="页码 / Page")


class InspectionList(Answer):
    inspections: list[InspectionListItem]
    total: int
    page: int


class RecordVerifyRequest(ApiModel):
    token: str = Field(min_length=1, max_length=MAX_TEXT, description="记录令牌或记录链接(二维码内容)/ The record's "
                                                                      "token or its link (the QR text)")


class RecordReason(Answer):
    code: Literal[tuple(sorted(REASONS))]
    message: str
    message_en: str


class PublicRecord(Answer):
    """签名中的内容:无检查人员账户名,无被检查人员信息 / What the signature holds: no inspector's name, no checked
    person's data."""
    id: str | None
    issued_at: DateTime
    started_at: DateTime | None
    finished_at: DateTime | None
    site: SiteOut
    organisation: str | None
    summary: dict[str, Any]


class RecordVerifyResult(Answer):
    verdict: Literal[tuple(VERDICTS)]
    message: str
    message_en: str
    reasons: list[RecordReason]
    checked_at: DateTime
    record: PublicRecord | None
