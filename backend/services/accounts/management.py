"""Accounts made by authority staff: a username, a password, one role, and the enterprise (enterprise
accounts) or the person (holder accounts) it is bound to. Logins are in logins.py.

The input's form (username characters, password length, which role binds what) is the edge's to check
(api/schemas/accounts.py, also used by `flask accounts create`); here are the rules that need the database:
a username is taken once, case-insensitively, and the enterprise or person bound must exist."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Account, Person, Role
from backend.services import audit
from backend.services.accounts.errors import AccountNotFound, NotAnInspector
from backend.services.accounts.logins import hash_password, normalize_username
from backend.services.conflicts import already_exists
from backend.services.registry.enterprises import get_enterprise
from backend.services.registry.errors import PersonNotFound


def create_account(session: Session, *, username: str, password: str, role: str, enterprise_uscc: str | None = None,
                   person_id: int | None = None, email: str | None = None, organisation: str | None = None,
                   actor: str) -> Account:
    """An enterprise account is bound to the enterprise of `enterprise_uscc`, a holder account to the person
    `person_id`; other roles to neither."""
    username = normalize_username(username)
    if session.scalar(select(Account.id).where(Account.username == username)):
        raise already_exists("accounts", "username")
    account = Account(username=username, password_hash=hash_password(password), role=role, email=email,
                      organisation=organisation if role == Role.INSPECTOR else None)
    if role == Role.ENTERPRISE:
        account.enterprise_id = get_enterprise(session, enterprise_uscc).id
    if role == Role.HOLDER:
        if person_id is None or session.get(Person, person_id) is None:
            raise PersonNotFound()
        account.person_id = person_id
    session.add(account)
    session.flush()
    audit.record(session, actor, "account.create", "account", account.id,
                 {"username": username, "role": role, "enterprise": enterprise_uscc if role == Role.ENTERPRISE else None,
                  "person_id": account.person_id, "organisation": account.organisation})
    return account


def set_organisation(session: Session, username: str, organisation: str | None, *, actor: str) -> Account:
    """An inspector account's organisation (services/notices: what a holder is told of who checked them)."""
    account = session.scalar(select(Account).where(Account.username == normalize_username(username)))
    if account is None:
        raise AccountNotFound()
    if account.role != Role.INSPECTOR:
        raise NotAnInspector()
    old, account.organisation = account.organisation, (organisation or "").strip()[:100] or None
    session.flush()
    audit.record(session, actor, "account.organisation", "account", account.id,
                 {"from": old, "to": account.organisation})
    return account
