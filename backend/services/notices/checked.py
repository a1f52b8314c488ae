""""Your certificate was checked": the holder is told the day and the inspecting organisation, never who the
inspector is. Made when a signed-in inspector verifies a copy online (the verify path, `inspector_verified`)
or records it in a site check (`certificate_checked`, via="site_check"). One notice per registration,
organisation, way and local day: ten scans of one card at one site are one notice. Anonymous public checks
make none (they are only counted, services/dashboard). A holder may turn these off (notice_checks)."""
from __future__ import annotations

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Account, Notice, Registration
from backend.services.notices import post, texts

TZ = ZoneInfo("Asia/Shanghai")       # the day a holder reads is the issuer's local day (services/clock.py)
VIA = ("online", "site_check")


def _day(at: dt.datetime, tz) -> dt.date:
    """`at`: naive UTC (as the clock gives) or aware."""
    aware = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    return aware.astimezone(tz or TZ).date()


def certificate_checked(session: Session, *, person_id: int, registration_id: int, organisation: str, at: dt.datetime,
                        via: str, tz: dt.tzinfo | None = None) -> None:
    """`organisation`: the inspecting organisation's name ("" or None: 现场检查人员 / a site inspector);
    `tz`: the issuer's zone, whose calendar day the holder reads (default Asia/Shanghai)."""
    if via not in VIA:
        raise ValueError(f"via: one of {VIA}")
    if not post.persons_with_accounts(session, [person_id], checks=True):
        return
    number = session.scalar(select(Registration.registration_number).where(Registration.id == registration_id))
    if number is None:
        return
    org = (organisation or "").strip()[:100]
    names = (org, org) if org else texts.SITE_INSPECTOR
    day = _day(at, tz)
    digest = hashlib.sha256(org.encode()).hexdigest()[:16]
    created = at.astimezone(dt.UTC).replace(tzinfo=None) if at.tzinfo else at
    row = post.row(
        now=created, kind="certificate_checked", event=f"{registration_id}:{via}:{day.isoformat()}:{digest}",
        text=texts.certificate_checked(number, day, names, via), person_id=person_id, registration_id=registration_id,
        data={"registration_number": number, "organisation": org or None, "via": via, "day": day.isoformat()})
    # the same inspector's organisation again today (the common case): a read, no write, no write lock
    if session.scalar(select(Notice.id).where(Notice.key == row["key"])) is None:
        post.insert(session, [row])


def inspector_verified(session: Session, *, account_id: int, registration_number: str, at: dt.datetime,
                       tz: dt.tzinfo | None = None) -> None:
    """A signed-in inspector's online verification of a copy of `registration_number`: the inspector's
    organisation (from the account) is all the holder learns."""
    reg = session.execute(select(Registration.id, Registration.person_id)
                          .where(Registration.registration_number == registration_number)).first()
    if reg is None:
        return
    org = session.scalar(select(Account.organisation).where(Account.id == account_id))
    certificate_checked(session, person_id=reg.person_id, registration_id=reg.id, organisation=org or "", at=at,
                        via="online", tz=tz)
