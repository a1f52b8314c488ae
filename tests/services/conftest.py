"""Service tests need no HTTP and no Flask: their `session` is a plain SQLAlchemy session on the module's
database, with the app's database rules (backend/database.py). The `app` fixture only makes that database
(migrations, keys); `svc` hands out the plain objects the services take."""
from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from backend.database import DEFERRED, plain_engine, transaction_mode


@pytest.fixture(scope="module")
def engine(app):
    e = plain_engine(app.config["SQLALCHEMY_DATABASE_URI"], busy_timeout_ms=app.config["SQLITE_BUSY_TIMEOUT_MS"])
    yield e
    e.dispose()


@pytest.fixture()
def session(engine):
    """Uncommitted work is rolled back after the test. On SQLite the session begins deferred, so that a read
    left open here does not hold the write lock against another session of the same thread (fixtures that
    commit through the app's); threads a test starts begin theirs with BEGIN IMMEDIATE, as jobs do."""
    with transaction_mode(DEFERRED):
        s = Session(engine)
        try:
            yield s
        finally:
            s.rollback()
            s.close()


@pytest.fixture()
def svc(app):
    """The objects services take (key ring, catalogue, settings, clock), outside any app context."""
    from types import SimpleNamespace
    e = app.extensions
    return SimpleNamespace(ring=e["jz.keystore"].get(), catalogue=e["jz.catalogue"], settings=e["jz.settings"],
                           clock=e["jz.clock"])
