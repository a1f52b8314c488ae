from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, FetchedValue, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.models.base import Base, utcnow


class RegStatus:
    """Registration statuses (Beijing's 安管 codes in brackets)."""
    ACTIVE = "active"          # 有效 (01)
    SUSPENDED = "suspended"    # 暂扣 (02), reversible lock
    RESCINDED = "rescinded"    # 撤销 (03)
    CANCELLED = "cancelled"    # 注销 (04)
    LAPSED = "lapsed"          # 失效 (05)
    REVOKED = "revoked"        # 吊销 (07)
    ALL = (ACTIVE, SUSPENDED, RESCINDED, CANCELLED, LAPSED, REVOKED)
    ZH = {ACTIVE: "有效", SUSPENDED: "暂扣", RESCINDED: "撤销", CANCELLED: "注销", LAPSED: "失效", REVOKED: "吊销"}
    EN = {ACTIVE: "active", SUSPENDED: "suspended", RESCINDED: "rescinded", CANCELLED: "cancelled",
          LAPSED: "lapsed", REVOKED: "revoked"}
    ENDED = (RESCINDED, CANCELLED, REVOKED)


class SpecialtyStatus:
    ACTIVE = "active"
    LAPSED = "lapsed"
    CANCELLED = "cancelled"


class Qualification(Base):
    """资格证书: the exam certificate a registration rests on (one per kind and specialty)."""
    __tablename__ = "qualifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), nullable=False, index=True)
    kind_code: Mapped[str] = mapped_column(String(16), nullable=False)
    specialty_code: Mapped[str | None] = mapped_column(String(16))
    certificate_no: Mapped[str] = mapped_column(String(64), nullable=False)
    issued_on: Mapped[dt.date] = mapped_column(Date, nullable=False)


class Registration(Base):
    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), nullable=False, index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), nullable=False, index=True)
    kind_code: Mapped[str] = mapped_column(String(16), nullable=False)
    registration_number: Mapped[str] = mapped_column(String(32), nullable=False, unique=True)
    seal_counter: Mapped[int] = mapped_column(Integer, nullable=False, default=1)   # 执业印章号 (NN)
    province_code: Mapped[str] = mapped_column(String(2), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default=RegStatus.ACTIVE)
    status_reason: Mapped[str | None] = mapped_column(String(500))
    first_registered_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    # The holder's name, copied here by the database's triggers for the lookup's indexes (migration 0010):
    # never written by the application.
    person_name: Mapped[str | None] = mapped_column(String(64), server_default=FetchedValue(),
                                                    server_onupdate=FetchedValue())

    person = relationship("Person", lazy="joined", innerjoin=True)
    enterprise = relationship("Enterprise", lazy="joined", innerjoin=True)
    specialties = relationship("RegistrationSpecialty", order_by="RegistrationSpecialty.id",
                               back_populates="registration", lazy="selectin")

    __mapper_args__ = {"version_id_col": version}

    @property
    def seal_number(self) -> str:
        return f"{self.registration_number}({self.seal_counter:02d})"


class RegistrationSpecialty(Base):
    __tablename__ = "registration_specialties"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id"), nullable=False)
    specialty_code: Mapped[str] = mapped_column(String(16), nullable=False)
    valid_from: Mapped[dt.date] = mapped_column(Date, nullable=False)
    valid_until: Mapped[dt.date] = mapped_column(Date, nullable=False)   # last day of validity, inclusive
    status: Mapped[str] = mapped_column(String(16), nullable=False, default=SpecialtyStatus.ACTIVE)
    # The registration's holder, their name, its kind and province, copied by the database's triggers for the
    # lookup's index (migration 0010): never written by the application.
    person_name: Mapped[str | None] = mapped_column(String(64), server_default=FetchedValue(),
                                                    server_onupdate=FetchedValue())
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), server_default=FetchedValue())
    kind_code: Mapped[str | None] = mapped_column(String(16), server_default=FetchedValue())
    province_code: Mapped[str | None] = mapped_column(String(2), server_default=FetchedValue())
    # The registration's status, copied likewise (migration 0018) for the dashboard's expiring count.
    reg_status: Mapped[str | None] = mapped_column(String(16), server_default=FetchedValue(),
                                                   server_onupdate=FetchedValue())

    registration = relationship("Registration", back_populates="specialties")

    __table_args__ = (
        UniqueConstraint("registration_id", "specialty_code", name="uq_reg_specialty"),
        # ix_reg_specialties_until (valid_until, status, reg_status, kind_code, registration_id): migration 0018
    )
