"""The app's part of the SQLite transaction rules (backend/database.py): each engine of the app gets them,
and within a request the mode follows what the request does: no BEGIN for a verification (one SELECT), a
deferred BEGIN for requests that only read (GET, HEAD, OPTIONS), BEGIN IMMEDIATE for the rest."""
from __future__ import annotations

from flask import Flask, has_request_context, request

from backend import database
from backend.database import DEFERRED, IMMEDIATE, SINGLE_READ, transaction_mode

__all__ = ["DEFERRED", "IMMEDIATE", "register_sqlite_transactions", "transaction_mode"]

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_ONLY_ENDPOINTS = frozenset({"verify.verify", "verify.verify_image"})   # POSTs that read one row each


def _request_mode() -> str:
    if not has_request_context():
        return IMMEDIATE
    if request.endpoint in READ_ONLY_ENDPOINTS:
        return SINGLE_READ
    return DEFERRED if request.method in READ_METHODS else IMMEDIATE


def register_sqlite_transactions(app: Flask) -> None:
    from backend.extensions import db
    database.default_mode = _request_mode
    with app.app_context():
        engines = [e for e in db.engines.values() if e.dialect.name == "sqlite"]
    for engine in engines:
        database.install(engine, app.config.get("SQLITE_BUSY_TIMEOUT_MS", 5000))
