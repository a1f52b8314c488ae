"""A change of employer, name, ID number or specialties supersedes every current copy of the registrations it
touches: each printed the old data (DESIGN.md, verdict `superseded`). The holder and the employer are told
what changed (services/notices), so that old prints are not used."""
from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from backend.models import CertificateCopy, CopyStatus
from backend.services import audit
from backend.services.clock import Clock
from backend.services.notices import events as notices


def supersede_copies(session: Session, registration_ids: list[int], clock: Clock, why: str, actor: str) -> int:
    if not registration_ids:
        return 0
    notices.copies_superseded(session, registration_ids, why, clock.now())   # before: it reads the current copies
    res = session.execute(update(CertificateCopy)
                          .where(CertificateCopy.registration_id.in_(registration_ids),
                                 CertificateCopy.status == CopyStatus.CURRENT)
                          .values(status=CopyStatus.SUPERSEDED, superseded_at=clock.now()))
    if res.rowcount:
        audit.record(session, actor, "copies.supersede", "registration", ",".join(map(str, registration_ids)),
                     {"count": res.rowcount, "why": why})
    return res.rowcount
