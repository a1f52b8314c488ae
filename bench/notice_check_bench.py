"""What telling the holder costs on the verify path (services/notices/checked.py): POST /api/v1/verify in
process (Flask's test client, SQLite, no network) anonymously, with a holder's bearer token (reads the
account, writes nothing) and with a signed-in inspector's (reads the account, writes at most one notice a day
per copy and organisation: after the first, an INSERT … ON CONFLICT DO NOTHING). Prints ms per request.

    .venv/bin/python bench/notice_check_bench.py [--n 400]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=400)
    args = ap.parse_args()
    from backend import create_app
    from tests.api.helpers import issue, make_registration
    from tests.api.login_helpers import bearer_for
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"INSTANCE_PATH": tmp, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/b.db", "AUTO_INIT": True,
                          "DEMO_PERSONS": 0, "LOCAL_SECRETS": True, "PDF_DEMO_CA": True, "RATELIMIT_ENABLED": False})
        c = app.test_client()
        admin = {"Authorization": f"Bearer {app.config['ADMIN_TOKEN']}"}
        reg = make_registration(c, admin)
        qr = issue(c, admin, reg["registration_number"])["qr"]
        who = {"anonymous": {},
               "holder": bearer_for(c, admin, "holder", person_id=reg["person"]["id"]),
               "inspector": bearer_for(c, admin, "inspector", organisation="苏州市建设工程质量安全监督站")}
        for h in who.values():                              # warm up; the inspector's first check makes its notice
            for _ in range(20):
                assert c.post("/api/v1/verify", json={"qr": qr}, headers=h).json["verdict"] == "valid"
        rounds = {k: [] for k in who}
        for _ in range(5):
            for name, h in who.items():
                t0 = time.perf_counter()
                for _ in range(args.n // 5):
                    c.post("/api/v1/verify", json={"qr": qr}, headers=h)
                rounds[name].append((time.perf_counter() - t0) * 1000 / (args.n // 5))
        for name, ms in rounds.items():
            print(f"{name:10s} {statistics.median(ms):6.2f} ms/request (median of 5 rounds of {args.n // 5})")


if __name__ == "__main__":
    main()
