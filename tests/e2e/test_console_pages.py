"""The authority's console in Chromium at 360 px: only an authority account gets in; search a name, open the
person, see their registrations, copies and audit trail; the enterprise page; the language switch; nothing
scrolls sideways. The workflow pages' authority account (e2e_support.prepare_workflows) and the lookup's
namesakes (25 registrations of one name: two pages) are the data."""
from __future__ import annotations

import pytest
from e2e_pages import PHONE
from e2e_support import NAMESAKE

pytestmark = pytest.mark.e2e

NO_SIDEWAYS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def sign_in(page, live, username, password):
    page.goto(f"{live.base}/console#/search")
    page.fill("#console-user", username)
    page.fill("#console-pass", password)
    page.click("#console-login-go")


def test_only_an_authority_account_gets_in(new_page, live):
    page = new_page(PHONE)
    sign_in(page, live, live.enterprise["username"], live.enterprise["password"])
    page.wait_for_selector('#console-login-error[data-code="role"]')
    assert "不是主管部门账户" in page.inner_text("#console-login-error")
    assert page.is_hidden("#console-app")


def test_search_a_name_open_the_person_and_their_employer_at_360px(new_page, live, screens):
    page = new_page(PHONE)
    sign_in(page, live, live.workflows["authority"], live.workflows["password"])
    page.wait_for_selector("#cx-q")
    page.fill("#cx-q", NAMESAKE)
    page.click(".cx-search button[type=submit]")
    page.wait_for_selector("#cx-results tbody tr")
    status = page.inner_text(".cx-results .status")
    assert "共 25 条" in status and "按姓名" in status
    assert page.locator("#cx-results tbody tr").count() == 20
    assert page.evaluate(NO_SIDEWAYS)
    screens(page, "console-search-phone", full_page=True)
    page.click(".pager button:has-text('下一页')")
    page.wait_for_selector(".pager span:has-text('第 2 / 2 页')")
    assert page.locator("#cx-results tbody tr").count() == 5

    page.locator("#cx-results tbody tr").first.locator("[data-col=name] button").click()
    page.wait_for_selector("#ps-name")
    assert page.inner_text("#ps-name") == NAMESAKE
    assert page.locator("#ps-registrations [data-registration]").count() == 1
    page.wait_for_selector("#ps-audit li[data-action='registration.create']")
    page.wait_for_selector("#ps-audit li[data-action='person.create']")
    assert page.evaluate(NO_SIDEWAYS)
    screens(page, "console-person-phone", full_page=True)

    page.click("#ps-registrations [data-registration] .cx-kv .cx-link")           # the employer
    page.wait_for_selector("#en-name")
    page.wait_for_selector("#en-staff tbody tr")
    assert page.evaluate(NO_SIDEWAYS)

    page.click("#console-lang")
    page.wait_for_selector("#en-staff-title:has-text('Staff')")
    assert page.inner_text("#console-nav [data-route=search]") == "Search"
    page.click("#console-lang")
    page.wait_for_selector("#en-staff-title:has-text('人员')")
    assert not [e for e in page.errors if "favicon" not in e], page.errors


def test_a_bad_search_names_its_field_and_the_review_queues_are_counted(new_page, live):
    page = new_page(PHONE)
    sign_in(page, live, live.workflows["authority"], live.workflows["password"])
    page.wait_for_selector("#cx-q")
    page.goto(f"{live.base}/console#/search?q=%E8%8B%8F23")           # 苏23: too short for a number
    page.wait_for_selector(".cx-results .form-error")
    assert "至少输入" in page.inner_text(".cx-results .form-error")
    page.goto(f"{live.base}/console#/review")
    page.wait_for_selector("#rq-counts p:has-text('待审核的注册申请')")
