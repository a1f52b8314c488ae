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
