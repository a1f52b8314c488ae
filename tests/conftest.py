"""Fixtures: a fresh app per test module, on SQLite by default or on PostgreSQL when TEST_DATABASE_URL
names a server (each app gets a database of its own there, dropped afterwards)."""
from __future__ import annotations

import os
import uuid

import pytest

from backend import create_app
from backend.extensions import db

PG_ADMIN_URL = os.environ.get("TEST_DATABASE_URL")


def _pg(url: str):
    import psycopg
    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def fresh_database_uri(tmp_dir) -> tuple[str, callable]:
    """(SQLAlchemy URI of an empty database, function that drops it)."""
    if not PG_ADMIN_URL:
        return f"sqlite:///{tmp_dir}/test.db", lambda: None
    name = f"jz_test_{uuid.uuid4().hex[:12]}"
    with _pg(PG_ADMIN_URL) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://", 1).rsplit("/", 1)[0]

    def drop():
        with _pg(PG_ADMIN_URL) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return f"{base}/{name}", drop


def need(present: bool, what: str) -> None:
    """A missing system part skips a test on a developer's machine but fails it in CI (CI=true), where
    scripts/test.sh has installed everything: a skip there would hide a missing install step."""
    if not present:
        if os.environ.get("CI"):
            pytest.fail(f"{what} (CI must have it)")
        pytest.skip(what)


def make_app(tmp_dir, **overrides):
    uri, drop = fresh_database_uri(tmp_dir)
    # LOCAL_SECRETS, PDF_DEMO_CA: one process, so the secrets, keys and demo CA may be made here, on PostgreSQL too
    cfg = {"INSTANCE_PATH": str(tmp_dir), "SQLALCHEMY_DATABASE_URI": uri, "AUTO_INIT": True, "DEMO_PERSONS": 0,
           "LOCAL_SECRETS": True, "PDF_DEMO_CA": True,
           "RATELIMIT_ENABLED": False, "STATUS_LIST_CACHE_SECONDS": 0, "TESTING": True,
           "API_VALIDATE_RESPONSES": True}       # every answer of every test is checked against its schema
    cfg.update(overrides)
    app = create_app(cfg)
    app.extensions["jz.drop_test_db"] = drop
    return app


def dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    app.extensions["jz.drop_test_db"]()


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    a = make_app(tmp_path_factory.mktemp("app"))
    yield a
    dispose(a)


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def auth(app):
    return {"Authorization": f"Bearer {app.config['ADMIN_TOKEN']}"}


@pytest.fixture()
def session(app):
    """The app's session inside an app context; uncommitted work is rolled back after the test.
    On SQLite its transactions begin deferred (backend/sqlite_transactions.py), so that a read left open
    here does not hold the write lock against the session of another app context in the same thread (the
    svc fixture's); threads a test starts begin theirs with BEGIN IMMEDIATE, as jobs and requests do."""
    from backend.sqlite_transactions import DEFERRED, transaction_mode
    with app.app_context(), transaction_mode(DEFERRED):
        yield db.session
        db.session.rollback()


@pytest.fixture()
def svc(app):
    """The objects services take: key ring, catalogue, settings, clock."""
    from types import SimpleNamespace
    e = app.extensions
    with app.app_context():
        yield SimpleNamespace(ring=e["jz.keystore"].get(), catalogue=e["jz.catalogue"], settings=e["jz.settings"],
                              clock=e["jz.clock"])

