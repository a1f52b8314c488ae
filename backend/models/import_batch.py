"""Imports of the existing register (backend/services/imports): one row per file imported, its state and
progress (read by every replica), and the rows it refused, for the report."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.models.base import Base, utcnow


class ImportState:
    QUEUED = "queued"              # stored, its worker not started yet
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"              # the file could not be read to its end, or the worker raised
    INTERRUPTED = "interrupted"    # found running with no sign of life (its process died)
    ALL = (QUEUED, RUNNING, DONE, FAILED, INTERRUPTED)
    OPEN = (QUEUED, RUNNING)


class ImportBatch(Base):
    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)        # enterprises|persons|qualifications|registrations
    state: Mapped[str] = mapped_column(String(16), nullable=False, default=ImportState.QUEUED)
    dry_run: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    file_name: Mapped[str] = mapped_column(String(200), nullable=False)
    file_type: Mapped[str | None] = mapped_column(String(8))             # csv | xlsx
    encoding: Mapped[str | None] = mapped_column(String(16))             # utf-8 | gb18030 (CSV)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    sha256: Mapped[str | None] = mapped_column(String(64))
    rows_total: Mapped[int | None] = mapped_column(Integer)              # known once the file is counted
    rows_done: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    inserted: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    updated: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    refused: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    seconds: Mapped[float | None] = mapped_column(Float)
    error: Mapped[dict | None] = mapped_column(JSON)                     # {code, message, message_en} when failed
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)
    worker: Mapped[str | None] = mapped_column(String(64))               # host:pid of the process running it
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    __table_args__ = (Index("ix_import_batches_created", "created_at"),)


class ImportReject(Base):
    """One refused row: its line in the file, its natural key as written, and every problem found in it."""
    __tablename__ = "import_rejects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id", ondelete="CASCADE"), nullable=False)
    line: Mapped[int] = mapped_column(Integer, nullable=False)
    key: Mapped[str | None] = mapped_column(String(64))
    problems: Mapped[list] = mapped_column(JSON, nullable=False)         # [{field, code, message, message_en}]

    __table_args__ = (Index("ix_import_rejects_batch_line", "batch_id", "line"),)
