"""One import, from its file to its counts: rows read streaming, checked one by one, and every `batch_rows`
rows the good ones applied together (kinds_*.py) in one transaction with the refused rows, the per-record
audit events, an event for the records inserted and the batch's progress: what a batch wrote and what the
page shows of it commit together. Memory stays flat: one batch of rows at a time (a dry run keeps what its
earlier batches would have written, so that later rows are judged as in a real import). At the end one audit
event for the whole import, with its counts. A failure marks the batch 'failed' with its reason: the batches
committed before it stay (each is whole), and importing the same file again completes it."""
from __future__ import annotations

import os
import queue
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert as sql_insert
from sqlalchemy.orm import Session

from backend.models import ImportBatch, ImportReject, ImportState
from backend.services import audit
from backend.services.clock import Clock
from backend.services.errors import ServiceError
from backend.services.imports.batches import ImportSettings, get_batch
from backend.services.imports.bulk import large_cache
from backend.services.imports.context import Context
from backend.services.imports.kinds_basic import EnterpriseBatch, PersonBatch, QualificationBatch
from backend.services.imports.kinds_registrations import RegistrationBatch
from backend.services.imports.reader import open_source
from backend.services.imports.rows import Vocab
from backend.services.kinds import Catalogue

HANDLERS = {h.kind: h for h in (EnterpriseBatch, PersonBatch, QualificationBatch, RegistrationBatch)}
KEY_MAX = 64


def worker_name() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def run_import(session: Session, catalogue: Catalogue, clock: Clock, settings: ImportSettings, batch_id: int,
               path: Path, *, actor: str, progress: Callable[[int, int | None], None] | None = None) -> ImportBatch:
    """Run a queued batch on the file at `path`; returns the batch, done or failed (a ServiceError is recorded
    in it; anything else is recorded and raised again)."""
    t0 = time.monotonic()
    b = get_batch(session, batch_id)
    try:
        src = open_source(Path(path), b.kind, max_unpacked=settings.max_unpacked)
        now = clock.now()
        b.state, b.started_at, b.heartbeat_at, b.worker = ImportState.RUNNING, now, now, worker_name()
        b.file_type, b.encoding, b.rows_total = src.file_type, src.encoding, src.rows_total
        session.commit()
        handler = HANDLERS[b.kind]()
        ctx = Context(session, Vocab(catalogue), clock, actor, b.id, b.dry_run)
        done = 0
        for done, chunk, refused in ahead(_checked(src, handler, ctx.vocab, clock.today(), settings.batch_rows)):
            ctx.refused.extend(refused)
            _apply(ctx, handler, chunk, done)
            if progress:
                progress(done, src.rows_total)
        b = get_batch(session, batch_id)
        if not b.dry_run:
            audit.record(session, actor, "import.batch", "import_batch", b.id,
                         {"kind": b.kind, "file_name": b.file_name, "sha256": b.sha256, "rows": done,
                          "inserted": b.inserted, "updated": b.updated, "unchanged": b.unchanged, "refused": b.refused})
        b.state, b.rows_total, b.finished_at = ImportState.DONE, done, clock.now()
        b.seconds = time.monotonic() - t0
        session.commit()
        return b
    except ServiceError as e:
        return _fail(session, clock, batch_id, t0, {"code": e.code, "message": e.message, "message_en": e.message_en,
                                                    "details": e.details})
    except BaseException:
        _fail(session, clock, batch_id, t0, {"code": "internal_error", "message": "导入因内部错误中止",
                                             "message_en": "The import stopped on an internal error"})
        raise


def _checked(src, handler, vocab: Vocab, today, size: int):
    """(rows read so far, good rows [(line, record)], refused [(line, key, problems)]) every `size` rows."""
    done, chunk, refused = 0, [], []
    for line, row in src.rows():
        record, problems = handler.check(row, vocab, today)
        if problems:
            refused.append((line, handler.key(row), problems))
        else:
            chunk.append((line, record))
        done += 1
        if done % size == 0:
            yield done, chunk, refused
            chunk, refused = [], []
    yield done, chunk, refused


def ahead(items, depth: int = 2):
    """The items of a generator, made by a thread of their own up to `depth` ahead: reading and checking the
    next rows (Python) goes on while a batch is written (the database driver lets other threads run meanwhile).
    Bounded, so memory stays flat; an error of the generator is raised here."""
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    end = object()

    def produce():
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        q.put(item, timeout=0.2)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(end)
        except BaseException as e:          # handed to the consumer
            q.put(e)
    t = threading.Thread(target=produce, name="import-reader", daemon=True)
    t.start()
    try:
        while (item := q.get()) is not end:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        t.join(5)


def _apply(ctx: Context, handler, chunk: list, done: int) -> None:
    s = ctx.session
    ctx.today, ctx.now = ctx.clock.today(), ctx.clock.now()
    before = ctx.inserted
    if chunk:
        with large_cache(s):
            handler.apply(ctx, chunk)
    if ctx.refused:
        s.execute(sql_insert(ImportReject), [{"batch_id": ctx.batch_id, "line": line, "key": (key or "")[:KEY_MAX] or None,
                                              "problems": [{"field": f, "code": c, "message": zh, "message_en": en}
                                                           for f, c, zh, en in problems]}
                                             for line, key, problems in ctx.refused])
    if not ctx.dry_run:
        events = ctx.events
        if ctx.inserted > before:
            events.append(("import.insert", "import_batch", ctx.batch_id,
                           {"kind": handler.kind, "inserted": ctx.inserted - before,
                            "lines": [chunk[0][0], chunk[-1][0]]}))
        audit.record_many(s, ctx.actor, events)
    b = s.get(ImportBatch, ctx.batch_id)
    b.rows_done, b.inserted, b.updated, b.unchanged = done, ctx.inserted, ctx.updated, ctx.unchanged
    b.refused += len(ctx.refused)
    b.heartbeat_at = ctx.now
    ctx.refused, ctx.events = [], []
    s.commit()


def _fail(session: Session, clock: Clock, batch_id: int, t0: float, error: dict) -> ImportBatch:
    session.rollback()
    b = get_batch(session, batch_id)
    b.state, b.error, b.finished_at, b.seconds = ImportState.FAILED, error, clock.now(), time.monotonic() - t0
    session.commit()
    return b
