"""DATABASE_READ_URL (issue 12, item 7): the views that only read (lookup, verify, the status list) are served by
the read replica, everything else by the primary; /readyz checks the replica too. The "replica" here is a
snapshot of the primary taken after a copy was issued (a SQLite file copy, or a PostgreSQL database made from
the primary as its template), so what the primary changes afterwards shows which database answered."""
from __future__ import annotations

import sqlite3
import uuid

import pytest

from backend.extensions import db
from backend.services.issuance import copies as issuance
from backend.services.registry import registrations
from tests import factories as f
from tests.conftest import PG_ADMIN_URL, _pg, dispose, make_app


def snapshot(app, tmp_path) -> tuple[str, callable]:
    """A copy of the app's database as it is now: (its URL, a function that drops it)."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if uri.startswith("sqlite:///"):
        target = tmp_path / "replica.db"
        with sqlite3.connect(uri[len("sqlite:///"):]) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return f"sqlite:///{target}", lambda: None
    name = f"jz_replica_{uuid.uuid4().hex[:10]}"
    with _pg(PG_ADMIN_URL) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{uri.rsplit("/", 1)[1]}"')

    def drop():
        with _pg(PG_ADMIN_URL) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return f"{uri.rsplit('/', 1)[0]}/{name}", drop


@pytest.fixture()
def world(tmp_path):
    primary = make_app(tmp_path / "primary")
    e = primary.extensions
    with primary.app_context():
        s = db.session
        p = f.person(s, name="甄主库")
        reg = f.registration(s, e["jz.catalogue"], e["jz.clock"], p=p)
        copy = issuance.issue_copy(s, e["jz.keystore"].get(), e["jz.catalogue"], e["jz.settings"], e["jz.clock"],
                                   reg.registration_number, "test")
        s.commit()
        number, url = reg.registration_number, copy.qr_text
    replica_url, drop_replica = snapshot(primary, tmp_path)
    with primary.app_context():       # after the snapshot: only the primary knows
        s = db.session
        f.person(s, name="甄新人")
        f.registration(s, e["jz.catalogue"], e["jz.clock"], p=s.query(type(p)).filter_by(name="甄新人").one())
        registrations.set_status(s, e["jz.clock"], number, "suspend", "测试暂扣", "test")
        s.commit()
    both = make_app(tmp_path / "primary", SQLALCHEMY_DATABASE_URI=primary.config["SQLALCHEMY_DATABASE_URI"],
                    DATABASE_READ_URL=replica_url, AUTO_INIT=False)
    yield both, number, url
    dispose(both)         # drops the empty database make_app made for it: it uses the primary's
    with both.app_context():
        both.extensions["jz.read_engine"].dispose()
    drop_replica()
    dispose(primary)


def test_lookup_and_verify_read_the_replica_and_the_registry_the_primary(world):
    app, number, url = world
    c = app.test_client()
    admin = {"Authorization": f"Bearer {app.config['ADMIN_TOKEN']}"}
    assert c.get("/api/v1/lookup", query_string={"q": "甄主库"}).get_json()["total"] == 1
    assert c.get("/api/v1/lookup", query_string={"q": "甄新人"}).get_json()["total"] == 0     # not replicated
    reg = c.get(f"/api/v1/registrations/{number}", headers=admin).get_json()                  # the primary
    assert reg["status"] == "suspended"
    verdict = c.post("/api/v1/verify", json={"qr": url}).get_json()
    assert verdict["verdict"] == "valid"          # the replica has not seen the 暂扣 yet


def test_readyz_checks_the_replica(world, tmp_path):
    app, _, _ = world
    c = app.test_client()
    r = c.get("/readyz")
    assert r.status_code == 200 and r.get_json()["checks"]["read_replica"] == "ok"
    broken = make_app(tmp_path / "broken", DATABASE_READ_URL=(
        "postgresql+psycopg://jz@127.0.0.1:1/nowhere" if PG_ADMIN_URL else f"sqlite:///{tmp_path}/none/x.db"))
    try:
        r = broken.test_client().get("/readyz")
        assert r.status_code == 503
        assert r.get_json()["details"]["checks"]["read_replica"] == "unavailable"
    finally:
        dispose(broken)
