"""Verifications per day, counted without slowing a verification: each process adds its verdicts to a
counter in memory, and at most every FLUSH_SECONDS one UPSERT per (day, verdict) adds them to
verification_counts (INSERT … ON CONFLICT DO UPDATE, SQLite and PostgreSQL alike). A verification never
writes to the database itself; the flush runs in a thread of its own (flush_soon) or, before the
dashboard reads the table, in the reader's (flush). What a process had not flushed when it died is lost:
at most FLUSH_SECONDS of its verifications (Prometheus' jz_verifications counts them too)."""
from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import Counter
from collections.abc import Iterable

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine

from backend.models import VerificationCount
from backend.services.clock import Clock

log = logging.getLogger(__name__)
FLUSH_SECONDS = 10.0


class VerificationTally:
    def __init__(self, clock: Clock, flush_seconds: float = FLUSH_SECONDS):
        self.clock, self.flush_seconds = clock, flush_seconds
        self._counts: Counter = Counter()
        self._lock = threading.Lock()            # guards _counts
        self._flushing = threading.Lock()         # one flush at a time
        self._last = time.monotonic()
        self._day, self._day_until = None, 0.0

    def _today(self, now: float) -> dt.date:
        """The local day, computed at most once a second (a time zone conversion costs more than the count)."""
        if now >= self._day_until:
            self._day, self._day_until = self.clock.today(), now + 1.0
        return self._day

    def add(self, verdicts: Iterable[str]) -> bool:
        """Count verdicts for today; True when a flush is due."""
        now = time.monotonic()
        day = self._today(now)
        with self._lock:
            for v in verdicts:
                self._counts[(day, v)] += 1
            return now - self._last >= self.flush_seconds

    def pending(self) -> dict[tuple[dt.date, str], int]:
        with self._lock:
            return dict(self._counts)

    def flush(self, engine: Engine, *, at_exit: bool = False) -> int:
        """Write what was counted (one statement per day and verdict, one transaction); returns the number
        of verifications written. On failure the counts are kept for the next flush; at the process's exit
        (at_exit) there is none, and nothing is logged: the log's streams may be closed by then."""
        with self._flushing:
            with self._lock:
                counts, self._counts = self._counts, Counter()
                self._last = time.monotonic()
            if not counts:
                return 0
            try:
                with engine.begin() as conn:
                    ins = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
                    table = VerificationCount.__table__
                    for (day, verdict), n in sorted(counts.items()):
                        stmt = ins(table).values(day=day, verdict=verdict, count=n)
                        conn.execute(stmt.on_conflict_do_update(index_elements=["day", "verdict"],
                                                                set_={"count": table.c.count + stmt.excluded.count}))
            except Exception:            # the verifications were answered; keep their counts for next time
                if at_exit:
                    return 0
                log.warning("verification counts not written (kept for the next flush)", exc_info=True)
                with self._lock:
                    self._counts.update(counts)
                return 0
            return sum(counts.values())

    def flush_soon(self, engine: Engine) -> None:
        """Flush in a daemon thread, unless one is flushing already."""
        if self._flushing.locked():
            return
        threading.Thread(target=self.flush, args=(engine,), name="jz-verification-tally", daemon=True).start()
