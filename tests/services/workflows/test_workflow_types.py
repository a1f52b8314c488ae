"""Every application type's happy path (in auto mode where the rules may decide it), and what its approval
does to the registry."""
import datetime as dt

import pytest
from sqlalchemy import select

from backend.models import CertificateCopy, CopyStatus, Person, Registration, RegStatus
from backend.services.errors import ServiceError
from backend.services.issuance import copies as issuance
from backend.services.registry import registrations
from backend.services.workflows import transitions
from backend.services.workflows.types import TYPES
from tests import factories as f
from tests.services.workflows import factories as wf


def test_initial_registration_creates_registration_and_copy(session, svc):
    ctx = wf.context(svc)
    p, ent = wf.applicant(session, svc), f.enterprise(session, svc.catalogue)
    app = wf.apply(session, ctx, wf.holder(p), type="initial", kind="JZS2", specialties=["JZ"], enterprise_uscc=ent.uscc)
    assert app.state == "draft" and app.confirm_enterprise_id == ent.id and app.decision_mode == "auto"
    app = transitions.submit(session, ctx, wf.holder(p), app.public_id)
    assert app.state == "awaiting_employer"
    app = transitions.confirm(session, ctx, wf.employer(ent), app.public_id)
    assert app.state == "approved", app.rules
    assert all(r["passed"] for r in app.rules) and {r["code"] for r in app.rules} == {
        "identity_consistent", "one_employer", "qualification_held", "cpd_hours", "age_cap", "not_locked",
        "registration_state", "employer_active"}
    reg = registrations.get_registration(session, app.result_registration_number)
    assert reg.person_id == p.id and reg.enterprise_id == ent.id and [s.specialty_code for s in reg.specialties] == ["JZ"]
    copy = session.scalar(select(CertificateCopy).where(CertificateCopy.public_id == app.result_copy_id))
    assert copy.status == CopyStatus.CURRENT
    assert [e.action for e in app.events] == ["create", "submit", "forward", "confirm", "approve"]
    assert app.decision_outcome == "approved" and app.decided_by == "system:rules"


def _registered(session, svc, **kw):
    reg = f.registration(session, svc.catalogue, svc.clock, specialties=("JZ",), **kw)
    return reg, wf.holder(reg.person), wf.employer(reg.enterprise)


def test_add_specialty(session, svc):
    ctx = wf.context(svc)
    reg, h, e = _registered(session, svc)
    wf.qualify(session, svc, reg.person, specialties=("SZ",))
    app = wf.apply(session, ctx, h, type="add_specialty", registration_number=reg.registration_number, specialties=["SZ"])
    app = wf.submit_and_confirm(session, ctx, app, h, e)
    assert app.state == "approved", app.rules
    assert {s.specialty_code for s in
            registrations.get_registration(session, reg.registration_number).specialties} == {"JZ", "SZ"}
    assert app.result_copy_id


def test_renewal_counts_three_years_from_approval(session, svc):
    reg, h, e = _registered(session, svc)
    later = f.at(svc.clock, 365 * 3 - 10)             # 10 days before expiry: inside the 30-day window
    ctx = wf.context(svc, clock=later)
    app = wf.apply(session, ctx, h, type="renewal", registration_number=reg.registration_number, cpd_commitment=True)
    assert app.specialties == ["JZ"]
    app = wf.submit_and_confirm(session, ctx, app, h, e)
    assert app.state == "approved", app.rules
    s = registrations.get_registration(session, reg.registration_number).specialties[0]
    assert s.valid_from == later.today() and s.valid_until == dt.date(later.today().year + 3, later.today().month,
                                                                      later.today().day) - dt.timedelta(days=1)


def test_renewal_is_capped_at_the_age_cap(session, svc):
    today = svc.clock.today()
    reg, h, e = _registered(session, svc, birth=dt.date(today.year - 63, 6, 1))
    later = f.at(svc.clock, 365 * 3 - 10)
    if later.today() >= dt.date(today.year + 2, 6, 1):    # the holder would be 65 already: nothing to renew
        return
    ctx = wf.context(svc, clock=later)
    app = wf.apply(session, ctx, h, type="renewal", registration_number=reg.registration_number, cpd_commitment=True)
    app = wf.submit_and_confirm(session, ctx, app, h, e)
    assert app.state == "approved", app.rules
    assert registrations.get_registration(session, reg.registration_number).specialties[0].valid_until == \
        dt.date(today.year + 2, 6, 1)


def test_change_employer_moves_and_supersedes(session, svc):
    ctx = wf.context(svc)
    reg, h, old = _registered(session, svc)
    from backend.services.issuance.copies import issue_copy
    first = issue_copy(session, svc.ring, svc.catalogue, svc.settings, svc.clock, reg.registration_number, "test")
    new = f.enterprise(session, svc.catalogue)
    app = wf.apply(session, ctx, h, type="change_employer", registration_number=reg.registration_number,
                   enterprise_uscc=new.uscc)
    assert app.confirm_enterprise_id == new.id and app.current_enterprise_id == old.enterprise_id
    app = wf.submit_and_confirm(session, ctx, app, h, wf.employer(new))
    assert app.state == "approved", app.rules
    assert registrations.get_registration(session, reg.registration_number).enterprise_id == new.id
    session.refresh(first)
    assert first.status == CopyStatus.SUPERSEDED and app.result_copy_id


def test_change_employer_in_heilongjiang_is_cancel_and_reregister(session, svc):
    ctx = wf.context(svc)
    reg, h, _ = _registered(session, svc)
    new = f.enterprise(session, svc.catalogue, region="230100")
    app = wf.apply(session, ctx, h, type="change_employer", registration_number=reg.registration_number,
                   enterprise_uscc=new.uscc)
    app = wf.submit_and_confirm(session, ctx, app, h, wf.employer(new))
    assert app.state == "approved", app.rules
    assert registrations.get_registration(session, reg.registration_number).status == RegStatus.CANCELLED
    fresh = registrations.get_registration(session, app.result_registration_number)
    assert fresh.enterprise_id == new.id and fresh.status == RegStatus.ACTIVE and fresh.registration_number.startswith("黑")


def test_personal_info_changes_the_name_with_proof(session, svc):
    ctx = wf.context(svc)
    reg, h, _ = _registered(session, svc)
    app = wf.apply(session, ctx, h, type="personal_info", changes={"name": "周新名"})
    assert app.confirm_enterprise_id is None and app.enterprise_id == reg.enterprise_id
    from backend.services.workflows.drafts import add_file
    add_file(session, ctx, h, app.public_id, "改名证明.pdf", wf.proof_pdf())
    app = transitions.submit(session, ctx, h, app.public_id)
    # the registry cannot check a new name: a person at the authority reads the proof, whatever the mode
    assert app.state == "submitted" and app.decision_mode == "review", app.rules
    assert session.get(Person, reg.person_id).name != "周新名"
    app = transitions.decide(session, ctx, wf.AUTHORITY, app.public_id, "approve", None)
    assert app.state == "approved" and session.get(Person, reg.person_id).name == "周新名" and app.result_copy_id
    assert app.result_registration_number == reg.registration_number


def test_personal_info_corrects_the_id_number(session, svc):
    """A wrong ID number on the register is corrected with proof; sex and birth date follow the number."""
    ctx = wf.context(svc)
    reg, h, _ = _registered(session, svc)
    person = session.get(Person, reg.person_id)
    old_copy = issuance.issue_copy(session, svc.ring, svc.catalogue, svc.settings, svc.clock,
                                   reg.registration_number, "test")
    new_idn = f.id_number(dt.date(1986, 7, 9), "F")
    app = wf.apply(session, ctx, h, type="personal_info", changes={"id_number": new_idn})
    from backend.services.workflows.drafts import add_file
    add_file(session, ctx, h, app.public_id, "户籍证明.jpg", wf.proof_jpeg())
    app = transitions.submit(session, ctx, h, app.public_id)
    assert app.state == "submitted" and next(r for r in app.rules if r["code"] == "identity_consistent")["passed"]
    transitions.decide(session, ctx, wf.AUTHORITY, app.public_id, "approve", None)
    assert (person.id_number, person.sex, person.birth_date) == (new_idn, "F", dt.date(1986, 7, 9))
    assert session.get(CertificateCopy, old_copy.id).status == "superseded"
    taken = wf.apply(session, ctx, h, type="personal_info", changes={"id_number": f.person(session).id_number})
    taken = transitions.submit(session, ctx, h, taken.public_id)
    assert not next(r for r in taken.rules if r["code"] == "identity_consistent")["passed"]
    with pytest.raises(ServiceError) as e:           # nobody can approve a number that is someone else's
        transitions.decide(session, ctx, wf.AUTHORITY, taken.public_id, "approve", None)
    assert e.value.status == 409


def test_cancellations(session, svc):
    ctx = wf.context(svc)
    reg, h, e = _registered(session, svc)
    app = wf.submit_and_confirm(session, ctx, wf.apply(session, ctx, h, type="cancel",
                                                       registration_number=reg.registration_number), h, e)
    assert app.state == "approved" and registrations.get_registration(session, reg.registration_number).status == "cancelled"
    reg2, _, e2 = _registered(session, svc)
    app = transitions.submit(session, ctx, e2, wf.apply(session, ctx, e2, type="cancel_by_employer",
                                                     registration_number=reg2.registration_number).public_id)
    # the employer's word alone ends nothing: the authority checks the proof that the employment ended
    assert app.state == "submitted" and registrations.get_registration(session, reg2.registration_number).status == "active"
    assert not next(r for r in app.rules if r["code"] == "proof_files")["passed"]
    app = transitions.decide(session, ctx, wf.AUTHORITY, app.public_id, "approve", None)
    assert app.state == "approved" and registrations.get_registration(session, reg2.registration_number).status == "cancelled"


def test_forced_cancel_is_always_reviewed(session, svc):
    ctx = wf.context(svc)
    reg, h, _ = _registered(session, svc)
    app = transitions.submit(session, ctx, h, wf.apply(session, ctx, h, type="forced_cancel",
                                                    registration_number=reg.registration_number).public_id)
    assert app.state == "submitted" and app.decision_mode == "review"
    app = transitions.decide(session, ctx, wf.AUTHORITY, app.public_id, "approve", None)
    assert app.state == "approved" and registrations.get_registration(session, reg.registration_number).status == "cancelled"


def test_cancel_deceased_marks_the_person(session, svc):
    ctx = wf.context(svc)
    reg, _, e = _registered(session, svc)
    app = wf.apply(session, ctx, e, type="cancel_deceased", registration_number=reg.registration_number,
                   changes={"deceased_on": "2026-01-02"})
    app = transitions.submit(session, ctx, e, app.public_id)
    assert app.state == "submitted" and app.decision_mode == "review", app.rules
    assert session.get(Person, reg.person_id).deceased_on is None
    app = transitions.decide(session, ctx, wf.AUTHORITY, app.public_id, "approve", None)
    assert session.get(Person, reg.person_id).deceased_on == dt.date(2026, 1, 2)
    assert registrations.get_registration(session, reg.registration_number).status == "cancelled"


@pytest.mark.parametrize("app_type", ["personal_info", "cancel_by_employer", "forced_cancel", "cancel_deceased"])
def test_what_the_registry_cannot_check_is_never_decided_by_the_rules(session, svc, app_type):
    """Even with every province in auto mode (智慧审批), a death, a new name or ID number and the end of an
    employment wait for the authority with their proof files, and the holder's list says why."""
    ctx = wf.context(svc, decision_mode={"default": "auto"})
    reg, h, e = _registered(session, svc)
    who = e if TYPES[app_type].filed_by == "enterprise" else h
    data = {"registration_number": reg.registration_number} if TYPES[app_type].needs_registration else {}
    data["changes"] = {"name": "吴改名"} if app_type == "personal_info" else \
        {"deceased_on": "2026-01-02"} if app_type == "cancel_deceased" else {}
    app = wf.apply(session, ctx, who, type=app_type, **data)
    from backend.services.workflows.drafts import add_file, list_applications
    add_file(session, ctx, who, app.public_id, "proof.pdf", wf.proof_pdf())
    app = transitions.submit(session, ctx, who, app.public_id)
    assert (app.state, app.decision_mode) == ("submitted", "review")
    assert registrations.get_registration(session, reg.registration_number).status == "active"
    mine, _, _ = list_applications(session, h)
    assert app.public_id in [a.public_id for a in mine] and TYPES[app_type].review_why


def test_reregister_after_cancellation(session, svc):
    ctx = wf.context(svc)
    reg, h, e = _registered(session, svc)
    registrations.set_status(session, svc.clock, reg.registration_number, "cancel", "test", "test")
    app = wf.apply(session, ctx, h, type="reregister", kind="JZS2", specialties=["JZ"],
                   enterprise_uscc=reg.enterprise.uscc)
    app = wf.submit_and_confirm(session, ctx, app, h, e)
    assert app.state == "approved", app.rules
    new = registrations.get_registration(session, app.result_registration_number)
    assert new.id != reg.id and new.status == "active"
    assert session.scalar(select(Registration.status).where(Registration.id == reg.id)) == "cancelled"
