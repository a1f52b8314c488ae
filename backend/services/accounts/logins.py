"""Logins: the password check of a login with its
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
import secrets
import unicodedata
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from backend.models import Account, LoginThrottle
from backend.services import audit
from backend.services.accounts.errors import AccountLocked, InvalidCredentials
from backend.services.clock import Clock

PASSWORD_MIN, PASSWORD_MAX = 10, 128


def normalize_username(value) -> str | None:
    if not isinstance(value, str):
        return None
    return unicodedata.normalize("NFKC", value).strip().lower()[:64] or None


_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(stored_hash: str | None, password) -> bool:
    """Always does the work of one argon2 verification, whether or not there is a hash to check."""
    candidate = password if isinstance(password, str) and len(password) <= PASSWORD_MAX else ""
    try:
        return _hasher.verify(stored_hash or _dummy_hash(), candidate) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


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
    return AccountLocked(retry_after=max(1, int((until - now).total_seconds() + 0.999)))
