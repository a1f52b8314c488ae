"""Time seed_registry on a fresh database and print the figures.

    .venv/bin/python bench/seed_bench.py --persons 1000000 --db sqlite
    .venv/bin/python bench/seed_bench.py --persons 1000000 --db postgres [--pg-url postgresql://...]

SQLite: a fresh file bench/out/seed-bench.sqlite. PostgreSQL: a fresh database b_seed_bench on the server
of --pg-url (default: $BENCH_PG_URL, else a throwaway server this script starts itself with
scripts/pg-server.sh, its data in bench/out/pg-54339/ and the settings docs/deployment.md recommends for
lookups: BENCH_PG_SETTINGS). The database is kept, with a note of what it holds, for
bench/lookup_bench.py --reuse.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
PG_DEFAULT = os.environ.get("BENCH_PG_URL")        # None: bench_pg_server() starts one
PG_PORT = 54339
# docs/deployment.md, "PostgreSQL settings": planner costs for data on SSD and mostly in memory, no JIT
# (a lookup is short; compiling its plan costs more than running it), caches sized to the machine (23 GB).
BENCH_PG_SETTINGS = ("-c shared_buffers=4GB -c random_page_cost=1.1 -c effective_io_concurrency=200 -c jit=off "
                     "-c effective_cache_size=8GB -c work_mem=16MB -c maintenance_work_mem=1GB "
                     "-c max_wal_size=8GB -c checkpoint_timeout=30min")
PG_DB = "b_seed_bench"
TABLES = ("persons", "enterprises", "registrations", "registration_specialties", "qualifications")


def _suffix(persons: int) -> str:
    """Databases of other sizes than the usual 1,000,000 are kept beside it, under names of their own."""
    return "" if persons == 1_000_000 else f"-{persons}"


def note_path(db: str, persons: int = 1_000_000) -> Path:
    return OUT / f"seed-bench-{db}{_suffix(persons)}.json"


def pg_url(server_url: str, database: str) -> str:
    base = server_url.replace("postgresql://", "postgresql+psycopg://", 1).rsplit("/", 1)[0]
    return f"{base}/{database}"


def bench_pg_server(url: str | None) -> str:
    """The PostgreSQL server's URL: the one given, else the bench's own throwaway server, started (or
    found running) by scripts/pg-server.sh with its data under bench/out/, kept for --reuse."""
    if url:
        return url
    OUT.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PGTEST_DIR": str(OUT / f"pg-{PG_PORT}"), "PGTEST_OPTS": BENCH_PG_SETTINGS}
    out = subprocess.run([str(ROOT / "scripts" / "pg-server.sh"), "start", str(PG_PORT)], env=env,
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"scripts/pg-server.sh failed: {out.stderr.strip()}")
    return out.stdout.strip().splitlines()[-1]


def fresh_database(db: str, server_url: str, persons: int = 1_000_000) -> str:
    """A new, empty database; returns its SQLAlchemy URL."""
    OUT.mkdir(parents=True, exist_ok=True)
    if db == "sqlite":
        path = OUT / f"seed-bench{_suffix(persons)}.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    name = PG_DB + _suffix(persons).replace("-", "_")
    admin = create_engine(pg_url(server_url, "postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        c.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return pg_url(server_url, name)


def make_app(url: str, instance: Path):
    from backend import create_app
    from backend.bootstrap import upgrade_schema
    app = create_app({"INSTANCE_PATH": str(instance), "AUTO_INIT": False, "DEMO_PERSONS": 0,
                      "LOCAL_SECRETS": True, "PDF_DEMO_CA": True,     # one process: secrets made here
                      "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False,
                      "LOG_LEVEL": "WARNING"})   # no access line per request among the figures
    upgrade_schema(app)
    return app


def counts(app) -> dict:
    from backend.extensions import db
    with app.app_context():
        return {t: db.session.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in TABLES}


def run(db: str, persons: int, server_url: str, seed: int = 2026, progress: bool = True) -> dict:
    from backend.demo.seed import seed_registry
    from backend.extensions import db as fdb
    url = fresh_database(db, bench_pg_server(server_url) if db == "postgres" else "", persons)
    app = make_app(url, OUT / f"seed-bench-instance-{db}")
    ext = app.extensions
    with app.app_context():
        t0 = time.perf_counter()
        regs = seed_registry(fdb.session, ext["jz.catalogue"], ext["jz.clock"], persons, seed=seed, progress=progress)
        seconds = time.perf_counter() - t0
    n = counts(app)
    result = {"db": db, "url": url, "persons": n["persons"], "registrations": regs, "counts": n,
              "seconds": round(seconds, 1), "seed": seed}
    note_path(db, persons).write_text(json.dumps(result, indent=1))
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    ap.add_argument("--pg-url", default=PG_DEFAULT, help="any database URL of the PostgreSQL server to use "
                    "(default: $BENCH_PG_URL, else the bench's own throwaway server)")
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    r = run(args.db, args.persons, args.pg_url, args.seed)
    n = r["counts"]
    rows = sum(n.values())
    print(f"db={r['db']} persons={n['persons']:,} enterprises={n['enterprises']:,} "
          f"registrations={n['registrations']:,} specialties={n['registration_specialties']:,} "
          f"qualifications={n['qualifications']:,}")
    print(f"seconds={r['seconds']:.1f} rows={rows:,} rows/s={rows / r['seconds']:,.0f} "
          f"persons/s={n['persons'] / r['seconds']:,.0f} (cpus={os.cpu_count()}, load={os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
