"""The holder's side in a real browser (issue 15, item 4): the header names the person; the renewal form
comes filled in from the register (the registration, the specialty inside its window ticked, the other
one disabled with the day its window opens) and submits with one tap; every application page says who
acts next and by when; the employer's confirm and decline ask first (a decline needs a reason); and every
holder and employer form sent empty answers in words, never a field's key, in both languages.
Screenshots: holder-<screen>-<lang>-<width>.png at 360x740 and 1366x900."""
from __future__ import annotations

import re

import pytest
from test_workflow_pages import as_employer, as_holder, detail_state, open_card, page_errors

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
RAW_KEY = re.compile(r"\b[a-z]+_[a-z_]+\b")          # registration_number, enterprise_uscc, cpd_hours, ...
HOLDER_TYPES = ["renewal", "add_specialty", "initial", "change_employer", "personal_info", "cancel",
                "forced_cancel", "reregister"]


def set_lang(page, want: str) -> None:
    if (page.get_attribute("html", "lang") == "en") != (want == "en"):
        page.dispatch_event("#lang", "click")         # a modal dialog may be open over the button
        page.wait_for_selector(f'html[lang="{"en" if want == "en" else "zh-CN"}"]', state="attached")


def shots(page, screens, screen: str, full_page: bool = True) -> None:
    """The screen now shown in both languages at both sizes; back to Chinese on a phone."""
    for lg in ("zh", "en"):
        set_lang(page, lg)
        for size in (PHONE, DESKTOP):
            page.set_viewport_size(size)
            page.evaluate("window.scrollTo(0, 0)")
            screens(page, f"holder-{screen}-{lg}-{size['width']}", full_page=full_page)
    set_lang(page, "zh")
    page.set_viewport_size(PHONE)


def test_a_prefilled_renewal_submits_with_one_tap(new_page, live, screens):
    who = live.workflows["holder_split"]
    holder = as_holder(new_page(PHONE), live, "holder_split")
    assert holder.text_content("#ent-org") == who["name"]                 # the person, not the login name
    assert who["username"] in holder.text_content("#ent-account")
    shots(holder, screens, "home")

    # 我的注册 says what a renewal can hold today, with the way to it
    line = holder.text_content('#mine-copies .renewal-line[data-renewable="true"]')
    assert "可延续 1 个专业" in line and re.search(r"请于 \d{4}-\d\d-\d\d 前提交", line), line
    holder.click('#mine-copies [data-action="renew"]')
    holder.wait_for_selector("#ent-apply:not([hidden]) #apply-spec-JZ")
    assert holder.input_value("#apply-type") == "renewal"
    assert holder.input_value("#apply-regno") == who["registration_number"]
    assert holder.is_checked("#apply-spec-JZ") and holder.is_enabled("#apply-spec-JZ")
    # SZ was added today: its window opens in about three years, and the form says on which day
    assert holder.is_disabled("#apply-spec-SZ") and not holder.is_checked("#apply-spec-SZ")
    why = holder.text_content("#apply-spec-SZ-why")
    assert re.search(r"可于 \d{4}-\d\d-\d\d 起申请", why), why
    assert holder.is_visible("#apply-prefilled")
    assert holder.text_content("#apply-submit") == "承诺已完成继续教育并提交"
    shots(holder, screens, "renewal-prefilled")
    set_lang(holder, "en")
    assert re.search(r"apply from \d{4}-\d\d-\d\d", holder.text_content("#apply-spec-SZ-why"))
    set_lang(holder, "zh")

    with holder.expect_response(lambda r: r.url.endswith("/submit") and r.request.method == "POST") as sub:
        holder.click("#apply-submit")                                    # the one tap
    assert sub.value.status == 200, sub.value.text()
    filed = sub.value.json()
    assert filed["specialties"] == ["JZ"] and filed["cpd_commitment"] is True
    detail_state(holder, "awaiting_employer")
    assert holder.get_attribute("#detail-next", "data-actor") == "enterprise"
    assert "待聘用单位" in holder.text_content("#detail-next") and "规定未设办理期限" in holder.text_content("#detail-next")
    shots(holder, screens, "renewal-awaiting")

    employer = as_employer(new_page(PHONE), live)
    open_card(employer, "confirm-list", "awaiting_employer")
    assert employer.get_attribute("#detail-next", "data-actor") == "enterprise"
    assert employer.locator("#detail-next .next-you").count() == 1       # the employer is the one to act
    employer.click('#detail-buttons [data-act="confirm"]')
    employer.wait_for_selector("#wf-act[open]")
    assert who["name"] in employer.text_content("#wf-act-text") and employer.is_hidden("#wf-act-reason-box")
    shots(employer, screens, "employer-confirm-dialog", full_page=False)
    employer.click('#wf-act button[value="cancel"]')                     # changed their mind: nothing happens
    assert employer.get_attribute("#ent-detail", "data-state") == "awaiting_employer"
    employer.click('#detail-buttons [data-act="confirm"]')
    employer.click("#wf-act-ok")
    detail_state(employer, "approved")                                   # auto mode: the rules approve at once
    assert employer.get_attribute("#detail-next", "data-actor") == "nobody"

    holder.click("#detail-back")
    holder.wait_for_selector('#mine-list .app-card[data-state="approved"]')
    open_card(holder, "mine-list", "approved")
    shots(holder, screens, "renewal-approved")
    assert page_errors(holder) == [] and page_errors(employer) == []


def empty_form_words(page) -> list[str]:
    """Each holder form sent empty: the words shown, Chinese then English."""
    out = []
    for type_ in HOLDER_TYPES:
        page.click('#ent-subtabs [data-pane="apply"]')
        page.select_option("#apply-type", type_)
        for field in ("#apply-regno", "#apply-uscc", "#apply-cpd", "#apply-name", "#apply-idn", "#apply-note"):
            if page.is_visible(field):
                page.fill(field, "")
        if page.is_visible("#apply-kind") and page.is_enabled("#apply-kind"):
            page.select_option("#apply-kind", "")
        for box in page.locator("#apply-specs input:checked:enabled").all():
            box.uncheck()
        with page.expect_response(lambda r: "/api/v1/applications" in r.url and r.request.method == "POST") as r:
            page.click("#apply-save")
        assert r.value.status == 422, (type_, r.value.text())
        page.wait_for_selector("#apply-errors:not([hidden]) li")
        out.append(page.inner_text("#apply-errors"))
        set_lang(page, "en")
        out.append(page.inner_text("#apply-errors"))
        set_lang(page, "zh")
    return out


def test_no_form_sent_empty_shows_a_field_key(new_page, live, screens):
    holder = as_holder(new_page(PHONE), live, "holder_review")
    words = empty_form_words(holder)
    assert len(words) == 2 * len(HOLDER_TYPES)
    for text in words:
        assert text.strip() and not RAW_KEY.search(text), text
    assert any("注册编号不能为空" in w for w in words) and any("Registration number is required" in w for w in words)
    holder.select_option("#apply-type", "renewal")
    holder.fill("#apply-regno", "")
    holder.click("#apply-save")
    holder.wait_for_selector("#apply-errors:not([hidden]) li")
    shots(holder, screens, "renewal-empty-errors")

    # the employer's forms: a cancellation with no registration number, a decline with no reason
    employer = as_employer(new_page(PHONE), live, review=True)
    employer.click(".file-cancel summary")
    for type_ in ("cancel_by_employer", "cancel_deceased"):
        employer.select_option("#cancel-type", type_)
        employer.fill("#cancel-regno", "")
        employer.click("#cancel-go")
        employer.wait_for_selector("#cancel-error:not([hidden])")
        for lg in ("zh", "en"):
            set_lang(employer, lg)
            text = employer.text_content("#cancel-error")
            assert text and not RAW_KEY.search(text), text
        set_lang(employer, "zh")
    assert page_errors(holder) == [] and page_errors(employer) == []


def test_a_decline_asks_for_a_reason_first(new_page, live, screens):
    wf = live.workflows
    holder = as_holder(new_page(PHONE), live, "holder_review")
    holder.click("#mine-new")
    holder.select_option("#apply-type", "cancel")
    holder.fill("#apply-regno", wf["holder_review"]["registration_number"])
    holder.click("#apply-submit")
    detail_state(holder, "awaiting_employer")

    employer = as_employer(new_page(PHONE), live, review=True)
    open_card(employer, "confirm-list", "awaiting_employer")
    employer.click('#detail-buttons [data-act="decline"]')
    employer.wait_for_selector("#wf-act[open]")
    assert employer.evaluate("() => document.activeElement.id") == "wf-act-reason"
    employer.click("#wf-act-ok")                                         # no reason: the dialog stays, says why
    assert employer.is_visible("#wf-act[open]") and employer.text_content("#wf-act-error") == "请填写理由"
    assert employer.get_attribute("#wf-act-reason", "aria-invalid") == "true"
    set_lang(employer, "en")
    assert not RAW_KEY.search(employer.text_content("#wf-act"))
    set_lang(employer, "zh")
    employer.fill("#wf-act-reason", "该人员仍在本单位任职")
    shots(employer, screens, "employer-decline-dialog", full_page=False)
    employer.click("#wf-act-ok")
    detail_state(employer, "declined")
    holder.click("#detail-back")
    open_card(holder, "mine-list", "declined")
    assert "该人员仍在本单位任职" in holder.text_content("#detail-reason-note")
    assert holder.get_attribute("#detail-next", "data-actor") == "nobody"
    assert page_errors(holder) == [] and page_errors(employer) == []
