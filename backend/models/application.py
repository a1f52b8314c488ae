"""Applications (申请) of the registration workflows, their proof files and their history.

The state machine and every rule live in backend.services.workflows; these are columns only.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from backend.models.base import Base, utcnow


class Application(Base):
    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), nullable=False, unique=True)     # "ap_…", unguessable
    type: Mapped[str] = mapped_column(String(24), nullable=False)
    state: Mapped[str] = mapped_column(String(24), nullable=False)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), nullable=False, index=True)
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id"), index=True)
    kind_code: Mapped[str | None] = mapped_column(String(16))
    specialties: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    # The employer the application is about: the one named (initial, new employer) or the registration's.
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    # The registration's employer when the application was filed (the old one in a change of employer).
    current_enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    confirm_enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    filed_by: Mapped[str] = mapped_column(String(16), nullable=False)                  # 'holder' | 'enterprise'
    filed_by_enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))
    changes: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    cpd_hours: Mapped[int | None] = mapped_column(Integer)
    cpd_commitment: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    note: Mapped[str | None] = mapped_column(String(500))
    decision_mode: Mapped[str] = mapped_column(String(8), nullable=False, default="auto")
    rules: Mapped[list] = mapped_column(JSON, nullable=False, default=list)            # latest rule outcomes
    decision_outcome: Mapped[str | None] = mapped_column(String(16))
    decision_reason: Mapped[str | None] = mapped_column(String(1000))
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)     # first filed; kept on resubmission
    result_registration_number: Mapped[str | None] = mapped_column(String(32))
    result_copy_id: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    lock_seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)   # bumped to take SQLite's write lock

    person = relationship("Person", lazy="joined", innerjoin=True)
    registration = relationship("Registration", lazy="joined")
    enterprise = relationship("Enterprise", foreign_keys=[enterprise_id], lazy="joined")
    files = relationship("ApplicationFile", order_by="ApplicationFile.id", lazy="selectin")
    events = relationship("ApplicationEvent", order_by="ApplicationEvent.id", lazy="selectin")

    __table_args__ = (Index("ix_applications_state_created", "state", "created_at"),)


class ApplicationFile(Base):
    """A proof file (PDF, JPEG or PNG, at most 5 MB), kept in the database with the application."""
    __tablename__ = "application_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    mime: Mapped[str] = mapped_column(String(32), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)


class ApplicationEvent(Base):
    """One step of an application's history, as holder and employer see it (the audit trail has it too)."""
    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), nullable=False, index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    actor: Mapped[str] = mapped_column(String(64), nullable=False)
    action: Mapped[str] = mapped_column(String(24), nullable=False)
    state: Mapped[str] = mapped_column(String(24), nullable=False)
    reason: Mapped[str | None] = mapped_column(String(1000))
