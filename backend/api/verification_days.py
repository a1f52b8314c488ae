"""The persistent count of verifications per day (services/dashboard/tally.py), one tally per process:
verify.py adds each answer's verdicts; when a flush is due it runs in a thread of its own, so that a
verification never waits for a write; the dashboard flushes before it reads."""
from __future__ import annotations

import atexit

from flask import current_app

from backend.extensions import db
from backend.services.dashboard.tally import VerificationTally

KEY = "jz.verification_tally"


def tally() -> VerificationTally:
    ext = current_app.extensions
    t = ext.get(KEY)
    if t is None:
        t = ext[KEY] = VerificationTally(ext["jz.clock"])
        engine = db.engine
        if not current_app.testing:      # a test's database is gone by the time the interpreter exits
            atexit.register(lambda: t.flush(engine, at_exit=True))     # a worker's last counts, on a graceful exit
    return t


def count(results) -> None:
    t = tally()
    if t.add(r["verdict"] for r in results):
        t.flush_soon(db.engine)
