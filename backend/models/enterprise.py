from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.models.base import Base, utcnow


class Enterprise(Base):
    __tablename__ = "enterprises"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    short_name: Mapped[str] = mapped_column(String(32), nullable=False)
    uscc: Mapped[str] = mapped_column(String(18), nullable=False, unique=True)   # 统一社会信用代码
    province_code: Mapped[str] = mapped_column(String(2), nullable=False)
    # 'active', or why it may no longer employ registered persons: 'revoked' (licence/资质), 'bankrupt'
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="active")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)
