"""Who must act next on an application, and by when: every application page says it, so that nobody has to
work it out from the state's name. The only deadline the rules give is the renewal window: a renewal not
yet filed must be filed before the window of its first specialty closes, or the specialty lapses. A filed
renewal holds its specialties (lapse.py), and no rule sets a time for the employer or the authority: the
answer says there is none rather than inventing one."""
from __future__ import annotations

import datetime as dt

from backend.models import Application
from backend.services.workflows.types import State, WorkflowContext

WHO = {"holder": ("持证人", "the holder"), "enterprise": ("聘用单位", "the employer")}


def _renewal_due(ctx: WorkflowContext, app: Application) -> dt.date | None:
    reg = app.registration
    if app.type != "renewal" or reg is None:
        return None
    kind = ctx.catalogue.kind(reg.kind_code)
    _, closes = ctx.policy.window_for(kind, app.enterprise.province_code if app.enterprise else None)
    named = [s.valid_until for s in reg.specialties if s.specialty_code in (app.specialties or [])]
    return min(named) - dt.timedelta(days=closes) if named else None


def next_step(ctx: WorkflowContext, app: Application, confirm_name: str | None = None) -> dict:
    """{actor: holder | enterprise | authority | nobody, message, message_en, due_on, due_message, due_message_en}."""
    applicant_zh, applicant_en = WHO[app.filed_by]
    due = None
    if app.state == State.DRAFT:
        actor, zh, en = app.filed_by, f"待{applicant_zh}提交申请", f"Waiting for {applicant_en} to submit it"
        due = _renewal_due(ctx, app)
    elif app.state == State.RETURNED:
        actor, zh, en = app.filed_by, f"待{applicant_zh}按退回理由修改后重新提交", \
            f"Waiting for {applicant_en} to correct it and submit it again"
    elif app.state == State.AWAITING:
        who = f"({confirm_name})" if confirm_name else ""
        actor, zh, en = "enterprise", f"待聘用单位{who}确认或不予确认", \
            f"Waiting for the employer{' (' + confirm_name + ')' if confirm_name else ''} to confirm or decline"
    elif app.state in State.PENDING_DECISION:
        actor, zh, en = "authority", "待主管部门审批", "Waiting for the authority's decision"
    else:
        actor, zh, en = "nobody", "已办结,无需任何人操作", "Closed: nobody needs to act"
    if due is not None:
        late = due < ctx.clock.today()
        dzh = f"延续申请期限已于 {due.isoformat()} 截止" if late else f"请于 {due.isoformat()} 前提交,逾期未提交的专业将失效"
        den = f"The renewal window closed on {due.isoformat()}" if late else \
            f"Submit by {due.isoformat()}: a specialty not renewed by then lapses"
    elif actor == "nobody":
        dzh, den = "", ""
    else:
        dzh, den = "规定未设办理期限", "The rules set no deadline for this step"
    return {"actor": actor, "message": zh, "message_en": en, "due_on": due.isoformat() if due else None,
            "due_message": dzh, "due_message_en": den}
