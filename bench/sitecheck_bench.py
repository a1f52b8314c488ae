"""Site checks: how long the server takes to record an inspection (every QR text verified again, each person
evaluated, the record signed and stored), and the role evaluator alone.

    .venv/bin/python bench/sitecheck_bench.py [--people 50] [--runs 5]

Prints the median time of POST /api/v1/inspections for `people` persons with 2 certificates each (a project
manager's 二级建造师 and 安管 B copies) on a fresh SQLite database, and the evaluator's time per person.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend import create_app  # noqa: E402
from backend.services.sitecheck.evaluate import evaluate  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=50)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp()
    app = create_app({"INSTANCE_PATH": tmp, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/b.db", "AUTO_INIT": True,
                      "DEMO_PERSONS": 0, "LOCAL_SECRETS": True, "PDF_DEMO_CA": True, "RATELIMIT_ENABLED": False,
                      "TESTING": True})
    from tests.api.helpers import issue, make_registration  # the same set-up the API tests use
    c = app.test_client()
    admin = {"Authorization": f"Bearer {app.config['ADMIN_TOKEN']}"}
    pm = make_registration(c, admin, kind="JZS2", specialties=("JZ",))
    b = c.post("/api/v1/registrations", headers=admin, json={"person_id": pm["person"]["id"], "kind": "AQB",
                                                               "enterprise_uscc": pm["employer"]["uscc"],
                                                               "specialties": ["B"]}).json
    codes = [issue(c, admin, n)["qr"] for n in (pm["registration_number"], b["registration_number"])]
    site = {"name": "基准工地", "specialty": "JZ", "contractor_uscc": pm["employer"]["uscc"], "scale": "medium"}
    times = []
    for _ in range(args.runs):
        body = {"client_id": str(uuid.uuid4()), "started_at": "2026-05-01T09:00:00+08:00", "site": site,
                "people": [{"role": "project_manager", "qr": codes}] * args.people}
        t = time.perf_counter()
        r = c.post("/api/v1/inspections", headers=admin, json=body)
        times.append(time.perf_counter() - t)
        assert r.status_code == 201, r.json
    results = r.json["people"][0]["certificates"]
    role = app.extensions["jz.roles"].get("project_manager")
    n = 20000
    t = time.perf_counter()
    for _ in range(n):
        evaluate(role, results, site)
    per = (time.perf_counter() - t) / n
    med = statistics.median(times)
    print(f"POST /api/v1/inspections, {args.people} people x 2 certificates: median {med * 1000:.0f} ms "
          f"({med / (2 * args.people) * 1000:.2f} ms per certificate), runs {args.runs}")
    print(f"evaluate(project_manager, 2 certificates): {per * 1e6:.1f} µs per person")


if __name__ == "__main__":
    main()
