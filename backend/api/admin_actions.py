"""The authority acting on a record (issue 13, docs/authority-actions.md): 暂扣, 解除暂扣, 注销, 撤销, 吊销 of a
registration, bulk 注销, an enterprise's licence revoked, bankrupt or active again, and the four-eyes approvals of
the dangerous ones. Every body carries a reason and `confirm` (false: a preview that changes nothing). Each view
parses, calls one function of backend.services.authority, commits and shapes the answer
(schemas/admin_actions.py). Authority staff only; the admin service token may act and file requests but is no
second approver."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify

from backend.api import deps
from backend.api.auth import actor, current_principal, require_role
from backend.api.schemas.admin_actions import (
    ActionResult,
    ApprovalList,
    ApprovalQuery,
    ApprovalRequest,
    BulkCancel,
    LicenceChange,
    RegistrationAction,
    Rejection,
    outcome_json,
    request_json,
)
from backend.api.spec import BODY, INVALID, operation
from backend.models import Role
from backend.services.authority import actions, approvals, requests
from backend.services.authority.errors import RequestStale
from backend.services.authority.requests import Official

bp = Blueprint("admin_actions", __name__, url_prefix="/api/v1/admin")

PENDING_409 = "request_pending"
REQ_404 = (404, "request_not_found")
FOUR_EYES = ("需第二名审核人批准的操作(撤销、吊销、批量注销、单位吊销或破产)提交为待批准申请,由另一名主管部门账户在 "
             "/api/v1/admin/approvals 批准后生效 / Dangerous actions (rescind, revoke, bulk cancel, an enterprise "
             "revoked or bankrupt) file a request that another authority account approves at /api/v1/admin/approvals.")


def op(summary: str, **kw):
    return operation(summary, tag="admin", auth=True, **kw)


def official() -> Official:
    p = current_principal()
    label = "admin-token" if p.account_id is None else f"{p.role}:{p.username}"
    return Official(label=label[:64], account_id=p.account_id, audit=actor())


def _private(body: dict) -> Response:
    resp = jsonify(body)
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


def _request(req, who: Official) -> dict:
    return request_json(req, caller_account=who.account_id, can_approve=approvals.may_approve(req, who))


def _outcome(out: actions.Outcome, who: Official):
    if out.outcome != "preview":
        deps.session().commit()
    body = outcome_json(out, deps.catalogue(), _request(out.request, who) if out.request is not None else None)
    return _private(body)


@bp.post("/registrations/<number>/actions")
@require_role(Role.AUTHORITY)
@op("对注册采取措施 / Act on a registration", json=RegistrationAction, ok=ActionResult,
    operation_id="admin_registration_action",
    errors=[*BODY, INVALID, (404, "registration_not_found"), (409, "status_transition", PENDING_409)],
    description="暂扣、解除暂扣、注销即时生效(核验与状态列表立即反映);撤销、吊销提交待批准申请(outcome 为 "
                "pending_approval)。confirm=false 只预览。 / suspend, unsuspend and cancel take effect at once "
                "(verification and the status list show it at once); rescind and revoke file a request (outcome "
                "`pending_approval`). confirm=false only previews.\n"
                + FOUR_EYES)
def registration_action(number: str, json: RegistrationAction):
    who = official()
    return _outcome(actions.act_on_registration(deps.session(), deps.clock(), number, json.action, json.reason, who,
                                                confirm=json.confirm), who)


@bp.post("/registrations/bulk-cancel")
@require_role(Role.AUTHORITY)
@op("批量注销 / Cancel several registrations", json=BulkCancel, ok=ActionResult, operation_id="admin_bulk_cancel",
    errors=[*BODY, INVALID, (409, "bulk_cancel_refused", PENDING_409)],
    description="总是需第二名审核人批准(提交申请);任何一项不存在或不能注销时整体拒绝,`details.refused` 列出各项 / "
                "Always four-eyes (files a request); refused as a whole when any number is unknown or cannot be "
                "cancelled, each named in `details.refused`.")
def bulk_cancel(json: BulkCancel):
    who = official()
    return _outcome(actions.bulk_cancel(deps.session(), json.numbers, json.reason, who, confirm=json.confirm), who)


@bp.post("/enterprises/<uscc>/licence")
@require_role(Role.AUTHORITY)
@op("单位资质或执照状态 / An enterprise's licence", json=LicenceChange, ok=ActionResult,
    operation_id="admin_enterprise_licence",
    errors=[*BODY, INVALID, (404, "enterprise_not_found"), (409, "licence_unchanged", PENDING_409)],
    description="revoked(资质或营业执照被吊销)、bankrupt(破产)需第二名审核人批准;批准后单位不能再聘用注册人员,"
                "每日任务注销其在册注册(`held_registrations` 项)。active 即时生效,已注销的注册不恢复 / revoked and "
                "bankrupt need a second approver; once approved the enterprise may employ no registered person and "
                "the daily job cancels its held registrations (`held_registrations`). active applies at once; "
                "cancelled registrations stay cancelled.")
def enterprise_licence(uscc: str, json: LicenceChange):
    who = official()
    return _outcome(actions.set_licence(deps.session(), uscc, json.state, json.reason, who, confirm=json.confirm), who)


@bp.get("/approvals")
@require_role(Role.AUTHORITY)
@op("待批准的操作申请 / Requests for a second approver", query=ApprovalQuery, ok=ApprovalList,
    operation_id="admin_approvals", errors=[INVALID],
    description="state=pending:先到先审;其他状态新的在前;target:某一注册编号或信用代码的申请;每页 20 条 / "
                "state=pending: oldest first; other states newest first; target: those on one registration number "
                "or credit code; 20 a page.")
def list_approvals(query: ApprovalQuery):
    who = official()
    rows, total, page = requests.list_requests(deps.session(), state=query.state, target=query.target,
                                               page=query.page)
    return _private({"requests": [_request(r, who) for r in rows], "total": total, "page": page,
                     "page_size": requests.PAGE_SIZE})


@bp.get("/approvals/<request_id>")
@require_role(Role.AUTHORITY)
@op("一项操作申请 / A request", ok=ApprovalRequest, operation_id="admin_approval", errors=[REQ_404])
def get_approval(request_id: str):
    return _private(_request(requests.get_request(deps.session(), request_id), official()))


@bp.post("/approvals/<request_id>/approve")
@require_role(Role.AUTHORITY)
@op("批准并执行 / Approve and apply", ok=ApprovalRequest, operation_id="admin_approve", errors=[
    REQ_404, (403, "four_eyes_same_account", "four_eyes_service_token"),
    (409, "request_not_pending", "request_stale", "status_transition")],
    description="须由提出人以外的主管部门人员账户批准(管理令牌不可);两人同时批准时只有一人生效,另一人得 409;提出后记录已变化"
                "的申请关闭为失效(409 request_stale)/ By an authority account other than the requester's (never the "
                "admin token); of two approvals at once one applies, the other gets 409; a request whose record "
                "changed since is closed as stale (409 request_stale).")
def approve(request_id: str):
    who = official()
    try:
        req = approvals.approve(deps.session(), deps.clock(), request_id, who)
    except RequestStale:
        deps.session().commit()           # the request is closed as stale; nothing else changed
        raise
    deps.session().commit()
    return _private(_request(req, who))


@bp.post("/approvals/<request_id>/reject")
@require_role(Role.AUTHORITY)
@op("驳回 / Reject", json=Rejection, ok=ApprovalRequest, operation_id="admin_reject",
    errors=[*BODY, INVALID, REQ_404, (409, "request_not_pending")],
    description="须填写理由;提出人也可驳回(撤回)自己的申请 / With a reason; the requester may reject (withdraw) their "
                "own request.")
def reject(request_id: str, json: Rejection):
    who = official()
    req = approvals.reject(deps.session(), request_id, json.reason, who)
    deps.session().commit()
    return _private(_request(req, who))
