"""Accounts made by authority staff: a username, a password of sensible length, one role, and the enterprise
(enterprise accounts) or the person (holder accounts) it is bound to. Logins are in logins.py."""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Account, Person, Role
from backend.services import audit
from backend.services.accounts.logins import PASSWORD_MAX, PASSWORD_MIN, hash_password, normalize_username
from backend.services.conflicts import already_exists
from backend.services.errors import NotFound
from backend.services.registry.enterprises import get_enterprise
from backend.services.validation import Checker

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]{2,63}$")
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[A-Za-z]{2,}$")


def create_account(session: Session, data: dict, actor: str) -> Account:
    c = Checker(data)
    username = normalize_username(data.get("username"))
    if username is None or not USERNAME_RE.match(username):
        c.fail("username", "format", "用户名须为 3-64 位小写字母、数字或 . _ @ -",
               "The username is 3 to 64 characters: lower-case letters, digits, . _ @ -")
    password = data.get("password")
    if not isinstance(password, str) or not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        c.fail("password", "length", f"密码须为 {PASSWORD_MIN}-{PASSWORD_MAX} 个字符",
               f"The password has {PASSWORD_MIN} to {PASSWORD_MAX} characters")
    elif username and username in password.lower():
        c.fail("password", "contains_username", "密码不能包含用户名", "The password must not contain the username")
    role = c.choice("role", Role.ALL)
    email = c.text("email", required=False, max_len=254)
    if email is not None and not EMAIL_RE.match(email):
        c.fail("email", "format", "电子邮箱格式不正确", "Invalid e-mail address")
    uscc, person_id = data.get("enterprise_uscc"), data.get("person_id")
    if role == Role.ENTERPRISE and not isinstance(uscc, str):
        c.fail("enterprise_uscc", "required", "单位账户须指定统一社会信用代码", "An enterprise account needs enterprise_uscc")
    if role == Role.HOLDER and (not isinstance(person_id, int) or isinstance(person_id, bool)):
        c.fail("person_id", "required", "持证人账户须指定人员编号", "A holder account needs person_id")
    if role not in (Role.ENTERPRISE, None) and uscc is not None:
        c.fail("enterprise_uscc", "not_allowed", "仅单位账户绑定单位", "Only an enterprise account has an enterprise")
    if role not in (Role.HOLDER, None) and person_id is not None:
        c.fail("person_id", "not_allowed", "仅持证人账户绑定人员", "Only a holder account has a person")
    c.done()
    if session.scalar(select(Account.id).where(Account.username == username)):
        raise already_exists("accounts", "username")
    account = Account(username=username, password_hash=hash_password(password), role=role, email=email)
    if role == Role.ENTERPRISE:
        account.enterprise_id = get_enterprise(session, uscc).id
    if role == Role.HOLDER:
        if session.get(Person, person_id) is None:
            raise NotFound("未找到该人员", "No such person", code="person_not_found")
        account.person_id = person_id
    session.add(account)
    session.flush()
    audit.record(session, actor, "account.create", "account", account.id,
                 {"username": username, "role": role, "enterprise": uscc if role == Role.ENTERPRISE else None,
                  "person_id": account.person_id})
    return account
