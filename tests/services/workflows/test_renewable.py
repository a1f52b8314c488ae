"""Which specialties a renewal can hold today, and why not the others; a renewal naming none renews those
(not every specialty, so one outside its window does not sink the rest); and who acts next on an
application, by when."""
import datetime as dt

from backend.models import RegStatus, SpecialtyStatus
from backend.services.registry import registrations
from backend.services.workflows import transitions
from backend.services.workflows.next_step import next_step
from backend.services.workflows.renewable import options_json, renewal_options
from tests import factories as f
from tests.services.workflows import factories as wf


def _two_windows(session, svc):
    """JZ expires in 10 days (inside the 30-day window), SZ in a year (its window opens 30 days before)."""
    reg = f.registration(session, svc.catalogue, svc.clock, specialties=("JZ", "SZ"))
    today = svc.clock.today()
    specs = {s.specialty_code: s for s in reg.specialties}
    specs["JZ"].valid_until = today + dt.timedelta(days=10)
    specs["SZ"].valid_until = today + dt.timedelta(days=365)
    session.flush()
    return reg, specs


def test_options_say_which_and_why_not(session, svc):
    reg, specs = _two_windows(session, svc)
    ctx = wf.context(svc)
    got = {o.code: o for o in renewal_options(session, ctx, reg)}
    assert got["JZ"].renewable and got["JZ"].reason is None
    assert got["JZ"].closes_on == specs["JZ"].valid_until          # the kind's window closes on the expiry day
    sz = got["SZ"]
    opens = specs["SZ"].valid_until - dt.timedelta(days=30)
    assert (sz.renewable, sz.reason, sz.opens_on) == (False, "not_yet_open", opens)
    assert opens.isoformat() in sz.message and opens.isoformat() in sz.message_en
    answer = options_json(list(got.values()), svc.catalogue.kind("JZS2"))
    assert answer["renewable"] == ["JZ"] and specs["JZ"].valid_until.isoformat() in answer["message"]
    # a province with a wider window (Beijing: 90 to 30 days before): JZ's has closed, SZ's not yet open
    beijing = wf.context(svc, renewal_window={reg.enterprise.province_code: [400, 30]})
    got = {o.code: o for o in renewal_options(session, beijing, reg)}
    assert (got["JZ"].reason, got["SZ"].reason) == ("closed", None)


def test_lapsed_cancelled_and_ended(session, svc):
    reg, specs = _two_windows(session, svc)
    specs["JZ"].valid_until = svc.clock.today() - dt.timedelta(days=3)
    specs["SZ"].status = SpecialtyStatus.CANCELLED
    session.flush()
    got = {o.code: o for o in renewal_options(session, wf.context(svc), reg)}
    assert got["JZ"].reason == "lapsed" and "重新注册" in got["JZ"].message and "re-register" in got["JZ"].message_en
    assert got["SZ"].reason == "cancelled" and got["SZ"].opens_on is None
    reg.status = RegStatus.SUSPENDED
    session.flush()
    assert {o.reason for o in renewal_options(session, wf.context(svc), reg)} == {"registration_not_active"}
    answer = options_json(renewal_options(session, wf.context(svc), reg), svc.catalogue.kind("JZS2"))
    assert answer["renewable"] == [] and answer["message"].startswith("目前没有可延续的专业")


def test_a_renewal_naming_none_renews_those_renewable_and_is_approved(session, svc):
    reg, specs = _two_windows(session, svc)
    sz_until = specs["SZ"].valid_until
    ctx = wf.context(svc)
    h, e = wf.holder(reg.person), wf.employer(reg.enterprise)
    app = wf.apply(session, ctx, h, type="renewal", registration_number=reg.registration_number, cpd_commitment=True)
    assert app.specialties == ["JZ"]              # not SZ, whose window is a year away
    # while it is filed, JZ is pending: a second renewal cannot hold it again
    app = transitions.submit(session, ctx, h, app.public_id)
    assert {o.code: o.reason for o in renewal_options(session, ctx, reg)}["JZ"] == "pending"
    app = transitions.confirm(session, ctx, e, app.public_id)
    assert app.state == "approved", app.rules
    now = {s.specialty_code: s for s in registrations.get_registration(session, reg.registration_number).specialties}
    assert now["JZ"].valid_until > svc.clock.today() + dt.timedelta(days=365) and now["SZ"].valid_until == sz_until


def test_a_renewal_with_nothing_renewable_keeps_them_all_and_the_rule_explains(session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock, specialties=("JZ",))
    ctx = wf.context(svc)
    app = wf.apply(session, ctx, wf.holder(reg.person), type="renewal", registration_number=reg.registration_number)
    assert app.specialties == ["JZ"]


def test_next_step_names_who_and_when(session, svc):
    reg, specs = _two_windows(session, svc)
    ctx = wf.context(svc)
    h, e = wf.holder(reg.person), wf.employer(reg.enterprise)
    app = wf.apply(session, ctx, h, type="renewal", registration_number=reg.registration_number)
    step = next_step(ctx, app)
    assert step["actor"] == "holder" and step["due_on"] == specs["JZ"].valid_until.isoformat()
    assert step["due_on"] in step["due_message"] and step["due_on"] in step["due_message_en"]
    app = transitions.submit(session, ctx, h, app.public_id)
    step = next_step(ctx, app, reg.enterprise.name)
    assert step["actor"] == "enterprise" and reg.enterprise.name in step["message"] and step["due_on"] is None
    assert step["due_message"] == "规定未设办理期限"
    app = transitions.confirm(session, ctx, e, app.public_id)     # no commitment: returned to the holder (auto)
    assert app.state == "returned" and next_step(ctx, app)["actor"] == "holder"
    app = transitions.withdraw(session, ctx, h, app.public_id)
    step = next_step(ctx, app)
    assert (step["actor"], step["due_on"], step["due_message"]) == ("nobody", None, "")
    review = wf.context(svc, decision_mode={"default": "review"})
    app = wf.apply(session, review, h, type="cancel", registration_number=reg.registration_number)
    app = wf.submit_and_confirm(session, review, app, h, e)
    assert app.state == "confirmed" and next_step(review, app)["actor"] == "authority"
