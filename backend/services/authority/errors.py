"""Every error of the authority's actions and their four-eyes approvals: code, HTTP status, Chinese and English.
A transition the registration's status does not allow is the registry's own `status_transition` (409)."""
from __future__ import annotations

from backend.services.errors import Conflict, FieldProblem, Forbidden, NotFound


class ReasonRequired(FieldProblem):
    FIELD, FIELD_CODE = "reason", "required"
    ZH, EN = "请填写理由(至少 {min} 个字)", "A reason is required (at least {min} characters)"


class ReasonTooLong(FieldProblem):
    FIELD, FIELD_CODE = "reason", "too_long"
    ZH, EN = "理由不能超过 {max} 个字", "The reason may have at most {max} characters"


class UnknownAction(FieldProblem):
    FIELD, FIELD_CODE, ZH, EN = "action", "choice", "未知的操作", "Unknown action"


class BulkSizeRefused(FieldProblem):
    FIELD, FIELD_CODE = "numbers", "size"
    ZH, EN = "请列出 2 至 {max} 个不重复的注册编号", "List 2 to {max} registration numbers, none twice"


class BulkCancelRefused(Conflict):
    code = "bulk_cancel_refused"
    message = "部分注册不能注销(不存在或状态不允许),请从列表中移除后重试"
    message_en = "Some registrations cannot be cancelled (unknown, or their status does not allow it): remove them"

    def __init__(self, refused: list[dict]):
        super().__init__(details={"refused": refused})


class LicenceUnchanged(Conflict):
    code = "licence_unchanged"
    message, message_en = "单位已是该状态", "The enterprise is in this state already"


class RequestAlreadyPending(Conflict):
    code = "request_pending"
    message = "该记录已有待批准的操作申请,请先批准或驳回"
    message_en = "A request on this record is already waiting for approval: approve or reject it first"

    def __init__(self, public_id: str):
        super().__init__(details={"request": public_id})


class RequestNotFound(NotFound):
    code = "request_not_found"
    message, message_en = "未找到该操作申请", "No such request"


class RequestNotPending(Conflict):
    code = "request_not_pending"
    STATES = {"approved": ("已批准", "approved"), "rejected": ("已驳回", "rejected"), "stale": ("已失效", "stale")}

    def __init__(self, state: str):
        zh, en = self.STATES.get(state, (state, state))
        super().__init__(f"该申请{zh},不能再处理", f"This request is {en} already: nothing more can be done with it",
                         details={"state": state})


class RequestStale(Conflict):
    """The record changed after the request was filed: approving would act on something the requester never saw.
    The request is closed as stale (the caller commits that before answering)."""
    code = "request_stale"
    message = "申请提出后记录已发生变化,申请已失效;如仍需操作,请重新提出"
    message_en = "The record changed after the request was filed: the request is closed as stale; file a new one"

    def __init__(self, changes: list[dict]):
        super().__init__(details={"changes": changes})


class SameApprover(Forbidden):
    code = "four_eyes_same_account"
    message = "提出申请的账户不能批准自己的申请,须由第二名审核人批准"
    message_en = "The account that filed a request cannot approve it: a second authority account must"


class ApproverNotAPerson(Forbidden):
    code = "four_eyes_service_token"
    message = "管理令牌不代表具体人员,不能作为第二名审核人;请使用主管部门人员账户登录后批准"
    message_en = "The admin token is no person and cannot be the second approver: sign in with a staff account"


class ApprovalRequired(Forbidden):
    """撤销 and 吊销 through the registry's old status endpoint: one account alone may not do them any more."""
    code = "approval_required"
    message = "撤销、吊销须经第二名审核人批准:请通过 /api/v1/admin/registrations/<注册编号>/actions 提交申请"
    message_en = ("Rescinding and revoking need a second approver: file the request at "
                  "/api/v1/admin/registrations/<number>/actions")

    def __init__(self, number: str, action: str):
        super().__init__(details={"action": action, "request_at": f"/api/v1/admin/registrations/{number}/actions",
                                  "approvals": "/api/v1/admin/approvals"})
