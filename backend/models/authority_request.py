"""Actions of the authority on a record that need a second authority account to approve them (four-eyes):
撤销, 吊销, bulk 注销, and marking an enterprise's licence revoked or bankrupt. One row per request, from its
filing to its approval (the action applied), rejection or going stale. The rules live in
backend.services.authority; these are columns only."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.models.base import Base, utcnow


class AuthorityRequest(Base):
    __tablename__ = "authority_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), nullable=False, unique=True)     # "aq_…", unguessable
    action: Mapped[str] = mapped_column(String(16), nullable=False)     # rescind|revoke|bulk_cancel|licence
    target_type: Mapped[str] = mapped_column(String(16), nullable=False)   # 'registration' | 'enterprise'
    target: Mapped[str] = mapped_column(String(64), nullable=False)     # a registration number, a credit code, or
    #                                                                      the first of a bulk cancellation's numbers
    # what the action needs: {"numbers": [...]} or {"state": "revoked"}; and the record as it was when asked
    # ({"statuses": {number: status}} or {"enterprise_status": ...}): a change since makes the request stale
    params: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    snapshot: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    reason: Mapped[str] = mapped_column(String(500), nullable=False)
    state: Mapped[str] = mapped_column(String(16), nullable=False)       # pending|approved|rejected|stale
    requested_by: Mapped[str] = mapped_column(String(64), nullable=False)            # "authority:<username>"
    requested_by_account: Mapped[int | None] = mapped_column(Integer)  # None: the admin service token
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_by_account: Mapped[int | None] = mapped_column(Integer)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    decision_reason: Mapped[str | None] = mapped_column(String(500))
    result: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)   # what the approval changed
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    lock_seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)   # bumped to take SQLite's write lock

    __table_args__ = (Index("ix_authority_requests_state_created", "state", "created_at"),
                      Index("ix_authority_requests_target", "target_type", "target"))
