"""The authority console's register (issue 13): the search's query and answer, and the dossiers of a person
and of an enterprise. Full data (ID numbers in full): authority staff only. Answers are built by
services/register/ and, for the parts other APIs already shape (uploads, roster entries), by their `*_json`."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, StrictBool

from backend.api.schemas.base import Answer, Date, DateTime, QueryModel
from backend.api.schemas.enterprise import Signal, StaffMember
from backend.api.schemas.onboarding import CurrentImages, ImageSubmission
from backend.api.schemas.registry import AuditEvent
from backend.api.schemas.verify import RegistrationStatus
from backend.services.register.search import MAX_COUNT, MAX_EXPIRING_DAYS, MAX_PAGE_SIZE, MAX_QUERY, PAGE_SIZE, TYPES

SearchType = Literal[TYPES]
Match = Literal["none", "name", "id_number", "id_prefix", "registration_number", "number_prefix", "seal_number",
                "certificate", "copy_id", "employer_uscc", "employer_name"]


class RegisterQuery(QueryModel):
    q: str | None = Field(None, max_length=MAX_QUERY, description=(
        "姓名(前缀)、身份证号、注册编号(完整或前缀)、执业印章号、电子证照标识或电子证书编号、单位名称或统一社会信用代码;"
        "省略时按筛选条件列出 / A name (prefix), an ID number, a registration number (whole or its start), a seal "
        "number, a certificate identifier or copy id, an employer's name or credit code; omitted: everything the "
        "filters let through"))
    by: SearchType | None = Field(None, description="查询方式,默认 auto(按输入判断)/ What q is; auto (the default) "
                                                    "tells by its shape")
    kind: str | None = Field(None, max_length=16, description="证书类别代码 / Kind code")
    status: RegistrationStatus | None = Field(None, description="注册状态 / Registration status")
    province: str | None = Field(None, max_length=8, description="注册省份:代码或简称 / Province: code or abbreviation")
    employer: str | None = Field(None, max_length=100, description="聘用单位:名称的一部分或统一社会信用代码 / "
                                                                   "Employer: part of its name, or its credit code")
    expiring_within: int | None = Field(None, ge=1, le=MAX_EXPIRING_DAYS, description=(
        "有专业在今后 N 天内到期 / A specialty expires within N days"))
    page: int | None = Field(None, ge=1, le=999_999, description="页码 / Page")
    page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数,默认 {PAGE_SIZE} / Per page "
                                                                            f"(default {PAGE_SIZE})")


class HitPerson(Answer):
    id: int
    name: str
    sex: Literal["M", "F"]
    birth_date: Date
    id_number: str = Field(description="完整身份证号(主管部门)/ In full (authority staff)")
    deceased_on: Date | None


class EmployerState(Answer):
    name: str
    uscc: str
    status: str = Field(description="active,或不能再聘用注册人员的原因 / active, or why it may employ no one")


class HitSpecialty(Answer):
    code: str
    name: str
    valid_until: Date
    status: Literal["active", "lapsed", "cancelled"]


class HitRegistration(Answer):
    registration_number: str
    seal_number: str
    kind: str
    kind_name: str
    kind_name_en: str
    level: str | None
    status: RegistrationStatus
    status_name: str
    status_name_en: str
    province_code: str
    employer: EmployerState
    specialties: list[HitSpecialty]
    next_expiry: Date | None = Field(description="有效专业中最早的到期日 / The earliest expiry of its active specialties")


class Hit(Answer):
    person: HitPerson
    registration: HitRegistration | None = Field(description="无注册的人员为 null / null for a person with none")


class EnterpriseHit(Answer):
    name: str
    short_name: str
    uscc: str
    province_code: str
    status: str


class RegisterFilters(Answer):
    kind: str | None
    status: str | None
    province: str | None = Field(description="行政区划代码 / GB/T 2260 code")
    employer: str | None
    expiring_within: int | None


class RegisterResults(Answer):
    query: str | None
    match: Match = Field(description="查询内容被当作什么 / What q was taken for")
    page: int = Field(ge=1)
    page_size: int
    pages: int
    total: int = Field(description=f"匹配数,精确到 {MAX_COUNT};封顶时为“至少” / Matches, exact up to {MAX_COUNT}; "
                                   "when capped, at least this many")
    total_capped: StrictBool
    results: list[Hit]
    enterprises: list[EnterpriseHit] = Field(description="按单位查询时匹配的单位(最多 20 个)/ The matching enterprises "
                                                         "of an employer search (at most 20)")
    filters: RegisterFilters


# -- the person's dossier ------------------------------------------------------------------------------------

class DossierPerson(Answer):
    id: int
    name: str
    sex: Literal["M", "F"]
    birth_date: Date
    id_type: str
    id_number: str = Field(description="完整身份证号 / In full")
    phone: str | None
    deceased_on: Date | None
    created_at: DateTime
    updated_at: DateTime


class DossierImages(CurrentImages):
    photo_url: str | None = Field(description="当前证件照(需访问令牌)/ The current photo (bearer token needed)")
    signature_url: str | None


class DossierSpecialty(Answer):
    code: str
    name: str
    valid_from: Date
    valid_until: Date
    status: Literal["active", "lapsed", "cancelled"]
    days_left: int = Field(description="负数为已过期 / negative: past")


class DossierCopy(Answer):
    copy_id: str
    identifier: str = Field(description="电子证照标识 / Certificate identifier")
    version: int
    status: Literal["current", "superseded", "revoked"]
    issued_at: DateTime
    usage_from: DateTime
    usage_until: DateTime
    superseded_at: DateTime | None


class EmployerFull(Answer):
    name: str
    short_name: str
    uscc: str
    status: str


class DossierRegistration(Answer):
    registration_number: str
    seal_number: str
    kind: str
    kind_name: str
    kind_name_en: str
    level: str | None
    status: RegistrationStatus
    status_name: str
    status_name_en: str
    status_reason: str | None
    province_code: str
    first_registered_on: Date
    age_cap_date: Date | None
    employer: EmployerFull
    specialties: list[DossierSpecialty]
    copies: list[DossierCopy] = Field(description="最新的 50 份在前 / The latest 50, newest first")


class DossierQualification(Answer):
    id: int
    kind: str
    specialty: str | None
    certificate_no: str
    issued_on: Date


class ApplicationStep(Answer):
    at: DateTime
    actor: str
    action: str
    state: str
    reason: str | None


class DossierApplication(Answer):
    id: str
    type: str
    type_name: str
    type_name_en: str
    state: str
    state_name: str
    state_name_en: str
    registration_number: str | None
    kind: str | None
    specialties: list[str]
    enterprise: dict[str, str] | None
    decision_mode: str
    decision_outcome: str | None
    decision_reason: str | None
    decided_by: str | None
    decided_at: DateTime | None
    submitted_at: DateTime | None
    created_at: DateTime
    events: list[ApplicationStep]


class PersonSignal(Answer):
    code: str
    message: str
    message_en: str
    details: dict[str, Any]


class Trail(Answer):
    total: int = Field(description="涉及的审计事件总数 / Events in all")
    events: list[AuditEvent] = Field(description="最新的 200 条 / The latest 200, newest first")


class PersonDossier(Answer):
    person: DossierPerson
    images: DossierImages
    registrations: list[DossierRegistration]
    qualifications: list[DossierQualification]
    applications: list[DossierApplication] = Field(description="最新的 100 件 / The latest 100")
    signals: list[PersonSignal] = Field(description="挂证风险 / 挂证 signals")
    submissions: list[ImageSubmission] = Field(description="照片与签名的上传 / Photo and signature uploads")
    audit: Trail


# -- the enterprise's dossier --------------------------------------------------------------------------------

class EnterpriseQuery(QueryModel):
    page: int | None = Field(None, ge=1, le=999_999, description="人员页码,每页 100 / Staff page, 100 a page")


class DossierEnterprise(Answer):
    name: str
    short_name: str
    uscc: str
    province_code: str
    status: str = Field(description="active,或不能再聘用注册人员的原因(revoked 资质、bankrupt 破产等)/ active, or why "
                                    "it may employ no one (revoked, bankrupt …)")
    created_at: DateTime
    updated_at: DateTime
    has_account: StrictBool = Field(description="已开通单位账户 / An enterprise account exists")


class CountOf(Answer):
    status: str | None = None
    kind: str | None = None
    name: str
    name_en: str
    count: int


class EnterpriseCounts(Answer):
    registrations: int
    persons: int
    held: int = Field(description="有效或暂扣的注册 / Active or suspended registrations")
    by_status: list[CountOf]
    by_kind: list[CountOf]
    warnings: int
    signals: int


class StaffSignal(Signal):
    name: str
    registration_number: str


class DossierStaffMember(StaffMember):
    person_id: int


class StaffPage(Answer):
    total: int
    page: int
    page_size: int
    entries: list[DossierStaffMember]


class EnterpriseDossier(Answer):
    enterprise: DossierEnterprise
    counts: EnterpriseCounts
    signals: list[StaffSignal]
    staff: StaffPage
    audit: Trail
