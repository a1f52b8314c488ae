"""入库登记: a holder's photo or signature image, uploaded (by the holder, or by the authority on the holder's
behalf), normalised by the upload rules, and reviewed. Only an approved one becomes the person's current image
(Person.photo, Person.signature). The rules and states live in backend.services.registry.onboarding."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from backend.models.base import Base, utcnow


class ImageSubmission(Base):
    __tablename__ = "image_submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), nullable=False, unique=True)     # "im_…", unguessable
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)              # 'photo' | 'signature'
    state: Mapped[str] = mapped_column(String(16), nullable=False)             # pending|approved|returned|withdrawn
    # the normalised image (a 358x441 JPEG, or a signature PNG on transparent), never the upload itself
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    mime: Mapped[str] = mapped_column(String(32), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)                 # bytes of `data`
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    source: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)   # the upload: mime, bytes, width, height
    checks: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)   # what the rules measured
    uploaded_by: Mapped[str] = mapped_column(String(16), nullable=False)       # 'holder' | 'authority' (on behalf)
    uploader: Mapped[str] = mapped_column(String(64), nullable=False)          # account, as histories show it
    reason: Mapped[str | None] = mapped_column(String(500))                    # why it was returned or withdrawn
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    lock_seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)   # bumped to take SQLite's write lock

    person = relationship("Person", lazy="joined", innerjoin=True)

    __table_args__ = (Index("ix_image_submissions_state_created", "state", "created_at"),
                      Index("ix_image_submissions_person_kind", "person_id", "kind"))
