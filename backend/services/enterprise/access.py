"""Which enterprise a caller sees (docs/contractors-api.md): an enterprise account its own and no other,
authority staff the one they name by its 统一社会信用代码. Other roles never get this far (the edge answers 403)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from backend.models import Enterprise, Role
from backend.services.accounts.sessions import Principal
from backend.services.enterprise.errors import EnterpriseNotNamed, NotYourEnterprise
from backend.services.registry.enterprises import get_enterprise


def enterprise_in_view(session: Session, principal: Principal, uscc: str | None) -> Enterprise:
    if principal.role == Role.ENTERPRISE:
        if uscc and uscc != principal.enterprise_uscc:
            raise NotYourEnterprise()
        return session.get(Enterprise, principal.enterprise_id)
    if not uscc:
        raise EnterpriseNotNamed()
    return get_enterprise(session, uscc)
