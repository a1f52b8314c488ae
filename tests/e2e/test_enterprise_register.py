"""The roster as a register (issue 15) in a real browser against the real server: names in 拼音 order as the
browser's own Intl.Collator('zh-CN') has them, a search by pinyin, a filter, the export holding exactly what
is shown (CSV in Chinese, Excel in English), and a row that opens the person at #/staff/<id> (Back, Forward
and a reload keep to it). Screenshots of the list and the person at 360x740 and 1366x900 in both languages."""
from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from e2e_pages import open_app

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
ENDED = {"rescinded", "cancelled", "revoked", "lapsed"}


def login(page, live):
    open_app(page, live.base)
    page.click('.tabbar [data-view="enterprise"]')
    page.wait_for_selector("#ent-login-form")
    page.fill("#ent-user", live.enterprise["username"])
    page.fill("#ent-pass", live.enterprise["password"])
    page.click("#ent-login-go")
    wait_roster(page)


def wait_roster(page):
    page.wait_for_selector('#ent-app:not([hidden]) #roster-status-line[data-state="ready"]')
    page.wait_for_selector("#roster-status-line:not(:empty)")


def names(page) -> list[str]:
    return page.locator('#roster-body td[data-col="name"]').all_inner_texts()


def reload_list(page, action):
    with page.expect_response("**/api/v1/enterprise/staff?*") as resp:
        action()
    assert resp.value.status == 200
    wait_roster(page)
    return names(page)


def in_collator_order(page, values: list[str]) -> list[str]:
    return page.evaluate("v => v.slice().sort(new Intl.Collator('zh-CN').compare)", values)


# Nothing of the pane runs off the side, the roster's table included (at 1366 px in English too).
OVERFLOW = """w => [...document.querySelectorAll('#ent-roster *')]
  .filter((e) => e.offsetParent !== null && e.getBoundingClientRect().right > w + 0.5)
  .map((e) => `${e.tagName}#${e.id}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


def both_sizes(page, screens, name: str):
    for lang in ("zh", "en"):
        if page.evaluate("document.documentElement.lang").startswith("zh") != (lang == "zh"):
            page.click("#lang")
        for size in (PHONE, DESKTOP):
            page.set_viewport_size(size)
            page.evaluate("window.scrollTo(0, 0)")
            wide = page.evaluate(OVERFLOW, size["width"])
            assert wide == [], (name, lang, size, wide)                      # nothing of the pane runs off the side
            screens(page, f"enterprise-{name}-{lang}-{size['width']}")
    page.click("#lang")                                                     # back to Chinese
    page.set_viewport_size(PHONE)


def test_roster_in_pinyin_order_searched_filtered_and_exported(page, live, screens, tmp_path):
    page.set_viewport_size(PHONE)
    login(page, live)
    urgent = page.locator("#roster-body tr").evaluate_all("rs => rs.map(r => r.dataset.status)")
    ended_at = [i for i, s in enumerate(urgent) if s in ENDED]
    assert urgent[0] == "suspended" and ended_at == list(range(len(urgent) - len(ended_at), len(urgent)))
    assert ended_at, "the demo employer has ended registrations: they come last, for the record"

    shown = reload_list(page, lambda: page.select_option("#roster-sort", "name"))
    assert len(shown) > 10 and shown == in_collator_order(page, shown)
    assert shown != sorted(shown), "code-point order would differ: the test would prove nothing"
    first = page.locator("#roster-body tr").first.get_attribute("data-person")
    assert first and page.locator("#roster-body tr").first.locator("a.person-link").get_attribute("href") == \
        f"#/staff/{first}"
    both_sizes(page, screens, "roster")

    # search: a name typed in pinyin (whole or initials), a part of a registration number
    assert reload_list(page, lambda: (page.fill("#roster-q", "sunqiman"), page.press("#roster-q", "Enter"))) == \
        ["孙期满"]
    tail = live.enterprise["staff"]["周安管"]["registration_number"][-5:]
    assert "周安管" in reload_list(page, lambda: (page.fill("#roster-q", tail), page.press("#roster-q", "Enter")))
    reload_list(page, lambda: (page.fill("#roster-q", ""), page.press("#roster-q", "Enter")))

    # a filter, in 拼音 order, and the export of exactly that
    active = reload_list(page, lambda: page.select_option("#roster-status", "active"))
    assert active and active == in_collator_order(page, active) and len(active) < len(shown)
    with page.expect_download() as got:
        page.click("#roster-csv")
    rows = list(csv.reader(io.StringIO(open(got.value.path(), encoding="utf-8-sig").read())))
    assert rows[0][:4] == ["姓名", "性别", "身份证号", "注册编号"]
    assert [r[0] for r in rows[1:]] == active and {r[6] for r in rows[1:]} == {"有效"}
    assert re.search(r"-zh\.csv$", got.value.suggested_filename)
    page.click("#lang")
    with page.expect_download() as got:
        page.click("#roster-xlsx")
    assert got.value.suggested_filename.endswith("-en.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(got.value.path().read_bytes())).worksheets[0]
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    assert values[0][:4] == ["Name", "Sex", "ID number", "Registration number"] and ws.freeze_panes == "A2"
    assert [r[0] for r in values[1:]] == active and {r[6] for r in values[1:]} == {"active"}
    page.click("#lang")
    assert [e for e in page.errors if "Failed to load resource" not in e] == []


def test_a_row_opens_the_person_at_its_own_address(page, live, screens):
    page.set_viewport_size(PHONE)
    login(page, live)
    row = page.locator("#roster-body tr", has=page.locator('td[data-col="name"]', has_text="周安管"))
    person_id = row.get_attribute("data-person")
    with page.expect_response(f"**/api/v1/enterprise/staff/{person_id}") as resp:
        row.locator('td[data-col="kind"]').click()                      # anywhere on the row
    assert resp.value.status == 200
    page.wait_for_selector('#roster-person:not([hidden]) #roster-person-status[data-state="ready"]')
    assert page.evaluate("location.hash") == f"#/staff/{person_id}" and page.is_hidden("#roster-list")
    assert page.text_content("#roster-person-title") == "周安管"
    regno = live.enterprise["staff"]["周安管"]["registration_number"]
    card = page.locator(f'.person-reg[data-regno="{regno}"]')
    assert card.count() == 1 and card.locator(".spec-mini li").count() >= 1
    assert live.enterprise["staff"]["周安管"]["id_number"] in page.text_content(".person-id")     # the employer's own
    assert page.locator('#roster-person .badge.signal[data-code="safety_b_without_constructor"]').count() == 1
    assert page.locator("#roster-person .person-warning").count() >= 1
    both_sizes(page, screens, "person")

    # Back returns to the list, Forward to the person; a reload at the address opens the person again
    page.go_back()
    page.wait_for_selector("#roster-list:not([hidden])")
    assert page.evaluate("location.hash") == "" and page.is_hidden("#roster-person")
    page.go_forward()
    page.wait_for_selector('#roster-person:not([hidden]) #roster-person-status[data-state="ready"]')
    assert page.text_content("#roster-person-title") == "周安管"
    page.reload()
    page.wait_for_selector('#roster-person:not([hidden]) #roster-person-status[data-state="ready"]')
    assert page.text_content("#roster-person-title") == "周安管"
    assert page.get_attribute("html", "data-entry") is None                 # not taken for a certificate link
    page.click("#roster-person-back")
    page.wait_for_selector("#roster-list:not([hidden]) #roster-body tr")
    assert page.evaluate("location.hash") == ""

    # someone who is not its staff: refused in words, as an unknown person
    page.evaluate("location.hash = '#/staff/999999999'")
    page.wait_for_selector('#roster-person:not([hidden]) #roster-person-status[data-state="error"]')
    assert page.text_content("#roster-person-status") == "未找到该人员"
    assert [e for e in page.errors if "Failed to load resource" not in e] == []
