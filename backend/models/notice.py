"""In-app notices for holders and enterprises (services/notices): one row per event and recipient, its
`key` unique so that an event, however often it is seen, makes its notice once."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.models.base import Base, utcnow


class Notice(Base):
    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_audience_id", "audience", "id"),
                      Index("ix_notices_mail_state", "mail_state", "id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # who sees it: "p:<person id>" (the person's holder accounts) or "e:<enterprise id>" (its enterprise accounts)
    audience: Mapped[str] = mapped_column(String(24), nullable=False)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))
    # "<audience>|<kind>:<the event>": an event's notice to one audience is made once
    key: Mapped[str] = mapped_column(String(160), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id"))
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    title_en: Mapped[str] = mapped_column(String(200), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    body_en: Mapped[str] = mapped_column(Text, nullable=False)
    data: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    read_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # e-mail: "pending" until the daily job sends it ("sent") or decides not to ("skipped")
    mail_state: Mapped[str] = mapped_column(String(8), nullable=False, default="pending")
