"""Twelve identical requests at once answer in the error shape, never 500 (issue item 8).

Each thread has its own test client, hence its own app context, session and connection. On PostgreSQL the
registration's row lock serializes the copies and the unique indexes stop the second person, account or
enterprise; on SQLite every write transaction begins with BEGIN IMMEDIATE (backend/sqlite_transactions.py)
and so runs alone. Runs on both (TEST_DATABASE_URL).
"""
from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest

from tests import factories as f
from tests.api.helpers import assert_error_shape, make_registration
from tests.api.login_helpers import PASSWORD

THREADS = 12


def _race(app, request) -> list:
    """`request(client)` from THREADS threads released together; the responses (or the exceptions)."""
    barrier, answers = threading.Barrier(THREADS), [None] * THREADS

    def worker(i):
        client = app.test_client()
        barrier.wait()
        try:
            answers[i] = request(client)
        except Exception as e:          # noqa: BLE001 (reported by the assertions)
            answers[i] = e

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert all(not isinstance(a, Exception) and a is not None for a in answers), answers
    return answers


def _statuses(answers) -> Counter:
    return Counter(a.status_code for a in answers)


def test_twelve_copies_at_once_give_the_daily_limit_twice(app, client, auth):
    number = make_registration(client, auth)["registration_number"]
    limit = app.config["DAILY_COPY_LIMIT"]
    answers = _race(app, lambda c: c.post(f"/api/v1/registrations/{number}/copies", headers=auth))
    assert _statuses(answers) == {201: limit, 429: THREADS - limit}, [a.get_data(as_text=True)[:200] for a in answers]
    for a in answers:
        if a.status_code == 429:
            assert assert_error_shape(a, 429, "daily_limit_reached")["details"]["limit"] == limit
    stored = client.get(f"/api/v1/registrations/{number}/copies", headers=auth).get_json()["copies"]
    issued = {a.get_json()["identifier"] for a in answers if a.status_code == 201}
    assert len(stored) == limit and {c["identifier"] for c in stored} == issued and len(issued) == limit
    assert sorted(c["version"] for c in stored) == list(range(1, limit + 1))


def _person():
    return "/api/v1/persons", {"name": "并发测试", "id_number": f.id_number(dt.date(1988, 8, 8), "M")}


def _account():
    return "/api/v1/accounts", {"username": f"race.{f.uscc()[-8:].lower()}", "password": PASSWORD, "role": "inspector"}


def _enterprise():
    code = f.uscc()
    return "/api/v1/enterprises", {"name": f"并发测试建设有限公司{code[-5:]}", "uscc": code}


@pytest.mark.parametrize("make,code,field", [(_person, "person_exists", "id_number"),
                                             (_account, "username_taken", "username"),
                                             (_enterprise, "enterprise_exists", "uscc")])
def test_twelve_identical_creations_give_one_201_and_eleven_409(app, auth, make, code, field):
    path, body = make()
    answers = _race(app, lambda c: c.post(path, headers=auth, json=body))
    assert _statuses(answers) == {201: 1, 409: THREADS - 1}, [a.get_data(as_text=True)[:200] for a in answers]
    for a in answers:
        if a.status_code == 409:
            assert assert_error_shape(a, 409, code)["details"]["field"] == field
            assert body[field] not in a.get_data(as_text=True)        # the field, never the value



@pytest.fixture()
def own_app(tmp_path):
    """An app of the test's own, to which a view can still be added."""
    from tests.conftest import dispose, make_app
    app = make_app(tmp_path)
    yield app
    dispose(app)


def test_a_duplicate_the_database_stops_answers_like_the_check_and_is_rolled_back(own_app):
    from backend.extensions import db
    from backend.models import Person
    idn = f.id_number(dt.date(1979, 9, 9), "F")

    def insert_twice():   # what the loser of a race past create_person's check does
        for _ in range(2):
            db.session.add(Person(name="重复", sex="F", birth_date=dt.date(1979, 9, 9), id_number=idn))
            db.session.flush()
    own_app.add_url_rule("/test-duplicate", view_func=insert_twice, methods=["POST"])
    client, auth = own_app.test_client(), {"Authorization": f"Bearer {own_app.config['ADMIN_TOKEN']}"}
    r = client.post("/test-duplicate")
    assert assert_error_shape(r, 409, "person_exists")["details"] == {"field": "id_number"}
    assert idn not in r.get_data(as_text=True)
    r = client.post("/api/v1/persons", headers=auth, json={"name": "重复", "id_number": idn})
    assert r.status_code == 201, r.get_json()          # nothing of the failed request was kept


def test_a_row_changed_under_a_request_is_409_concurrent_update(own_app):
    from sqlalchemy.orm.exc import StaleDataError

    def racing_view():   # what the version counter of registrations raises when another writer got there first
        raise StaleDataError("UPDATE statement on table 'registrations' expected to update 1 row(s); 0 were matched.")
    own_app.add_url_rule("/test-stale", view_func=racing_view, methods=["POST"])
    assert_error_shape(own_app.test_client().post("/test-stale"), 409, "concurrent_update")
