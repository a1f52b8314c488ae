"""Where the time of `POST /api/v1/verify` goes: cProfile over the Flask test client, in one process, beside
the minimal endpoint of bench/minimal_app.py on the same database. Prints figures; not a test.

    .venv/bin/python bench/verify_profile.py [--copies 50] [--requests 3000] [--top 40] [--sort tottime]

Also prints the per-request time of both endpoints without the profiler (one thread, no HTTP server) and
the SQL statements one verify request runs.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from verify_throughput import BASE_URL, OUT, make_data  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=50)
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--top", type=int, default=45)
    ap.add_argument("--sort", default="tottime")
    ap.add_argument("--blocks", type=int, default=15, help="interleaved blocks of 200 requests for the timing")
    args = ap.parse_args()

    run_dir = OUT / f"profile-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    instance = run_dir / "instance"
    instance.mkdir(parents=True)
    for k in ("DATABASE_URL", "INSTANCE_PATH", "KEY_DIR", "REDIS_URL"):
        os.environ.pop(k, None)
    os.environ.update({"PUBLIC_BASE_URL": BASE_URL, "RATELIMIT_ENABLED": "0", "DEMO_PERSONS": "0"})
    texts = make_data(instance, args.copies)
    bodies = [json.dumps({"qr": t}) for t in texts]
    os.environ.update({"INSTANCE_PATH": str(instance), "BENCH_DB_URL": f"sqlite:///{instance / 'jianzheng.db'}",
                       "BENCH_KEY_DIR": str(instance / "keys")})

    import minimal_app
    from sqlalchemy import event

    import backend

    real = backend.create_app()
    mini = minimal_app.create_app()
    clients = {"verify": (real.test_client(), "/api/v1/verify"), "minimal": (mini.test_client(), "/minimal")}

    def run(name: str, n: int) -> float:
        c, path = clients[name]
        t0 = time.thread_time()
        for i in range(n):
            r = c.post(path, data=bodies[i % len(bodies)], content_type="application/json")
            assert r.status_code == 200, r.get_data(as_text=True)
        return (time.thread_time() - t0) / n

    for name in clients:
        run(name, 200)   # warm-up
    # interleaved short blocks, the best of each endpoint: other processes' noise only ever adds time
    per = {name: float("inf") for name in clients}
    for _ in range(args.blocks):
        for name in clients:
            per[name] = min(per[name], run(name, 200))
    for name, t in per.items():
        print(f"{name:8s} {t * 1e6:8.0f} µs/request CPU in-process (test client, one thread) = {1 / t:7.0f} req/s")
    print(f"ratio verify/minimal in-process: {per['minimal'] / per['verify']:.2f}")

    with real.app_context():
        from backend.extensions import db
        engine = db.engine
    stmts: list[str] = []
    listener = lambda conn, cur, stmt, params, ctx, many: stmts.append(" ".join(stmt.split())[:220])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    r = clients["verify"][0].post("/api/v1/verify", data=bodies[0], content_type="application/json")
    event.remove(engine, "before_cursor_execute", listener)
    print(f"\nSQL of one verify request ({len(stmts)} statements):")
    for s in stmts:
        print("  ", s)
    print(f"\nresponse: {len(r.data)} bytes, verdict {r.get_json()['verdict']}")

    for name in ("verify", "minimal"):
        prof = cProfile.Profile()
        prof.enable()
        run(name, args.requests)
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).strip_dirs().sort_stats(args.sort).print_stats(args.top)
        print(f"\n===== {name}: {args.requests} requests, sorted by {args.sort} =====")
        print(buf.getvalue().split("\n", 4)[-1] if "Ordered by" in buf.getvalue() else buf.getvalue())
    shutil.rmtree(run_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
