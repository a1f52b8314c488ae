"""Latency of GET /api/v1/lookup at 1,000,000 persons, through the Flask test client (the real
endpoint and its JSON, rate limit disabled), per query type: median and p99 in milliseconds.

    .venv/bin/python bench/lookup_bench.py --db sqlite --reuse
    .venv/bin/python bench/lookup_bench.py --db postgres --reuse [--pg-url postgresql://...]
    .venv/bin/python bench/lookup_bench.py --db postgres --reuse --persons 10000000

PostgreSQL: the server of --pg-url, else the bench's own throwaway server (bench/seed_bench.py starts it).

--reuse takes the database left by bench/seed_bench.py when it holds --persons persons; otherwise the
database is made afresh first (as seed_bench.py does). Queries are sampled from the data (seeded):
exact names (with the most common ones, such as 王伟 and 张伟, always included), 2-character prefixes
(surname and first given character of three-character names), registration numbers (13- and
17-character forms); also, for information, seal numbers and deep pages (2-30) of prefixes; parts of
registration numbers searched as prefixes (the first 8 characters of a 建造师 number with its province, 苏2322526,
and the 7 after it without, 2322526); and 2-character prefixes narrowed by a filter: the province, the
kind, the kind and a specialty, or 4 characters of an employer's name (issue 11). Each type
runs --rounds times; the round with the lowest p99 is reported, with the p99 of every round, since
the machine may be shared.
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

COMMON = ["王伟", "张伟", "李伟", "刘伟", "王磊", "李强", "张勇", "王芳"]


def database(db: str, persons: int, server_url: str, reuse: bool) -> str:
    note = seed_bench.note_path(db, persons)
    if reuse and note.exists():
        info = json.loads(note.read_text())
        if info.get("persons") == persons:
            print(f"reusing {info['url']} ({info['persons']:,} persons)", file=sys.stderr)
            return info["url"]
    print(f"seeding {persons:,} persons first", file=sys.stderr)
    return seed_bench.run(db, persons, server_url)["url"]


def samples(session, n: int, rnd: random.Random) -> dict[str, list[dict]]:
    max_id = session.execute(text("SELECT max(id) FROM persons")).scalar()
    ids = rnd.sample(range(1, max_id + 1), min(max_id, 4 * n))
    names = [r[0] for r in session.execute(text("SELECT name FROM persons WHERE id IN (%s)" % ",".join(map(str, ids))))]
    rnd.shuffle(names)
    max_reg = session.execute(text("SELECT max(id) FROM registrations")).scalar()
    reg_ids = rnd.sample(range(1, max_reg + 1), min(max_reg, n))
    regs = session.execute(text("SELECT registration_number, seal_counter FROM registrations WHERE id IN (%s)"
                                % ",".join(map(str, reg_ids)))).all()
    long_form = list(session.execute(text(
        "SELECT registration_number, seal_counter FROM registrations WHERE registration_number LIKE '京2%' "
        "AND length(registration_number) = 17 LIMIT 50")))
    numbers = [r[0] for r in regs[:n - len(long_form)]] + [r[0] for r in long_form]
    three = [x for x in names if len(x) >= 3]
    builders = [r for r in regs if r[0][1] in "12" and len(r[0]) == 13]
    kinds = ["JZS1", "JZS2", "AQC", "TZZY", "ZJS2"]
    specialty = {"JZS1": "JD", "JZS2": "SZ", "AQC": "C2", "TZZY": "01", "ZJS2": "TJ"}
    provinces = [f"{c}" for c in (32, 33, 11, 44, 37, 51, 41, 42)]
    employers = [r[0] for r in session.execute(text(
        "SELECT name FROM enterprises WHERE id IN (%s)" % ",".join(map(str, rnd.sample(range(1, 1000), 50)))))]
    return {
        "exact": [{"q": q} for q in (COMMON * 5 + names)[:n]],
        "prefix": [{"q": q[:2]} for q in three[:n]],
        "number": [{"q": q} for q in numbers[:n]],
        "seal": [{"q": f"{num}({c:02d})" if i % 2 else f"{num}（{c:02d}）"} for i, (num, c) in enumerate(regs[:n])],
        "prefix_deep": [{"q": q[:2], "page": rnd.randint(2, 30)} for q in three[:n]],
        "number_part": [{"q": r[0][:8]} for r in builders[:n]],
        "number_tail": [{"q": r[0][1:8]} for r in builders[:n]],
        "f_province": [{"q": q[:2], "province": provinces[i % len(provinces)]} for i, q in enumerate(three[:n])],
        "f_kind": [{"q": q[:2], "kind": kinds[i % len(kinds)]} for i, q in enumerate(three[:n])],
        "f_specialty": [{"q": q[:2], "kind": kinds[i % len(kinds)], "specialty": specialty[kinds[i % len(kinds)]]}
                        for i, q in enumerate(three[:n])],
        "f_employer": [{"q": q[:2], "employer": employers[i % len(employers)][2:6]} for i, q in enumerate(three[:n])],
    }


def measure(client, queries: list[dict], warmup: int = 50) -> tuple[list[float], list[float]]:
    """Sorted wall-clock and CPU times (ms) of this process per request. On SQLite the CPU time holds
    the database's work too, so it shows the cost apart from other programs competing for the CPU."""
    for qs in queries[:warmup]:
        client.get("/api/v1/lookup", query_string=qs)
    wall, cpu = [], []
    for qs in queries:
        t0, c0 = time.perf_counter(), time.process_time()
        resp = client.get("/api/v1/lookup", query_string=qs)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        if resp.status_code != 200:
            raise SystemExit(f"{qs}: HTTP {resp.status_code} {resp.get_json()}")
    return sorted(wall), sorted(cpu)


def p99(t: list[float]) -> float:
    return t[max(0, int(round(0.99 * len(t))) - 1)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    ap.add_argument("--reuse", action="store_true", help="use the seed bench's database when it fits")
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("-n", type=int, default=500, help="queries per type")
    ap.add_argument("--rounds", type=int, default=3, help="runs of the n queries; the best is reported with all")
    ap.add_argument("--pg-url", default=seed_bench.PG_DEFAULT)
    ap.add_argument("--types", default="", help="comma-separated query types to run (default: all)")
    args = ap.parse_args()
    url = database(args.db, args.persons, args.pg_url, args.reuse)
    app = seed_bench.make_app(url, seed_bench.OUT / f"lookup-bench-instance-{args.db}")
    from backend.extensions import db
    with app.app_context():
        queries = samples(db.session, args.n, random.Random(7))
        db.session.remove()
    client = app.test_client()
    print(f"db={args.db} persons={args.persons:,} n={args.n} per type, {args.rounds} rounds "
          f"(cpus={os.cpu_count()}, load={os.getloadavg()[0]:.2f})")
    for kind, qs in queries.items():
        if args.types and kind not in args.types.split(","):
            continue
        rounds = [measure(client, qs) for _ in range(args.rounds)]
        wall, cpu = min(rounds, key=lambda r: p99(r[0]))      # the round least disturbed by other programs
        print(f"  {kind:12s} median {statistics.median(wall):6.2f} ms  p99 {p99(wall):6.2f} ms  "
              f"(cpu median {statistics.median(cpu):5.2f}, p99 {p99(cpu):5.2f})  "
              f"p99 of each round: {', '.join(f'{p99(r[0]):.1f}' for r in rounds)}")
    print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
