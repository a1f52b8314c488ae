"""The database's house rules, without Flask: SQLite transactions that lock, and a plain engine for scripts
and service tests.

SQLite: pysqlite's own transaction handling sends no BEGIN before a SELECT and a deferred BEGIN before the
first INSERT or UPDATE, and SQLite ignores `SELECT … FOR UPDATE`: twelve requests for a copy of one
registration all counted the same copies and numbered the same version, and eight of them died on the UNIQUE
identifier. Here pysqlite's handling is switched off and every transaction begins with our own BEGIN
(SQLAlchemy's recipe, "Enabling Non-Legacy SQLite Transactional Modes" in its SQLite dialect docs):

* `BEGIN IMMEDIATE` takes the database's write lock at once, waiting up to busy_timeout for it: a write
  transaction runs alone from its first read, which is what the services' row locks (`with_for_update`)
  mean on PostgreSQL. The default: CLI commands, jobs, requests that change data.
* no BEGIN at all (`SINGLE_READ`) for a verification, which reads with one statement: what PostgreSQL's
  autocommit read is for it (backend/api/verify.py), here, without the cost of a BEGIN and a ROLLBACK;
* `BEGIN` (deferred) for what only reads: `transaction_mode(DEFERRED)` around it, or, in the app, requests
  that only read (GET, HEAD, OPTIONS and the verification POSTs: backend/sqlite_transactions.py sets
  `default_mode`), so that the verifications of several gunicorn workers neither wait for each other nor for
  a writer.

Every connection uses WAL (readers see the last commit and do not block the writer) and busy_timeout; a
writer still waiting after that gets "database is locked", answered with 503 by the app.
"""
from __future__ import annotations

import contextvars
import logging
import sqlite3
from collections.abc import Callable
from contextlib import contextmanager

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

IMMEDIATE, DEFERRED = "IMMEDIATE", "DEFERRED"
# No BEGIN at all: each statement is its own transaction. Only for work that reads with one statement, where a
# snapshot across statements means nothing (a verification): it saves the BEGIN and the ROLLBACK.
SINGLE_READ = "SINGLE_READ"
_mode: contextvars.ContextVar[str | None] = contextvars.ContextVar("jz_sqlite_begin", default=None)
default_mode: Callable[[], str] = lambda: IMMEDIATE      # the app replaces it with a request-aware choice


@contextmanager
def transaction_mode(mode: str):
    """Transactions begun inside the block use `mode` (IMMEDIATE or DEFERRED), e.g. a long read-only job
    that must not hold the write lock."""
    token = _mode.set(mode)
    try:
        yield
    finally:
        _mode.reset(token)


def begin_mode() -> str:
    mode = _mode.get()
    return mode if mode is not None else default_mode()


def install(engine: Engine, busy_timeout_ms: int) -> None:
    """The SQLite rules above, on one engine (a no-op for other databases)."""
    if engine.dialect.name != "sqlite":
        return

    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None        # pysqlite sends no BEGIN of its own
        dbapi_connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        try:
            dbapi_connection.execute("PRAGMA journal_mode = WAL")   # kept in the file; a no-op once set
        except sqlite3.OperationalError as e:           # e.g. a read-only file: it still works, just slower
            log.warning("SQLite: could not switch to WAL: %s", e)

    from sqlalchemy import event
    event.listen(engine, "connect", _connect)
    # Where SQLAlchemy begins a transaction (pysqlite's do_begin does nothing), rather than in a "begin" event
    # listener as the recipe has it: any engine event makes SQLAlchemy dispatch events around every statement,
    # about 5 % of a verification's CPU; and an error here ("database is locked") comes back wrapped as any other.
    # This engine's dialect only. (So no AUTOCOMMIT isolation level on SQLite: nothing here asks for it.)
    engine.dialect.do_begin = _do_begin


def _do_begin(dbapi_connection) -> None:
    mode = begin_mode()
    if mode != SINGLE_READ:
        dbapi_connection.execute("BEGIN IMMEDIATE" if mode == IMMEDIATE else "BEGIN")


def plain_engine(uri: str, *, busy_timeout_ms: int = 5000) -> Engine:
    """An engine with the app's rules (hidden SQL parameters, SQLite locking), for what runs without Flask."""
    if uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri[len("postgresql://"):]
    engine = create_engine(uri, hide_parameters=True)
    install(engine, busy_timeout_ms)
    return engine
