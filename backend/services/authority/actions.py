"""What the authority may do to a registration or an enterprise, the state each action needs, the plain words
that restate it before it is confirmed, and its effect. Dangerous actions file a request for a second approver
instead (approvals.py); the others are applied at once when confirmed."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.models import AuthorityRequest, Enterprise, Registration
from backend.services.authority.errors import (
    BulkCancelRefused,
    BulkSizeRefused,
    LicenceUnchanged,
    ReasonRequired,
    ReasonTooLong,
    UnknownAction,
)
from backend.services.authority.requests import Official, file_request
from backend.services.clock import Clock
from backend.services.registry import enterprises, registrations
from backend.services.registry.errors import StatusTransitionRefused
from backend.services.registry.registrations import HELD, REASON_MAX, STATUS_ACTIONS

__all__ = ["Official", "Outcome", "act_on_registration", "bulk_cancel", "set_licence"]

REASON_MIN = 2           # characters: "违规" is a reason, "x" is not
BULK_MAX = 200           # registrations in one bulk cancellation
REGISTRATION_ACTIONS = ("suspend", "unsuspend", "cancel", "rescind", "revoke")
DANGEROUS = {"rescind", "revoke", "bulk_cancel", "licence"}     # licence: when marked revoked or bankrupt
LICENCE_STATES = enterprises.LICENCE_STATES

NAMES = {   # action -> (中文, English)
    "suspend": ("暂扣", "Suspend"), "unsuspend": ("解除暂扣", "Lift suspension"), "cancel": ("注销", "Cancel"),
    "rescind": ("撤销", "Rescind"), "revoke": ("吊销", "Revoke"), "bulk_cancel": ("批量注销", "Bulk cancel"),
    "licence": ("单位执照状态", "Enterprise licence"),
}
LICENCE_NAMES = {"active": ("正常", "active"), "revoked": ("资质或营业执照被吊销", "licence or 资质 revoked"),
                 "bankrupt": ("破产", "bankrupt")}
SECOND = ("此操作需第二名审核人批准后才生效。", " It needs a second approver before it takes effect.")


@dataclass
class Outcome:
    outcome: str                          # preview | done | pending_approval
    action: str
    effect: str                           # what happens, in plain Chinese
    effect_en: str
    needs_approval: bool
    registration: Registration | None = None
    enterprise: Enterprise | None = None
    request: AuthorityRequest | None = None
    extra: dict = field(default_factory=dict)


def clean_reason(reason) -> str:
    text = reason.strip() if isinstance(reason, str) else ""
    if len(text) < REASON_MIN:
        raise ReasonRequired(min=REASON_MIN)
    if len(text) > REASON_MAX:
        raise ReasonTooLong(max=REASON_MAX)
    return text


def registration_effect(action: str, number: str) -> tuple[str, str]:
    ended_zh = "注册终止且不可恢复(持证人须申请重新注册),其电子证书立即核验为“已注销/撤销/吊销”。"
    ended_en = ("the registration ends for good (the holder must apply to register again) and its copies verify as "
                "revoked at once.")
    zh, en = {
        "suspend": (f"暂扣注册 {number}:其电子证书立即核验为“暂扣”,直至解除暂扣;不能再签发新证书。",
                    f"Suspend registration {number}: its copies verify as suspended at once, until the suspension is "
                    "lifted; no new copy can be issued."),
        "unsuspend": (f"解除暂扣 {number}:注册恢复有效,其电子证书恢复正常核验结果。",
                      f"Lift the suspension of {number}: the registration is active again and its copies verify as "
                      "before."),
        "cancel": (f"注销注册 {number}:{ended_zh}", f"Cancel registration {number}: {ended_en}"),
        "rescind": (f"撤销注册 {number}(注册有误,自始无效):{ended_zh}",
                    f"Rescind registration {number} (granted in error): {ended_en}"),
        "revoke": (f"吊销注册 {number}(违法违规处罚):{ended_zh}", f"Revoke registration {number} (a penalty): {ended_en}"),
    }[action]
    if action in DANGEROUS:
        zh, en = zh + SECOND[0], en + SECOND[1]
    return zh, en


def check_transition(reg: Registration, action: str) -> None:
    allowed, _ = STATUS_ACTIONS[action]
    if reg.status not in allowed:
        raise StatusTransitionRefused(reg.status, action)


def apply_registration_action(session: Session, clock: Clock, number: str, action: str, reason: str, actor: str,
                              audit_extra: dict | None = None) -> Registration:
    return registrations.set_status(session, clock, number, action, reason, actor, audit_extra=audit_extra)


def act_on_registration(session: Session, clock: Clock, number: str, action: str, reason, who: Official, *,
                        confirm: bool) -> Outcome:
    """Preview (confirm False: nothing changes), apply (暂扣, 解除暂扣, 注销) or file for approval (撤销, 吊销)."""
    if action not in REGISTRATION_ACTIONS:
        raise UnknownAction()
    reason = clean_reason(reason)
    reg = registrations.get_registration(session, number)
    check_transition(reg, action)
    zh, en = registration_effect(action, number)
    dangerous = action in DANGEROUS
    if not confirm:
        return Outcome("preview", action, zh, en, dangerous, registration=reg)
    if dangerous:
        req = file_request(session, action, "registration", number, {"numbers": [number]}, reason, who)
        return Outcome("pending_approval", action, zh, en, True, registration=reg, request=req)
    reg = apply_registration_action(session, clock, number, action, reason, who.audit, {"by": who.label})
    return Outcome("done", action, zh, en, False, registration=reg)


def check_bulk(session: Session, numbers) -> list[Registration]:
    """The registrations of a bulk cancellation, each one there and cancellable; else every refused one, named."""
    if not isinstance(numbers, list) or not 2 <= len(numbers) <= BULK_MAX or len(set(numbers)) != len(numbers) \
            or not all(isinstance(n, str) for n in numbers):
        raise BulkSizeRefused(max=BULK_MAX)
    found = {r.registration_number: r for r in session.scalars(
        select(Registration).where(Registration.registration_number.in_(numbers)))}
    allowed, _ = STATUS_ACTIONS["cancel"]
    refused = [{"registration_number": n, "status": found[n].status if n in found else "not_found"}
               for n in numbers if n not in found or found[n].status not in allowed]
    if refused:
        raise BulkCancelRefused(refused)
    return [found[n] for n in numbers]


def bulk_effect(n: int) -> tuple[str, str]:
    return (f"注销 {n} 项注册:每项注册终止且不可恢复,其电子证书立即核验为“已注销”。" + SECOND[0],
            f"Cancel {n} registrations: each ends for good and its copies verify as revoked at once." + SECOND[1])


def bulk_cancel(session: Session, numbers, reason, who: Official, *, confirm: bool) -> Outcome:
    """Always four-eyes: files a request (confirm True) or says what it would do."""
    reason = clean_reason(reason)
    regs = check_bulk(session, numbers)
    zh, en = bulk_effect(len(regs))
    if not confirm:
        return Outcome("preview", "bulk_cancel", zh, en, True, extra={"numbers": numbers})
    req = file_request(session, "bulk_cancel", "registration", numbers[0], {"numbers": list(numbers)}, reason, who)
    return Outcome("pending_approval", "bulk_cancel", zh, en, True, request=req, extra={"numbers": numbers})


def staff_held(session: Session, enterprise_id: int) -> int:
    """Registrations held (active or suspended) at the enterprise: what the daily job cancels if it loses its
    licence."""
    return session.scalar(select(func.count()).select_from(Registration).where(
        Registration.enterprise_id == enterprise_id, Registration.status.in_(HELD))) or 0


def licence_effect(ent: Enterprise, state: str, held: int) -> tuple[str, str]:
    if state == "active":
        return (f"恢复单位“{ent.name}”为正常状态:可再聘用注册人员;已注销的注册不会恢复。",
                f"Mark “{ent.name}” active again: it may employ registered persons; cancelled registrations stay "
                "cancelled.")
    zh_state, en_state = LICENCE_NAMES[state]
    return (f"标记单位“{ent.name}”{zh_state}:不能再聘用注册人员;每日任务将注销其 {held} 项在册注册"
            f"(其电子证书随之核验为“已注销”)。" + SECOND[0],
            f"Mark “{ent.name}” {en_state}: it may no longer employ registered persons; the daily job will cancel its "
            f"{held} held registrations (their copies then verify as revoked)." + SECOND[1])


def set_licence(session: Session, uscc: str, state: str, reason, who: Official, *, confirm: bool) -> Outcome:
    """Revoked or bankrupt: four-eyes; active again: applied at once when confirmed."""
    if state not in LICENCE_STATES:
        raise UnknownAction()
    reason = clean_reason(reason)
    ent = enterprises.get_enterprise(session, uscc)
    if ent.status == state:
        raise LicenceUnchanged()
    held = staff_held(session, ent.id)
    zh, en = licence_effect(ent, state, held)
    dangerous = state != "active"
    extra = {"state": state, "held_registrations": held}
    if not confirm:
        return Outcome("preview", "licence", zh, en, dangerous, enterprise=ent, extra=extra)
    if dangerous:
        req = file_request(session, "licence", "enterprise", uscc, {"state": state}, reason, who)
        return Outcome("pending_approval", "licence", zh, en, True, enterprise=ent, request=req, extra=extra)
    ent = enterprises.set_licence_status(session, uscc, state, reason, who.audit, audit_extra={"by": who.label})
    return Outcome("done", "licence", zh, en, False, enterprise=ent, extra=extra)
