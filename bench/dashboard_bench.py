"""Time the province dashboard at 1,000,000 registrations: each chart's aggregate and the whole answer of
GET /api/v1/admin/dashboard (through the Flask test client, the authority's token), cold (no cache).

    .venv/bin/python bench/dashboard_bench.py --db sqlite --reuse
    .venv/bin/python bench/dashboard_bench.py --db postgres --reuse [--pg-url postgresql://...]
    .venv/bin/python bench/dashboard_bench.py --db sqlite --reuse --without-indexes    # 0013's indexes dropped

The database is a copy of the one bench/seed_bench.py left (--reuse; else it seeds one first): the file
copied on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL (on bench/seed_bench.py's throwaway server
when --pg-url is not given, started if need be), so that upgrading it to this code's migrations leaves the
seed's database to the other benchmarks. To the copy are added once what the seed has none of:
applications with decisions (20,000), certificate copies over the last 30 days (30,000) and verification
counts per day. Each round runs every chart once one after the other (each chart's time), then all of them as
the API does, on DASHBOARD_WORKERS threads (a connection each); the best round of --rounds is reported, with every
round's total. On SQLite the database works in this process, so its CPU time is also printed: the cost of
the aggregates apart from other programs competing for the CPUs (on PostgreSQL the server does the work).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
import seed_bench  # noqa: E402

COPY_DB = "b_dashboard_bench"
EXTRA = {"applications": 20_000, "copies": 30_000}


def note_path(db: str) -> Path:
    return seed_bench.OUT / f"dashboard-bench-{db}.json"


def seed_database(db: str, persons: int, server_url: str | None, reuse: bool) -> dict:
    note = seed_bench.note_path(db)
    if reuse and note.exists():
        info = json.loads(note.read_text())
        if info.get("persons") == persons:
            print(f"reusing {info['url']} ({info['persons']:,} persons)", file=sys.stderr)
            return info
    print(f"seeding {persons:,} persons first", file=sys.stderr)
    return seed_bench.run(db, persons, server_url)


def copy_database(db: str, seed: dict, server_url: str | None) -> tuple[str, bool]:
    """(URL of the copy, whether it was made afresh): made again when the seed changed."""
    note = note_path(db)
    if note.exists() and json.loads(note.read_text()).get("seed") == seed:
        return json.loads(note.read_text())["url"], False
    t0 = time.perf_counter()
    if db == "sqlite":
        src = Path(seed["url"][len("sqlite:///"):])
        dst = seed_bench.OUT / "dashboard-bench.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{dst}{suffix}").unlink(missing_ok=True)
        import sqlite3
        with sqlite3.connect(src) as c:          # what is still in the seed's WAL, into its file first
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(src, dst)
        url = f"sqlite:///{dst}"
    else:
        server = seed_bench.bench_pg_server(server_url)
        admin = create_engine(seed_bench.pg_url(server, "postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f"DROP DATABASE IF EXISTS {COPY_DB} WITH (FORCE)"))
            c.execute(text(f"CREATE DATABASE {COPY_DB} TEMPLATE {seed_bench.PG_DB}"))
        admin.dispose()
        url = seed_bench.pg_url(server, COPY_DB)
    print(f"copied the seed's database in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    note.write_text(json.dumps({"seed": seed, "url": url}, indent=1))
    return url, True


def upgraded_app(url: str, instance: Path):
    """The app on the copy, its schema upgraded. A seed database stamped back to an older version while it
    kept newer (empty) tables fails the upgrade with "already exists": such a table is dropped from the copy
    (never from the seed's database) and the upgrade tried again."""
    import re

    from sqlalchemy.exc import ProgrammingError
    for _ in range(10):
        try:
            return seed_bench.make_app(url, instance)
        except ProgrammingError as e:
            m = re.search(r'relation "(\w+)" already exists', str(e))
            if not m:
                raise
            eng = create_engine(url)
            with eng.begin() as c:
                if c.execute(text(f"SELECT count(*) FROM {m.group(1)}")).scalar():
                    raise
                c.execute(text(f"DROP TABLE {m.group(1)} CASCADE"))
            eng.dispose()
            print(f"dropped the empty table {m.group(1)} left in the copy by a stamped-back seed", file=sys.stderr)
    raise SystemExit("the copy's schema could not be upgraded")


def add_activity(app) -> None:
    """Applications (decided ones with durations), copies and verification counts, in bulk, once."""
    from backend.extensions import db
    from backend.services.workflows.types import TYPES, State
    rnd = random.Random(13)
    with app.app_context():
        s = db.session
        now = app.extensions["jz.clock"].now()
        reg = s.execute(text("SELECT id, person_id, enterprise_id, kind_code FROM registrations "
                             "WHERE id % 37 = 0 LIMIT :n"), {"n": EXTRA["copies"]}).all()
        first_app = (s.execute(text("SELECT max(id) FROM applications")).scalar() or 0) + 1
        states = [State.APPROVED] * 6 + [State.REFUSED, State.SUBMITTED, State.CONFIRMED, State.RETURNED]
        apps = []
        for i in range(EXTRA["applications"]):
            r = reg[i % len(reg)]
            submitted = now - dt.timedelta(days=rnd.uniform(0, 60))
            state = states[i % len(states)]
            decided = submitted + dt.timedelta(hours=rnd.expovariate(1 / 30)) if state in State.FINAL else None
            apps.append({"id": first_app + i, "pid": f"ap_bench{first_app + i:014d}", "type": list(TYPES)[i % 4],
                         "state": state, "person": r[1], "reg": r[0], "ent": r[2], "kind": r[3], "sub": submitted,
                         "dec": decided, "now": now})
        s.execute(text("INSERT INTO applications (id, public_id, type, state, person_id, registration_id, kind_code, "
                       "specialties, enterprise_id, filed_by, changes, cpd_commitment, decision_mode, rules, "
                       "decided_at, submitted_at, created_at, updated_at, lock_seq) VALUES (:id, :pid, :type, "
                       ":state, :person, :reg, :kind, '[]', :ent, 'holder', '{}', false, 'auto', '[]', :dec, :sub, "
                       ":sub, :now, 0)"), apps)
        first_copy = (s.execute(text("SELECT max(id) FROM certificate_copies")).scalar() or 0) + 1
        copies = [{"id": first_copy + i, "pub": f"b{first_copy + i:015d}", "ident": f"bench.{first_copy + i}",
                   "reg": r[0], "at": now - dt.timedelta(minutes=rnd.uniform(0, 30 * 1440)),
                   "until": now + dt.timedelta(days=180)} for i, r in enumerate(reg)]
        s.execute(text("INSERT INTO certificate_copies (id, public_id, identifier, registration_id, version, issued_at, "
                       "usage_from, usage_until, status, kid, token, qr_text, qr_png, qr_svg, snapshot) VALUES (:id, "
                       ":pub, :ident, :reg, 1, :at, :at, :until, 'current', 'bench', 'x', 'x', :png, 'x', '{}')"),
                  [c | {"png": b"x"} for c in copies])
        today = app.extensions["jz.clock"].today()
        s.execute(text("INSERT INTO verification_counts (day, verdict, count) VALUES (:d, :v, :n)"),
                  [{"d": today - dt.timedelta(days=i), "v": v, "n": rnd.randint(100, 5000)}
                   for i in range(45) for v in ("valid", "expired", "superseded", "invalid", "not_found")])
        if s.get_bind().dialect.name == "postgresql":
            s.execute(text("SELECT setval(pg_get_serial_sequence('applications', 'id'), (SELECT max(id) FROM applications))"))
            s.execute(text("SELECT setval(pg_get_serial_sequence('certificate_copies', 'id'), "
                           "(SELECT max(id) FROM certificate_copies))"))
        s.commit()
        s.execute(text("ANALYZE"))
        s.commit()


def migration_indexes() -> tuple:
    import importlib.util
    path = seed_bench.ROOT / "backend" / "migrations" / "versions" / "0013_dashboard.py"
    spec = importlib.util.spec_from_file_location("m0013", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.INDEXES


def vacuum(url: str) -> None:
    """PostgreSQL: VACUUM ANALYZE the copy, as bench/seed_bench.py does after its load (and autovacuum would
    in time): a migration that rewrote rows (0010) leaves the visibility map unset, and until it is set every
    index-only scan also reads the table."""
    if not url.startswith("postgresql"):
        return
    t0 = time.perf_counter()
    eng = create_engine(url, isolation_level="AUTOCOMMIT")
    with eng.connect() as c:
        c.execute(text("VACUUM (ANALYZE)"))
    eng.dispose()
    print(f"VACUUM (ANALYZE) of the copy in {time.perf_counter() - t0:.1f} s", file=sys.stderr)


def drop_indexes(app) -> None:
    from backend.extensions import db
    with app.app_context():
        for name, _, _ in migration_indexes():
            db.session.execute(text(f"DROP INDEX IF EXISTS {name}"))
        db.session.commit()


def restore_indexes(app) -> None:
    from backend.extensions import db
    with app.app_context():
        for name, table, cols in migration_indexes():
            db.session.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({cols})"))
        db.session.commit()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    ap.add_argument("--reuse", action="store_true", help="use the seed bench's database when it fits")
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pg-url", default=seed_bench.PG_DEFAULT)
    ap.add_argument("--without-indexes", action="store_true", help="time without 0013's indexes (then restore them)")
    args = ap.parse_args()
    seed = seed_database(args.db, args.persons, args.pg_url, args.reuse)
    url, fresh = copy_database(args.db, seed, args.pg_url)
    t0 = time.perf_counter()
    app = upgraded_app(url, seed_bench.OUT / f"dashboard-bench-instance-{args.db}")
    print(f"schema upgraded (0013's indexes built if new) in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    if fresh:
        add_activity(app)
    vacuum(url)             # also after a migration of a reused copy (0018 rewrote every specialty)
    if args.without_indexes:
        drop_indexes(app)
    from backend.extensions import db
    from backend.services.dashboard.charts import build
    ext = app.extensions
    workers = app.config["DASHBOARD_WORKERS"]
    rounds = []
    try:
        for _ in range(args.rounds):
            timings: dict = {}
            with app.app_context():
                t, cpu = time.perf_counter(), time.process_time()
                build(db.session, ext["jz.catalogue"], ext["jz.clock"], timings)
                timings["(all charts)"] = time.perf_counter() - t
                timings["(all charts, CPU of this process)"] = time.process_time() - cpu
                db.session.remove()
                t = time.perf_counter()
                build(db.session, ext["jz.catalogue"], ext["jz.clock"], workers=workers)
                timings[f"(all charts, {workers} threads)"] = time.perf_counter() - t
                db.session.remove()
            rounds.append(timings)
        client = app.test_client()
        token = {"Authorization": f"Bearer {app.config['ADMIN_TOKEN']}"}
        http = []
        for _ in range(args.rounds):
            t = time.perf_counter()
            resp = client.get("/api/v1/admin/dashboard?fresh=1", headers=token)
            http.append(time.perf_counter() - t)
            if resp.status_code != 200:
                http = [f"HTTP {resp.status_code}"]
                break
    finally:
        if args.without_indexes:
            restore_indexes(app)
    best = min(rounds, key=lambda r: r["(all charts)"])
    with app.app_context():
        regs = db.session.execute(text("SELECT count(*) FROM registrations")).scalar()
    print(f"db={args.db} registrations={regs:,} indexes={'without 0013' if args.without_indexes else 'with 0013'} "
          f"rounds={args.rounds} (cpus={os.cpu_count()}, load={os.getloadavg()[0]:.2f})")
    for name, secs in best.items():
        print(f"  {name:24s} {secs * 1000:8.1f} ms")
    totals = ", ".join(f"{r['(all charts)'] * 1000:.0f}" for r in rounds)
    print(f"  all charts one after the other, each round: {totals} ms")
    totals = ", ".join(f"{r[f'(all charts, {workers} threads)'] * 1000:.0f}" for r in rounds)
    print(f"  all charts on {workers} threads (DASHBOARD_WORKERS), each round: {totals} ms")
    print("  GET /api/v1/admin/dashboard?fresh=1, each round: "
          + ", ".join(f"{h * 1000:.0f} ms" if isinstance(h, float) else h for h in http))


if __name__ == "__main__":
    main()
