"""Each rule passes and fails, with a Chinese and an English message; the rule book is data."""
import datetime as dt

import pytest

from backend.services.errors import ValidationFailed
from backend.services.registry import registrations
from backend.services.workflows import transitions
from backend.services.workflows.drafts import add_file
from backend.services.workflows.rules import CHECKS, load_rulebook
from tests import factories as f
from tests.services.workflows import factories as wf


def outcome(app, code):
    return next(r for r in app.rules if r["code"] == code)


def assert_bilingual(r):
    assert any("\u4e00" <= ch <= "\u9fff" for ch in r["message"]), r
    assert r["message_en"][:1].isascii() and r["message_en"][:1].isalpha() and r["message_en"] != r["message"], r


def test_rule_book_names_every_rule_in_both_languages():
    book = load_rulebook()
    assert {r.code for r in book.rules} == set(CHECKS) == {
        "identity_consistent", "one_employer", "qualification_held", "cpd_hours", "renewal_window", "age_cap",
        "not_locked", "registration_state", "employer_active", "proof_files"}
    for r in book.rules:
        assert r.name and r.name_en and r.explanation and r.explanation_en and r.applies_to
    assert {r.code for r in book.rules if r.correctable} == {"cpd_hours", "proof_files"}


def _initial(session, svc, ctx, p, ent, **extra):
    app = wf.apply(session, ctx, wf.holder(p), type="initial", kind="JZS2", specialties=["JZ"],
                   enterprise_uscc=ent.uscc, **extra)
    return wf.submit_and_confirm(session, ctx, app, wf.holder(p), wf.employer(ent))


@pytest.fixture()
def ctx(svc):
    return wf.context(svc)


def test_qualification_held_fails_without_a_qualification(session, svc, ctx):
    p, ent = f.person(session), f.enterprise(session, svc.catalogue)
    app = _initial(session, svc, ctx, p, ent)
    r = outcome(app, "qualification_held")
    assert app.state == "refused" and not r["passed"] and r["details"]["missing"] == ["JZ"]
    assert_bilingual(r)
    assert "资格证书" in app.decision_reason and "qualification" in app.decision_reason


def test_cpd_hours_returns_a_correctable_application(session, svc, ctx):
    p = wf.applicant(session, svc, issued_on=svc.clock.today() - dt.timedelta(days=365 * 4))
    ent = f.enterprise(session, svc.catalogue)
    app = _initial(session, svc, ctx, p, ent)
    r = outcome(app, "cpd_hours")
    assert not r["passed"] and r["correctable"] and app.state == "returned" and r["details"]["required"] == 120
    assert_bilingual(r)
    from backend.services.workflows.drafts import update_application
    update_application(session, ctx, wf.holder(p), app.public_id, {"cpd_hours": 120})
    app = wf.submit_and_confirm(session, ctx, app, wf.holder(p), wf.employer(ent))
    assert app.state == "approved" and outcome(app, "cpd_hours")["passed"]


def test_one_employer_and_registration_state(session, svc, ctx):
    reg = f.registration(session, svc.catalogue, svc.clock, specialties=("JZ",))
    other = f.enterprise(session, svc.catalogue)
    app = _initial(session, svc, ctx, reg.person, other, cpd_hours=120)
    assert app.state == "refused"
    for code in ("one_employer", "registration_state"):
        assert not outcome(app, code)["passed"]
        assert_bilingual(outcome(app, code))
    assert outcome(app, "one_employer")["details"]["registration_number"] == reg.registration_number


def test_age_cap(session, svc, ctx):
    today = svc.clock.today()
    p = wf.applicant(session, svc, birth=dt.date(today.year - 66, 1, 1))
    app = _initial(session, svc, ctx, p, f.enterprise(session, svc.catalogue))
    assert not outcome(app, "age_cap")["passed"] and app.state == "refused"
    assert_bilingual(outcome(app, "age_cap"))


def test_not_locked_and_employer_active(session, svc, ctx):
    reg = f.registration(session, svc.catalogue, svc.clock, specialties=("JZ",))
    registrations.set_status(session, svc.clock, reg.registration_number, "suspend", "违规", "test")
    reg.enterprise.status = "bankrupt"
    wf.qualify(session, svc, reg.person, specialties=("SZ",))
    h = wf.holder(reg.person)
    app = wf.apply(session, ctx, h, type="add_specialty", registration_number=reg.registration_number, specialties=["SZ"])
    app = wf.submit_and_confirm(session, ctx, app, h, wf.employer(reg.enterprise))
    for code in ("not_locked", "employer_active", "registration_state"):
        assert not outcome(app, code)["passed"], code
        assert_bilingual(outcome(app, code))
    assert app.state == "refused"


def test_renewal_window(session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock, specialties=("JZ",))
    h, e = wf.holder(reg.person), wf.employer(reg.enterprise)
    early = wf.context(svc, clock=f.at(svc.clock, 365 * 3 - 60))
    app = wf.apply(session, early, h, type="renewal", registration_number=reg.registration_number, cpd_commitment=True)
    app = wf.submit_and_confirm(session, early, app, h, e)
    r = outcome(app, "renewal_window")
    assert app.state == "refused" and not r["passed"] and r["details"]["opens_days"] == 30
    assert_bilingual(r)
    # a province may open the window earlier (Beijing: 90 to 30 days before expiry)
    beijing = wf.context(svc, clock=f.at(svc.clock, 365 * 3 - 60),
                         renewal_window={reg.enterprise.province_code: [90, 30]})
    app = wf.apply(session, beijing, h, type="renewal", registration_number=reg.registration_number)
    app = wf.submit_and_confirm(session, beijing, app, h, e)
    assert outcome(app, "renewal_window")["passed"] and not outcome(app, "cpd_hours")["passed"]
    assert app.state == "returned"          # the commitment is missing: correctable


def test_identity_and_proof_files_of_personal_info(session, svc, ctx):
    reg = f.registration(session, svc.catalogue, svc.clock, specialties=("JZ",))
    h = wf.holder(reg.person)
    app = transitions.submit(session, ctx, h, wf.apply(session, ctx, h, type="personal_info",
                                                    changes={"name": reg.person.name}).public_id)
    assert app.state == "submitted"                     # always the authority's, the rules are its advice
    assert not outcome(app, "identity_consistent")["passed"] and not outcome(app, "proof_files")["passed"]
    assert_bilingual(outcome(app, "proof_files"))
    app = wf.apply(session, ctx, h, type="personal_info", changes={"name": "钱新名"})
    add_file(session, ctx, h, app.public_id, "proof.png", wf.proof_jpeg())
    app = transitions.submit(session, ctx, h, app.public_id)
    assert app.state == "submitted" and outcome(app, "identity_consistent")["passed"]
    assert outcome(app, "proof_files")["passed"]


def test_every_rule_outcome_has_the_contract_shape(session, svc, ctx):
    p, ent = wf.applicant(session, svc), f.enterprise(session, svc.catalogue)
    app = _initial(session, svc, ctx, p, ent)
    for r in app.rules:
        assert {"code", "passed", "message", "message_en", "details"} <= set(r)
        assert_bilingual(r)


def test_identity_consistent_fails_when_the_record_disagrees_with_the_id_number(session, svc, ctx):
    p, ent = wf.applicant(session, svc), f.enterprise(session, svc.catalogue)
    p.sex = "F" if p.sex == "M" else "M"           # a record edited behind the registry's back
    app = _initial(session, svc, ctx, p, ent)
    r = outcome(app, "identity_consistent")
    assert not r["passed"] and app.state == "refused"
    assert_bilingual(r)


def test_a_new_name_is_validated_when_drafted(session, svc, ctx):
    reg = f.registration(session, svc.catalogue, svc.clock, specialties=("JZ",))
    with pytest.raises(ValidationFailed) as err:
        wf.apply(session, ctx, wf.holder(reg.person), type="personal_info", changes={"name": "<script>"})
    assert "changes" in err.value.details["fields"]
