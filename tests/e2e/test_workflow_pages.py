"""The registration workflow pages in a real browser against the real server (docs/workflows-api.md):
a holder files a renewal, the employer confirms, the rules approve it at once (auto mode) and the holder
downloads the new copy; in a review-mode province the authority returns it with a reason, the holder
corrects and resubmits, the authority approves; an employer declines an application with a reason.
The accounts come from e2e_support.prepare_workflows (the server runs with its DECISION_MODE)."""
from __future__ import annotations

import pytest
from e2e_pages import open_app

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 800}


def page_errors(page) -> list[str]:
    """Script errors and CSP violations (a refused request is logged as "Failed to load resource")."""
    return [e for e in page.errors if "Failed to load resource" not in e]


def sign_in(page, live, username, password):
    open_app(page, live.base)
    page.click('.tabbar [data-view="enterprise"]')
    page.fill("#ent-user", username)
    page.fill("#ent-pass", password)
    page.click("#ent-login-go")
    page.wait_for_selector("#ent-app:not([hidden])")
    return page


def as_holder(page, live, who):
    wf = live.workflows
    sign_in(page, live, wf[who]["username"], wf["password"])
    page.wait_for_selector('#ent-mine:not([hidden]) #mine-status[data-state="ready"]')
    return page


def as_employer(page, live, review=False):
    sign_in(page, live, live.workflows["enterprise_review" if review else "enterprise_auto"]["username"],
            live.workflows["password"])
    page.click('#ent-subtabs [data-pane="confirm"]')
    page.wait_for_selector('#confirm-status[data-state="ready"]')
    return page


def as_authority(page, live):
    sign_in(page, live, live.workflows["authority"], live.workflows["password"])
    page.wait_for_selector('#ent-review:not([hidden]) #review-status[data-state="ready"]')
    return page


def detail_state(page, state):
    page.wait_for_selector(f'#ent-detail:not([hidden])[data-state="{state}"] #detail-status[data-state="ready"]')


def file_application(page, type_, regno, *, specialties=(), commit=False, cpd_hours=None, screen=None, screens=None):
    page.click("#mine-new")
    page.wait_for_selector("#ent-apply:not([hidden])")
    page.select_option("#apply-type", type_)
    page.fill("#apply-regno", regno)
    if specialties:
        page.select_option("#apply-kind", "JZS2")
    for code in specialties:
        page.check(f"#apply-spec-{code}")
    if commit:
        page.check("#apply-commit")
    if cpd_hours is not None:
        page.fill("#apply-cpd", str(cpd_hours))
    if screen:
        screens(page, screen)
    with page.expect_response(lambda r: r.url.endswith("/submit") and r.request.method == "POST") as sub:
        page.click("#apply-submit")
    assert sub.value.status == 200, sub.value.text()


def confirm(employer):
    """The employer's confirmation, asked again in a dialog."""
    employer.click('#detail-buttons [data-act="confirm"]')
    employer.wait_for_selector("#wf-act[open]")
    employer.click("#wf-act-ok")


def open_card(page, list_id, state):
    card = page.locator(f'#{list_id} .app-card[data-state="{state}"]').first
    card.locator(".app-open").click()
    detail_state(page, state)


def test_renewal_confirmed_and_approved_at_once_then_the_copy_downloads(new_page, live, screens):
    holder = as_holder(new_page(), live, "holder_auto")
    regno = live.workflows["holder_auto"]["registration_number"]
    assert holder.is_visible('#ent-subtabs [data-pane="mine"]') and holder.is_hidden('#ent-subtabs [data-pane="roster"]')
    assert holder.text_content("#ent-org") == live.workflows["holder_auto"]["name"]     # the person, not the login
    screens(holder, "workflow-holder-home")

    # A draft first: saved, then submitted from the same form.
    holder.click("#mine-new")
    holder.select_option("#apply-type", "renewal")
    holder.fill("#apply-regno", regno)
    holder.select_option("#apply-kind", "JZS2")              # narrows the specialties offered
    holder.check("#apply-spec-JZ")
    holder.check("#apply-commit")
    screens(holder, "workflow-apply-renewal")
    with holder.expect_response(lambda r: r.url.endswith("/api/v1/applications") and r.request.method == "POST") as made:
        holder.click("#apply-save")
    assert made.value.status == 201
    holder.wait_for_selector("#apply-editing:not([hidden])")
    assert holder.text_content("#apply-status") == "草稿已保存"
    holder.click("#apply-submit")
    detail_state(holder, "awaiting_employer")
    assert "延续注册" in holder.text_content("#ent-detail-title")
    assert holder.locator('#detail-buttons [data-act="withdraw"]').count() == 1
    screens(holder, "workflow-holder-awaiting", full_page=True)

    employer = as_employer(new_page(), live)
    assert employer.text_content("#ent-confirm-count") == "1"
    card = employer.locator('#confirm-list .app-card[data-state="awaiting_employer"]')
    assert card.count() == 1 and live.workflows["holder_auto"]["name"] in card.inner_text()
    screens(employer, "workflow-employer-to-confirm")
    open_card(employer, "confirm-list", "awaiting_employer")
    screens(employer, "workflow-employer-detail", full_page=True)
    confirm(employer)
    detail_state(employer, "approved")                 # auto mode: decided by the rules at once
    assert "已批准" in employer.text_content("#detail-status")
    assert employer.locator('#detail-body .rule[data-passed="false"]').count() == 0
    assert employer.locator("#detail-body .rule").count() >= 3

    holder.click("#detail-back")
    holder.wait_for_selector('#mine-list .app-card[data-state="approved"]')
    assert holder.locator('#mine-list .app-card[data-state="approved"]').count() == 1
    # the registration now shows the copy the approval issued, usable for 180 days at most
    holder.wait_for_selector("#mine-copies .copy-item[data-copy]")
    assert "使用期至" in holder.locator("#mine-copies .copy-item[data-copy]").first.inner_text()
    screens(holder, "workflow-holder-approved")
    with holder.expect_download() as dl:
        holder.locator('#mine-copies [data-download="certificate.pdf"]').first.click()
    pdf = dl.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-") and dl.value.suggested_filename.endswith(".pdf")
    holder.wait_for_selector("#mine-copies .copy-item [role=status]:text('已下载')")
    # 证照加注: the holder gets a fresh copy of the registration; the list shows the new one as current
    before = holder.locator("#mine-copies .copy-item[data-copy]").first.get_attribute("data-copy")
    holder.locator('#mine-copies [data-action="new-copy"]').first.click()
    holder.wait_for_selector(f'#mine-copies .copy-item[data-copy]:not([data-copy="{before}"])')
    open_card(holder, "mine-list", "approved")
    states = holder.eval_on_selector_all("#detail-body .tl-item", "els => els.map(e => e.dataset.state)")
    assert states[-1] == "approved" and "awaiting_employer" in states
    holder.click("#lang")
    assert holder.text_content('#ent-detail .detail-head .chip') == "Approved"
    screens(holder, "workflow-holder-detail-en", full_page=True)
    holder.click("#lang")
    assert page_errors(holder) == [] and page_errors(employer) == []


def test_review_mode_return_correct_resubmit_approve(new_page, live, screens):
    wf = live.workflows
    holder = as_holder(new_page(), live, "holder_review")
    file_application(holder, "renewal", wf["holder_review"]["registration_number"], specialties=["JZ", "SZ"])
    detail_state(holder, "awaiting_employer")

    employer = as_employer(new_page(), live, review=True)
    open_card(employer, "confirm-list", "awaiting_employer")
    confirm(employer)
    detail_state(employer, "confirmed")                # review mode: waits for the authority

    desk = as_authority(new_page(DESKTOP), live)
    row = desk.locator('#review-body tr[data-state="confirmed"]', has_text=wf["holder_review"]["name"])
    assert row.count() == 1
    assert desk.eval_on_selector("#review-body tr", "e => getComputedStyle(e).display") == "table-row"
    screens(desk, "workflow-review-queue-desktop")
    phone_desk = as_authority(new_page(), live)
    screens(phone_desk, "workflow-review-queue")
    row.locator("button").click()
    detail_state(desk, "confirmed")
    assert desk.text_content("#detail-rules-title") == "规则核查结果(供审核参考)"
    screens(desk, "workflow-review-detail-desktop", full_page=True)
    desk.click('#detail-buttons [data-act="return"]')           # a return needs a reason
    assert desk.text_content("#detail-error") == "请填写理由"
    assert desk.evaluate("() => document.activeElement.id") == "detail-reason"
    reason = "请勾选继续教育承诺后重新提交"
    desk.fill("#detail-reason", reason)
    desk.click('#detail-buttons [data-act="return"]')
    detail_state(desk, "returned")

    holder.click("#detail-back")
    open_card(holder, "mine-list", "returned")
    assert reason in holder.text_content("#detail-reason-note")
    assert reason in holder.text_content("#detail-body .timeline")
    screens(holder, "workflow-holder-returned", full_page=True)
    holder.click('#detail-buttons [data-act="edit"]')
    holder.wait_for_selector("#ent-apply:not([hidden]) #apply-editing:not([hidden])")
    assert holder.input_value("#apply-regno") == wf["holder_review"]["registration_number"]
    assert holder.is_checked("#apply-spec-JZ") and holder.is_disabled("#apply-type")
    holder.check("#apply-commit")
    screens(holder, "workflow-holder-correct")
    holder.click("#apply-submit")
    holder.wait_for_selector("#ent-detail:not([hidden])")
    holder.wait_for_selector('#detail-status[data-state="ready"]')
    resubmitted = holder.get_attribute("#ent-detail", "data-state")
    assert resubmitted in ("submitted", "awaiting_employer", "confirmed")
    if resubmitted == "awaiting_employer":            # the employer confirms the corrected application too
        employer.click("#detail-back")
        employer.wait_for_selector('#confirm-status[data-state="ready"]')
        open_card(employer, "confirm-list", "awaiting_employer")
        confirm(employer)
        detail_state(employer, "confirmed")

    desk.click("#detail-back")
    desk.wait_for_selector('#review-status[data-state="ready"]')
    desk.locator("#review-body tr", has_text=wf["holder_review"]["name"]).locator("button").click()
    desk.wait_for_selector('#ent-detail[data-state="submitted"], #ent-detail[data-state="confirmed"]')
    desk.click('#detail-buttons [data-act="approve"]')
    detail_state(desk, "approved")

    holder.click("#detail-back")
    holder.wait_for_selector("#mine-copies .copy-item")
    open_card(holder, "mine-list", "approved")
    assert holder.locator('#detail-body [data-download="certificate.pdf"]').count() == 1
    for p in (holder, employer, desk):
        assert page_errors(p) == []


def test_employer_declines_with_a_reason(new_page, live, screens):
    wf = live.workflows
    holder = as_holder(new_page(), live, "holder_auto")
    file_application(holder, "add_specialty", wf["holder_auto"]["registration_number"], specialties=["SZ"],
                     cpd_hours=120, screen="workflow-apply-add-specialty", screens=screens)
    detail_state(holder, "awaiting_employer")

    employer = as_employer(new_page(), live)
    open_card(employer, "confirm-list", "awaiting_employer")
    employer.click('#detail-buttons [data-act="decline"]')      # asked in a dialog, with the reason
    employer.click("#wf-act-ok")
    assert employer.get_attribute("#wf-act-reason", "aria-invalid") == "true"
    reason = "本单位暂无市政公用工程岗位"
    employer.fill("#wf-act-reason", reason)
    screens(employer, "workflow-employer-decline", full_page=True)
    employer.click("#wf-act-ok")
    detail_state(employer, "declined")
    assert employer.locator("#detail-buttons button").count() == 0    # declined is final

    holder.click("#detail-back")
    open_card(holder, "mine-list", "declined")
    assert reason in holder.text_content("#detail-reason-note")
    assert holder.locator("#detail-buttons button").count() == 0
    screens(holder, "workflow-holder-declined", full_page=True)
    assert page_errors(holder) == [] and page_errors(employer) == []


def test_holder_withdraws_a_draft_by_keyboard(page, live):
    wf = live.workflows
    as_holder(page, live, "holder_review")
    page.click("#mine-new")
    page.select_option("#apply-type", "cancel")
    page.fill("#apply-regno", wf["holder_review"]["registration_number"])
    page.focus("#apply-save")
    page.keyboard.press("Enter")
    page.wait_for_selector("#apply-editing:not([hidden])")
    page.click('#ent-subtabs [data-pane="mine"]')
    open_card(page, "mine-list", "draft")
    page.focus('#detail-buttons [data-act="withdraw"]')
    page.keyboard.press("Enter")
    page.wait_for_selector("#wf-confirm[open]")
    page.click('#wf-confirm button[value="ok"]')
    detail_state(page, "withdrawn")
    assert page_errors(page) == []


def test_employer_files_a_cancellation(page, live, screens):
    """单位注销: filed and submitted from the 待确认 page; in auto mode decided at once."""
    as_employer(page, live)
    page.click(".file-cancel summary")
    page.select_option("#cancel-type", "cancel_by_employer")
    page.fill("#cancel-regno", live.workflows["leaver"]["registration_number"])
    page.fill("#cancel-note", "已离职")
    screens(page, "workflow-employer-file-cancel")
    page.click("#cancel-go")
    page.wait_for_selector('#ent-detail:not([hidden]) #detail-status[data-state="ready"]')
    assert page.get_attribute("#ent-detail", "data-state") in ("approved", "submitted")
    assert "注销(单位申请)" in page.text_content("#ent-detail-title")
    assert page_errors(page) == []
