"""Time the import of N registration rows (and the enterprises, persons and qualifications they need) with the
real service, on SQLite or PostgreSQL, and print seconds, rows/s and peak RSS of each import.

    .venv/bin/python bench/import_bench.py --rows 1000000 --db sqlite
    .venv/bin/python bench/import_bench.py --rows 1000000 --db postgres [--pg-url postgresql://...]

The files are generated as CSV (UTF-8) under bench/out/import/ (N registrations, N persons with one JZS2
qualification each, N/50 enterprises). Each import runs in a child process of its own (the same runner as
`flask import`), so that its peak RSS (ru_maxrss) is its own; then the registrations file is imported a second
time (nothing changes: every row read, checked and compared). cpu_s is the importing process's own CPU time
(user + system; on SQLite that includes the database's work, on PostgreSQL the server's is not in it): on a
shared machine it says more than the wall-clock seconds. SQLite: a fresh file bench/out/import-bench.sqlite.
PostgreSQL: a fresh database b_import_bench on the server of --pg-url, else on a throwaway server this script
starts itself with scripts/pg-server.sh on port 54341 (data in bench/out/pg-54341/).
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
FILES = OUT / "import"
PG_PORT = 54341
PG_DB = "b_import_bench"
PER_ENTERPRISE = 50
KINDS = ("enterprises", "persons", "qualifications", "registrations")


def generate(n: int) -> dict[str, Path]:
    """The four files for n registrations (written streaming; ID numbers, credit codes and numbers valid)."""
    from backend.services.checkdigits import id_check_char, uscc_check_char
    from backend.services.imports.templates import columns
    FILES.mkdir(parents=True, exist_ok=True)
    paths = {k: FILES / f"{k}-{n}.csv" for k in KINDS}
    if all(p.exists() for p in paths.values()):
        return paths
    heads = {k: [c.zh for c in columns(k) if c.key != "remark"] for k in KINDS}
    files = {k: open(paths[k], "w", encoding="utf-8", newline="") for k in KINDS}
    w = {k: csv.writer(f) for k, f in files.items()}
    for k in KINDS:
        w[k].writerow(heads[k])
    n_ent = max(1, n // PER_ENTERPRISE)
    usccs = []
    for i in range(n_ent):
        first17 = f"911101{i:011d}"
        uscc = first17 + uscc_check_char(first17)
        usccs.append(uscc)
        w["enterprises"].writerow([uscc, f"北京第{i}建设工程有限公司", "", "", "正常"])
    today = dt.date.today()
    vf = today - dt.timedelta(days=100)
    vu = (vf.replace(year=vf.year + 3) - dt.timedelta(days=1)).isoformat()
    vf = vf.isoformat()
    base = dt.date(1970, 1, 1)
    names = "王李张刘陈杨赵黄周吴"
    for i in range(n):
        day, rest = i % 7300, i // 7300
        birth = (base + dt.timedelta(days=day)).strftime("%Y%m%d")
        first17 = f"{110101 + rest // 999:06d}{birth}{rest % 999 + 1:03d}"
        idn = first17 + id_check_char(first17)
        w["persons"].writerow([idn, names[i % 10] + "建国", "", "", ""])
        w["qualifications"].writerow([idn, "JZS2", "JZ", f"Q{i:09d}", "2015-06-30"])
        prefix, serial = divmod(i, 99999)
        number = f"京211{10 + prefix // 90:02d}{10 + prefix % 90:02d}{serial + 1:05d}"
        w["registrations"].writerow([number, idn, "JZS2", usccs[i % n_ent], "JZ", vf, vu, "2016-05-01", "有效", "", ""])
    for f in files.values():
        f.close()
    return paths


def pg_server(url: str | None) -> str:
    if url:
        return url
    OUT.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PGTEST_DIR": str(OUT / f"pg-{PG_PORT}")}
    out = subprocess.run([str(ROOT / "scripts" / "pg-server.sh"), "start", str(PG_PORT)], env=env,
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"scripts/pg-server.sh failed: {out.stderr.strip()}")
    return out.stdout.strip().splitlines()[-1]


def fresh_database(db: str, server: str) -> str:
    from sqlalchemy import create_engine, text
    if db == "sqlite":
        path = OUT / "import-bench.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    base = server.replace("postgresql://", "postgresql+psycopg://", 1).rsplit("/", 1)[0]
    admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"))
        c.execute(text(f"CREATE DATABASE {PG_DB}"))
    admin.dispose()
    return f"{base}/{PG_DB}"


def make_app(url: str):
    from backend import create_app
    return create_app({"INSTANCE_PATH": str(OUT / "import-bench-instance"), "AUTO_INIT": False, "DEMO_PERSONS": 0,
                       "LOCAL_SECRETS": True, "PDF_DEMO_CA": True, "SQLALCHEMY_DATABASE_URI": url,
                       "RATELIMIT_ENABLED": False, "LOG_LEVEL": "WARNING"})


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def phase(url: str, kind: str, path: str) -> None:
    """In the child: one import, its figures as a JSON line on stdout."""
    from backend.extensions import db
    from backend.services.imports.batches import ImportSettings, create_batch
    from backend.services.imports.runner import run_import
    app = make_app(url)
    ext = app.extensions
    with app.app_context():
        settings = ImportSettings.from_config(app.config)
        b = create_batch(db.session, ext["jz.clock"], settings, kind=kind, file_name=Path(path).name,
                         size=Path(path).stat().st_size, sha256=None, dry_run=False, actor="bench")
        db.session.commit()
        t0, c0 = time.perf_counter(), _cpu()
        b = run_import(db.session, ext["jz.catalogue"], ext["jz.clock"], settings, b.id, Path(path), actor="bench")
        seconds, cpu = time.perf_counter() - t0, _cpu() - c0
        print(json.dumps({"kind": kind, "cpu": cpu, "state": b.state, "rows": b.rows_done, "inserted": b.inserted,
                          "updated": b.updated, "unchanged": b.unchanged, "refused": b.refused, "seconds": seconds,
                          "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "error": b.error}))


def child(url: str, kind: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--phase", url, kind, str(path)], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    ap.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL"))
    ap.add_argument("--phase", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        phase(*args.phase)
        return
    t0 = time.perf_counter()
    paths = generate(args.rows)
    print(f"files: {FILES} ({args.rows:,} registration rows; generated in {time.perf_counter() - t0:.0f} s)")
    url = fresh_database(args.db, pg_server(args.pg_url) if args.db == "postgres" else "")
    from backend.bootstrap import upgrade_schema
    upgrade_schema(make_app(url))
    runs = [(k, paths[k]) for k in KINDS] + [("registrations", paths["registrations"])]
    for i, (kind, path) in enumerate(runs):
        r = child(url, kind, path)
        label = "registrations again (unchanged)" if i == len(KINDS) else kind
        print(f"db={args.db} {label}: rows={r['rows']:,} inserted={r['inserted']:,} updated={r['updated']:,} "
              f"unchanged={r['unchanged']:,} refused={r['refused']:,} seconds={r['seconds']:.1f} "
              f"rows/s={r['rows'] / r['seconds']:,.0f} cpu_s={r.get('cpu', 0):.1f} peak_rss={r['rss_mb']:.0f} MB {r['state']}")
    print(f"(cpus={os.cpu_count()}, load={os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
