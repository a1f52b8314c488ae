"""Writing notices: who may receive them (audiences with an active account) and the insert that makes an
event's notice once (INSERT … ON CONFLICT (key) DO NOTHING, on SQLite and PostgreSQL alike: a race of two
hooks, or a rerun of the daily job, neither fails nor duplicates)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from backend.models import Account, Notice, Role

CHUNK = 500


def person_audience(person_id: int) -> str:
    return f"p:{person_id}"


def enterprise_audience(enterprise_id: int) -> str:
    return f"e:{enterprise_id}"


def persons_with_accounts(session: Session, person_ids: Iterable[int], *, checks: bool = False) -> set[int]:
    """The persons among these with an active holder account (with `checks`: one that wants check notices)."""
    ids = sorted(set(person_ids))
    out: set[int] = set()
    for i in range(0, len(ids), CHUNK):
        q = select(Account.person_id).where(Account.role == Role.HOLDER, Account.active.is_(True),
                                            Account.person_id.in_(ids[i:i + CHUNK]))
        if checks:
            q = q.where(Account.notice_checks.is_(True))
        out |= set(session.scalars(q))
    return out


def enterprises_with_accounts(session: Session, enterprise_ids: Iterable[int]) -> set[int]:
    ids = sorted(set(enterprise_ids))
    out: set[int] = set()
    for i in range(0, len(ids), CHUNK):
        out |= set(session.scalars(select(Account.enterprise_id).where(
            Account.role == Role.ENTERPRISE, Account.active.is_(True), Account.enterprise_id.in_(ids[i:i + CHUNK]))))
    return out


def row(*, now: dt.datetime, kind: str, event: str, text: tuple[str, str, str, str], person_id: int | None = None,
        enterprise_id: int | None = None, registration_id: int | None = None, data: dict | None = None) -> dict:
    """One notice to one audience (a person, or else an enterprise). `event` names the event within its kind;
    `text`: (title, title_en, body, body_en)."""
    audience = person_audience(person_id) if person_id is not None else enterprise_audience(enterprise_id)
    title, title_en, body, body_en = text
    return {"audience": audience, "person_id": person_id,
            "enterprise_id": enterprise_id if person_id is None else None,
            "key": f"{audience}|{kind}:{event}"[:160], "kind": kind, "registration_id": registration_id,
            "title": title[:200], "title_en": title_en[:200], "body": body, "body_en": body_en,
            "data": data or {}, "created_at": now, "mail_state": "pending"}


def insert(session: Session, rows: list[dict]) -> int:
    """The rows whose key is new; the others are left as they are. Returns how many were new."""
    if not rows:
        return 0
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    n = 0
    for i in range(0, len(rows), CHUNK):
        # RETURNING, not rowcount: psycopg reports -1 for this statement when SQLAlchemy runs it through the ORM
        res = session.execute(dialect.insert(Notice).values(rows[i:i + CHUNK])
                              .on_conflict_do_nothing(index_elements=["key"]).returning(Notice.id))
        n += len(res.all())
    return n
