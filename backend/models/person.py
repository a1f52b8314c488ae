from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from backend.models.base import Base, utcnow


class Person(Base):
    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), nullable=False)
    sex: Mapped[str] = mapped_column(String(1), nullable=False)          # 'M' or 'F', agrees with id_number
    birth_date: Mapped[dt.date] = mapped_column(Date, nullable=False)    # agrees with id_number
    id_type: Mapped[str] = mapped_column(String(8), nullable=False, default="ID")
    id_number: Mapped[str] = mapped_column(String(18), nullable=False, unique=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    photo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    photo_mime: Mapped[str | None] = mapped_column(String(32))
    signature: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    # Demo persons have no stored photo; a portrait is drawn for them on request.
    synthetic: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    deceased_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    # (name, id): exact and prefix lookups walk this index in order, so pages need no sort.
    __table_args__ = (Index("ix_persons_name_id", "name", "id"),)
