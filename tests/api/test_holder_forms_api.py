"""The holder's side over HTTP: every workflow form sent empty answers field problems that name each field in
words in both languages (never its key), the holder's registrations say which specialties a renewal can
hold today, and every application says who acts next and by when."""
import re

import pytest

from tests.api.helpers import assert_error_shape, make_registration
from tests.api.login_helpers import bearer_for
from tests.api.test_openapi import assert_shape

# a field's key as the API spells it: registration_number, enterprise_uscc, cpd_hours, ...
RAW_KEY = re.compile(r"[A-Za-z]+_[A-Za-z_]+")
HOLDER_TYPES = ("initial", "add_specialty", "renewal", "change_employer", "personal_info", "cancel", "forced_cancel",
                "reregister")
EMPLOYER_TYPES = ("cancel_by_employer", "cancel_deceased")


@pytest.fixture(scope="module")
def spec(mc):
    return mc.get("/api/v1/openapi.json").get_json()


@pytest.fixture(scope="module")
def parties(mc, admin):
    reg = make_registration(mc, admin, name="欧阳延续")
    return {"reg": reg, "holder": bearer_for(mc, admin, "holder", person_id=reg["person"]["id"]),
            "employer": bearer_for(mc, admin, "enterprise", enterprise_uscc=reg["employer"]["uscc"])}


def field_words(resp) -> dict:
    body = assert_error_shape(resp, 422, "validation_failed")
    fields = body["details"]["fields"]
    assert fields, body
    for name, f in fields.items():
        for words in (f["message"], f["message_en"]):
            assert words and not RAW_KEY.search(words), (name, words)
    return fields


@pytest.mark.parametrize("app_type", HOLDER_TYPES + EMPLOYER_TYPES)
def test_every_form_sent_empty_names_its_fields_in_words(mc, parties, app_type):
    who = parties["employer" if app_type in EMPLOYER_TYPES else "holder"]
    blank = {"type": app_type, "registration_number": "", "kind": "", "enterprise_uscc": "", "note": ""}
    fields = field_words(mc.post("/api/v1/applications", headers=who, json=blank))
    if app_type in ("add_specialty", "renewal", "change_employer", "cancel", "forced_cancel", *EMPLOYER_TYPES):
        assert fields["registration_number"]["message"] == "注册编号不能为空"
        assert fields["registration_number"]["message_en"] == "Registration number is required"
    if app_type in ("initial", "reregister"):
        assert "注册类别" in fields["kind"]["message"] and "kind" in fields["kind"]["message_en"].lower()


def test_wrong_values_are_worded_too(mc, parties):
    h = parties["holder"]
    for body in ({}, {"type": "renewal", "specialties": ["JZ", "JZ"], "cpd_hours": "x"},
                 {"type": "personal_info", "changes": {"name": "名" * 50, "id_number": "123"}},
                 {"type": "initial", "kind": "JZS2", "specialties": ["JZ"], "enterprise_uscc": "x" * 30}):
        field_words(mc.post("/api/v1/applications", headers=h, json=body))
    fields = field_words(mc.post("/api/v1/applications", headers=h, json={"type": "personal_info",
                                                                          "changes": {"name": "名" * 50}}))
    assert fields["changes"]["message"].startswith("新姓名") and fields["changes"]["message_en"].startswith("New name")


def test_decline_asks_for_a_reason_in_words(mc, parties):
    r = mc.post("/api/v1/applications", headers=parties["holder"], json={
        "type": "cancel", "registration_number": parties["reg"]["registration_number"]})
    a = mc.post(f"/api/v1/applications/{r.json['id']}/submit", headers=parties["holder"]).json
    assert a["state"] == "awaiting_employer" and a["next_step"]["actor"] == "enterprise"
    url = f"/api/v1/applications/{a['id']}/decline"
    for body in ({}, {"reason": ""}, {"reason": "   "}, {"reason": None}):
        fields = field_words(mc.post(url, headers=parties["employer"], json=body))
        assert fields["reason"]["message"] == "原因不能为空", body
    assert mc.get(f"/api/v1/applications/{a['id']}", headers=parties["holder"]).json["state"] == "awaiting_employer"
    done = mc.post(url, headers=parties["employer"], json={"reason": "该人员仍在本单位任职"})
    assert done.status_code == 200 and done.json["next_step"]["actor"] == "nobody"


def test_registrations_say_what_a_renewal_can_hold(mc, spec, parties):
    regs = mc.get("/api/v1/holder/registrations", headers=parties["holder"]).json["registrations"]
    assert_shape(spec, "HolderRegistrations", {"registrations": regs})
    renewal = regs[0]["renewal"]
    # registered today: valid three years, every window a long way off, each saying when it opens
    assert renewal["renewable"] == [] and renewal["message"].startswith("目前没有可延续的专业")
    for s in renewal["specialties"]:
        assert s["reason"] == "not_yet_open" and s["opens_on"] in s["message"] and s["opens_on"] in s["message_en"]
        assert s["opens_on"] < s["valid_until"] and s["name"] and s["name_en"]


def test_each_application_says_who_acts_next(mc, spec, parties):
    r = mc.post("/api/v1/applications", headers=parties["holder"], json={
        "type": "renewal", "registration_number": parties["reg"]["registration_number"]})
    assert r.status_code == 201, r.json
    assert_shape(spec, "Application", r.json)
    step = r.json["next_step"]
    # a renewal draft must be filed before the window of its first specialty closes
    assert step["actor"] == "holder" and step["due_on"] == min(s["valid_until"] for s in parties["reg"]["specialties"])
    listed = mc.get("/api/v1/applications", headers=parties["employer"]).json
    assert_shape(spec, "ApplicationList", listed)
    assert all(a["next_step"]["message"] and a["next_step"]["message_en"] for a in listed["applications"])
