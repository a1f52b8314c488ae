"""A site check recorded by an inspector (issue 14): the site, who checked it and when, each person's certificates
with their verdicts and the role's requirements met or missing, and the record's signed token. The rules live in
backend.services.sitecheck; these are columns only."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.models.base import Base, utcnow


class Inspection(Base):
    __tablename__ = "inspections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), nullable=False, unique=True)      # "in_…", unguessable
    # the app's own id of the check (a UUID made on the phone): a retried sync finds the record it made
    client_id: Mapped[str] = mapped_column(String(36), nullable=False, unique=True)
    body_hash: Mapped[str] = mapped_column(String(64), nullable=False)    # SHA-256 of the request, for retries
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))   # None: the admin service token
    inspector: Mapped[str] = mapped_column(String(64), nullable=False)          # the account's username
    organisation: Mapped[str] = mapped_column(String(200), nullable=False)
    site: Mapped[dict] = mapped_column(JSON, nullable=False)     # {name, specialty, contractor_uscc, scale, gps}
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)   # naive UTC, as every column
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    people: Mapped[list] = mapped_column(JSON, nullable=False)      # per person: role, verdicts, requirements
    summary: Mapped[dict] = mapped_column(JSON, nullable=False)
    token: Mapped[str] = mapped_column(Text, nullable=False)        # the signed record (jz-inspection+jwt)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)

    __table_args__ = (Index("ix_inspections_account_created", "account_id", "created_at"),
                      Index("ix_inspections_created", "created_at"))
