"""The workflows' errors: every refusal an application can meet, with its code, status and its Chinese and
English message (backend/api/errors.py turns each into the one error shape). The format of each field is
checked at the edge (backend/api/schemas/workflows.py); what is left here depends on the application's type,
the registry or the catalogue."""
from __future__ import annotations

from backend.models import RegStatus
from backend.services.errors import Conflict, FieldProblem, Forbidden, NotFound, ServiceError
from backend.services.workflows.types import TYPES, State

# -- what is not there, or not for this caller ---------------------------------------------------------------

class ApplicationNotFound(NotFound):
    code = "application_not_found"
    message, message_en = "未找到该申请", "No such application"


class RegistrationNotFound(NotFound):
    """Also someone else's registration: to an applicant it looks like no registration at all."""
    code = "registration_not_found"
    message, message_en = "未找到该注册信息", "No such registration"


class FileNotFound(NotFound):
    code = "file_not_found"
    message, message_en = "未找到该文件", "No such file"


class NotInvolved(Forbidden):
    message, message_en = "无权查看此申请", "You may not see this application"


class OnlyApplicant(Forbidden):
    message, message_en = "只有申请人可以执行此操作", "Only the applicant may do this"


class OnlyConfirmer(Forbidden):
    """Confirming or declining is for the employer the application names."""
    WORDS = {"confirm": ("确认", "confirm"), "decline": ("不予确认", "decline")}

    def __init__(self, action: str):
        zh, en = self.WORDS[action]
        super().__init__(f"只有被申请的聘用单位可以{zh}", f"Only the employer named may {en}")


class AuthorityDecides(Forbidden):
    message, message_en = "只有主管部门可以审批", "Only authority staff decide"


class FiledByOther(Forbidden):
    """A type the caller's role does not file: a holder's type from an enterprise, or the other way round."""

    def __init__(self, app_type: str):
        t = TYPES[app_type]
        super().__init__(f"{t.name}须由{'持证人' if t.filed_by == 'holder' else '聘用单位'}申请",
                         f"A {t.name_en.lower()} is filed by the {t.filed_by}")


class HolderWithoutPerson(Forbidden):
    message, message_en = "持证人账户未绑定人员", "The holder account is bound to no person"


# -- the state of the application ----------------------------------------------------------------------------

class InvalidState(Conflict):
    code = "invalid_state"

    def __init__(self, app, action: str):
        zh, en = State.NAMES[app.state]
        super().__init__(f"申请当前状态为「{zh}」,不能执行此操作", f"Not allowed while the application is {en.lower()}",
                         details={"state": app.state, "action": action})


# -- proof files ---------------------------------------------------------------------------------------------

class FileTooLarge(ServiceError):
    code, status = "file_too_large", 413

    def __init__(self, max_bytes: int):
        super().__init__(f"文件过大(最大 {max_bytes // 1024 // 1024} MB)", "The file is too large",
                         details={"max_bytes": max_bytes})


class TooManyFiles(Conflict):
    code = "too_many_files"

    def __init__(self, max_files: int):
        super().__init__(f"最多上传 {max_files} 个文件", "Too many files")


# -- fields the type, the catalogue or the register refuse (422, in details.fields as the edge's) --------------

class RegistrationNumberRequired(FieldProblem):
    FIELD, FIELD_CODE = "registration_number", "required"
    ZH, EN = "注册编号不能为空", "Registration number is required"


class KindRequired(FieldProblem):
    """Initial registration and re-registration name the kind; the catalogue's kinds are the choices."""
    FIELD, FIELD_CODE = "kind", "choice"
    ZH, EN = "请选择注册类别({kinds})", "Choose the kind ({kinds})"

    def __init__(self, kinds):
        super().__init__(kinds=", ".join(kinds))


class EmployerRequired(FieldProblem):
    FIELD, FIELD_CODE = "enterprise_uscc", "required"
    ZH, EN = "聘用单位统一社会信用代码不能为空", "The employer's credit code is required"


class SpecialtiesRequired(FieldProblem):
    FIELD, FIELD_CODE = "specialties", "required"
    ZH, EN = "请选择注册专业", "Name at least one specialty"


class UnknownSpecialty(FieldProblem):
    FIELD, FIELD_CODE = "specialties", "choice"
    ZH, EN = "注册专业无效", "A specialty is not one of the kind's"


class PersonalChangeRequired(FieldProblem):
    FIELD, FIELD_CODE = "changes", "required"
    ZH, EN = "请填写新姓名或新身份证号码", "Give the new name or the new ID number"


class TypeImmutable(FieldProblem):
    FIELD, FIELD_CODE = "type", "immutable"
    ZH, EN = "申请类型不能修改", "The type cannot be changed"


class ReasonRequired(FieldProblem):
    """A decline, a return and a refusal say why."""
    FIELD, FIELD_CODE = "reason", "required"
    ZH, EN = "原因不能为空", "The reason is required"


# -- an approval the registry refuses --------------------------------------------------------------------------

class CannotTakeEffect(Conflict):
    """An approval whose effect the registry refuses: nothing changes, the application stays undecided."""
    code = "cannot_take_effect"
    message = "批准后无法生效,申请保持未决"
    message_en = "The approval cannot take effect: the application stays undecided"


class RegistrationNotRenewable(CannotTakeEffect):
    def __init__(self, status: str):
        super().__init__(f"注册状态为{RegStatus.ZH[status]},不能延续;请申请重新注册",
                         f"The registration is {RegStatus.EN[status]}: it cannot be renewed (apply to re-register)",
                         details={"status": status})


class SpecialtiesNotRenewable(CannotTakeEffect):
    def __init__(self, specialties: list[str]):
        super().__init__(f"以下专业不能延续:{'、'.join(specialties)}",
                         f"These specialties cannot be renewed: {', '.join(specialties)}",
                         details={"specialties": specialties})


class RenewalPastAgeCap(CannotTakeEffect):
    def __init__(self, specialties: list[str]):
        super().__init__("持证人已达到年龄上限,不能延续", "The holder has reached the age cap: no renewal",
                         details={"specialties": specialties})
