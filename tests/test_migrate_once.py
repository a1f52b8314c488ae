"""Migrations once (issue 12, item 3): `flask --app backend db upgrade` takes a PostgreSQL advisory lock around the
Alembic upgrade, so that two started at the same moment on a fresh database both succeed and each migration runs
exactly once. PostgreSQL only (TEST_DATABASE_URL, the PostgreSQL pass of scripts/test.sh); SQLite has its file
lock (migrations/env.py), exercised by every test app that migrates."""
from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from backend.crypto.keys import ensure_keys
from tests.conftest import PG_ADMIN_URL, _pg, fresh_database_uri

ROOT = Path(__file__).resolve().parent.parent
LOCK_KEY = 0x4A5A4D49475231          # backend/migrations/env.py MIGRATION_LOCK_KEY
REVISIONS = len(list((ROOT / "backend/migrations/versions").glob("[0-9]*.py")))

pytestmark = pytest.mark.skipif(not PG_ADMIN_URL, reason="PostgreSQL only (TEST_DATABASE_URL)")


def _waiting(conn, dbname: str) -> int:
    return conn.execute("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                        "WHERE l.locktype = 'advisory' AND NOT l.granted AND a.datname = %s", (dbname,)).fetchone()[0]


def test_two_concurrent_upgrades_on_a_fresh_database_migrate_once(tmp_path):
    uri, drop = fresh_database_uri(tmp_path)
    dbname = uri.rsplit("/", 1)[1]
    key_dir = tmp_path / "keys"
    ensure_keys(key_dir)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "AUTO_INIT", "LOCAL_SECRETS"))}
    env.update(DATABASE_URL=uri.replace("postgresql+psycopg://", "postgresql://"), SECRET_KEY="s" * 40,
               AUTH_SECRET="a" * 40, KEY_DIR=str(key_dir), PDF_DEMO_CA="1", LOG_FORMAT="json",
               INSTANCE_PATH=str(tmp_path / "inst"))
    holder = _pg(uri)                 # hold the lock first, so that both upgrades meet at it
    procs = []
    try:
        holder.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
        procs = [subprocess.Popen([str(ROOT / ".venv/bin/flask"), "--app", "backend", "db", "upgrade"], cwd=ROOT,
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                 for _ in range(2)]
        deadline = time.monotonic() + 60
        while _waiting(holder, dbname) < 2:
            assert time.monotonic() < deadline, "the two upgrades never waited for the lock"
            assert all(p.poll() is None for p in procs), [p.communicate()[0][-2000:] for p in procs]
            time.sleep(0.05)
        holder.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
        outs = [p.communicate(timeout=120)[0] for p in procs]
        assert [p.returncode for p in procs] == [0, 0], [o[-2000:] for o in outs]
        runs = [len(re.findall(r"Running upgrade", o)) for o in outs]
        assert sorted(runs) == [0, REVISIONS], outs          # one migrated everything, the other nothing
        assert all("waiting for another migration" in o for o in outs)
        with _pg(uri) as conn:
            (version,) = conn.execute("SELECT version_num FROM alembic_version").fetchall()
            assert version[0] == sorted(p.name for p in (ROOT / "backend/migrations/versions").glob("0*.py"))[-1][:4]
            assert _waiting(conn, dbname) == 0 and conn.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").fetchone()[0] == 0   # nothing left held
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
        holder.close()
        drop()
