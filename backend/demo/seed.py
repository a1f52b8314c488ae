"""Synthetic registry data for demos, tests and benchmarks: seed_registry().

Rows come from demo_rows.Synth (seeded, deterministic for a given database state) and are written in
bulk, batch by batch, each batch committed with ONE audit event ("demo.seed") that records its counts
and id ranges; a row-by-row audit trail of a million generated persons would say nothing useful.
Ids are allocated here (after the current maximum of each table), so related rows are linked without
round trips. SQLite gets executemany of tuples on one connection whose pragmas are relaxed for the
load; PostgreSQL gets COPY. Calling it again adds more data: ID numbers, credit codes and registration
numbers already stored are read first and never produced again.
"""
from __future__ import annotations

import random
import sys
import time
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from backend.demo.numbers import serial_width
from backend.demo.rows import COLUMNS, Synth
from backend.services import audit
from backend.services.clock import Clock
from backend.services.kinds import Catalogue

BATCH = 20_000           # persons per batch and per commit
PERSONS_PER_ENTERPRISE = 50
ACTOR = "system:demo-seed"


def seed_registry(session: Session, catalogue: Catalogue, clock: Clock, n_persons: int, *, seed: int = 2026,
                  progress: bool = False) -> int:
    """Add n_persons synthetic persons (with enterprises, registrations, specialties and qualifications).
    Returns the number of registrations created. Commits the given session first, then batch by batch."""
    if n_persons <= 0:
        return 0
    session.commit()   # the load runs on its own connection; nothing of the caller's may hold a lock
    with _bulk_connection(session) as conn, Session(bind=conn, join_transaction_mode="rollback_only") as s:
        ids = {t: _max_id(conn, t) + 1 for t in COLUMNS}
        taken = _taken(conn, catalogue, ids)
        rnd = random.Random(f"{seed}:{ids['persons']}:{ids['registrations']}")
        synth = Synth(catalogue, clock.today(), rnd, clock.now().strftime("%Y-%m-%d %H:%M:%S.%f"), taken)
        n_ent = max(3, -(-n_persons // PERSONS_PER_ENTERPRISE))
        first_ent = ids["enterprises"]
        _write(conn, "enterprises", synth.enterprises(first_ent, n_ent))
        ids["enterprises"] += n_ent
        _batch_done(s, conn, ids, {"enterprises": [first_ent, first_ent + n_ent - 1]}, seed)
        made, done, t0 = 0, 0, time.monotonic()
        while done < n_persons:
            n = min(BATCH, n_persons - done)
            before = dict(ids)
            rows = synth.people(ids, n)
            for table in ("persons", "registrations", "registration_specialties", "qualifications"):
                _write(conn, table, rows[table])
            _batch_done(s, conn, ids, {t: [before[t], ids[t] - 1] for t in rows}, seed)
            made, done = made + len(rows["registrations"]), done + n
            if progress:
                _progress(done, n_persons, made, t0)
        if progress:
            print(file=sys.stderr)
        _analyze(conn)
    return made


def _batch_done(s: Session, conn: Connection, ids: dict, ranges: dict, seed: int) -> None:
    counts = {t: hi - lo + 1 for t, (lo, hi) in ranges.items()}
    table, (lo, hi) = next(iter(ranges.items()))
    audit.record(s, ACTOR, "demo.seed", "demo_batch", f"{table}:{lo}-{hi}",
                 {"counts": counts, "id_ranges": ranges, "seed": seed, "synthetic": True})
    if conn.dialect.name == "postgresql":
        # Ids were given explicitly, so the SERIAL sequences must be moved past them.
        for t in ranges:
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), :v)"), {"v": ids[t] - 1})
    s.commit()        # ends the session's part (it only joined the connection's transaction) ...
    conn.commit()     # ... and this commits the batch with its audit event


def _write(conn: Connection, table: str, rows: list[tuple]) -> None:
    if not rows:
        return
    cols = COLUMNS[table]
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        conn.exec_driver_sql(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", rows)


@contextmanager
def _bulk_connection(session: Session):
    """One connection for the whole load. On SQLite: WAL, no fsync and a large page cache while loading;
    the connection's own settings are restored before it goes back to the pool."""
    engine = session.get_bind()
    with engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            yield conn
            return
        conn.commit()
        # On the DBAPI connection, outside any transaction (SQLAlchemy would begin one, sqlite_transactions.py),
        # where SQLite refuses to change the journal mode or the synchronous setting.
        raw = conn.connection.dbapi_connection
        saved = {p: raw.execute(f"PRAGMA {p}").fetchone()[0] for p in ("synchronous", "cache_size", "temp_store")}
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("PRAGMA synchronous=OFF")
        raw.execute("PRAGMA cache_size=-262144")       # 256 MiB, in KiB
        raw.execute("PRAGMA temp_store=MEMORY")
        try:
            yield conn
        finally:
            conn.rollback()
            for p, v in saved.items():
                raw.execute(f"PRAGMA {p}={int(v)}")


def _max_id(conn: Connection, table: str) -> int:
    return conn.execute(text(f"SELECT max(id) FROM {table}")).scalar() or 0


def _taken(conn: Connection, catalogue: Catalogue, ids: dict) -> dict:
    """What is stored already and must not be generated again (nothing to read on an empty database)."""
    taken = {"id_numbers": set(), "usccs": set(), "enterprise_names": set(), "serials": {}}
    if ids["persons"] > 1:
        for (v,) in conn.execute(text("SELECT id_number FROM persons")):
            if v[:17].isdigit():
                taken["id_numbers"].add(int(v[:17]))
    if ids["enterprises"] > 1:
        for uscc, name in conn.execute(text("SELECT uscc, name FROM enterprises")):
            taken["usccs"].add(uscc)
            taken["enterprise_names"].add(name)
    if ids["registrations"] > 1:
        serials, widths = taken["serials"], {k.code: serial_width(k.number_template) for k in catalogue.kinds.values()}
        for kind, number in conn.execute(text("SELECT kind_code, registration_number FROM registrations")):
            w = widths.get(kind)
            if w and number[-w:].isdigit():
                prefix, serial = number[:-w], int(number[-w:])
                if serial > serials.get(prefix, 0):
                    serials[prefix] = serial
    return taken


def _analyze(conn: Connection) -> None:
    """Fresh planner statistics after a bulk load (estimated from samples: seconds, not minutes). On
    PostgreSQL also VACUUM, which sets the visibility map: until then an index-only scan visits the heap
    for every row, and the lookup's joins are three times slower."""
    if conn.dialect.name == "postgresql":
        conn.commit()
        conn.execution_options(isolation_level="AUTOCOMMIT")            # VACUUM refuses a transaction
        conn.exec_driver_sql("VACUUM (ANALYZE) " + ", ".join(COLUMNS))
        conn.commit()
        conn.execution_options(isolation_level=conn.default_isolation_level)
        return
    conn.exec_driver_sql("PRAGMA analysis_limit=1000")
    conn.exec_driver_sql("ANALYZE")
    conn.commit()


def _progress(done: int, total: int, regs: int, t0: float) -> None:
    elapsed = time.monotonic() - t0
    print(f"\r演示数据 / demo data: {done:,}/{total:,} persons ({done * 100 // total}%), {regs:,} registrations, "
          f"{elapsed:.0f} s", end="", file=sys.stderr, flush=True)
