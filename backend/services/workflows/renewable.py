"""Which specialties of a registration can be renewed today, and why not the others (outside the window:
when it opens; past their validity: re-register; a renewal already filed; the age cap). The holder's form
offers exactly the renewable ones, and a renewal that names none renews those (drafts.py) instead of every
specialty, so one specialty outside its window does not sink the others. Judged as the renewal_window rule
judges it: the province's window (RENEWAL_WINDOW, else the kind's), today."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from sqlalchemy.orm import Session

from backend.models import Registration, RegStatus, SpecialtyStatus
from backend.services.clock import age_cap_date
from backend.services.workflows.lapse import open_renewals
from backend.services.workflows.types import WorkflowContext


@dataclass(frozen=True)
class SpecialtyOption:
    code: str
    valid_until: dt.date
    renewable: bool
    reason: str | None          # why not: registration_not_active, cancelled, lapsed, not_yet_open, closed, pending, age_cap
    message: str
    message_en: str
    opens_on: dt.date | None    # the window of this specialty (None when it has no window: cancelled, lapsed)
    closes_on: dt.date | None


def _why_not(reg: Registration, s, today: dt.date, opens_on: dt.date, closes_on: dt.date, pending: set,
             cap: dt.date) -> tuple[str | None, str, str]:
    if reg.status != RegStatus.ACTIVE:
        zh, en = RegStatus.ZH[reg.status], RegStatus.EN[reg.status]
        if reg.status == RegStatus.SUSPENDED:
            return "registration_not_active", f"注册已{zh},解除暂扣前不能延续", \
                f"The registration is {en}: no renewal until it is lifted"
        return "registration_not_active", f"注册已{zh},不能延续,须申请重新注册", \
            f"The registration is {en}: apply to re-register"
    if s.status == SpecialtyStatus.CANCELLED:
        return "cancelled", "该专业已注销,不能延续", "This specialty is cancelled: it cannot be renewed"
    if (reg.id, s.specialty_code) in pending:
        return "pending", "已有办理中的延续申请", "A renewal of it is already filed"
    if today >= cap:
        return "age_cap", f"已于 {cap.isoformat()} 达到年龄上限,不能延续", \
            f"The age cap was reached on {cap.isoformat()}: no renewal"
    if s.status == SpecialtyStatus.LAPSED or s.valid_until < today:
        return "lapsed", f"已于 {s.valid_until.isoformat()} 超过有效期,不能延续,须申请重新注册", \
            f"Expired on {s.valid_until.isoformat()}: it cannot be renewed, apply to re-register"
    if today < opens_on:
        return "not_yet_open", f"尚未到延续申请期限,可于 {opens_on.isoformat()} 起申请", \
            f"Not yet in its renewal window: apply from {opens_on.isoformat()}"
    if today > closes_on:
        return "closed", f"延续申请期限已于 {closes_on.isoformat()} 截止,有效期届满后须申请重新注册", \
            f"The renewal window closed on {closes_on.isoformat()}: once it expires, apply to re-register"
    return None, f"可以延续,请于 {closes_on.isoformat()} 前提交", f"Can be renewed: file by {closes_on.isoformat()}"


def renewal_options(session: Session, ctx: WorkflowContext, reg: Registration, *,
                    pending: set | None = None) -> list[SpecialtyOption]:
    """Each specialty of `reg` with whether it can be renewed today. `pending`: (registration id, specialty)
    already named by an open renewal (lapse.open_renewals), given when the caller asks for many."""
    kind = ctx.catalogue.kind(reg.kind_code)
    today = ctx.clock.today()
    opens, closes = ctx.policy.window_for(kind, reg.enterprise.province_code if reg.enterprise else None)
    cap = age_cap_date(reg.person.birth_date, kind.age_cap_for(reg.person.sex))
    held = open_renewals(session) if pending is None else pending
    out = []
    for s in reg.specialties:
        opens_on, closes_on = s.valid_until - dt.timedelta(days=opens), s.valid_until - dt.timedelta(days=closes)
        reason, zh, en = _why_not(reg, s, today, opens_on, closes_on, held, cap)
        windowed = s.status != SpecialtyStatus.CANCELLED
        out.append(SpecialtyOption(s.specialty_code, s.valid_until, reason is None, reason, zh, en,
                                   opens_on if windowed else None, closes_on if windowed else None))
    return out


def renewable_now(session: Session, ctx: WorkflowContext, reg: Registration) -> list[str]:
    return [o.code for o in renewal_options(session, ctx, reg) if o.renewable]


def options_json(options: list[SpecialtyOption], kind) -> dict:
    """The answer's `renewal` field (api/schemas/renewals.py): the codes renewable now, each specialty with its
    reason, and one sentence for the whole registration."""
    spec = {o.code: kind.specialty(o.code) if kind else None for o in options}
    names = {c: s.name if s else c for c, s in spec.items()}
    rows = [asdict(o) | {"name": names[o.code], "name_en": spec[o.code].name_en if spec[o.code] else o.code,
                         "valid_until": o.valid_until.isoformat(),
                         "opens_on": o.opens_on.isoformat() if o.opens_on else None,
                         "closes_on": o.closes_on.isoformat() if o.closes_on else None} for o in options]
    ok = [o for o in options if o.renewable]
    if ok:
        by = min(o.closes_on for o in ok)
        zh = f"可延续 {len(ok)} 个专业:{'、'.join(names[o.code] for o in ok)};请于 {by.isoformat()} 前提交"
        en = f"{len(ok)} specialt{'y' if len(ok) == 1 else 'ies'} can be renewed now; file by {by.isoformat()}"
    else:
        soon = [o.opens_on for o in options if o.reason == "not_yet_open"]
        zh = "目前没有可延续的专业" + (f",最早可于 {min(soon).isoformat()} 起申请" if soon else "")
        en = "No specialty can be renewed now" + (f"; the earliest window opens on {min(soon).isoformat()}" if soon else "")
    return {"renewable": [o.code for o in ok], "specialties": rows, "message": zh, "message_en": en}
