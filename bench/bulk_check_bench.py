"""Time POST /api/v1/enterprise/bulk-check with a 10,000-row file, CSV and XLSX, through the Flask test
client (the real endpoint: multipart parsing, reading, validation, bulk look-ups, storing the answer and
its JSON), on a registry of --persons synthetic persons (demo_data.seed_registry). Target: 10 s a file.

    .venv/bin/python bench/bulk_check_bench.py                       # SQLite in a temporary directory
    .venv/bin/python bench/bulk_check_bench.py --pg-url postgresql://postgres@127.0.0.1:54329/postgres

The file mixes rows found by ID number and by registration number (own staff and others'), not found,
name or number mismatches and malformed rows (bad check character, no name, unknown number format,
neither number), shuffled. Each format runs --rounds times; the best and the median are printed, with
the downloads of the stored result as CSV and XLSX.
"""
from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_S = 10.0


def make_app(instance: Path, pg_url: str | None):
    from backend import create_app
    # the daily quota of ID numbers per account would stop the rounds: this measures speed, not the quota
    cfg = {"INSTANCE_PATH": str(instance), "DEMO_PERSONS": 0, "RATELIMIT_ENABLED": False,
           "BULK_ID_CHECKS_PER_DAY": 10**9}
    if pg_url:
        import psycopg
        name = f"b_bulk_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(pg_url, autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        cfg["SQLALCHEMY_DATABASE_URI"] = pg_url.replace("postgresql://", "postgresql+psycopg://", 1).rsplit("/", 1)[0] \
            + "/" + name
        cfg["DEMO_DEFAULT"] = False
        # one process on PostgreSQL: it may make its secrets and keys, and migrate (backend/startup.py)
        cfg.update(AUTO_INIT=True, LOCAL_SECRETS=True, PDF_DEMO_CA=True)
        return create_app(cfg), name
    cfg["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'bench.db'}"
    return create_app(cfg), None


def rows_for(session, n: int, rnd: random.Random) -> tuple[list[tuple], str]:
    """(name, id number, registration number) rows and the credit code of the enterprise checking them."""
    from sqlalchemy import func, select

    from backend.models import Enterprise, Person, Registration
    from backend.services.checkdigits import id_check_char
    eid = session.scalar(select(Registration.enterprise_id).group_by(Registration.enterprise_id)
                         .order_by(func.count().desc()).limit(1))
    uscc = session.get(Enterprise, eid).uscc
    people = session.execute(select(Person.name, Person.id_number)).all()
    regs = session.execute(select(Person.name, Registration.registration_number, Registration.enterprise_id)
                           .join(Person, Person.id == Registration.person_id)).all()
    own = [r for r in regs if r.enterprise_id == eid]
    known = {p.id_number for p in people}
    out = []
    for i in range(n):
        x = i % 20
        if x < 7:                                   # 35% found by ID number
            p = rnd.choice(people)
            out.append((p.name, p.id_number, ""))
        elif x < 9:                                 # 10% own staff by registration number
            r = rnd.choice(own)
            out.append((r.name, "", r.registration_number))
        elif x < 11:                                # 10% others by registration number
            r = rnd.choice(regs)
            out.append((r.name, "", r.registration_number))
        elif x < 14:                                # 15% not found: valid numbers nobody holds
            while True:
                first17 = f"{rnd.choice([110105, 320102, 440305])}{rnd.randint(1960, 2000)}0{rnd.randint(1, 9)}" \
                          f"{rnd.randint(10, 28)}{rnd.randint(100, 999)}"
                idn = first17 + id_check_char(first17)
                if idn not in known:
                    break
            out.append(("无此人", idn, ""))
        elif x < 16:                                # 10% mismatch: wrong name, or ID and number of two persons
            p, r = rnd.choice(people), rnd.choice(regs)
            out.append(("错名字", p.id_number, "") if x == 14 else (r.name, p.id_number, r.registration_number))
        else:                                       # 20% malformed
            p = rnd.choice(people)
            bad = p.id_number[:17] + ("0" if p.id_number[17] != "0" else "1")
            out.append([(p.name, bad, ""), ("", p.id_number, ""), (p.name, "", "ABC-123"), (p.name, "", "")][x - 16])
    rnd.shuffle(out)
    return out, uscc


def as_csv(rows) -> bytes:
    buf = io.StringIO()
    buf.write("姓名,身份证号,注册编号\n")
    for r in rows:
        buf.write(",".join(r) + "\n")
    return buf.getvalue().encode("utf-8-sig")


def as_xlsx(rows) -> bytes:
    from openpyxl import Workbook
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("人员")
    ws.append(["name", "id_number", "registration_number"])
    for r in rows:
        ws.append([v or None for v in r])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persons", type=int, default=100_000)
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pg-url", help="run on a fresh database of this PostgreSQL server instead of SQLite")
    args = ap.parse_args()
    from backend.demo.seed import seed_registry
    from backend.extensions import db
    from backend.services.accounts.management import create_account
    with tempfile.TemporaryDirectory(prefix="bulk-bench-") as tmp:
        app, pg_db = make_app(Path(tmp), args.pg_url)
        try:
            ext = app.extensions
            with app.app_context():
                t0 = time.perf_counter()
                seed_registry(db.session, ext["jz.catalogue"], ext["jz.clock"], args.persons, seed=11)
                print(f"seeded {args.persons:,} persons in {time.perf_counter() - t0:.1f} s "
                      f"({db.engine.dialect.name})", file=sys.stderr)
                rows, uscc = rows_for(db.session, args.rows, random.Random(4))
                create_account(db.session, username="bench.hr", password="bench password 1", role="enterprise",
                               enterprise_uscc=uscc, actor="bench")
                db.session.commit()
            client = app.test_client()
            token = client.post("/api/v1/auth/login", json={"username": "bench.hr", "password": "bench password 1"})
            h = {"Authorization": f"Bearer {token.get_json()['access_token']}"}
            files = {"csv": as_csv(rows), "xlsx": as_xlsx(rows)}
            worst = 0.0
            for fmt, data in files.items():
                times, body = [], None
                for _ in range(args.rounds):
                    t0 = time.perf_counter()
                    resp = client.post("/api/v1/enterprise/bulk-check", headers=h,
                                       data={"file": (io.BytesIO(data), f"staff.{fmt}")})
                    times.append(time.perf_counter() - t0)
                    body = resp.get_json()
                    if resp.status_code != 200 or body["summary"]["rows"] != args.rows:
                        raise SystemExit(f"{fmt}: HTTP {resp.status_code} {str(body)[:300]}")
                worst = max(worst, min(times))
                downloads = []
                for kind in ("csv", "xlsx"):
                    t0 = time.perf_counter()
                    got = client.get(body["downloads"][kind], headers=h)
                    downloads.append(f"{kind} {time.perf_counter() - t0:.2f} s ({len(got.data) / 1e6:.1f} MB)")
                print(f"{fmt:4} {len(data) / 1e6:5.2f} MB, {args.rows:,} rows: best {min(times):.2f} s, median "
                      f"{statistics.median(times):.2f} s over {args.rounds} rounds; {body['summary']}; "
                      f"downloads: {', '.join(downloads)}")
            print(f"target {TARGET_S:.0f} s a file: {'met' if worst <= TARGET_S else 'MISSED'}")
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            if pg_db:
                import psycopg
                with psycopg.connect(args.pg_url, autocommit=True) as c:
                    c.execute(f'DROP DATABASE IF EXISTS "{pg_db}" WITH (FORCE)')


if __name__ == "__main__":
    main()
