from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from backend.models.base import Base, utcnow


class BulkCheck(Base):
    """The answer of one bulk check, kept (BULK_RESULT_HOURS, default 24) for its CSV and XLSX downloads.

    `id` is random and unguessable; the downloads still check that the caller may see the enterprise.
    """
    __tablename__ = "bulk_checks"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), nullable=False, index=True)
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, index=True)
    result: Mapped[dict] = deferred(mapped_column(JSON, nullable=False))
