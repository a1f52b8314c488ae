from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from backend.models.base import Base, utcnow


class CopyStatus:
    CURRENT = "current"
    SUPERSEDED = "superseded"
    REVOKED = "revoked"


class CertificateCopy(Base):
    """One issued electronic copy (加注件) of a registration certificate.

    `id` is also the copy's index in the status list, so an index is never reused.
    """
    __tablename__ = "certificate_copies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), nullable=False, unique=True)     # token `jti`
    identifier: Mapped[str] = mapped_column(String(96), nullable=False, unique=True)    # 电子证照标识
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id"), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    usage_from: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    usage_until: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default=CopyStatus.CURRENT)
    superseded_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificate_copies.id"))
    kid: Mapped[str] = mapped_column(String(64), nullable=False)
    token: Mapped[str] = mapped_column(Text, nullable=False)
    qr_text: Mapped[str] = mapped_column(Text, nullable=False)
    qr_png: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    qr_svg: Mapped[str] = deferred(mapped_column(Text, nullable=False))
    snapshot: Mapped[dict] = mapped_column(JSON, nullable=False)   # the data printed on the copy

    registration = relationship("Registration", lazy="joined", innerjoin=True)

    __table_args__ = (
        Index("ix_copies_registration_issued", "registration_id", "issued_at"),
        Index("ix_copies_status", "status"),
    )
