"""Time seed_registry on a fresh database and print the figures.

    .venv/bin/python bench/seed_bench.py --persons 1000000 --db sqlite
    .venv/bin/python bench/seed_bench.py --persons 1000000 --db postgres [--pg-url postgresql://...]

SQLite: a fresh file bench/out/seed-bench.sqlite. PostgreSQL: a fresh database b_seed_bench on the server
of --pg-url (default: $BENCH_PG_URL, else the throwaway server of scripts/pg-server.sh). The database is
kept, with a note of what it holds, for bench/lookup_bench.py --reuse.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
PG_DEFAULT = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:54329/postgres")
PG_DB = "b_seed_bench"
TABLES = ("persons", "enterprises", "registrations", "registration_specialties", "qualifications")


def note_path(db: str) -> Path:
    return OUT / f"seed-bench-{db}.json"


def pg_url(server_url: str, database: str) -> str:
    base = server_url.replace("postgresql://", "postgresql+psycopg://", 1).rsplit("/", 1)[0]
    return f"{base}/{database}"


def fresh_database(db: str, server_url: str) -> str:
    """A new, empty database; returns its SQLAlchemy URL."""
    OUT.mkdir(parents=True, exist_ok=True)
    if db == "sqlite":
        path = OUT / "seed-bench.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    admin = create_engine(pg_url(server_url, "postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"))
        c.execute(text(f"CREATE DATABASE {PG_DB}"))
    admin.dispose()
    return pg_url(server_url, PG_DB)


def make_app(url: str, instance: Path):
    from backend import create_app
    from backend.bootstrap import upgrade_schema
    app = create_app({"INSTANCE_PATH": str(instance), "AUTO_INIT": False, "DEMO_PERSONS": 0,
                      "LOCAL_SECRETS": True, "PDF_DEMO_CA": True,     # one process: secrets made here
                      "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    upgrade_schema(app)
    return app


def counts(app) -> dict:
    from backend.extensions import db
    with app.app_context():
        return {t: db.session.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in TABLES}


def run(db: str, persons: int, server_url: str, seed: int = 2026, progress: bool = True) -> dict:
    from backend.demo.seed import seed_registry
    from backend.extensions import db as fdb
    url = fresh_database(db, server_url)
    app = make_app(url, OUT / f"seed-bench-instance-{db}")
    ext = app.extensions
    with app.app_context():
        t0 = time.perf_counter()
        regs = seed_registry(fdb.session, ext["jz.catalogue"], ext["jz.clock"], persons, seed=seed, progress=progress)
        seconds = time.perf_counter() - t0
    n = counts(app)
    result = {"db": db, "url": url, "persons": n["persons"], "registrations": regs, "counts": n,
              "seconds": round(seconds, 1), "seed": seed}
    note_path(db).write_text(json.dumps(result, indent=1))
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    ap.add_argument("--pg-url", default=PG_DEFAULT, help="any database URL of the PostgreSQL server to use")
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
