from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.models.base import Base, utcnow


class Role:
    ENTERPRISE = "enterprise"    # bound to one enterprise (enterprise_id)
    AUTHORITY = "authority"      # housing-department staff
    INSPECTOR = "inspector"      # site inspectors
    HOLDER = "holder"            # bound to one person (person_id)
    ALL = (ENTERPRISE, AUTHORITY, INSPECTOR, HOLDER)


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)   # stored lower-case
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)          # argon2id, PHC string
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(254))       # where the daily digest goes
    # an inspector's organisation, the one thing a holder is told of who checked their copy (services/notices)
    organisation: Mapped[str | None] = mapped_column(String(100))
    notice_checks: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, server_default=true())
    notice_email: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, server_default=true())
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    enterprise = relationship("Enterprise", lazy="joined")


class LoginThrottle(Base):
    """Consecutive failed logins per username and client address, whether or not an account has that name:
    an unknown username is counted and locked exactly like a known one, so the lockout tells nobody which
    exist. Keyed by the address too, so that someone else's failures never lock the owner out."""
    __tablename__ = "login_throttle"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    client: Mapped[str] = mapped_column(String(64), primary_key=True)     # the client address, "-" if unknown
    failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_failure_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, index=True)


class RevokedToken(Base):
    """Access tokens ended by logout before their expiry; a row is useless once `expires_at` passes."""
    __tablename__ = "revoked_tokens"

    jti: Mapped[str] = mapped_column(String(32), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, index=True)
    revoked_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
