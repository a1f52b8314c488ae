"""The enterprise pages (the 企业 tab) in a real browser against the real server: login and its errors,
the roster and its filters, the warnings, the bulk check with its progress bar and downloads, logout.
The account and two extra staff come from e2e_support.prepare_enterprise."""
from __future__ import annotations

import csv
import io
import re

import pytest
from e2e_pages import WAIT_SW, open_app

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 800}
BULK_HEADER = ["姓名", "身份证号", "注册编号"]


def page_errors(page) -> list[str]:
    """Script errors and CSP violations. A refused request (401, 415, 423...) is logged by Chromium as a
    console error too ("Failed to load resource"): those answers are what these tests ask for."""
    return [e for e in page.errors if "Failed to load resource" not in e]


def open_enterprise(page, live):
    open_app(page, live.base)
    page.click('.tabbar [data-view="enterprise"]')
    page.wait_for_selector("#ent-login-form")
    return page


def submit_login(page, username, password):
    page.fill("#ent-user", username)
    page.fill("#ent-pass", password)
    page.click("#ent-login-go")


def login(page, live):
    open_enterprise(page, live)
    submit_login(page, live.enterprise["username"], live.enterprise["password"])
    wait_roster(page)


def wait_roster(page):
    page.wait_for_selector('#ent-app:not([hidden]) #roster-status-line[data-state="ready"]')
    page.wait_for_selector('#roster-status-line:not(:empty)')


def roster_names(page) -> list[str]:
    return page.locator('#roster-body td[data-col="name"]').all_inner_texts()


def row_of(page, name):
    return page.locator("#roster-body tr", has=page.locator('td[data-col="name"]', has_text=name))


def test_login_failure_then_success_shows_the_roster(page, live, screens):
    open_enterprise(page, live)
    page.evaluate(WAIT_SW)          # the service worker controls the page: it must let the API through
    screens(page, "enterprise-login")

    page.click("#ent-login-go")
    assert page.get_attribute("#ent-login-error", "data-code") == "empty"
    submit_login(page, live.enterprise["username"], "not-the-password")
    page.wait_for_selector('#ent-login-error[data-code="invalid_credentials"]')
    assert page.text_content("#ent-login-error") == "用户名或密码错误"
    assert page.get_attribute("#ent-pass", "aria-invalid") == "true"
    screens(page, "enterprise-login-error")
    page.click("#lang")
    assert page.text_content("#ent-login-error") == "Wrong username or password"
    assert page.text_content("#ent-login-go") == "Sign in"
    page.click("#lang")

    staff_requests = []
    page.on("request", lambda r: staff_requests.append(r) if "/api/v1/enterprise/staff" in r.url else None)
    with page.expect_response("**/api/v1/enterprise/staff*") as staff:
        submit_login(page, live.enterprise["username"], live.enterprise["password"])
    wait_roster(page)
    assert staff.value.status == 200 and not staff.value.from_service_worker
    assert staff_requests[0].headers["authorization"].startswith("Bearer ")
    assert page.is_hidden("#ent-login") and page.text_content("#ent-org") == live.enterprise["name"]

    names = roster_names(page)
    for who in ("王建国", "陈静", "杨帆", "孙期满", "周安管"):
        assert who in names
    total = int(re.search(r"\d+", page.text_content("#roster-status-line")).group())
    assert total == len(names)
    # Most urgent first: the suspended registration leads the list, the ended ones close it (for the record).
    assert names[0] == "陈静" and set(names[-2:]) == {"杨帆", "张志强"}
    assert row_of(page, "陈静").locator('td[data-col="status"]').inner_text() == "暂扣"
    assert row_of(page, "陈静").locator('.badge[data-code="registration_suspended"]').count() == 1
    assert row_of(page, "李秀英").locator('.badge[data-code="copy_expired"]').count() == 1
    soon = row_of(page, "孙期满")
    assert soon.locator('.badge[data-code="renewal_window_open"]').count() == 1
    assert "剩" in soon.locator(".spec-mini .chip").inner_text()
    assert row_of(page, "周安管").locator('.badge.signal[data-code="safety_b_without_constructor"]').count() == 1
    assert row_of(page, "王建国").locator('td[data-col="copy"]').inner_text().count("–") == 1
    # The token is kept for this tab only.
    stored = page.evaluate("() => [sessionStorage.getItem('jz.ent.session'), JSON.stringify(localStorage)]")
    assert stored[0] and "token" in stored[0] and "eyJ" not in stored[1]
    screens(page, "enterprise-roster")
    screens(page, "enterprise-roster-full", full_page=True)
    assert page_errors(page) == []


def test_login_and_sections_by_keyboard(page, live):
    open_enterprise(page, live)
    page.focus("#ent-user")
    page.keyboard.type(live.enterprise["username"])
    page.keyboard.press("Tab")
    page.keyboard.type(live.enterprise["password"])
    page.keyboard.press("Enter")
    wait_roster(page)
    assert page.evaluate("() => document.activeElement.id") == "ent-org-box"     # announced: who is signed in
    page.focus('#ent-subtabs [data-pane="warnings"]')
    page.keyboard.press("Enter")
    page.wait_for_selector(".warn-item")
    assert page.evaluate("() => document.activeElement.id") == "ent-warnings-title"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('.warn-item') !== null")


def test_roster_filters(page, live, screens):
    login(page, live)
    everyone = len(roster_names(page))

    asked = []

    def filtered(action):
        with page.expect_response("**/api/v1/enterprise/staff*") as resp:
            action()
        asked.append(resp.value.url)
        wait_roster(page)
        return roster_names(page)

    assert filtered(lambda: page.select_option("#roster-status", "suspended")) == ["陈静"]
    assert "status=suspended" in asked[-1]
    assert filtered(lambda: page.select_option("#roster-status", "")) and len(roster_names(page)) == everyone
    assert filtered(lambda: page.select_option("#roster-kind", "AQB")) == ["周安管"]
    page.select_option("#roster-kind", "")
    assert filtered(lambda: page.select_option("#roster-warning", "renewal_window_open")) == ["孙期满"]
    assert filtered(lambda: page.select_option("#roster-warning", "sig:safety_b_without_constructor")) == ["周安管"]
    page.select_option("#roster-warning", "")
    names = filtered(lambda: (page.fill("#roster-q", "杨"), page.press("#roster-q", "Enter")))
    assert names == ["杨帆"]
    screens(page, "enterprise-roster-filtered")
    number = live.samples["valid"]["registration_number"]
    assert filtered(lambda: (page.fill("#roster-q", number), page.press("#roster-q", "Enter"))) == ["王建国"]
    assert filtered(lambda: (page.fill("#roster-q", "没有这个人"), page.press("#roster-q", "Enter"))) == []
    assert page.text_content("#roster-status-line") == "没有符合条件的人员"
    assert filtered(lambda: page.click("#roster-reset")) and len(roster_names(page)) == everyone
    assert page.input_value("#roster-q") == ""


def test_roster_in_english(page, live, screens):
    login(page, live)
    page.click("#lang")
    assert page.text_content('#ent-subtabs [data-pane="roster"]').strip() == "Staff"
    assert row_of(page, "陈静").locator('td[data-col="status"]').inner_text() == "suspended"
    assert "days left" in row_of(page, "孙期满").locator(".spec-mini .chip").inner_text()
    assert page.locator("#roster-status option").first.inner_text() == "All"
    screens(page, "enterprise-roster-en")
    page.click("#lang")


def test_roster_is_a_table_on_a_desktop(new_page, live, screens, tmp_path):
    page = new_page(DESKTOP)
    login(page, live)
    assert page.is_visible("#roster-head th")
    assert page.eval_on_selector("#roster-body tr", "e => getComputedStyle(e).display") == "table-row"
    assert page.locator("#roster-head th").count() == 8
    screens(page, "enterprise-roster-desktop")
    page.click('#ent-subtabs [data-pane="warnings"]')
    page.wait_for_selector(".warn-group")
    screens(page, "enterprise-warnings-desktop")
    page.click('#ent-subtabs [data-pane="bulk"]')
    page.set_input_files("#bulk-file", bulk_csv(tmp_path / "list.csv", live))
    page.click("#bulk-go")
    page.wait_for_selector('#ent-bulk[data-phase="done"]')
    assert page.eval_on_selector("#bulk-body tr", "e => getComputedStyle(e).display") == "table-row"
    screens(page, "enterprise-bulk-desktop")


def bulk_csv(path, live) -> str:
    from backend.services.checkdigits import id_check_char
    first17 = "11010519900101123"
    rows = [
        BULK_HEADER,
        ["王建国", "", live.samples["valid"]["registration_number"]],                      # found, this enterprise
        ["钱多多", first17 + id_check_char(first17), ""],                                  # not_found
        ["李四", "", live.samples["revoked"]["registration_number"]],                      # mismatch: another name
        ["只有姓名", "", ""],                                                             # invalid_row
        ["刘洋", "", live.samples["superseded"]["registration_number"]],                   # found, another employer
    ]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8-sig")
    return str(path)


def test_bulk_check_upload_results_and_downloads(page, live, screens, tmp_path):
    login(page, live)
    page.click('#ent-subtabs [data-pane="bulk"]')
    assert page.is_disabled("#bulk-go")
    screens(page, "enterprise-bulk")
    page.set_input_files("#bulk-file", bulk_csv(tmp_path / "名单.csv", live))
    with page.expect_response("**/api/v1/enterprise/bulk-check") as resp:
        page.click("#bulk-go")
    assert resp.value.status == 200
    page.wait_for_selector('#ent-bulk[data-phase="done"]')
    assert page.is_visible("#bulk-progress") and page.get_attribute("#bulk-bar", "value") == "100"
    counts = dict(zip(page.eval_on_selector_all("#bulk-summary button", "els => els.map(e => e.dataset.category)"),
                      page.locator("#bulk-summary .count").all_inner_texts()))
    assert counts == {"": "5", "valid_here": "1", "valid_elsewhere": "1", "ended": "0", "mismatch": "1",
                      "not_found": "1", "invalid_row": "1"}
    results = page.eval_on_selector_all("#bulk-body tr", "els => els.map(e => [e.dataset.line, e.dataset.result])")
    assert results == [["2", "found"], ["3", "not_found"], ["4", "mismatch"], ["5", "invalid_row"], ["6", "found"]]
    other = page.locator('#bulk-body tr[data-line="6"]')
    assert other.locator('td[data-col="employer"]').inner_text() == "其他单位"
    assert other.locator('.badge.signal[data-code="registered_elsewhere"]').count() == 1
    assert page.locator('#bulk-body tr[data-line="2"] td[data-col="employer"]').inner_text() == "本单位"
    assert re.match(r"\d{4}-\d\d-\d\d", page.locator('#bulk-body tr[data-line="2"] td[data-col="expiry"]').inner_text())
    assert page.locator('#bulk-body tr[data-line="5"] td[data-col="message"]').inner_text().strip()
    screens(page, "enterprise-bulk-results")
    screens(page, "enterprise-bulk-results-full", full_page=True)

    page.click('#bulk-summary button[data-category="not_found"]')
    assert page.eval_on_selector_all("#bulk-body tr", "els => els.map(e => e.dataset.line)") == ["3"]
    assert page.get_attribute('#bulk-summary button[data-category="not_found"]', "aria-pressed") == "true"
    assert page.evaluate("() => document.activeElement.dataset.category") == "not_found"
    page.click('#bulk-summary button[data-category=""]')
    assert page.locator("#bulk-body tr").count() == 5

    with page.expect_download() as dl:
        page.click("#bulk-csv")
    assert dl.value.suggested_filename.endswith(".csv")
    text = open(dl.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 6 and "王建国" in text and "钱多多" in text
    with page.expect_download() as dl:
        page.click("#bulk-xlsx")
    assert dl.value.suggested_filename.endswith(".xlsx")
    assert open(dl.value.path(), "rb").read(2) == b"PK"        # an XLSX is a zip
    assert page_errors(page) == []


def test_bulk_upload_progress_is_reported(page, live, tmp_path):
    """A slow upload (throttled by the browser) moves the bar through the upload before the results."""
    login(page, live)
    page.click('#ent-subtabs [data-pane="bulk"]')
    path = tmp_path / "long.csv"
    lines = [",".join(BULK_HEADER)] + [f"人员{i:05d},,苏0000000{i:05d}" for i in range(3000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 20, "downloadThroughput": -1,
                                                   "uploadThroughput": 40_000})
    page.set_input_files("#bulk-file", str(path))
    page.click("#bulk-go")
    page.wait_for_selector('#ent-bulk[data-phase="uploading"]')
    seen = set()
    while page.get_attribute("#ent-bulk", "data-phase") == "uploading":
        seen.add(int(page.get_attribute("#bulk-bar", "value") or 0))
        page.wait_for_timeout(100)
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1,
                                                   "uploadThroughput": -1})
    assert [v for v in seen if 0 < v < 100], seen
    page.wait_for_selector('#ent-bulk[data-phase="done"]', timeout=60_000)
    assert page.text_content("#bulk-summary button[data-category=''] .count") == "3000"


@pytest.mark.parametrize("name, content, status, code", [
    ("名单.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), 415, "unsupported_media_type"),   # old Excel
    ("名单.csv", "备注\n你好\n".encode(), 422, "bad_header"),
])
def test_a_file_that_is_not_a_list_is_refused_in_words(page, live, tmp_path, screens, name, content, status, code):
    login(page, live)
    page.click('#ent-subtabs [data-pane="bulk"]')
    path = tmp_path / name
    path.write_bytes(content)
    page.set_input_files("#bulk-file", str(path))
    with page.expect_response("**/api/v1/enterprise/bulk-check") as resp:
        page.click("#bulk-go")
    assert resp.value.status == status and resp.value.json()["error"] == code
    page.wait_for_selector("#bulk-error:not([hidden])")
    assert page.get_attribute("#ent-bulk", "data-phase") == "failed"
    assert page.text_content("#bulk-error") == resp.value.json()["message"]
    assert page.is_hidden("#bulk-result")
    if status == 415:
        screens(page, "enterprise-bulk-refused")
        page.click("#lang")
        assert page.text_content("#bulk-error") == resp.value.json()["message_en"]
        page.click("#lang")


def test_locked_account_says_when_to_retry(page, live, screens):
    open_enterprise(page, live)
    for _ in range(5):
        submit_login(page, "e2e.nobody", "wrong-password-1")
        page.wait_for_selector("#ent-login-error:not([hidden])")
        page.wait_for_selector("#ent-login-go:not([disabled])")
    page.wait_for_selector('#ent-login-error[data-code="account_locked"]')
    text = page.text_content("#ent-login-error")
    assert "已锁定" in text and re.search(r"\d\d:\d\d", text) and re.search(r"约 1[45] 分钟", text)
    screens(page, "enterprise-login-locked")
    page.click("#lang")
    assert "locked" in page.text_content("#ent-login-error")
    page.click("#lang")


def test_logout_and_an_ended_session(page, live, screens):
    login(page, live)
    token = page.evaluate("() => JSON.parse(sessionStorage.getItem('jz.ent.session')).token")
    # A reload keeps the tab's session and its place in the app.
    page.reload()
    page.wait_for_selector("body[data-ready=true]", state="attached")
    wait_roster(page)
    with page.expect_response("**/api/v1/auth/logout") as resp:
        page.click("#ent-logout")
    assert resp.value.status == 200
    page.wait_for_selector("#ent-login:not([hidden])")
    assert page.text_content("#ent-login-note") == "已退出登录"
    assert page.evaluate("() => sessionStorage.getItem('jz.ent.session')") is None
    assert page.locator("#roster-body tr").count() == 0          # nothing left for the next user
    screens(page, "enterprise-logged-out")
    # The revoked token is refused by the server...
    r = page.request.get(live.base + "/api/v1/enterprise/staff", headers={"Authorization": f"Bearer {token}"})
    assert r.status == 401 and r.json()["error"] == "token_revoked"
    # ...and a page still holding it goes back to the login form.
    page.evaluate("t => sessionStorage.setItem('jz.ent.session', JSON.stringify("
                  "{token: t, username: 'x', role: 'enterprise', expiresAt: Date.now() + 3600e3}))", token)
    page.click('.tabbar [data-view="scan"]')
    page.click('.tabbar [data-view="enterprise"]')
    page.wait_for_selector("#ent-login-note:not([hidden])")
    assert page.text_content("#ent-login-note") == "登录已失效,请重新登录"
    assert page.evaluate("() => sessionStorage.getItem('jz.ent.session')") is None
    assert page_errors(page) == []
