"""Latency of the authority's register search, GET /api/v1/admin/search, at 1,000,000 persons, through the
Flask test client (the real endpoint, its JSON and its exact totals up to 10,000), per query type: median
and p99 in milliseconds; and of the person's dossier, GET /api/v1/admin/persons/<id>.

    .venv/bin/python bench/register_search_bench.py --db sqlite --reuse
    .venv/bin/python bench/register_search_bench.py --db postgres --reuse [--pg-url postgresql://...]
    .venv/bin/python bench/register_search_bench.py --url sqlite:////tmp/copy-of-seed-bench.sqlite

The database is bench/seed_bench.py's (--reuse takes it when it holds --persons persons, else seeds one
first), or the one --url names. Queries are sampled from the data (seeded): exact names, 1- and
2-character name prefixes (the most common surnames: the widest walks, counted to the cap), full ID
numbers, registration numbers, number prefixes, seal numbers, credit codes, part of an employer's name,
filters alone (a province and a status; a kind), specialties expiring within 30 and 180 days (with and
without a province), a name narrowed by a filter, deep pages, and dossiers.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))
import seed_bench  # noqa: E402

SURNAMES = ["王", "李", "张", "刘", "陈"]


def database(db: str, persons: int, server_url: str, reuse: bool) -> str:
    note = seed_bench.note_path(db)
    if reuse and note.exists():
        info = json.loads(note.read_text())
        if info.get("persons") == persons:
            print(f"reusing {info['url']} ({info['persons']:,} persons)", file=sys.stderr)
            return info["url"]
    print(f"seeding {persons:,} persons first", file=sys.stderr)
    return seed_bench.run(db, persons, server_url)["url"]


def samples(session, n: int, rnd: random.Random) -> dict[str, list]:
    max_id = session.execute(text("SELECT max(id) FROM persons")).scalar()
    ids = rnd.sample(range(1, max_id + 1), n)
    people = session.execute(text("SELECT id, name, id_number FROM persons WHERE id IN (%s)" % ",".join(map(str, ids)))).all()
    max_reg = session.execute(text("SELECT max(id) FROM registrations")).scalar()
    regs = session.execute(text("SELECT registration_number, seal_counter FROM registrations WHERE id IN (%s)"
                                % ",".join(map(str, rnd.sample(range(1, max_reg + 1), n))))).all()
    ents = session.execute(text("SELECT uscc, name FROM enterprises WHERE id IN (%s)"
                                % ",".join(map(str, rnd.sample(range(1, 1000), 50))))).all()
    provinces = ["32", "33", "11", "44", "37", "51"]
    statuses = ["active", "suspended", "lapsed", "cancelled"]
    kinds = ["JZS1", "JZS2", "AQC", "TZZY", "ZJS2"]
    builders = [r for r in regs if r[0][1] in "12" and len(r[0]) == 13]
    return {
        "name": [{"q": p.name} for p in people],
        "prefix1": [{"q": SURNAMES[i % len(SURNAMES)]} for i in range(n)],
        "prefix2": [{"q": p.name[:2]} for p in people if len(p.name) >= 3][:n],
        "id_number": [{"q": p.id_number} for p in people],
        "reg_number": [{"q": r[0]} for r in regs],
        "number_part": [{"q": r[0][:8]} for r in builders],
        "seal": [{"q": f"{r[0]}({r[1]:02d})"} for r in regs],
        "uscc": [{"q": e.uscc} for e in ents] * (n // 50 + 1),
        "employer": [{"q": e.name[2:6], "by": "employer"} for e in ents] * (n // 50 + 1),
        "f_prov_status": [{"province": provinces[i % 6], "status": statuses[i % 4]} for i in range(n)],
        "f_kind": [{"kind": kinds[i % 5]} for i in range(n)],
        "expiring30": [{"expiring_within": 30} for _ in range(n)],
        "expiring180_prov": [{"expiring_within": 180, "province": provinces[i % 6]} for i in range(n)],
        "name_filtered": [{"q": p.name[:2], "status": "active", "province": provinces[i % 6]}
                          for i, p in enumerate(people) if len(p.name) >= 3][:n],
        "deep_page": [{"q": SURNAMES[i % 5], "page": rnd.randint(2, 500)} for i in range(n)],
        "dossier": [p.id for p in people],
    }


def measure(client, headers, kind: str, queries: list, warmup: int = 20) -> list[float]:
    def one(qs):
        if kind == "dossier":
            return client.get(f"/api/v1/admin/persons/{qs}", headers=headers)
        return client.get("/api/v1/admin/search", query_string=qs, headers=headers)
    for qs in queries[:warmup]:
        one(qs)
    wall = []
    for qs in queries:
        t0 = time.perf_counter()
        resp = one(qs)
        wall.append((time.perf_counter() - t0) * 1000)
        if resp.status_code != 200:
            raise SystemExit(f"{kind} {qs}: HTTP {resp.status_code} {resp.get_json()}")
    return sorted(wall)


def p99(t: list[float]) -> float:
    return t[max(0, int(round(0.99 * len(t))) - 1)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    ap.add_argument("--reuse", action="store_true", help="use the seed bench's database when it fits")
    ap.add_argument("--url", help="a database URL to use as it is (a copy of the seed bench's, say)")
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("-n", type=int, default=200, help="queries per type")
    ap.add_argument("--pg-url", default=seed_bench.PG_DEFAULT)
    ap.add_argument("--types", default="", help="comma-separated query types to run (default: all)")
    args = ap.parse_args()
    url = args.url or database(args.db, args.persons, args.pg_url, args.reuse)
    app = seed_bench.make_app(url, seed_bench.OUT / f"register-bench-instance-{args.db}")
    from backend.extensions import db
    with app.app_context():
        queries = samples(db.session, args.n, random.Random(13))
        db.session.remove()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {app.config['ADMIN_TOKEN']}"}
    print(f"{url.split('@')[-1]} n={args.n} per type (cpus={os.cpu_count()}, load={os.getloadavg()[0]:.2f})")
    for kind, qs in queries.items():
        if args.types and kind not in args.types.split(","):
            continue
        wall = measure(client, headers, kind, qs[:args.n])
        print(f"  {kind:17s} median {statistics.median(wall):7.2f} ms  p99 {p99(wall):7.2f} ms  max {wall[-1]:7.2f} ms")
    print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
