"""SQLite transactions that lock: BEGIN IMMEDIATE for work that may write, a deferred BEGIN for reads.

pysqlite's own transaction handling sends no BEGIN before a SELECT and a deferred BEGIN before the first
INSERT or UPDATE, and SQLite ignores `SELECT … FOR UPDATE`: twelve requests for a copy of one registration
all counted the same copies and numbered the same version, and eight of them died on the UNIQUE
identifier. Here pysqlite's handling is switched off and every transaction begins with our own BEGIN
(SQLAlchemy's recipe, "Enabling Non-Legacy SQLite Transactional Modes" in its SQLite dialect docs):

* `BEGIN IMMEDIATE` takes the database's write lock at once, waiting up to busy_timeout for it: a write
  transaction runs alone from its first read, which is what the services' row locks (`with_for_update`)
  mean on PostgreSQL. The default: requests that change data, CLI commands and jobs; a block that only
  reads may ask for a deferred BEGIN with `transaction_mode(DEFERRED)` (cli.py's audit-verify, digest).
* `BEGIN` (deferred) for requests that only read: GET, HEAD, OPTIONS and the verification POSTs, so that
  the verifications of several gunicorn workers neither wait for each other nor for a writer.

Every connection uses WAL (readers see the last commit and do not block the writer) and busy_timeout =
SQLITE_BUSY_TIMEOUT_MS; a writer still waiting after that gets "database is locked", answered with 503.
"""
from __future__ import annotations

import contextvars
import logging
import sqlite3
from contextlib import contextmanager

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

IMMEDIATE, DEFERRED = "IMMEDIATE", "DEFERRED"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_ONLY_ENDPOINTS = frozenset({"verify.verify", "verify.verify_image"})   # POSTs that only read
_mode: contextvars.ContextVar[str | None] = contextvars.ContextVar("jz_sqlite_begin", default=None)


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
    if mode is not None:
        return mode
    if has_request_context() and (request.method in READ_METHODS or request.endpoint in READ_ONLY_ENDPOINTS):
        return DEFERRED
    return IMMEDIATE


def register_sqlite_transactions(app: Flask) -> None:
    from backend.extensions import db
    with app.app_context():
        engines = [e for e in db.engines.values() if e.dialect.name == "sqlite"]
    for engine in engines:
        install(engine, app.config.get("SQLITE_BUSY_TIMEOUT_MS", 5000))


def install(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None        # pysqlite sends no BEGIN of its own
        dbapi_connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        try:
            dbapi_connection.execute("PRAGMA journal_mode = WAL")   # kept in the file; a no-op once set
        except sqlite3.OperationalError as e:           # e.g. a read-only file: it still works, just slower
            log.warning("SQLite: could not switch to WAL: %s", e)

    # Where SQLAlchemy begins a transaction (pysqlite's do_begin does nothing), rather than in a "begin" event
    # listener as the recipe has it: any engine event makes SQLAlchemy dispatch events around every statement,
    # about 5 % of a verification's CPU; and an error here ("database is locked") comes back wrapped as any other.
    # This engine's dialect only. (So no AUTOCOMMIT isolation level on SQLite: nothing here asks for it.)
    engine.dialect.do_begin = _do_begin


def _do_begin(dbapi_connection) -> None:
    dbapi_connection.execute("BEGIN IMMEDIATE" if begin_mode() == IMMEDIATE else "BEGIN")
