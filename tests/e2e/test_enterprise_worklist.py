"""The warnings page as a work list (issue 15), in a real browser against the real server: the tab's badge,
the page's total and the daily digest (`flask digest`, run on the same database) show one number; the to-do
items come by due date, each saying what to do and leading to the person; the ended registrations are
folded away. Screenshots at 360x740 and 1366x900, in Chinese and English."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from e2e_pages import open_app
from e2e_support import REPO

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
# What sticks out sideways at a phone's width.
OVERFLOW = """() => {
  const de = document.documentElement;
  return [...document.querySelectorAll('#ent-warnings *')].filter((e) => {
    const r = e.getBoundingClientRect();
    return r.width && e.offsetParent !== null && r.right > de.clientWidth + 0.5;
  }).slice(0, 5).map((e) => `${e.tagName}.${e.className}`);
}"""


def sign_in(page, live):
    open_app(page, live.base)
    page.click('.tabbar [data-view="enterprise"]')
    page.fill("#ent-user", live.enterprise["username"])
    page.fill("#ent-pass", live.enterprise["password"])
    page.click("#ent-login-go")
    page.wait_for_selector('#ent-app:not([hidden])')


def open_warnings(page):
    page.click('#ent-subtabs [data-pane="warnings"]')
    page.wait_for_selector('#warn-status[data-state="ready"][data-todo]')


def digest_number(live) -> int:
    """The to-do number of the enterprise's daily digest, as `flask --app backend digest` prints it."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "FLASK_DEBUG", "KEY_DIR")}
    env.update(INSTANCE_PATH=str(live.instance), DEMO_PERSONS="0", PYTHONDONTWRITEBYTECODE="1")
    out = subprocess.run([sys.executable, "-m", "flask", "--app", "backend", "digest", "--uscc", live.enterprise["uscc"]],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    subject = re.search(r": (\d+) 项待办 / (\d+) to do", out.stdout)
    body = re.search(r"待办 (\d+) 项\(按截止日期排列\)", out.stdout)
    assert subject and body and subject.group(1) == subject.group(2) == body.group(1), out.stdout[:500]
    return int(body.group(1))


def test_badge_page_and_digest_agree(new_page, live, screens):
    page = new_page(PHONE)
    sign_in(page, live)
    page.wait_for_selector("#ent-warn-count:not([hidden])")
    badge = int(page.text_content("#ent-warn-count"))
    open_warnings(page)
    shown = int(page.get_attribute("#warn-status", "data-todo"))
    items = page.locator("#warn-todo .work-item").count()
    assert badge == shown == items == digest_number(live) > 0
    assert f"待办 {badge} 项" in page.text_content("#warn-status")
    # By due date: overdue first, then what is due now (no date), then the nearest deadlines.
    days = page.eval_on_selector_all("#warn-todo .work-item .due-chip", "els => els.map(e => e.dataset.days)")
    as_numbers = [int(d) if d else 0 for d in days]
    assert as_numbers == sorted(as_numbers) and len(days) == items
    # Each item says what to do, and the ones about staff lead to the person.
    for text in page.locator("#warn-todo .work-todo").all_inner_texts():
        assert text.strip()
    actions = page.eval_on_selector_all("#warn-todo .work-item", "els => els.map(e => e.dataset.action)")
    assert {"registration_suspended", "renew"} <= set(actions) and "registration_ended" not in actions
    # The ended ones are there, folded away.
    assert page.locator("#warn-ended").count() == 1 and not page.eval_on_selector("#warn-ended", "d => d.open")
    assert not page.locator('#warn-ended .work-item[data-action="registration_ended"]').first.is_visible()
    assert page.evaluate(OVERFLOW) == []
    screens(page, "enterprise-warnings-zh-360")
    page.click("#warn-ended > summary")
    assert page.locator('#warn-ended .work-item[data-action="registration_ended"]').first.is_visible()
    page.click("#warn-ended > summary")
    page.click("#lang")
    page.wait_for_selector("#warn-status:has-text('to do')")
    assert page.text_content("#ent-warn-count") == str(badge) and f"{badge} to do" in page.text_content("#warn-status")
    assert page.evaluate(OVERFLOW) == []
    screens(page, "enterprise-warnings-en-360")
    page.set_viewport_size(DESKTOP)
    screens(page, "enterprise-warnings-en-1366")
    page.click("#lang")
    page.wait_for_selector("#warn-status:has-text('待办')")
    screens(page, "enterprise-warnings-zh-1366")


def test_an_item_leads_to_the_person(new_page, live):
    page = new_page(PHONE)
    sign_in(page, live)
    open_warnings(page)
    name = "孙期满"
    renew = page.locator('#warn-todo .work-item[data-action="renew"]', has_text=name)
    assert renew.count() == 1
    assert "延续注册" in renew.locator(".work-todo").inner_text()
    link = renew.locator("a[data-person]")
    href = link.get_attribute("href")
    assert re.fullmatch(r"#/staff/\d+", href)
    link.click()
    # The roster's page of that person, at the address the link named.
    page.wait_for_selector("#ent-roster:not([hidden]) #roster-person:not([hidden])")
    page.wait_for_selector(f"#roster-person-title:has-text('{name}')")
    assert page.evaluate("() => location.hash") == href
    page.wait_for_selector(f"#roster-person-body:has-text('{live.enterprise['staff'][name]['registration_number']}')")
