"""Enterprises (聘用单位): their record, found by 统一社会信用代码. The province is the credit code's own (its
registration-authority region, characters 3-4) unless another is given."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Enterprise
from backend.services import audit
from backend.services.checkdigits import uscc_ok
from backend.services.conflicts import already_exists
from backend.services.kinds import Catalogue
from backend.services.registry.errors import EnterpriseNotFound, InvalidCreditCode, UnknownProvince

LICENCE_STATES = ("active", "revoked", "bankrupt")   # Enterprise.status: may employ registered persons, or why not

SHORT_NAME = 8      # characters of the name that make its short name when none is given


def create_enterprise(session: Session, catalogue: Catalogue, *, name: str, uscc: str, short_name: str | None = None,
                      province_code: str | None = None, actor: str) -> Enterprise:
    if not uscc_ok(uscc):
        raise InvalidCreditCode()
    province_code = province_code or uscc[2:4]
    if province_code not in catalogue.provinces:
        raise UnknownProvince()
    if session.scalar(select(Enterprise.id).where(Enterprise.uscc == uscc)):
        raise already_exists("enterprises", "uscc")
    data = {"name": name, "short_name": short_name or name[:SHORT_NAME], "uscc": uscc, "province_code": province_code}
    e = Enterprise(**data)
    session.add(e)
    session.flush()
    audit.record(session, actor, "enterprise.create", "enterprise", e.id, data)
    return e


def get_enterprise(session: Session, uscc: str) -> Enterprise:
    e = session.scalar(select(Enterprise).where(Enterprise.uscc == uscc)) if isinstance(uscc, str) else None
    if e is None:
        raise EnterpriseNotFound()
    return e


def get_enterprise_for_update(session: Session, uscc: str) -> Enterprise:
    q = select(Enterprise).where(Enterprise.uscc == uscc).with_for_update(of=Enterprise)
    e = session.scalar(q.execution_options(populate_existing=True)) if isinstance(uscc, str) else None
    if e is None:
        raise EnterpriseNotFound()
    return e


def set_licence_status(session: Session, uscc: str, state: str, reason: str, actor: str, *,
                       audit_extra: dict | None = None) -> Enterprise:
    """The enterprise's licence or 资质: 'active', 'revoked' (吊销) or 'bankrupt' (破产). The daily job
    (workflows/lapse.py) cancels the registrations held at an enterprise that is not active; nothing is
    restored when it becomes active again (a cancelled registration stays cancelled)."""
    if state not in LICENCE_STATES:
        raise ValueError(state)
    e = get_enterprise_for_update(session, uscc)
    old, e.status = e.status, state
    session.flush()
    audit.record(session, actor, "enterprise.licence", "enterprise", e.id,
                 {"uscc": e.uscc, "from": old, "to": state, "reason": reason, **(audit_extra or {})})
    return e
