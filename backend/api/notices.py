"""The signed-in holder's or enterprise's notices and notice preferences (docs/notices.md). Each account sees
its own only: a holder its person's, an enterprise account its enterprise's."""
from __future__ import annotations

from flask import Blueprint, jsonify

from backend.api import deps
from backend.api.auth import actor, current_principal, require_role
from backend.api.schemas.notices import AllRead, NoticeList, NoticePreferences, NoticePreferencesInput, NoticeQuery, NoticeRead
from backend.api.spec import BODY, INVALID, operation
from backend.models import Role
from backend.services import audit
from backend.services.clock import iso_utc
from backend.services.notices import inbox

bp = Blueprint("notices", __name__, url_prefix="/api/v1/me")
INBOX = (Role.HOLDER, Role.ENTERPRISE)


def _audience() -> str:
    p = current_principal()
    return inbox.audience_of(p.role, p.person_id, p.enterprise_id)


def _item(d: dict) -> dict:
    return {**d, "created_at": iso_utc(d["created_at"])}


def _no_store(resp):
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/notices")
@require_role(*INBOX)
@operation("我的通知 / My notices", tag="notices", auth=True, query=NoticeQuery, ok=NoticeList, errors=[INVALID],
           description="持证人:本人的通知;单位账户:本单位的通知(同一单位的账户共享已读状态)。新的在前,每页 20 条。/ A "
                       "holder's own notices; an enterprise account's: its enterprise's (its accounts share the read "
                       "state). Newest first, 20 a page.")
def list_notices(query: NoticeQuery):
    answer = inbox.listing(deps.session(), _audience(), unread_only=query.unread, page=query.page)
    answer["notices"] = [_item(n) for n in answer["notices"]]
    return _no_store(jsonify(answer))


@bp.post("/notices/<int:notice_id>/read")
@require_role(*INBOX)
@operation("标为已读 / Mark a notice read", tag="notices", auth=True, ok=NoticeRead,
           errors=[(404, "notice_not_found")],
           description="他人的通知与不存在的通知回答相同(404)/ Someone else's notice is answered as one that does not "
                       "exist (404).")
def read_notice(notice_id: int):
    session, audience = deps.session(), _audience()
    n = inbox.mark_read(session, audience, notice_id, deps.clock().now())
    item = _item(inbox.notice_json(n))
    session.commit()
    unread = inbox.listing(session, audience, per_page=0)["unread"]
    return _no_store(jsonify({"notice": item, "unread": unread}))


@bp.post("/notices/read-all")
@require_role(*INBOX)
@operation("全部标为已读 / Mark every notice read", tag="notices", auth=True, ok=AllRead)
def read_all():
    session = deps.session()
    marked = inbox.mark_all_read(session, _audience(), deps.clock().now())
    session.commit()
    return _no_store(jsonify({"marked": marked, "unread": 0}))


@bp.get("/notice-preferences")
@require_role(*INBOX)
@operation("通知设置 / Notice preferences", tag="notices", auth=True, ok=NoticePreferences)
def get_preferences():
    return _no_store(jsonify(inbox.preferences(deps.session(), current_principal().account_id)))


@bp.put("/notice-preferences")
@require_role(*INBOX)
@operation("修改通知设置 / Set notice preferences", tag="notices", auth=True, json=NoticePreferencesInput,
           ok=NoticePreferences, errors=[*BODY, INVALID],
           description="checks:持证人可关闭“您的证书已被核验”通知;email:是否以电子邮件发送。/ checks: a holder may turn "
                       "off the \"your certificate was checked\" notices; email: whether notices are e-mailed.")
def put_preferences(json: NoticePreferencesInput):
    session, p = deps.session(), current_principal()
    prefs = inbox.set_preferences(session, p.account_id, checks=json.checks, email=json.email)
    audit.record(session, actor(), "account.notice_preferences", "account", p.account_id, prefs)
    session.commit()
    return _no_store(jsonify(prefs))
