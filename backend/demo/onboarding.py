"""The demo's 入库登记 (docs/onboarding.md), made through the real service (the upload rules, the review, the audit
trail): approved signature images for the demo's named persons (the samples, the demo holder) and for the
first staff of the demo enterprise, and a few uploads waiting in the authority's review queue.

Each signature is drawn from its person's name and ID number (backend/demo/images.py: strokes, not a font),
photographed on paper, uploaded as the holder would, and approved by the demo authority. Idempotent: a person
who has a signature is left alone, and the queue is filled only while no upload is waiting in it.
"""
from __future__ import annotations

import itertools

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.demo.images import portrait_photo, signature_photo
from backend.models import Enterprise, ImageSubmission, Person, Registration
from backend.services.clock import Clock
from backend.services.registry import onboarding
from backend.services.registry.onboarding import Uploader

DESK = Uploader("authority", "authority:demo-authority", "demo")
HOLDER = Uploader("holder", "holder:demo", "demo")
STAFF_SIGNED = 12          # staff of the demo enterprise given a signature
QUEUE = (("photo", 2), ("signature", 2))


def _drawn_by(person: Person, take: int = 1) -> bytes:
    return signature_photo(f"{person.name}:{person.id_number}:{take}", len(person.name))


def sign(session: Session, clock: Clock, person: Person) -> ImageSubmission | None:
    """The person's signature, uploaded by them and approved by the demo authority (None: they have one)."""
    if onboarding.images_on_file(session, [person.id])[person.id]["signature"]:
        return None
    sub = onboarding.submit(session, person.id, "signature", _drawn_by(person), HOLDER)
    return onboarding.decide(session, clock, sub.public_id, "approve", None, DESK)


def demo_enterprise_staff(session: Session, limit: int) -> list[Person]:
    """The first staff of the active enterprise with the most registrations (the demo enterprise account's)."""
    eid = session.scalar(select(Registration.enterprise_id).join(Enterprise, Enterprise.id == Registration.enterprise_id)
                         .where(Enterprise.status == "active").group_by(Registration.enterprise_id)
                         .order_by(func.count().desc(), Registration.enterprise_id).limit(1))
    if eid is None:
        return []
    ids = select(Registration.person_id).where(Registration.enterprise_id == eid).distinct()
    return list(session.scalars(select(Person).where(Person.id.in_(ids), Person.deceased_on.is_(None))
                                .order_by(Person.id).limit(limit)))


def make_demo_onboarding(session: Session, clock: Clock) -> dict:
    """Signatures for the demo enterprise's first staff and a review queue of new photos and signatures from
    some of them. Returns the counts made; commits."""
    staff = demo_enterprise_staff(session, STAFF_SIGNED + sum(n for _, n in QUEUE))
    signed = sum(sign(session, clock, p) is not None for p in staff[:STAFF_SIGNED])
    queued = 0
    waiting = session.scalar(select(func.count()).select_from(ImageSubmission)
                             .where(ImageSubmission.state == onboarding.SubState.PENDING))
    if not waiting:
        people = iter(staff[STAFF_SIGNED:] or staff)
        for kind, n in QUEUE:
            for person in itertools.islice(people, n):
                data = portrait_photo(person.id_number, person.sex) if kind == "photo" else _drawn_by(person, 2)
                onboarding.submit(session, person.id, kind, data, HOLDER)
                queued += 1
    session.commit()
    return {"signed": signed, "queued": queued}
