"""Verifications per local day and verdict: the dashboard's persistent count (Prometheus counts too, but
forgets on restart and is per process). Incremented in batches by services.dashboard.tally, never per row
of anything else."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.models.base import Base


class VerificationCount(Base):
    __tablename__ = "verification_counts"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)          # the issuer's local calendar day
    verdict: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
