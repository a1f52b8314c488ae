"""The registry's bodies: persons, enterprises, registrations and their changes, the audit trail, qualifications.

A request model checks the form of a request once, at the edge (schemas/fields.py): types, lengths, patterns,
the check characters of ID numbers and credit codes, dates. What needs the register is the service's
(services/registry/), and so are the catalogue's codes, except a qualification's: their problems are reported
with the others of the same request, against the catalogue and today's date that api/spec.py's EdgeContext
gives every request model. An answer model is built by the `*_json` function beside it, and nowhere else."""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, StrictInt, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError
from spectree.model_adapter.pydantic_adapter import BaseFile

from backend.api.schemas.base import Answer, ApiModel, Date, DateTime, QueryModel
from backend.api.schemas.fields import CreditCode, DateInput, IdNumber, PersonName, Phone, problem, text
from backend.api.schemas.verify import RegistrationStatus
from backend.models import (
    AuditEvent as AuditRow,
    Enterprise as EnterpriseRow,
    Person as PersonRow,
    Qualification as QualificationRow,
    Registration as RegistrationRow,
    RegStatus,
)
from backend.services.clock import age_cap_date
from backend.services.kinds import Catalogue
from backend.services.registry.errors import UnknownKind
from backend.services.registry.qualifications import CERTIFICATE_NO_MAX
from backend.services.registry.registrations import REASON_MAX, STATUS_ACTIONS

Sex = Literal["M", "F"]


# -- requests --------------------------------------------------------------------------------------------------

class PersonInput(ApiModel):
    """性别和出生日期可省略(由身份证号推出)/ sex and birth_date default to the ID number's."""
    name: PersonName = Field(description="姓名 / Name")
    id_number: IdNumber = Field(description="身份证号码 / ID number")
    sex: Sex | None = Field(None, description="性别 / Sex")
    birth_date: DateInput | None = Field(None, description="出生日期 / Birth date")
    phone: Phone = Field(None, description="手机号 / Mobile phone")


class NameChange(ApiModel):
    name: PersonName = Field(description="新姓名 / New name")


class ImageForm(ApiModel):
    """JPEG 或 PNG,最大 2 MB / JPEG or PNG, at most 2 MB."""
    image: BaseFile = Field(description="图片 / Image")

    @field_validator("image")
    @classmethod
    def _a_file(cls, v: Any) -> Any:
        if not hasattr(v, "read"):       # a plain form field of that name
            raise ValueError("请以 multipart 字段 image 上传图片 / Send the multipart field 'image'")
        return v


class EnterpriseInput(ApiModel):
    """省份代码省略时取统一社会信用代码的第 3-4 位,简称省略时取名称的前 8 个字 / province_code defaults to characters 3-4
    of the credit code (GB/T 2260), short_name to the name's first 8 characters."""
    name: text(200) = Field(description="单位名称 / Enterprise name")
    short_name: text(32, required=False) = Field(None, description="简称 / Short name")
    uscc: CreditCode = Field(description="统一社会信用代码 / Unified social credit code")
    province_code: text(2, required=False) = Field(None, description="省份代码 / Province code")


class RegistrationInput(ApiModel):
    person_id: StrictInt = Field(ge=1, description="人员编号 / Person id")
    enterprise_uscc: text(18) = Field(description="聘用单位统一社会信用代码 / Employer's credit code")
    kind: text(16) = Field(description="证书类别 / Kind code")
    specialties: list[str] = Field(min_length=1, max_length=16, description="注册专业 / Specialties")
    qualification_issued_on: DateInput | None = Field(None, description="资格证书签发日期 / Qualification issued on")


class EmployerChange(ApiModel):
    enterprise_uscc: text(18) = Field(description="新聘用单位统一社会信用代码 / The new employer's credit code")


class SpecialtyAddition(ApiModel):
    specialty: text(16) = Field(description="注册专业 / Specialty code")


class StatusChange(ApiModel):
    action: Literal[tuple(STATUS_ACTIONS)] = Field(description="操作 / Action")
    reason: text(REASON_MAX, normalize=False) = Field(description="原因 / Reason")


class AuditQuery(QueryModel):
    entity_type: str | None = Field(None, max_length=32, description="对象类型 / Entity type")
    entity_id: str | None = Field(None, max_length=64, description="对象编号 / Entity id")


class QualificationInput(ApiModel):
    """类别、专业须为目录中的代码,签发日期不晚于今天 / Kind and specialty of the catalogue, not issued later than today."""
    kind: text(16) = Field(description="证书类别 / Kind code")
    specialty: text(16, required=False) = Field(None, description="专业 / Specialty code")
    certificate_no: text(CERTIFICATE_NO_MAX) = Field(description="资格证书编号 / Certificate number")
    issued_on: DateInput = Field(description="签发日期 / Issue date")

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, v: str, info: ValidationInfo) -> str:
        if _catalogue(info).kind(v) is None:
            raise problem(UnknownKind)
        return v

    @field_validator("specialty")
    @classmethod
    def _of_the_kind(cls, v: str | None, info: ValidationInfo) -> str | None:
        kind = _catalogue(info).kind(info.data.get("kind") or "")
        if v is not None and kind is not None and kind.specialty(v) is None:
            raise PydanticCustomError("choice", "该类别没有此专业 / Not a specialty of this kind")
        return v

    @field_validator("issued_on")
    @classmethod
    def _not_future(cls, v: dt.date, info: ValidationInfo) -> dt.date:
        if v > info.context.today:
            raise PydanticCustomError("future", "签发日期不能晚于今天 / The issue date is in the future")
        return v


def _catalogue(info: ValidationInfo) -> Catalogue:
    return info.context.catalogue       # api/spec.py's EdgeContext


# -- answers ---------------------------------------------------------------------------------------------------

class Person(Answer):
    id: int
    name: str
    sex: Sex
    id_number: str = Field(description="完整身份证号(主管部门、持证人本人)/ In full (authority staff, the holder)")
    birth_date: Date
    phone: str | None
    has_photo: bool
    deceased_on: Date | None


class EnterpriseRef(Answer):
    """单位(简要)/ An enterprise, in short."""
    name: str = Field(description="单位名称 / Enterprise name")
    short_name: str = Field(description="简称 / Short name")
    uscc: str = Field(description="统一社会信用代码 / Unified social credit code")


class Enterprise(EnterpriseRef):
    province_code: str
    status: str = Field(description="active,或不能再聘用注册人员的原因 / active, or why it may employ no registered "
                                    "person any more")


class RegisteredSpecialty(Answer):
    code: str
    name: str
    valid_from: Date
    valid_until: Date
    status: Literal["active", "lapsed", "cancelled"]


class Registration(Answer):
    registration_number: str
    seal_number: str
    kind: str = Field(description="证书类别代码 / Kind code")
    kind_name: str
    kind_name_en: str
    level: str | None
    status: RegistrationStatus
    status_name: str
    status_reason: str | None
    first_registered_on: Date
    person: Person
    employer: Enterprise
    age_cap_date: Date
    specialties: list[RegisteredSpecialty]


class AuditEvent(Answer):
    id: int
    at: DateTime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    data: dict[str, Any]
    hash: str = Field(description="哈希链 / Hash chain link")


class AuditEvents(Answer):
    events: list[AuditEvent]


class Qualification(Answer):
    id: int
    kind: str
    specialty: str | None
    certificate_no: str
    issued_on: Date


class QualificationList(Answer):
    qualifications: list[Qualification]


def person_json(p: PersonRow) -> dict:
    return {"id": p.id, "name": p.name, "sex": p.sex, "id_number": p.id_number, "birth_date": p.birth_date.isoformat(),
            "phone": p.phone, "has_photo": p.photo_mime is not None or p.synthetic,
            "deceased_on": p.deceased_on.isoformat() if p.deceased_on else None}


def enterprise_json(e: EnterpriseRow, *, full: bool = True) -> dict:
    """The one JSON of an enterprise: `Enterprise`, or with full=False `EnterpriseRef` (name, short name, code)."""
    out = {"name": e.name, "short_name": e.short_name, "uscc": e.uscc}
    if full:
        out.update(province_code=e.province_code, status=e.status)
    return out


def registration_json(r: RegistrationRow, catalogue: Catalogue) -> dict:
    kind = catalogue.kind(r.kind_code)
    return {
        "registration_number": r.registration_number, "seal_number": r.seal_number,
        "kind": kind.code, "kind_name": kind.name, "kind_name_en": kind.name_en, "level": kind.level,
        "status": r.status, "status_name": RegStatus.ZH[r.status], "status_reason": r.status_reason,
        "first_registered_on": r.first_registered_on.isoformat(),
        "person": person_json(r.person), "employer": enterprise_json(r.enterprise),
        "age_cap_date": age_cap_date(r.person.birth_date, kind.age_cap_for(r.person.sex)).isoformat(),
        "specialties": [{"code": s.specialty_code,
                         "name": kind.specialty(s.specialty_code).name if kind.specialty(s.specialty_code)
                         else s.specialty_code,
                         "valid_from": s.valid_from.isoformat(), "valid_until": s.valid_until.isoformat(),
                         "status": s.status} for s in r.specialties],
    }


def audit_events_json(events: list[AuditRow]) -> dict:
    return {"events": [{"id": e.id, "at": e.at.isoformat() + "Z", "actor": e.actor, "action": e.action,
                        "entity_type": e.entity_type, "entity_id": e.entity_id, "data": e.data, "hash": e.hash}
                       for e in events]}


def qualification_json(q: QualificationRow) -> dict:
    return {"id": q.id, "kind": q.kind_code, "specialty": q.specialty_code, "certificate_no": q.certificate_no,
            "issued_on": q.issued_on.isoformat()}
