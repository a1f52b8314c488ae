"""Every error of site checks: code, HTTP status, Chinese and English. A bad roles file is no request's error:
it stops the app's start (RolesFileInvalid, turned into a refusal to start by backend/app.py)."""
from __future__ import annotations

from backend.services.errors import Conflict, FieldProblem, NotFound


class RolesFileInvalid(ValueError):
    """The roles file cannot be used; the message names the file and every problem, in Chinese and English."""

    def __init__(self, path: str, problems: list[str]):
        self.path, self.problems = path, problems
        super().__init__(f"角色文件无效 / invalid roles file {path}:\n" + "\n".join(f"  - {p}" for p in problems))


class UnknownRole(FieldProblem):
    FIELD, FIELD_CODE = "role", "choice"
    ZH, EN = "未知的岗位:{role}", "Unknown site role: {role}"


class UnknownSpecialty(FieldProblem):
    FIELD, FIELD_CODE = "site.specialty", "choice"
    ZH, EN = "未知的工程专业:{specialty}", "Unknown project specialty: {specialty}"


class InvalidContractor(FieldProblem):
    FIELD, FIELD_CODE = "site.contractor_uscc", "format"
    ZH, EN = "施工单位统一社会信用代码无效", "The contractor's unified social credit code is not valid"


class FinishedBeforeStart(FieldProblem):
    FIELD, FIELD_CODE = "finished_at", "order"
    ZH, EN = "结束时间早于开始时间", "finished_at is before started_at"


class TooManyCodes(FieldProblem):
    FIELD, FIELD_CODE = "people", "size"
    ZH, EN = "一份记录最多 {max} 个二维码,请分为几份记录", "At most {max} QR texts in one record: split the check"


class InspectionNotFound(NotFound):
    code = "inspection_not_found"
    message, message_en = "未找到该检查记录", "No such inspection record"


class ClientIdConflict(Conflict):
    """The same client_id with another body, or from another account: a retry must send the very same record."""
    code = "inspection_conflict"
    message = "该 client_id 已用于另一份检查记录"
    message_en = "This client_id belongs to another inspection record"

