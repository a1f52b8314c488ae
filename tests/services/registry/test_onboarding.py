"""入库登记 as a service (docs/onboarding.md): uploads pending review, the authority's decision, what an approval
changes (the person's current image, every current copy superseded), withdrawals, uploads on the holder's
behalf and the legacy PUT, each step audited."""
import io

import pytest
from PIL import Image
from sqlalchemy import select

from backend.models import AuditEvent, CertificateCopy, CopyStatus
from backend.services.issuance import copies
from backend.services.registry import onboarding
from backend.services.registry.errors import (
    PersonNotFound,
    PhotoMissing,
    ReturnReasonRequired,
    SignatureMissing,
    SubmissionNotFound,
    SubmissionNotPending,
)
from backend.services.registry.onboarding import REPLACED, REPLACED_BY_AUTHORITY, SubState, Uploader
from backend.services.uploads.errors import PhotoTooSmall, SignatureNoInk
from tests import factories as f
from tests.onboarding_images import blank_paper, encode, portrait, portrait_photo, signature_photo

HOLDER = Uploader("holder", "holder:zhang", "holder:zhang@127.0.0.1")
DESK = Uploader("authority", "authority:desk", "authority:desk@127.0.0.1")


def _events(session, entity_id: str) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.entity_id == entity_id).order_by(AuditEvent.id)))


def _issue(session, svc, reg):
    return copies.issue_copy(session, svc.ring, svc.catalogue, svc.settings, svc.clock, reg.registration_number, "test")


def test_an_upload_waits_for_review_and_changes_nothing_yet(session):
    p = f.person(session)
    sub = onboarding.submit(session, p.id, "photo", portrait_photo("a", "M"), HOLDER)
    assert (sub.state, sub.kind, sub.uploaded_by, sub.uploader, sub.mime) == ("pending", "photo", "holder",
                                                                            "holder:zhang", "image/jpeg")
    assert sub.public_id.startswith("im_") and (sub.width, sub.height) == (358, 441) and sub.size == len(sub.data)
    assert Image.open(io.BytesIO(sub.data)).size == (358, 441)
    assert p.photo is None and p.photo_mime is None
    [event] = _events(session, sub.public_id)
    assert (event.action, event.actor, event.data["person"], event.data["by"]) == ("image.submit", HOLDER.audit, p.id,
                                                                                 "holder:zhang")
    assert onboarding.review_queue(session, state="pending")[0][-1] == sub


def test_a_refused_upload_leaves_no_trace(session):
    p = f.person(session)
    with pytest.raises(PhotoTooSmall):
        onboarding.submit(session, p.id, "photo", encode(portrait().resize((300, 400))), HOLDER)
    with pytest.raises(SignatureNoInk):
        onboarding.submit(session, p.id, "signature", blank_paper(), HOLDER)
    assert onboarding.person_submissions(session, p.id) == []
    with pytest.raises(PersonNotFound):
        onboarding.submit(session, 10**9, "photo", portrait_photo("a", "M"), HOLDER)


def test_approval_makes_it_current_and_supersedes_every_current_copy(session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock)
    other = f.registration(session, svc.catalogue, svc.clock, p=reg.person, ent=reg.enterprise, kind="AQB",
                           specialties=("B",))
    old, old_other = _issue(session, svc, reg), _issue(session, svc, other)
    sub = onboarding.submit(session, reg.person_id, "signature", signature_photo("周:1", 2), HOLDER)
    assert reg.person.signature is None
    done = onboarding.decide(session, svc.clock, sub.public_id, "approve", None, DESK)
    assert (done.state, done.decided_by, done.reason) == ("approved", "authority:desk", None)
    assert reg.person.signature == sub.data                                  # what the PDF prints
    session.refresh(old)
    session.refresh(old_other)
    assert old.status == old_other.status == CopyStatus.SUPERSEDED
    actions = [e.action for e in _events(session, sub.public_id)]
    assert actions == ["image.submit", "image.approve"]
    assert _events(session, sub.public_id)[-1].data["superseded_copies"] == 2
    person_event = session.scalar(select(AuditEvent).where(AuditEvent.action == "person.signature",
                                                           AuditEvent.entity_id == str(reg.person_id)))
    assert person_event.data == {"bytes": sub.size, "mime": "image/png"}
    new = _issue(session, svc, reg)                                          # a new copy prints the new image
    assert new.status == CopyStatus.CURRENT and new.registration.person.signature == sub.data
    assert onboarding.current_image(session, reg.person_id, "signature") == (sub.data, "image/png")


def test_a_return_needs_a_reason_and_changes_nothing(session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock)
    c = _issue(session, svc, reg)
    sub = onboarding.submit(session, reg.person_id, "photo", portrait_photo("r", "F"), HOLDER)
    for blank in (None, "", "   "):
        with pytest.raises(ReturnReasonRequired) as e:
            onboarding.decide(session, svc.clock, sub.public_id, "return", blank, DESK)
        assert e.value.details["fields"]["reason"]["code"] == "required"
    done = onboarding.decide(session, svc.clock, sub.public_id, "return", "  请换一张白底的照片 ", DESK)
    assert (done.state, done.reason) == ("returned", "请换一张白底的照片")
    assert reg.person.photo is None
    assert session.get(CertificateCopy, c.id).status == CopyStatus.CURRENT
    assert _events(session, sub.public_id)[-1].data["reason"] == "请换一张白底的照片"


def test_a_decision_is_made_once(session, svc):
    p = f.person(session)
    sub = onboarding.submit(session, p.id, "photo", portrait_photo("o", "M"), HOLDER)
    onboarding.decide(session, svc.clock, sub.public_id, "approve", "好", DESK)
    for decision in ("approve", "return"):
        with pytest.raises(SubmissionNotPending) as e:
            onboarding.decide(session, svc.clock, sub.public_id, decision, "再来", DESK)
        assert (e.value.status, e.value.code, e.value.details) == (409, "submission_not_pending", {"state": "approved"})
    with pytest.raises(SubmissionNotFound):
        onboarding.decide(session, svc.clock, "im_nope", "approve", None, DESK)


def test_a_new_upload_replaces_the_pending_one_of_its_kind_only(session):
    p = f.person(session)
    first = onboarding.submit(session, p.id, "photo", portrait_photo("1", "M"), HOLDER)
    sig = onboarding.submit(session, p.id, "signature", signature_photo("甲:1", 2), HOLDER)
    second = onboarding.submit(session, p.id, "photo", portrait_photo("2", "M"), HOLDER)
    assert (first.state, first.reason) == ("withdrawn", REPLACED)
    assert (second.state, sig.state) == ("pending", "pending")
    assert _events(session, second.public_id)[0].data["replaced"] == [first.public_id]
    assert onboarding.person_submissions(session, p.id) == [second, sig, first]


def test_the_holder_withdraws_only_their_own_pending_upload(session, svc):
    p, someone = f.person(session), f.person(session)
    sub = onboarding.submit(session, p.id, "photo", portrait_photo("w", "F"), HOLDER)
    with pytest.raises(SubmissionNotFound):
        onboarding.withdraw(session, sub.public_id, someone.id, HOLDER)
    assert onboarding.withdraw(session, sub.public_id, p.id, HOLDER).state == "withdrawn"
    with pytest.raises(SubmissionNotPending):
        onboarding.withdraw(session, sub.public_id, p.id, HOLDER)
    with pytest.raises(SubmissionNotPending):
        onboarding.decide(session, svc.clock, sub.public_id, "approve", None, DESK)


def test_the_authoritys_upload_on_the_holders_behalf_is_approved_at_once(session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock)
    c = _issue(session, svc, reg)
    pending = onboarding.submit(session, reg.person_id, "photo", portrait_photo("h", "M"), HOLDER)
    sub = onboarding.upload_for_holder(session, svc.clock, reg.person_id, "photo", portrait_photo("d", "M"), DESK)
    assert (sub.state, sub.uploaded_by, sub.uploader, sub.decided_by) == ("approved", "authority", "authority:desk",
                                                                        "authority:desk")
    assert (pending.state, pending.reason) == ("withdrawn", REPLACED_BY_AUTHORITY)
    assert (reg.person.photo, reg.person.photo_mime) == (sub.data, "image/jpeg")
    assert session.get(CertificateCopy, c.id).status == CopyStatus.SUPERSEDED
    assert [e.action for e in _events(session, sub.public_id)] == ["image.submit", "image.approve"]


def test_the_legacy_put_keeps_the_image_as_uploaded_and_records_it(session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock)
    c = _issue(session, svc, reg)
    buf = io.BytesIO()
    Image.new("RGB", (40, 50), (200, 180, 160)).save(buf, "PNG")           # no onboarding rule applies
    person = onboarding.store_as_uploaded(session, svc.clock, reg.person_id, "photo", buf.getvalue(), DESK)
    assert (person.photo, person.photo_mime) == (buf.getvalue(), "image/png")
    [sub] = onboarding.person_submissions(session, reg.person_id)
    assert (sub.state, sub.width, sub.height, sub.data, sub.checks) == ("approved", 40, 50, buf.getvalue(), {})
    assert session.get(CertificateCopy, c.id).status == CopyStatus.SUPERSEDED


def test_the_queue_is_first_come_first_served_and_filters(session):
    a, b = f.person(session), f.person(session)
    s1 = onboarding.submit(session, a.id, "photo", portrait_photo("q1", "M"), HOLDER)
    s2 = onboarding.submit(session, b.id, "signature", signature_photo("乙:1", 2), HOLDER)
    rows, total, page = onboarding.review_queue(session, state="pending")
    assert rows.index(s1) < rows.index(s2) and total >= 2 and page == 1
    assert s2 not in onboarding.review_queue(session, state="pending", kind="photo")[0]
    assert s1 in onboarding.review_queue(session, state=None)[0][:2]     # every state: newest first
    assert onboarding.images_on_file(session, [a.id, b.id]) == {a.id: {"photo": False, "signature": False},
                                                                b.id: {"photo": False, "signature": False}}


def test_current_images(session):
    p = f.person(session)
    with pytest.raises(PhotoMissing):
        onboarding.current_image(session, p.id, "photo")
    with pytest.raises(SignatureMissing):
        onboarding.current_image(session, p.id, "signature")
    p.synthetic = True                                           # a demo person: a drawn portrait
    data, mime = onboarding.current_image(session, p.id, "photo")
    assert mime == "image/jpeg" and data[:3] == b"\xff\xd8\xff"
    assert onboarding.images_on_file(session, [p.id])[p.id] == {"photo": True, "signature": False}


def test_someone_elses_upload_is_not_found(session):
    p, other = f.person(session), f.person(session)
    sub = onboarding.submit(session, p.id, "photo", portrait_photo("x", "M"), HOLDER)
    assert onboarding.get_submission(session, sub.public_id, person_id=p.id) is sub
    assert onboarding.get_submission(session, sub.public_id) is sub
    for pid, public_id in ((other.id, sub.public_id), (None, "im_0000"), (None, 42)):
        with pytest.raises(SubmissionNotFound):
            onboarding.get_submission(session, public_id, person_id=pid)
    assert SubState.NAMES["pending"][0] == "待审核"


def test_concurrent_decisions_apply_once(engine, session, svc):
    """Four decisions on one upload at once (each its own session): one effect, the others find it decided.
    PostgreSQL: the submission's row lock; SQLite: the first write takes the database's write lock."""
    import threading

    from sqlalchemy.orm import Session

    from backend.services.errors import Conflict
    p = f.person(session)
    public_id = onboarding.submit(session, p.id, "signature", signature_photo("并:1", 2), HOLDER).public_id
    session.commit()
    barrier, results = threading.Barrier(4), []

    def worker(i):
        with Session(engine) as s:
            barrier.wait()
            try:
                onboarding.decide(s, svc.clock, public_id, "approve" if i % 2 else "return", "并发测试", DESK)
                s.commit()
                results.append("ok")
            except Conflict as e:
                s.rollback()
                results.append(e.code)
            except Exception as e:            # reported by the assertion below
                s.rollback()
                results.append(repr(e))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) == ["ok"] + ["submission_not_pending"] * 3, results
    session.expire_all()
    decided = [e.action for e in _events(session, public_id) if e.action in ("image.approve", "image.return")]
    assert len(decided) == 1
    sub = onboarding.get_submission(session, public_id)
    assert (session.get(type(p), p.id).signature is not None) == (sub.state == "approved")
