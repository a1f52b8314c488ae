"""The app's part of the SQLite transaction rules (backend/database.py): each engine of the app gets them,
and within a request the mode follows what the request does — a deferred BEGIN for requests that only read
(GET, HEAD, OPTIONS, the verification POSTs), BEGIN IMMEDIATE for the rest."""
from __future__ import annotations

from flask import Flask, has_request_context, request

from backend import database
from backend.database import DEFERRED, IMMEDIATE, transaction_mode

__all__ = ["DEFERRED", "IMMEDIATE", "register_sqlite_transactions", "transaction_mode"]

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_ONLY_ENDPOINTS = frozenset({"verify.verify", "verify.verify_image"})   # POSTs that only read


def _request_mode() -> str:
    if has_request_context() and (request.method in READ_METHODS or request.endpoint in READ_ONLY_ENDPOINTS):
        return DEFERRED
    return IMMEDIATE


def register_sqlite_transactions(app: Flask) -> None:
    from backend.extensions import db
    database.default_mode = _request_mode
    with app.app_context():
        engines = [e for e in db.engines.values() if e.dialect.name == "sqlite"]
    for engine in engines:
        database.install(engine, app.config.get("SQLITE_BUSY_TIMEOUT_MS", 5000))
