"""A signed-in holder's or enterprise's notices: the list (newest first) with the unread count, marking read,
and the account's notice preferences. An account sees its own audience's notices only (a holder: its
person's; an enterprise account: its enterprise's, read state shared by that enterprise's accounts);
someone else's notice is answered as one that does not exist."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from backend.models import Account, Notice, Role
from backend.services.notices.errors import NoInbox, NoticeNotFound
from backend.services.notices.post import enterprise_audience, person_audience

PAGE_SIZE = 20


def audience_of(role: str, person_id: int | None, enterprise_id: int | None) -> str:
    if role == Role.HOLDER and person_id is not None:
        return person_audience(person_id)
    if role == Role.ENTERPRISE and enterprise_id is not None:
        return enterprise_audience(enterprise_id)
    raise NoInbox()


def notice_json(n: Notice) -> dict:
    return {"id": n.id, "kind": n.kind, "title": n.title, "title_en": n.title_en, "body": n.body,
            "body_en": n.body_en, "data": n.data or {}, "created_at": n.created_at, "read": n.read_at is not None}


def listing(session: Session, audience: str, *, unread_only: bool = False, page: int = 1,
            per_page: int = PAGE_SIZE) -> dict:
    q = select(Notice).where(Notice.audience == audience)
    if unread_only:
        q = q.where(Notice.read_at.is_(None))
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    unread = session.scalar(select(func.count(Notice.id)).where(Notice.audience == audience,
                                                                Notice.read_at.is_(None))) or 0
    rows = session.scalars(q.order_by(Notice.id.desc()).offset((page - 1) * per_page).limit(per_page)).all()
    return {"notices": [notice_json(n) for n in rows], "unread": unread, "total": total, "page": page,
            "per_page": per_page}


def mark_read(session: Session, audience: str, notice_id: int, now: dt.datetime) -> Notice:
    n = session.scalar(select(Notice).where(Notice.id == notice_id, Notice.audience == audience)) \
        if 0 < notice_id < 2**31 else None          # a path's digits may be any number: no overflow, a 404
    if n is None:
        raise NoticeNotFound()
    if n.read_at is None:
        n.read_at = now
        session.flush()
    return n


def mark_all_read(session: Session, audience: str, now: dt.datetime) -> int:
    res = session.execute(update(Notice).where(Notice.audience == audience, Notice.read_at.is_(None))
                          .values(read_at=now))
    return max(res.rowcount or 0, 0)


def preferences(session: Session, account_id: int) -> dict:
    a = session.get(Account, account_id)
    return {"checks": bool(a.notice_checks), "email": bool(a.notice_email)}


def set_preferences(session: Session, account_id: int, *, checks: bool | None = None, email: bool | None = None) -> dict:
    a = session.get(Account, account_id)
    if checks is not None:
        a.notice_checks = checks
    if email is not None:
        a.notice_email = email
    session.flush()
    return preferences(session, account_id)
