"""GET /readyz: may this process be sent requests? The database answers, Redis (the rate-limit counters, when
REDIS_URL is set) answers, and the schema is at the code's migration head. Each check says "ok" or why not.

The schema counts as ready when it is at this code's head, or ahead of it (a revision this code does not know:
a newer release migrated while this one still serves; migrations are written to keep the previous release
working, docs/operations.md). It is not ready when it is behind (a known older revision) or empty: with
AUTO_INIT off the workers never migrate, the one-shot `flask --app backend db upgrade` must run first.
"""
from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import text

_heads_lock = threading.Lock()
_heads: dict[str, tuple[frozenset[str], object]] = {}


def code_heads(migrations_dir: str | Path):
    """(this code's head revisions, its ScriptDirectory), read once per process."""
    key = str(migrations_dir)
    with _heads_lock:
        if key not in _heads:
            from alembic.config import Config
            from alembic.script import ScriptDirectory
            cfg = Config()
            cfg.set_main_option("script_location", key)
            script = ScriptDirectory.from_config(cfg)
            _heads[key] = (frozenset(script.get_heads()), script)
        return _heads[key]


def migration_state(session, migrations_dir: str | Path) -> str:
    """"ok" (at head), "ahead" (a revision this code does not know), "behind", or "empty" (never migrated)."""
    from sqlalchemy.exc import DBAPIError
    heads, script = code_heads(migrations_dir)
    try:
        current = {r[0] for r in session.execute(text("SELECT version_num FROM alembic_version"))}
    except DBAPIError:
        session.rollback()
        if not _has_version_table(session):
            return "empty"
        raise
    if current == heads:
        return "ok"
    if not current:
        return "empty"
    for rev in current:
        try:
            if script.get_revision(rev) is None:
                return "ahead"
        except Exception:    # noqa: BLE001 - alembic's ResolutionError: a revision this code does not have
            return "ahead"
    return "behind"


def _has_version_table(session) -> bool:
    from sqlalchemy import inspect
    try:
        return inspect(session.connection()).has_table("alembic_version")
    finally:
        session.rollback()


_redis_clients: dict[str, object] = {}


def redis_state(url: str | None, timeout: float) -> str:
    """"ok", "not_configured" (no REDIS_URL: counters in memory), or "unavailable"."""
    if not url:
        return "not_configured"
    client = _redis_clients.get(url)
    if client is None:
        import redis
        client = _redis_clients[url] = redis.Redis.from_url(url, socket_timeout=timeout,
                                                            socket_connect_timeout=timeout)
    try:
        return "ok" if client.ping() else "unavailable"
    except Exception:  # noqa: BLE001 - any failure to answer is "unavailable"
        return "unavailable"


def database_state(session) -> str:
    try:
        session.execute(text("SELECT 1"))
        return "ok"
    except Exception:  # noqa: BLE001 - any database failure means "unavailable"
        session.rollback()
        return "unavailable"


def readiness(session, redis_url: str | None, migrations_dir: str | Path, timeout: float,
              read_session=None) -> tuple[bool, dict]:
    """Ready: the database (and the read replica, when there is one) and Redis answer, the schema is at head."""
    checks = {"database": database_state(session), "redis": redis_state(redis_url, timeout)}
    if read_session is not None:
        checks["read_replica"] = database_state(read_session)
        read_session.rollback()
    if checks["database"] == "ok":
        try:
            checks["migrations"] = migration_state(session, migrations_dir)
        except Exception:  # noqa: BLE001 - the database failed between the two questions
            session.rollback()
            checks["migrations"] = "unknown"
    else:
        checks["migrations"] = "unknown"
    session.rollback()
    ready = (checks["database"] == "ok" and checks.get("read_replica", "ok") == "ok"
             and checks["redis"] in ("ok", "not_configured")
             and checks["migrations"] in ("ok", "ahead"))
    return ready, checks
