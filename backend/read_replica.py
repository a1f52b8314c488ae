"""Reads that may be served by a read replica: DATABASE_READ_URL (or DATABASE_READ_URL_FILE).

At national scale the public lookup and the verifications are most of the load, and they only read. With
DATABASE_READ_URL set (a PostgreSQL streaming replica of DATABASE_URL, or a pooler in front of several), the
views that only read take `deps.read_session()`, a session on that database: GET /api/v1/lookup,
POST /api/v1/verify (and /verify/image), the photo links, and the signed status list. Everything that writes, or
reads in order to write (issuance, workflows, logins, the registry), stays on the primary.

What a replica answers may trail the primary by its replication lag (milliseconds when healthy): a 暂扣 is in
the replica's answers once replicated. /readyz checks the replica too, and docs/deployment.md says to alert on
lag above a few seconds. Unset (the default, and on SQLite), read_session() is the app's one session.
"""
from __future__ import annotations

from flask import Flask, current_app
from sqlalchemy import create_engine
from sqlalchemy.orm import scoped_session, sessionmaker

from backend.extensions import db


def _app_context_id() -> int:
    from flask import globals as flask_globals
    return id(flask_globals.app_ctx._get_current_object())


def register_read_replica(app: Flask) -> None:
    """A second engine and its request-scoped session when DATABASE_READ_URL is set; the engine options are the
    primary's (hidden parameters, connect timeout, pre-ping)."""
    url = app.config.get("DATABASE_READ_URL")
    if not url:
        return
    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    if url.startswith("postgresql"):
        options.setdefault("pool_pre_ping", True)
        options.setdefault("connect_args", {"connect_timeout": app.config.get("DATABASE_CONNECT_TIMEOUT", 5)})
    else:
        options.pop("connect_args", None)
        options.pop("pool_pre_ping", None)
    engine = create_engine(url, **options)
    session = scoped_session(sessionmaker(bind=engine), scopefunc=_app_context_id)
    app.extensions["jz.read_engine"] = engine
    app.extensions["jz.read_session"] = session

    @app.teardown_appcontext
    def _end_read_session(_exc=None):
        session.remove()


def read_session():
    """The session for a view that only reads: on the read replica when there is one, else the app's."""
    return current_app.extensions.get("jz.read_session") or db.session
