"""Import batches: made, found, listed and shown. A batch's state is in its row, so that any replica answers
the page's polling; a batch still 'running' (or 'queued') with no heartbeat for `stale_seconds` is found
'interrupted' when read (its worker died), never left half-claimed as done."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from backend.models import ImportBatch, ImportReject, ImportState
from backend.services.clock import Clock, iso_utc
from backend.services.imports.errors import ImportNotFound, ImportRunning
from backend.services.imports.templates import columns

SAMPLE = 100                 # refused rows shown with a batch


@dataclass(frozen=True)
class ImportSettings:
    max_bytes: int = 200 * 1024 * 1024
    batch_rows: int = 5000
    stale_seconds: int = 120
    max_unpacked: int = 4 << 30

    @classmethod
    def from_config(cls, cfg) -> ImportSettings:
        return cls(int(cfg.get("IMPORT_MAX_BYTES", cls.max_bytes)), int(cfg.get("IMPORT_BATCH_ROWS", cls.batch_rows)),
                   int(cfg.get("IMPORT_STALE_SECONDS", cls.stale_seconds)),
                   int(cfg.get("IMPORT_XLSX_MAX_UNPACKED", cls.max_unpacked)))


def create_batch(session: Session, clock: Clock, settings: ImportSettings, *, kind: str, file_name: str,
                 size: int, sha256: str | None, dry_run: bool, actor: str) -> ImportBatch:
    """A queued batch. Only one import that writes runs at a time (dry runs may run beside it)."""
    columns(kind)
    mark_stale(session, clock, settings)
    if not dry_run:
        running = session.scalar(select(ImportBatch.id).where(ImportBatch.state.in_(ImportState.OPEN),
                                                              ImportBatch.dry_run.is_(False)).limit(1))
        if running:
            raise ImportRunning(running)
    now = clock.now()
    b = ImportBatch(kind=kind, state=ImportState.QUEUED, dry_run=dry_run, file_name=file_name[:200], size_bytes=size,
                    sha256=sha256, created_by=actor[:64], created_at=now, heartbeat_at=now)
    session.add(b)
    session.flush()
    return b


def mark_stale(session: Session, clock: Clock, settings: ImportSettings) -> int:
    limit = clock.now() - dt.timedelta(seconds=settings.stale_seconds)
    B = ImportBatch
    res = session.execute(update(B).where(B.state.in_(ImportState.OPEN),
                                          or_(B.heartbeat_at < limit, B.heartbeat_at.is_(None) & (B.created_at < limit)))
                          .values(state=ImportState.INTERRUPTED, finished_at=clock.now(),
                                  error={"code": "interrupted", "message": "导入进程已中断(无心跳)",
                                         "message_en": "The import's process stopped (no heartbeat)"}))
    return res.rowcount


def get_batch(session: Session, batch_id: int) -> ImportBatch:
    b = session.get(ImportBatch, batch_id) if isinstance(batch_id, int) and 0 < batch_id < 2**31 else None
    if b is None:
        raise ImportNotFound()
    return b


def list_batches(session: Session, limit: int = 20) -> list[ImportBatch]:
    return list(session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit)))


def rejects(session: Session, batch_id: int, limit: int | None = None):
    """The refused rows, in the file's order (streamed: a report of many rows is never held whole)."""
    q = select(ImportReject.line, ImportReject.key, ImportReject.problems).where(ImportReject.batch_id == batch_id) \
        .order_by(ImportReject.line, ImportReject.id)
    if limit is not None:
        return session.execute(q.limit(limit)).all()
    return session.execute(q.execution_options(yield_per=2000))


def shown_state(b: ImportBatch, clock: Clock, settings: ImportSettings) -> str:
    """The state to show: an open batch without a heartbeat for too long is 'interrupted' (computed on reading,
    without writing: mark_stale records it when the next import is made)."""
    beat = b.heartbeat_at or b.created_at
    if b.state in ImportState.OPEN and beat < clock.now() - dt.timedelta(seconds=settings.stale_seconds):
        return ImportState.INTERRUPTED
    return b.state


def batch_dict(b: ImportBatch, session: Session | None = None, state: str | None = None) -> dict:
    out = {"id": b.id, "kind": b.kind, "state": state or b.state, "dry_run": b.dry_run, "file_name": b.file_name,
           "file_type": b.file_type, "encoding": b.encoding, "size_bytes": b.size_bytes,
           "rows_total": b.rows_total, "rows_done": b.rows_done,
           "counts": {"inserted": b.inserted, "updated": b.updated, "unchanged": b.unchanged, "refused": b.refused},
           "seconds": round(b.seconds, 2) if b.seconds is not None else None, "error": b.error,
           "created_by": b.created_by, "created_at": iso_utc(b.created_at), "started_at": iso_utc(b.started_at),
           "finished_at": iso_utc(b.finished_at)}
    if session is not None:
        out["refused_rows"] = [{"line": line, "key": key, "problems": problems}
                               for line, key, problems in rejects(session, b.id, SAMPLE)]
    return out
