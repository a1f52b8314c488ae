"""Accounts and passwords: creation by authority staff, and the password check of a login with its
lockout (LOGIN_MAX_FAILURES consecutive failures lock the username for LOGIN_LOCK_MINUTES, from the client
address they came from only: failures from elsewhere never lock the owner out).

Passwords are hashed with argon2id (argon2-cffi) at the OWASP Password Storage Cheat Sheet's first
setting (19 MiB, 2 passes, 1 lane): about 30 ms a login here, where the library default (64 MiB, 3
passes, 4 lanes) takes 200 ms of CPU and 64 MiB per concurrent login on a small server. Hashes made
with other parameters are upgraded at the next successful login. A login with an unknown
username verifies against a dummy hash and is counted and locked like any other, so neither the answer,
its timing nor the lockout tells which usernames exist.
"""
from __future__ import annotations

import datetime as dt
import re
import secrets
import unicodedata
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from backend.models import Account, LoginThrottle, Person, Role
from backend.services import audit
from backend.services.clock import Clock
from backend.services.conflicts import already_exists
from backend.services.errors import Conflict, NotFound, ServiceError
from backend.services.registry import get_enterprise
from backend.services.validation import Checker

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]{2,63}$")
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[A-Za-z]{2,}$")
PASSWORD_MIN, PASSWORD_MAX = 10, 128
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


class InvalidCredentials(ServiceError):
    code, status = "invalid_credentials", 401
    message, message_en = "用户名或密码错误", "Wrong username or password"


class AccountLocked(ServiceError):
    code, status = "account_locked", 423
    message, message_en = ("从此地址连续登录失败次数过多,账户在此地址已临时锁定",
                           "Too many failed logins from this address: the account is locked here for a while")


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def normalize_username(value) -> str | None:
    if not isinstance(value, str):
        return None
    return unicodedata.normalize("NFKC", value).strip().lower()[:64] or None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(stored_hash: str | None, password) -> bool:
    """Always does the work of one argon2 verification, whether or not there is a hash to check."""
    candidate = password if isinstance(password, str) and len(password) <= PASSWORD_MAX else ""
    try:
        return _hasher.verify(stored_hash or _dummy_hash(), candidate) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


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


def authenticate(session: Session, clock: Clock, username, password, *, client: str | None = None,
                 max_failures: int = 5, lock_minutes: int = 15) -> Account:
    """The active account with this username and password, or InvalidCredentials / AccountLocked.
    Failures are counted per username and client address (callers that know no address share "-").
    Failures are written to the session: the caller commits them even when it answers with the error."""
    name, client, now = normalize_username(username), (client or "-")[:64], clock.now()
    throttle = session.get(LoginThrottle, (name, client)) if name else None
    if throttle is not None and throttle.locked_until and throttle.locked_until > now:
        raise _locked(throttle.locked_until, now)
    account = session.scalar(select(Account).where(Account.username == name, Account.active.is_(True))) if name else None
    if password_matches(account.password_hash if account else None, password):
        if throttle is not None:
            session.delete(throttle)
        session.execute(delete(LoginThrottle).where(LoginThrottle.last_failure_at < now - dt.timedelta(days=1),
                                                    LoginThrottle.username != name))
        account.last_login_at = now
        if _hasher.check_needs_rehash(account.password_hash):
            account.password_hash = hash_password(password)
        return account
    if name:
        _count_failure(session, name, client, now, max_failures, lock_minutes)
    raise InvalidCredentials()


def _count_failure(session: Session, name: str, client: str, now: dt.datetime, max_failures: int,
                   lock_minutes: int) -> None:
    # An upsert, so that concurrent failures of one username from one address are all counted.
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(LoginThrottle).values(username=name, client=client, failures=1, last_failure_at=now)
    session.execute(stmt.on_conflict_do_update(index_elements=["username", "client"], set_={
        "failures": LoginThrottle.failures + 1, "last_failure_at": now}))
    row = session.get(LoginThrottle, (name, client), populate_existing=True)
    if row.failures >= max_failures:
        row.failures, row.locked_until = 0, now + dt.timedelta(minutes=lock_minutes)
        audit.record(session, "system:login", "login.locked", "login", name,
                     {"failures": max_failures, "locked_until": row.locked_until, "client": client})
        session.flush()
        raise _locked(row.locked_until, now)


def _locked(until: dt.datetime, now: dt.datetime) -> AccountLocked:
    return AccountLocked(details={"retry_after": max(1, int((until - now).total_seconds() + 0.999))})
