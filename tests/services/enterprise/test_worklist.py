"""The warnings as a work list: one item per fact and action, 待办 by due date, 已终止 apart, and one count
that the digest repeats (worklist.py)."""
import datetime as dt

from backend.services.enterprise import digest
from backend.services.enterprise.roster import enterprise_warnings
from backend.services.enterprise.staff_warnings import WarningSettings, staff_warnings
from backend.services.enterprise.worklist import registration_items
from backend.services.registry import registrations
from tests import factories as f
from tests.services.enterprise.test_warnings import CAT, CLOCK, SETTINGS, TODAY, rec
from tests.services.workflows import factories as wf


def items(r, held=frozenset()):
    kind = CAT.kind(r.kind_code)
    return registration_items(r, kind, staff_warnings(r, kind, CLOCK, SETTINGS), TODAY, set(held))


def test_one_item_per_fact_in_the_renewal_window():
    # Two specialties inside the window: three warnings each, one thing to do for both.
    got = items(rec(left=(20, 20)))
    assert len(got) == 1
    (it,) = got
    assert (it["action"], it["group"], it["due"], it["days_left"]) == ("renew", "todo", str(TODAY + dt.timedelta(days=20)), 20)
    assert len(it["specialties"]) == 2 and set(it["codes"]) == {"renewal_window_open", "specialty_expiring_notice",
                                                                 "specialty_under_180_days"}
    assert "延续注册" in it["message"] and "renewal" in it["message_en"] and it["person_id"] == 1


def test_before_the_window_the_item_is_due_when_it_opens():
    (it,) = items(rec(left=(100,)))
    assert it["action"] == "prepare_renewal" and it["due"] == str(TODAY + dt.timedelta(days=100 - 30))
    assert str(TODAY + dt.timedelta(days=70)) in it["message"]


def test_a_specialty_the_age_cap_ends_cannot_be_renewed():
    birth = (TODAY + dt.timedelta(days=21)).replace(year=TODAY.year - 65)
    actions = {i["action"]: i for i in items(rec(left=(20,), birth=birth))}
    assert set(actions) == {"age_cap", "specialty_expiring"} and actions["age_cap"]["days_left"] == 21


def test_ended_registrations_and_lapsed_specialties_are_for_the_record():
    for status in ("revoked", "cancelled", "rescinded", "lapsed"):
        (it,) = items(rec(status=status, left=(20,)))
        assert (it["action"], it["group"], it["due"]) == ("registration_ended", "ended", None)
    got = {i["action"]: i for i in items(rec(left=(-5, 20)))}
    assert got["specialty_lapsed"]["group"] == "ended" and got["renew"]["group"] == "todo"


def test_a_filed_renewal_takes_the_specialty_off_the_list():
    r = rec(left=(20,))
    assert items(r, {(r.registration_id, r.specialties[0].code)}) == []


def test_copies_are_not_to_dos():
    assert items(rec(copy_days=None)) == [] and items(rec(copy_days=-3)) == []


def answer(session, svc, ent, clock=None):
    return enterprise_warnings(session, svc.catalogue, clock or svc.clock, WarningSettings(), ent)


def test_work_list_by_due_date_with_one_count(session, svc):
    ent = f.enterprise(session, svc.catalogue)
    soon = f.registration(session, svc.catalogue, svc.clock, ent=ent, specialties=("JZ",))
    expiry = soon.specialties[0].valid_until
    later = f.registration(session, svc.catalogue, f.at(svc.clock, 20), ent=ent, specialties=("SZ",))
    gone = f.registration(session, svc.catalogue, svc.clock, ent=ent)
    registrations.set_status(session, svc.clock, gone.registration_number, "revoke", "test", "test")
    locked = f.registration(session, svc.catalogue, f.at(svc.clock, 300), ent=ent)     # expires long after
    registrations.set_status(session, svc.clock, locked.registration_number, "suspend", "test", "test")
    clock = f.at(svc.clock, (expiry - svc.clock.today()).days - 10)       # 10 days before the first expiry
    a = answer(session, svc, ent, clock)
    assert a["todo_count"] == len(a["todo"]) and a["ended_count"] == len(a["ended"]) == 1
    assert [(i["registration_number"], i["action"]) for i in a["todo"]] == [
        (locked.registration_number, "registration_suspended"), (soon.registration_number, "renew"),
        (later.registration_number, "renew")]
    assert [i["days_left"] for i in a["todo"]] == [None, 10, 30]
    assert a["ended"][0]["registration_number"] == gone.registration_number
    assert {w["code"] for w in a["warnings"]} >= {"registration_revoked", "renewal_window_open", "no_current_copy"}
    assert {n["code"]: n["count"] for n in a["notes"]} == {"no_current_copy": 2}     # the active ones
    subject, body = digest.compose(a)
    assert f": {a['todo_count']} 项待办 / {a['todo_count']} to do" in subject
    zh, en = body.split("—" * 20)
    assert f"待办 {a['todo_count']} 项" in zh and f"To do: {a['todo_count']}" in en
    assert zh.index(locked.registration_number) < zh.index(soon.registration_number) < zh.index(later.registration_number)
    assert gone.registration_number not in body and "无当前电子证书 2 人" in zh


def test_applications_waiting_for_the_employer(session, svc):
    ent = f.enterprise(session, svc.catalogue)
    reg = f.registration(session, svc.catalogue, svc.clock, ent=ent, specialties=("JZ",))
    expiry = reg.specialties[0].valid_until
    clock = f.at(svc.clock, (expiry - svc.clock.today()).days - 10)
    assert [i["action"] for i in answer(session, svc, ent, clock)["todo"]] == ["renew"]
    ctx, h = wf.context(svc, clock=clock), wf.holder(reg.person)
    app = wf.apply(session, ctx, h, type="renewal", registration_number=reg.registration_number, cpd_commitment=True)
    wf.submit_and_confirm(session, ctx, app, h)
    a = answer(session, svc, ent, clock)
    (it,) = a["todo"]             # the renewal is filed: confirming it is what is left to do
    assert (it["action"], it["application_id"], it["person_id"], it["registration_number"]) == (
        "confirm_application", app.public_id, reg.person_id, reg.registration_number)
    assert it["due"] == expiry.isoformat() and "确认" in it["message"] and "Confirm" in it["message_en"]
    assert a["todo_count"] == 1


def test_quiet_day(session, svc):
    ent = f.enterprise(session, svc.catalogue)
    a = answer(session, svc, ent)
    assert (a["todo_count"], a["ended_count"], a["todo"], a["notes"]) == (0, 0, [], [])
    assert "今日无待办" in digest.compose(a)[1]
