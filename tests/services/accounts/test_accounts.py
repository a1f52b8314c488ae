"""Accounts: argon2 hashes, unique usernames, bound enterprises and persons, login with lockout that does not
reveal which usernames exist. (The form of a new account's fields is the edge's: tests/api/test_auth_api.py.)"""
import time

import pytest
from argon2.exceptions import VerificationError

from backend.models import Account, AuditEvent, LoginThrottle
from backend.services.accounts.errors import AccountLocked, InvalidCredentials
from backend.services.accounts.logins import authenticate
from backend.services.accounts.management import create_account
from backend.services.errors import Conflict, NotFound
from tests import factories as f


def login(session, clock, username, password=f.PASSWORD):
    return authenticate(session, clock, username, password, max_failures=5, lock_minutes=15)


def test_password_is_stored_as_argon2id(session, svc):
    a = f.account(session, ent=f.enterprise(session, svc.catalogue))
    assert a.password_hash.startswith("$argon2id$") and f.PASSWORD not in a.password_hash


def test_usernames_are_unique_case_insensitively(session):
    create_account(session, username="Inspector.Li", password="x" * 12, role="inspector", actor="test")
    with pytest.raises(Conflict) as e:
        create_account(session, username="inspector.li", password="y" * 12, role="inspector", actor="test")
    assert e.value.code == "username_taken"


def test_bound_enterprise_and_person_must_exist(session, svc):
    with pytest.raises(NotFound):
        create_account(session, username="ent9", password="x" * 12, role="enterprise", enterprise_uscc=f.uscc(),
                       actor="test")
    with pytest.raises(NotFound):
        create_account(session, username="holder9", password="x" * 12, role="holder", person_id=99999, actor="test")
    p = f.person(session)
    assert create_account(session, username="holder8", password="x" * 12, role="holder", person_id=p.id,
                          actor="test").person_id == p.id


def test_login_and_wrong_password(session, svc):
    a = f.account(session, role="authority")
    clock = f.at(svc.clock)
    assert login(session, clock, a.username.upper()).id == a.id
    assert a.last_login_at == clock.now()
    with pytest.raises(InvalidCredentials):
        login(session, svc.clock, a.username, "wrong password")
    with pytest.raises(InvalidCredentials):
        login(session, svc.clock, a.username, None)


def test_inactive_account_cannot_log_in(session, svc):
    a = f.account(session, role="inspector")
    a.active = False
    with pytest.raises(InvalidCredentials):
        login(session, svc.clock, a.username)


def _fail(session, clock, username, n):
    errors = []
    for _ in range(n):
        with pytest.raises((InvalidCredentials, AccountLocked)) as e:
            login(session, clock, username, "wrong password")
        errors.append(e.value)
    return errors


@pytest.mark.parametrize("known", [True, False])
def test_five_failures_lock_for_fifteen_minutes_known_or_not(session, svc, known):
    username = f.account(session, role="inspector").username if known else "nobody.here"
    errors = _fail(session, svc.clock, username, 6)
    assert [e.code for e in errors] == ["invalid_credentials"] * 4 + ["account_locked"] * 2
    assert errors[4].status == 423 and errors[4].details["retry_after"] == 15 * 60
    # locked: even the right password is refused, and the answer says for how long
    with pytest.raises(AccountLocked) as e:
        login(session, f.at(svc.clock, 10 / 1440), username)
    assert e.value.details["retry_after"] == 5 * 60
    later = f.at(svc.clock, 16 / 1440)
    if known:
        assert login(session, later, username).username == username
        assert session.get(LoginThrottle, (username, "-")) is None      # a success clears the count
    else:
        assert [e.code for e in _fail(session, later, username, 1)] == ["invalid_credentials"]
    assert session.query(AuditEvent).filter_by(action="login.locked", entity_id=username).count() == 1


def test_success_resets_the_count(session, svc):
    a = f.account(session, role="inspector")
    _fail(session, svc.clock, a.username, 4)
    login(session, svc.clock, a.username)
    assert [e.code for e in _fail(session, svc.clock, a.username, 4)] == ["invalid_credentials"] * 4


def test_unknown_username_costs_a_hash_too(session, svc):
    a = f.account(session, role="inspector")

    def timed(name):
        t0 = time.perf_counter()
        with pytest.raises(InvalidCredentials):
            login(session, svc.clock, name, "wrong password")
        return time.perf_counter() - t0

    from backend.services.accounts.logins import _dummy_hash, _hasher

    def one_hash():
        t0 = time.perf_counter()
        with pytest.raises(VerificationError):
            _hasher.verify(_dummy_hash(), "wrong password")
        return time.perf_counter() - t0

    timed("warm.up")
    # The login of an unknown name does at least the work of one argon2 verification, as a known name's does (a
    # known name also writes its throttle row: under load the database makes it slower, never the other faster).
    known = min(timed(a.username) for _ in range(3))
    unknown = min(timed(f"ghost{i}") for i in range(5))
    argon2 = min(one_hash() for _ in range(5))
    assert unknown > argon2 * 0.8, (known, unknown, argon2)
    session.query(Account).filter_by(id=a.id).delete()


def test_failures_lock_only_the_address_they_came_from(session, svc):
    """An attacker's five wrong passwords lock the account for the attacker's address, not for its owner."""
    a = f.account(session, role="inspector")
    attacker = [_fail_from(session, svc.clock, a.username, "203.0.113.9") for _ in range(5)]
    assert attacker == ["invalid_credentials"] * 4 + ["account_locked"]
    with pytest.raises(AccountLocked):          # the attacker's address stays locked, the right password too
        authenticate(session, svc.clock, a.username, f.PASSWORD, client="203.0.113.9")
    owner = authenticate(session, svc.clock, a.username, f.PASSWORD, client="198.51.100.20")
    assert owner.id == a.id
    assert session.get(LoginThrottle, (a.username, "203.0.113.9")).locked_until is not None   # the owner's login
    ev = session.query(AuditEvent).filter_by(action="login.locked", entity_id=a.username).one()  # did not unlock it
    assert ev.data["client"] == "203.0.113.9"


def test_unknown_username_is_locked_per_address_too(session, svc):
    assert [_fail_from(session, svc.clock, "nobody.else", "203.0.113.7") for _ in range(5)] == \
        ["invalid_credentials"] * 4 + ["account_locked"]
    assert _fail_from(session, svc.clock, "nobody.else", "203.0.113.8") == "invalid_credentials"


def _fail_from(session, clock, username, client):
    try:
        authenticate(session, clock, username, "wrong password", client=client, max_failures=5, lock_minutes=15)
    except (InvalidCredentials, AccountLocked) as e:
        return e.code
    raise AssertionError("a wrong password was accepted")


def test_concurrent_failures_from_one_address_are_all_counted(engine, session, svc):
    """Four logins with a wrong password at once, each in its own session and connection: four failures
    counted (an upsert, not read-then-write), and the fifth locks."""
    import threading

    from sqlalchemy.orm import Session

    a = f.account(session, role="inspector")
    username = a.username
    session.commit()
    barrier, results = threading.Barrier(4), []

    def worker():
        with Session(engine) as s:
            barrier.wait()
            results.append(_fail_from(s, svc.clock, username, "192.0.2.44"))
            s.commit()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == ["invalid_credentials"] * 4
    session.expire_all()
    assert session.get(LoginThrottle, (username, "192.0.2.44")).failures == 4
    assert _fail_from(session, svc.clock, username, "192.0.2.44") == "account_locked"
