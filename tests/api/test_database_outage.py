"""A database that does not answer gives 503 service_unavailable with Retry-After, never a 500 or a trace
(issue item 8); /healthz keeps its own answer. On SQLite a write waits busy_timeout for the write lock,
while reads (GET, verification) go on beside the writer."""
from __future__ import annotations

import socket
import sqlite3

import pytest

from backend import create_app
from backend.extensions import db
from tests.api.helpers import assert_error_shape, issue, make_registration
from tests.conftest import PG_ADMIN_URL, dispose, make_app


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def unreachable(tmp_path):
    """An app whose database cannot be reached: a closed port on PostgreSQL, a file that cannot be opened
    on SQLite."""
    uri = (f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/jz" if PG_ADMIN_URL
           else f"sqlite:///{tmp_path}/no-such-dir/jianzheng.db")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": uri, "AUTO_INIT": False,
                      "LOCAL_SECRETS": True, "PDF_DEMO_CA": True,      # one process: secrets made here
                      "DEMO_PERSONS": 0, "RATELIMIT_ENABLED": False, "TESTING": True})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _unavailable(resp):
    body = assert_error_shape(resp, 503, "service_unavailable")
    assert int(resp.headers["Retry-After"]) > 0
    return body


@pytest.mark.parametrize("method,path,body", [
    ("get", "/api/v1/lookup?q=王伟", None),
    ("post", "/api/v1/persons", {"name": "张三", "id_number": "11010519491231002X"}),
    ("get", "/api/v1/registrations/苏232192600001", None),
    ("post", "/api/v1/registrations/苏232192600001/copies", None),
    ("post", "/api/v1/auth/login", {"username": "someone", "password": "correct horse battery"}),
    ("get", "/api/v1/status-list", None),
])
def test_unreachable_database_is_503_with_retry_after(unreachable, method, path, body):
    client, auth = unreachable.test_client(), {"Authorization": f"Bearer {unreachable.config['ADMIN_TOKEN']}"}
    _unavailable(getattr(client, method)(path, headers=auth, json=body))


def test_unreachable_database_healthz_keeps_its_answer(unreachable):
    r = unreachable.test_client().get("/healthz")
    assert_error_shape(r, 503, "unavailable")
    assert r.headers["Retry-After"]


@pytest.mark.skipif(bool(PG_ADMIN_URL), reason="SQLite's write lock")
def test_sqlite_write_lock_held_past_busy_timeout_is_503_while_reads_go_on(tmp_path):
    app = make_app(tmp_path, SQLITE_BUSY_TIMEOUT_MS=300)
    try:
        client, auth = app.test_client(), {"Authorization": f"Bearer {app.config['ADMIN_TOKEN']}"}
        reg = make_registration(client, auth)
        qr = issue(client, auth, reg["registration_number"])["qr"]
        other = sqlite3.connect(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")              # another process holding the write lock
        try:
            r = client.post("/api/v1/persons", headers=auth, json={"name": "张三", "id_number": "11010519491231002X"})
            _unavailable(r)
            # deferred reads are not held up by the writer (WAL)
            assert client.get(f"/api/v1/registrations/{reg['registration_number']}", headers=auth).status_code == 200
            v = client.post("/api/v1/verify", json={"qr": qr})
            assert v.status_code == 200 and v.get_json()["verdict"] == "valid"
        finally:
            other.execute("ROLLBACK")
            other.close()
        r = client.post("/api/v1/persons", headers=auth, json={"name": "张三", "id_number": "11010519491231002X"})
        assert r.status_code == 201, r.get_json()
    finally:
        dispose(app)
