"""入库登记: the holder's standard colour ID photo and handwritten signature image, uploaded, normalised and
reviewed (docs/onboarding.md).

    sub = submit(session, person_id, "photo", data, who)          # pending, in the authority's queue
    sub = decide(session, clock, sub.public_id, "approve", None, who)   # now the person's photo; copies superseded

- An upload is judged and normalised by the upload rules (services/uploads/id_photo.py, signature.py); only
  the normalised image is kept. A person has at most one pending upload of each kind: a new one withdraws
  the one before.
- The authority approves (the image becomes Person.photo / Person.signature, the only images a copy ever
  prints, and every current copy of the person is superseded: it printed the old image) or returns it with
  a reason the holder reads. The holder may withdraw a pending upload.
- The authority may upload on the holder's behalf (at the counter, from a paper file): that upload is
  recorded as a submission like any other and approved at once by the same authority, both steps audited.
  The legacy PUT of the registry (store_as_uploaded) is such an upload, kept as uploaded, unnormalised.
Every step is in the audit trail.
"""
from __future__ import annotations

import hashlib
import io
import secrets
from dataclasses import dataclass

from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.content.sniff import sniff
from backend.models import ImageSubmission, Person, Registration
from backend.models.base import utcnow
from backend.services import audit
from backend.services.clock import Clock
from backend.services.registry import persons
from backend.services.registry.errors import ReturnReasonRequired, SignatureMissing, SubmissionNotFound, SubmissionNotPending
from backend.services.registry.portraits import photo_of
from backend.services.registry.superseding import supersede_copies
from backend.services.row_locks import lock_by_public_id
from backend.services.uploads.id_photo import normalise_photo
from backend.services.uploads.limits import ONBOARDING_MAX_BYTES
from backend.services.uploads.photos import clean_upload
from backend.services.uploads.signature import normalise_signature

PHOTO, SIGNATURE = "photo", "signature"
KINDS = {PHOTO: ("证件照", "ID photo"), SIGNATURE: ("签名", "Signature")}
NORMALISE = {PHOTO: normalise_photo, SIGNATURE: normalise_signature}
UPLOAD_MAX_BYTES = ONBOARDING_MAX_BYTES
PAGE_SIZE = 20
HISTORY = 50                  # the holder's list: the latest uploads
REASON_MAX = 500


class SubState:
    PENDING, APPROVED, RETURNED, WITHDRAWN = "pending", "approved", "returned", "withdrawn"
    NAMES = {PENDING: ("待审核", "Awaiting review"), APPROVED: ("已通过", "Approved"),
             RETURNED: ("已退回", "Returned"), WITHDRAWN: ("已撤回", "Withdrawn")}


DECISIONS = {"approve": SubState.APPROVED, "return": SubState.RETURNED}
REPLACED = "已由新的上传取代 / Replaced by a newer upload"
REPLACED_BY_AUTHORITY = "主管部门已代为上传并审核通过 / The authority uploaded and approved one on the holder's behalf"


@dataclass(frozen=True)
class Uploader:
    """Who acts: role ('holder' or 'authority'), the account as histories show it, the audit trail's label."""
    role: str
    label: str
    audit: str


def _person_for_update(session: Session, person_id: int) -> Person:
    """The person, locked (PostgreSQL) so that two uploads of the same person are made one after the other."""
    persons.get_person(session, person_id)
    return session.scalar(select(Person).where(Person.id == person_id).with_for_update(of=Person))


def _record(session: Session, sub: ImageSubmission, action: str, who: Uploader, **extra) -> None:
    audit.record(session, who.audit, f"image.{action}", "image_submission", sub.public_id,
                 {"person": sub.person_id, "kind": sub.kind, "state": sub.state, "by": who.label, **extra})


def _withdraw_pending(session: Session, person_id: int, kind: str, reason: str, who: Uploader) -> list[str]:
    rows = list(session.scalars(select(ImageSubmission).where(
        ImageSubmission.person_id == person_id, ImageSubmission.kind == kind,
        ImageSubmission.state == SubState.PENDING)))
    for old in rows:
        old.state, old.reason = SubState.WITHDRAWN, reason
        _record(session, old, "withdraw", who, reason=reason)
    return [r.public_id for r in rows]


def _add(session: Session, person: Person, kind: str, who: Uploader, *, data: bytes, mime: str, width: int,
         height: int, sha256: str, source: dict, checks: dict, replaced_reason: str) -> ImageSubmission:
    replaced = _withdraw_pending(session, person.id, kind, replaced_reason, who)
    sub = ImageSubmission(public_id="im_" + secrets.token_hex(8), person_id=person.id, kind=kind,
                          state=SubState.PENDING, data=data, mime=mime, size=len(data), width=width, height=height,
                          sha256=sha256, source=source, checks=checks, uploaded_by=who.role, uploader=who.label)
    session.add(sub)
    session.flush()
    _record(session, sub, "submit", who, sha256=sha256, bytes=len(data), width=width, height=height,
            replaced=replaced)
    return sub


def submit(session: Session, person_id: int, kind: str, data: bytes, who: Uploader) -> ImageSubmission:
    """A new upload of the person's photo or signature, judged and normalised, pending review."""
    person = _person_for_update(session, person_id)
    norm = NORMALISE[kind](data)             # a FileRejected (uploads/errors.py) when the rules refuse it
    return _add(session, person, kind, who, data=norm.data, mime=norm.mime, width=norm.width, height=norm.height,
                sha256=norm.sha256, source=norm.source, checks=norm.checks, replaced_reason=REPLACED)


def upload_for_holder(session: Session, clock: Clock, person_id: int, kind: str, data: bytes,
                      who: Uploader) -> ImageSubmission:
    """The authority's upload on the holder's behalf: judged and normalised like the holder's own, recorded as
    a submission, and approved at once by the same authority (a pending upload of the holder's is withdrawn)."""
    person = _person_for_update(session, person_id)
    norm = NORMALISE[kind](data)
    sub = _add(session, person, kind, who, data=norm.data, mime=norm.mime, width=norm.width, height=norm.height,
               sha256=norm.sha256, source=norm.source, checks=norm.checks, replaced_reason=REPLACED_BY_AUTHORITY)
    return _approve(session, clock, sub, None, who)


def store_as_uploaded(session: Session, clock: Clock, person_id: int, kind: str, data: bytes,
                      who: Uploader) -> Person:
    """The registry's legacy PUT: the authority's image kept as uploaded (JPEG or PNG, at most 2 MB, checked by
    content, not normalised), recorded as a submission approved at once."""
    person = _person_for_update(session, person_id)
    _data, mime = clean_upload(data, max_bytes=persons.IMAGE_MAX_BYTES)
    with Image.open(io.BytesIO(data)) as im:              # the header only: decoded in full by the check
        width, height = im.size
    sha = hashlib.sha256(data).hexdigest()
    sub = _add(session, person, kind, who, data=data, mime=mime, width=width, height=height, sha256=sha,
               source={"mime": mime, "bytes": len(data), "width": width, "height": height}, checks={},
               replaced_reason=REPLACED_BY_AUTHORITY)
    _approve(session, clock, sub, None, who)
    return person


def _approve(session: Session, clock: Clock, sub: ImageSubmission, note: str | None, who: Uploader):
    """The image becomes the person's current one; every current copy of the person printed the old one."""
    persons.store_image(session, sub.person_id, sub.kind, sub.data, who.audit)
    reg_ids = list(session.scalars(select(Registration.id).where(Registration.person_id == sub.person_id)))
    superseded = supersede_copies(session, reg_ids, clock, sub.kind, who.audit)
    _decided(sub, SubState.APPROVED, note, who)
    _record(session, sub, "approve", who, superseded_copies=superseded, sha256=sub.sha256)
    return sub


def _decided(sub: ImageSubmission, state: str, reason: str | None, who: Uploader) -> None:
    sub.state, sub.reason = state, reason
    sub.decided_by, sub.decided_at = who.label, utcnow().replace(microsecond=0)


def _lock(session: Session, public_id: str) -> ImageSubmission:
    """The submission, its row locked: two decisions at once make one effect (the second sees it decided)."""
    sub = lock_by_public_id(session, ImageSubmission, public_id)
    if sub is None:
        raise SubmissionNotFound()
    return sub


def decide(session: Session, clock: Clock, public_id: str, decision: str, reason: str | None,
           who: Uploader) -> ImageSubmission:
    """The authority's decision on a pending upload: `approve` (a reason is an optional note) or `return`
    (with the reason the holder reads)."""
    reason = (reason or "").strip()[:REASON_MAX] or None
    if decision == "return" and not reason:
        raise ReturnReasonRequired()
    sub = _lock(session, public_id)
    if sub.state != SubState.PENDING:
        raise SubmissionNotPending(sub.state)
    if DECISIONS[decision] == SubState.APPROVED:
        return _approve(session, clock, sub, reason, who)
    _decided(sub, SubState.RETURNED, reason, who)
    _record(session, sub, "return", who, reason=reason)
    return sub


def withdraw(session: Session, public_id: str, person_id: int, who: Uploader) -> ImageSubmission:
    """The holder takes back a pending upload of their own."""
    sub = _lock(session, public_id)
    if sub.person_id != person_id:
        raise SubmissionNotFound()
    if sub.state != SubState.PENDING:
        raise SubmissionNotPending(sub.state)
    sub.state = SubState.WITHDRAWN
    _record(session, sub, "withdraw", who)
    return sub


def get_submission(session: Session, public_id: str, *, person_id: int | None = None) -> ImageSubmission:
    """A submission; with person_id, only one of that person's (anyone else's is answered as unknown)."""
    sub = session.scalar(select(ImageSubmission).where(ImageSubmission.public_id == public_id)) \
        if isinstance(public_id, str) else None
    if sub is None or (person_id is not None and sub.person_id != person_id):
        raise SubmissionNotFound()
    return sub


def person_submissions(session: Session, person_id: int) -> list[ImageSubmission]:
    """The person's latest uploads, newest first."""
    return list(session.scalars(select(ImageSubmission).where(ImageSubmission.person_id == person_id)
                                .order_by(ImageSubmission.id.desc()).limit(HISTORY)))


def review_queue(session: Session, *, state: str | None = SubState.PENDING, kind: str | None = None,
                 page: int = 1) -> tuple[list[ImageSubmission], int, int]:
    """(one page, the total, the page). Pending uploads oldest first (a queue), any other state newest first."""
    q = select(ImageSubmission)
    if state:
        q = q.where(ImageSubmission.state == state)
    if kind:
        q = q.where(ImageSubmission.kind == kind)
    total = session.scalar(select(func.count()).select_from(q.subquery()))
    order = ImageSubmission.id.asc() if state == SubState.PENDING else ImageSubmission.id.desc()
    rows = session.scalars(q.order_by(order).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return list(rows), total, page


def current_image(session: Session, person_id: int, kind: str) -> tuple[bytes, str]:
    """(bytes, MIME type) of the person's current, approved image: what copies print. A demo person without a
    photo has a drawn portrait (portraits.py)."""
    person = persons.get_person(session, person_id)
    if kind == PHOTO:
        return photo_of(person)
    if not person.signature:
        raise SignatureMissing()
    return person.signature, sniff(person.signature) or "image/png"


def images_on_file(session: Session, person_ids) -> dict[int, dict[str, bool]]:
    """Which current images each person has: {id: {"photo": …, "signature": …}} (a drawn portrait counts), in one
    query that reads no image."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    rows = session.execute(select(Person.id, Person.photo_mime, Person.synthetic, Person.signature.is_not(None))
                           .where(Person.id.in_(ids)))
    return {pid: {PHOTO: mime is not None or bool(synthetic), SIGNATURE: bool(sig)} for pid, mime, synthetic, sig in rows}
