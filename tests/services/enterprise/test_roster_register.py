"""The roster as a register (issue 15): urgency first with ended registrations last, names in 拼音 order,
number and expiry orders, search by part of a name, a number or pinyin, the export of exactly what is
chosen, and one person's page (registrations, warnings, signals, applications; own staff only)."""
import csv
import datetime as dt
import io

import openpyxl
import pytest

from backend.services.enterprise.name_order import pinyin_key, spelled
from backend.services.enterprise.roster import RosterFilter, chosen_staff, roster
from backend.services.enterprise.roster_export import header, roster_csv, roster_xlsx
from backend.services.enterprise.staff_person import staff_person
from backend.services.enterprise.staff_warnings import WarningSettings
from backend.services.errors import NotFound
from backend.services.registry import registrations
from tests import factories as f
from tests.services.workflows import factories as wf

SETTINGS = WarningSettings()


def staff(session, svc, ent, **filters):
    return roster(session, svc.catalogue, svc.clock, SETTINGS, ent, RosterFilter(**filters))


def names(out):
    return [e["name"] for e in out["staff"]]


def test_pinyin_key_orders_by_reading_then_tone_not_code_point():
    # code-point order would be 张 < 李 < 王 < 赵 < 陈; the reading order is chen, li, wang, zhang, zhao
    people = ["张伟", "李娜", "王芳", "赵磊", "陈静", "王伟", "王", "吕强", "路遥", "刘洋"]
    assert sorted(people, key=pinyin_key) == ["陈静", "李娜", "刘洋", "路遥", "吕强", "王", "王芳", "王伟", "张伟",
                                              "赵磊"]
    assert sorted(["妈", "马", "麻", "骂"], key=pinyin_key) == ["妈", "麻", "马", "骂"]      # mā má mǎ mà
    assert spelled("王伟") == ("wangwei", "ww") and spelled("吕强") == ("lvqiang", "lq")


@pytest.fixture()
def crew(session, svc):
    """Five staff: calm, soon to expire, suspended, cancelled (ended), lapsed specialty; names out of 拼音 order."""
    ent = f.enterprise(session, svc.catalogue)

    def reg(name, clock=svc.clock):
        return f.registration(session, svc.catalogue, clock, ent=ent, p=f.person(session, name=name))
    calm = reg("张伟")
    soon = reg("赵磊", f.at(svc.clock, -(365 * 3 - 40)))            # about 40 days left
    locked = reg("王芳")
    registrations.set_status(session, svc.clock, locked.registration_number, "suspend", "test", "test")
    ended = reg("陈静")
    registrations.set_status(session, svc.clock, ended.registration_number, "cancel", "left", "test")
    lapsed = reg("李娜", f.at(svc.clock, -(365 * 3 + 10)))           # validity ended 10 days ago
    return ent, {"calm": calm, "soon": soon, "locked": locked, "ended": ended, "lapsed": lapsed}


def test_urgency_first_and_ended_registrations_last(session, svc, crew):
    ent, r = crew
    out = staff(session, svc, ent)
    assert out["sort"] == "urgency"
    order = [e["registration_number"] for e in out["staff"]]
    assert order == [r[k].registration_number for k in ("locked", "lapsed", "soon", "calm", "ended")]
    assert out["staff"][-1]["status"] == "cancelled"
    assert all(e["person_id"] == r[k].person_id for e, k in zip(out["staff"], ("locked", "lapsed", "soon", "calm",
                                                                                 "ended")))


def test_name_number_and_expiry_orders(session, svc, crew):
    ent, r = crew
    assert names(staff(session, svc, ent, sort="name")) == ["陈静", "李娜", "王芳", "张伟", "赵磊"]
    numbers = [e["registration_number"] for e in staff(session, svc, ent, sort="number")["staff"]]
    assert numbers == sorted(numbers)
    by_expiry = staff(session, svc, ent, sort="expiry")["staff"]
    ends = [min((s["valid_until"] for s in e["specialties"] if s["status"] != "cancelled"), default=None)
            for e in by_expiry]
    assert ends[-1] is None and by_expiry[-1]["name"] == "陈静"        # cancelled: no validity left, last
    assert ends[:-1] == sorted(ends[:-1]) and by_expiry[0]["name"] == "李娜"


def test_search_by_part_of_a_name_a_number_or_pinyin(session, svc, crew):
    ent, r = crew
    assert names(staff(session, svc, ent, q="伟")) == ["张伟"]
    assert names(staff(session, svc, ent, q="zhaol")) == ["赵磊"]
    assert names(staff(session, svc, ent, q="ZW")) == ["张伟"]
    tail = r["ended"].registration_number[-6:]
    assert r["ended"].registration_number in [e["registration_number"] for e in staff(session, svc, ent, q=tail)
                                               ["staff"]]
    assert staff(session, svc, ent, q="nobody")["total"] == 0
    assert names(staff(session, svc, ent, status="cancelled", sort="name")) == ["陈静"]


def test_export_holds_exactly_what_is_chosen_in_one_language(session, svc, crew):
    ent, _ = crew
    f_ = RosterFilter(sort="name", warning="no_current_copy")
    chosen = chosen_staff(session, svc.catalogue, svc.clock, SETTINGS, ent, f_)
    assert [e["name"] for e in chosen] == names(staff(session, svc, ent, sort="name", warning="no_current_copy"))
    rows = list(csv.reader(io.StringIO(roster_csv(chosen, "zh", svc.clock).decode("utf-8-sig"))))
    assert rows[0] == header("zh") and rows[0][0] == "姓名" and "Name" not in rows[0]
    assert [row[0] for row in rows[1:]] == [e["name"] for e in chosen]
    assert rows[1][2] == chosen[0]["id_number"]                      # own staff: in full
    en = list(csv.reader(io.StringIO(roster_csv(chosen, "en", svc.clock).decode("utf-8-sig"))))
    assert en[0][0] == "Name" and not any("\u4e00" <= ch <= "\u9fff" for ch in "".join(en[0]))
    assert {row[1] for row in en[1:]} <= {"male", "female"}
    ws = openpyxl.load_workbook(io.BytesIO(roster_xlsx(chosen, "en", svc.clock))).worksheets[0]
    assert ws.freeze_panes == "A2" and ws.column_dimensions["C"].width >= 18      # an 18-digit ID number fits
    values = list(ws.iter_rows(values_only=True))
    assert list(values[0]) == header("en") and [v[0] for v in values[1:]] == [e["name"] for e in chosen]


def test_person_page_own_staff_only(session, svc, crew):
    ent, r = crew
    page = staff_person(session, svc.catalogue, svc.clock, SETTINGS, ent, r["soon"].person_id)
    assert page["person"]["id_number"] == r["soon"].person.id_number and page["person"]["name"] == "赵磊"
    assert [e["registration_number"] for e in page["registrations"]] == [r["soon"].registration_number]
    reg = page["registrations"][0]
    assert reg["specialties"] and all(s["valid_until"] and s["name_en"] for s in reg["specialties"])
    assert {w["code"] for w in page["warnings"]} >= {"specialty_expiring_notice", "no_current_copy"}
    # someone registered elsewhere only is not this enterprise's business
    stranger = f.registration(session, svc.catalogue, svc.clock)
    with pytest.raises(NotFound) as e:
        staff_person(session, svc.catalogue, svc.clock, SETTINGS, ent, stranger.person_id)
    assert e.value.code == "person_not_found"
    # an ended registration here still makes the person one of its staff (as the roster lists them)
    assert staff_person(session, svc.catalogue, svc.clock, SETTINGS, ent, r["ended"].person_id)["registrations"][0][
        "status"] == "cancelled"


def test_person_page_signals_and_applications(session, svc):
    ctx = wf.context(svc)
    ent, other = (f.enterprise(session, svc.catalogue, region=wf.REVIEW_REGION),
                  f.enterprise(session, svc.catalogue))
    p = wf.applicant(session, svc)
    reg = f.registration(session, svc.catalogue, f.at(svc.clock, -(365 * 3 - 20)), ent=ent, p=p, specialties=("JZ",))
    draft = wf.apply(session, ctx, wf.holder(p), type="renewal", registration_number=reg.registration_number,
                     specialties=["JZ"])
    page = staff_person(session, svc.catalogue, svc.clock, SETTINGS, ent, p.id)
    assert page["applications"] == [] and page["signals"] == []         # a holder's draft is theirs alone
    filed = wf.submit_and_confirm(session, ctx, draft, wf.holder(p))
    (app,) = staff_person(session, svc.catalogue, svc.clock, SETTINGS, ent, p.id)["applications"]
    assert app["id"] == filed.public_id and app["type_name"] == "延续注册" and app["state"] == filed.state
    assert app["awaiting_enterprise"] is (filed.state == "awaiting_employer")
    # left for another employer: an ended registration here, a held one there
    q = f.person(session, name="孙丽")
    b = f.registration(session, svc.catalogue, svc.clock, ent=ent, p=q, kind="AQB", specialties=("B",))
    registrations.set_status(session, svc.clock, b.registration_number, "cancel", "moved", "test")
    f.registration(session, svc.catalogue, svc.clock, ent=other, p=q, kind="AQB", specialties=("B",))
    page = staff_person(session, svc.catalogue, svc.clock, SETTINGS, ent, q.id)
    assert [s["code"] for s in page["signals"]] == ["registered_elsewhere"]
    assert page["signals"][0]["details"]["employer"]["uscc"] == other.uscc
    assert page["registrations"][0]["status"] == "cancelled" and page["applications"] == []
    assert dt.date.fromisoformat(page["person"]["birth_date"]) == q.birth_date
