"""Warnings from a registration's data, a fixed clock and the settings (a pure function: no database)."""
import datetime as dt

import pytest

from backend.services.clock import Clock
from backend.services.enterprise.staff_warnings import (
    STATUS_URGENCY,
    CopyRow,
    SpecialtyRow,
    StaffRecord,
    WarningSettings,
    staff_warnings,
    urgency,
)
from backend.services.kinds import load_catalogue

CAT = load_catalogue()
CLOCK = Clock("Asia/Shanghai", fixed=dt.datetime(2026, 6, 1, 4, 0))     # noon in Shanghai
TODAY = dt.date(2026, 6, 1)
SETTINGS = WarningSettings(notice_days=90, short_days=180, age_cap_notice_days=365)


def rec(*, kind="JZS2", status="active", left=(800,), birth=dt.date(1980, 1, 1), sex="M", copy_days=100,
        spec_status="active"):
    codes = list(CAT.kind(kind).specialties)[:len(left)]
    specs = [SpecialtyRow(c, TODAY - dt.timedelta(days=300), TODAY + dt.timedelta(days=d), spec_status)
             for c, d in zip(codes, left, strict=False)]
    copy = None if copy_days is None else CopyRow("abcdefgh", CLOCK.now() - dt.timedelta(days=30),
                                                  CLOCK.now() + dt.timedelta(days=copy_days))
    return StaffRecord(1, "苏232192600001", 1, kind, status, 1, "王建国", sex, birth, "x", specs, copy)


def codes(r, settings=SETTINGS):
    return sorted(w["code"] for w in staff_warnings(r, CAT.kind(r.kind_code), CLOCK, settings))


def test_nothing_to_say():
    assert codes(rec()) == []


@pytest.mark.parametrize("left,expected", [
    (200, []),
    (179, ["specialty_under_180_days"]),
    (90, ["specialty_expiring_notice", "specialty_under_180_days"]),
    (30, ["renewal_window_open", "specialty_expiring_notice", "specialty_under_180_days"]),   # 建造师 opens 30 days before
    (0, ["renewal_window_open", "specialty_expiring_notice", "specialty_under_180_days"]),
    (-1, ["specialty_lapsed"]),
])
def test_specialty_expiry(left, expected):
    assert codes(rec(left=(left,))) == expected


def test_renewal_window_is_the_kinds():
    # 安管 renew in the last 3 months (opens 90 days before): open at 80 days, where a 建造师's is not.
    assert "renewal_window_open" in codes(rec(kind="AQB", left=(80,)))
    assert "renewal_window_open" not in codes(rec(kind="JZS2", left=(80,)))


def test_notice_period_is_a_setting():
    assert "specialty_expiring_notice" in codes(rec(left=(100,)), WarningSettings(notice_days=120))
    assert "specialty_expiring_notice" not in codes(rec(left=(100,)))


def test_no_renewal_window_when_the_age_cap_cuts_the_period():
    birth = (TODAY + dt.timedelta(days=21)).replace(year=TODAY.year - 65)     # 65 in 21 days
    got = codes(rec(left=(20,), birth=birth))
    assert "renewal_window_open" not in got and "age_cap_within_year" in got


@pytest.mark.parametrize("kind,sex,years,expected", [("JZS2", "M", 64, True), ("JZS2", "M", 63, False),
                                                     ("TZZY", "F", 49, True), ("AQA", "F", 54, True)])
def test_age_cap_per_kind_and_sex(kind, sex, years, expected):
    birth = TODAY.replace(year=TODAY.year - years) - dt.timedelta(days=30)
    ws = staff_warnings(rec(kind=kind, sex=sex, birth=birth), CAT.kind(kind), CLOCK, SETTINGS)
    cap = [w for w in ws if w["code"] == "age_cap_within_year"]
    assert bool(cap) == expected
    if cap:
        assert cap[0]["severity"] == "warning" and 0 < cap[0]["days_left"] <= 365


@pytest.mark.parametrize("status,code", [("suspended", "registration_suspended"), ("cancelled", "registration_revoked"),
                                         ("rescinded", "registration_revoked"), ("revoked", "registration_revoked"),
                                         ("lapsed", "registration_lapsed")])
def test_status_warnings_are_critical_and_first(status, code):
    r = rec(status=status, left=(20,))
    ws = staff_warnings(r, CAT.kind("JZS2"), CLOCK, SETTINGS)
    assert code in [w["code"] for w in ws] and all(w["severity"] == "critical" for w in ws if w["code"] == code)
    assert urgency(r, ws) == STATUS_URGENCY
    if status != "suspended":       # an ended or lapsed registration says only that
        assert [w["code"] for w in ws] == [code]


def test_copy_warnings():
    assert "no_current_copy" in codes(rec(copy_days=None))
    expired = [w for w in staff_warnings(rec(copy_days=-3), CAT.kind("JZS2"), CLOCK, SETTINGS) if w["code"] == "copy_expired"]
    assert expired and expired[0]["severity"] == "critical" and expired[0]["days_left"] == -3
    assert "copy_expired" not in codes(rec(copy_days=1))


def test_warning_shape_and_urgency():
    r = rec(left=(25, 60))
    ws = staff_warnings(r, CAT.kind("JZS2"), CLOCK, SETTINGS)
    w = next(w for w in ws if w["code"] == "specialty_expiring_notice")
    assert set(w) == {"code", "severity", "message", "message_en", "registration_number", "name", "specialty", "due",
                      "days_left"}
    assert w["due"] == (TODAY + dt.timedelta(days=25)).isoformat() and w["days_left"] == 25 and "建筑工程" in w["message"]
    assert urgency(r, ws) == 25
    assert urgency(rec(), []) is None
