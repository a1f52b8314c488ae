"""The authority's actions on a record and their four-eyes approvals (docs/authority-actions.md): the bodies, the
queue's query, an action's outcome and a request as the console shows it. An answer model is built by the
`*_json` function beside it. The reason's length is the service's to judge (services/authority), once."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StrictBool

from backend.api.schemas.base import Answer, ApiModel, DateTime, QueryModel
from backend.api.schemas.onboarding import MAX_PAGE, _page
from backend.api.schemas.registry import Enterprise, Registration, enterprise_json, registration_json
from backend.models import AuthorityRequest as RequestRow
from backend.services.authority.actions import BULK_MAX, LICENCE_STATES, NAMES, REGISTRATION_ACTIONS, Outcome
from backend.services.authority.requests import STATE_NAMES, STATES
from backend.services.kinds import Catalogue

Reason = str | None
CONFIRM = "false:只预览将发生什么,不做任何改变;true:执行(危险操作为提交待批准的申请)/ false: only say what would " \
          "happen, change nothing; true: do it (a dangerous action files a request for a second approver)"


# -- requests --------------------------------------------------------------------------------------------------

class RegistrationAction(ApiModel):
    action: Literal[tuple(REGISTRATION_ACTIONS)] = Field(
        description="suspend 暂扣 / unsuspend 解除暂扣 / cancel 注销 / rescind 撤销 / revoke 吊销")
    reason: Reason = Field(None, description="理由,必填,2–500 字 / Reason, required, 2-500 characters")
    confirm: StrictBool = Field(description=CONFIRM)


class BulkCancel(ApiModel):
    numbers: list[Annotated[str, Field(max_length=32)]] = Field(
        max_length=BULK_MAX, description=f"注册编号,2–{BULK_MAX} 个 / Registration numbers, 2 to {BULK_MAX}")
    reason: Reason = Field(None, description="理由,必填 / Reason, required")
    confirm: StrictBool = Field(description=CONFIRM)


class LicenceChange(ApiModel):
    state: Literal[tuple(LICENCE_STATES)] = Field(
        description="revoked 资质或营业执照被吊销 / bankrupt 破产 / active 恢复正常")
    reason: Reason = Field(None, description="理由,必填 / Reason, required")
    confirm: StrictBool = Field(description=CONFIRM)


class Rejection(ApiModel):
    reason: Reason = Field(None, description="驳回理由,必填 / Why it is rejected, required")


class ApprovalQuery(QueryModel):
    state: Literal[tuple(STATES)] | None = Field(None, description="状态(省略为全部)/ State (all when omitted)")
    target: str | None = Field(None, max_length=64, description="注册编号或统一社会信用代码 / A registration number "
                                                                "or credit code")
    page: Annotated[int, BeforeValidator(_page)] = Field(1, ge=1, le=MAX_PAGE, description="页码 / Page")


# -- answers ---------------------------------------------------------------------------------------------------

class ApprovalRequest(Answer):
    id: str = Field(description="申请编号 aq_… / Request id")
    action: str
    action_name: str
    action_name_en: str
    target_type: Literal["registration", "enterprise"]
    target: str = Field(description="注册编号或统一社会信用代码 / Registration number or credit code")
    numbers: list[str] = Field(description="涉及的注册编号 / The registrations it acts on")
    licence_state: str | None = Field(description="单位将被标记的状态 / The enterprise's state asked for")
    reason: str
    state: str
    state_name: str
    state_name_en: str
    requested_by: str
    requested_at: DateTime
    decided_by: str | None
    decided_at: DateTime | None
    decision_reason: str | None
    result: dict[str, Any] = Field(description="批准后的结果,或失效时的变化 / What the approval changed, or what "
                                               "changed meanwhile when stale")
    mine: bool = Field(description="由当前账户提出 / Filed by the caller's account")
    can_approve: bool = Field(description="当前账户可以批准(待批准且不是提出人,且不是管理令牌)/ The caller may approve")


class ApprovalList(Answer):
    requests: list[ApprovalRequest]
    total: int
    page: int
    page_size: int


class ActionResult(Answer):
    outcome: Literal["preview", "done", "pending_approval"]
    action: str
    effect: str = Field(description="将要或已经发生的事,中文 / What happens, in Chinese")
    effect_en: str
    needs_approval: bool = Field(description="需第二名审核人批准 / Needs a second approver")
    registration: Registration | None = None
    enterprise: Enterprise | None = None
    request: ApprovalRequest | None = None
    held_registrations: int | None = Field(None, description="该单位在册注册数(每日任务将注销)/ Registrations held at "
                                                             "the enterprise (the daily job cancels them)")
    numbers: list[str] | None = None


def _at(t) -> str | None:
    return t.isoformat() + "Z" if t else None


def request_json(r: RequestRow, *, caller_account: int | None, can_approve: bool) -> dict:
    zh, en = STATE_NAMES[r.state]
    az, ae = NAMES[r.action]
    mine = caller_account is not None and caller_account == r.requested_by_account
    return {"id": r.public_id, "action": r.action, "action_name": az, "action_name_en": ae,
            "target_type": r.target_type, "target": r.target, "numbers": list(r.params.get("numbers") or []),
            "licence_state": r.params.get("state"), "reason": r.reason, "state": r.state, "state_name": zh,
            "state_name_en": en, "requested_by": r.requested_by, "requested_at": _at(r.created_at),
            "decided_by": r.decided_by, "decided_at": _at(r.decided_at), "decision_reason": r.decision_reason,
            "result": r.result or {}, "mine": mine, "can_approve": can_approve}


def outcome_json(o: Outcome, catalogue: Catalogue, request: dict | None) -> dict:
    out = {"outcome": o.outcome, "action": o.action, "effect": o.effect, "effect_en": o.effect_en,
           "needs_approval": o.needs_approval, "request": request}
    if o.registration is not None:
        out["registration"] = registration_json(o.registration, catalogue)
    if o.enterprise is not None:
        out["enterprise"] = enterprise_json(o.enterprise)
    if "held_registrations" in o.extra:
        out["held_registrations"] = o.extra["held_registrations"]
    if "numbers" in o.extra:
        out["numbers"] = list(o.extra["numbers"])
    return out
