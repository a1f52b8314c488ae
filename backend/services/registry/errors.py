"""Every error the registry raises, with its code, HTTP status and messages in Chinese and English.

Field problems (422 `validation_failed`) are those only the registry can judge: what an ID number or a credit
code says, and codes of the catalogue that may have changed since a request was checked at the edge.
Duplicate persons and enterprises are answered by services.conflicts, as the database's constraint would be.
"""
from __future__ import annotations

from collections.abc import Iterable

from backend.models import RegStatus
from backend.services.errors import Conflict, FieldProblem, NotFound, ValidationFailed


class PersonNotFound(NotFound):
    code = "person_not_found"
    message, message_en = "未找到该人员", "No such person"


class EnterpriseNotFound(NotFound):
    code = "enterprise_not_found"
    message, message_en = "未找到该单位", "No such enterprise"


class RegistrationNotFound(NotFound):
    code = "registration_not_found"
    message, message_en = "未找到该注册信息", "No such registration"


class PhotoMissing(NotFound):
    code = "photo_missing"
    message, message_en = "未登记照片", "No photo on file"


class SignatureMissing(NotFound):
    code = "signature_missing"
    message, message_en = "未登记签名", "No signature image on file"


class SubmissionNotFound(NotFound):
    code = "submission_not_found"
    message, message_en = "未找到该照片或签名上传记录", "No such photo or signature upload"


class SubmissionNotPending(Conflict):
    code = "submission_not_pending"
    STATES = {"approved": ("已通过", "approved"), "returned": ("已退回", "returned"), "withdrawn": ("已撤回", "withdrawn")}

    def __init__(self, state: str):
        zh, en = self.STATES.get(state, (state, state))
        super().__init__(f"该上传已{zh},不能再处理", f"This upload is {en} already: nothing more can be done with it",
                         details={"state": state})


class ReturnReasonRequired(FieldProblem):
    FIELD, FIELD_CODE, ZH, EN = "reason", "required", "退回时须填写理由", "A return needs a reason"


class InvalidIdNumber(FieldProblem):
    FIELD, FIELD_CODE = "id_number", "checksum"
    ZH, EN = "身份证号码无效(校验位或出生日期错误)", "Invalid ID number (check character or birth date)"


class InvalidCreditCode(FieldProblem):
    FIELD, FIELD_CODE = "uscc", "checksum"
    ZH, EN = "统一社会信用代码无效", "Invalid unified social credit code (GB 32100)"


class UnknownProvince(FieldProblem):
    FIELD, FIELD_CODE, ZH, EN = "province_code", "choice", "省份代码无效", "Unknown province code"


class UnknownKind(FieldProblem):
    FIELD, FIELD_CODE, ZH, EN = "kind", "choice", "证书类别无效", "Unknown certificate kind"


class InvalidSpecialties(FieldProblem):
    FIELD, FIELD_CODE, ZH, EN = "specialties", "choice", "注册专业无效", "Invalid or repeated specialties"


class InvalidSpecialty(FieldProblem):
    FIELD, FIELD_CODE, ZH, EN = "specialty", "choice", "注册专业无效", "Invalid specialty"


class IdNumberMismatch(ValidationFailed):
    """A sex or birth date given beside an ID number that says otherwise (GB 11643 encodes both)."""
    TEXT = {"sex": ("性别与身份证号码不符", "Sex does not match the ID number"),
            "birth_date": ("出生日期与身份证号码不符", "Birth date does not match the ID number")}

    def __init__(self, fields: Iterable[str]):
        super().__init__(details={"fields": {name: {"code": "mismatch", "message": self.TEXT[name][0],
                                                    "message_en": self.TEXT[name][1]} for name in fields}})


class PersonDeceased(Conflict):
    code = "person_deceased"
    message, message_en = "人员已死亡,不能注册", "The person is deceased"


class AgeCapReached(Conflict):
    code = "age_cap_reached"
    message, message_en = "已达到年龄上限,不予注册", "The person is over the age cap"


class EmployerInactive(Conflict):
    code = "employer_inactive"
    message, message_en = "聘用单位资质或执照已失效", "The employer may not employ registered persons"


class EmployerConflict(Conflict):
    code = "employer_conflict"
    message = "该人员已在其他单位注册(一人只能在一个单位注册)"
    message_en = "The person is registered with another employer (one person, one employer)"

    def __init__(self, registration_number: str):
        super().__init__(details={"registration_number": registration_number})


class AlreadyRegistered(Conflict):
    code = "already_registered"
    message, message_en = "该人员已有此类别的有效注册,请申请增项或延续", "Already registered in this kind"


class RegistrationEnded(Conflict):
    code = "registration_ended"
    message, message_en = "注册已终止,请申请重新注册", "The registration has ended"


class SameEmployer(Conflict):
    code = "same_employer"
    message, message_en = "新单位与原单位相同", "The new employer is the current one"


class RegistrationNotActive(Conflict):
    code = "registration_not_active"
    message, message_en = "注册状态不允许增项", "The registration is not active"


class SpecialtyExists(Conflict):
    code = "specialty_exists"
    message, message_en = "该专业已注册", "The specialty is already registered"


class StatusTransitionRefused(Conflict):
    code = "status_transition"

    def __init__(self, status: str, action: str):
        super().__init__(f"当前状态({RegStatus.ZH[status]})不允许此操作", f"Not allowed from status {status}",
                         details={"status": status, "action": action})


class QualificationExists(Conflict):
    code = "qualification_exists"
    message, message_en = "该资格已登记", "This qualification is already recorded"
