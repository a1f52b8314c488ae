"""The registry: persons, enterprises, registrations and their changes. Every change is audited,
and a change of employer, name or specialties supersedes the copies issued before it."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Enterprise
from backend.services import audit
from backend.services.conflicts import already_exists
from backend.services.errors import NotFound
from backend.services.kinds import Catalogue
from backend.services.validation import clean_enterprise


def create_enterprise(session: Session, data: dict, catalogue: Catalogue, actor: str) -> Enterprise:
    clean = clean_enterprise(data, catalogue.provinces)
    if session.scalar(select(Enterprise.id).where(Enterprise.uscc == clean["uscc"])):
        raise already_exists("enterprises", "uscc")
    e = Enterprise(**clean)
    session.add(e)
    session.flush()
    audit.record(session, actor, "enterprise.create", "enterprise", e.id, clean)
    return e


def get_enterprise(session: Session, uscc: str) -> Enterprise:
    e = session.scalar(select(Enterprise).where(Enterprise.uscc == uscc)) if isinstance(uscc, str) else None
    if e is None:
        raise NotFound("未找到该单位", "No such enterprise", code="enterprise_not_found")
    return e
