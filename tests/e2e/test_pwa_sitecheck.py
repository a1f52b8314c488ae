"""The inspector's site check (pwa/js/sitecheck/) in Chromium: signed in as an inspector, a check started
and filled while OFFLINE (a certificate added by its QR text, with a role, verified offline and evaluated
against the role), kept across a reload with no network, finished, then synced when the network is back
into a signed record whose number is shown and whose PDF downloads."""
from __future__ import annotations

import pytest
from e2e_pages import open_app, real_errors, wait_offline_ready

pytestmark = pytest.mark.e2e

INSPECTOR = "e2e.inspector"
PASSWORD = "Jz-e2e-inspect-2026"


@pytest.fixture(scope="module")
def inspector(live):
    """An inspector account, made by the accounts service on the live server's database."""
    from backend import create_app
    from backend.extensions import db
    from backend.services.accounts import management

    inst = live.instance
    app = create_app({"INSTANCE_PATH": str(inst), "DEMO_PERSONS": 0, "RATELIMIT_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{inst / 'jianzheng.db'}"})
    with app.app_context():
        management.create_account(db.session, username=INSPECTOR, password=PASSWORD, role="inspector", actor="e2e")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return INSPECTOR


def _bad_check_char(uscc: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return uscc[:17] + alphabet[(alphabet.index(uscc[17]) + 1) % len(alphabet)]


def test_site_check_offline_then_synced_and_signed(page, live, inspector, screens):
    open_app(page, live.base)
    wait_offline_ready(page)
    page.click('.tabbar [data-view="sitecheck"]')
    page.wait_for_selector("#sc-new")
    assert page.locator("#sc-list li").count() == 0
    # signed in while online: the check syncs by itself later
    page.click(".sc-signin summary")
    page.fill("#sc-user", inspector)
    page.fill("#sc-pass", PASSWORD)
    page.click("#sc-login-go")
    page.wait_for_selector(f".sc-account:has-text('{inspector}')")

    page.context.set_offline(True)
    page.wait_for_selector('#net[data-state="offline"]')
    page.click("#sc-new")
    page.fill("#sc-site", "苏州工业园区3号地块")
    page.select_option("#sc-specialty", "JZ")
    uscc = live.enterprise["uscc"]                      # the samples' employer: the site's contractor
    page.fill("#sc-uscc", _bad_check_char(uscc))
    page.click(".sc-form button[type=submit]")
    assert "校验位" in page.text_content("#sc-form-error")   # the check character, checked on the device
    assert page.get_attribute("#sc-uscc", "aria-invalid") == "true"
    page.fill("#sc-uscc", uscc)
    if page.is_visible("#sc-scale"):
        page.select_option("#sc-scale", "medium")
    screens(page, "sitecheck-start")
    page.click(".sc-form button[type=submit]")

    page.wait_for_selector("#sc-add")
    page.select_option("#sc-add-role", "project_manager")
    page.fill("#sc-qr", live.samples["valid"]["qr"])
    page.click("#sc-add-go")
    person = page.locator(".sc-person").first
    person.wait_for()
    assert person.locator(".sc-cert .chip").get_attribute("data-verdict") == "valid"
    assert live.samples["valid"]["name"] in person.locator(".sc-person-name").text_content()
    assert "离线核验" in person.locator(".sc-cert").text_content()
    # a 二级建造师 alone is no project manager: the 安管 B requirement is missing, with its reason
    ev = person.locator(".sc-eval")
    assert ev.get_attribute("data-met") == "false"
    missing = person.locator(".sc-req[data-met=false]")
    assert missing.count() >= 1
    assert "安管" in missing.first.text_content()
    assert person.locator(".sc-req[data-met=true]").count() >= 1   # the constructor registration is met
    no_scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_scroll, "horizontal scrolling at 360 px"
    screens(page, "sitecheck-person-offline", full_page=True)

    page.reload()                                       # offline: from the service worker and IndexedDB
    page.wait_for_selector("body[data-ready=true]", state="attached")
    page.wait_for_selector(".sc-person")
    assert page.locator(".sc-person").count() == 1
    page.click("#sc-finish")
    page.wait_for_selector('#sc-sync .sc-sync-status')
    assert page.get_attribute(".sc-site .sc-state", "data-state") == "pending"
    assert "待同步" in page.text_content(".sc-site .sc-state")

    page.context.set_offline(False)                     # back online: it syncs without a tap
    page.wait_for_selector(".sc-record-id", timeout=30_000)
    record = page.text_content(".sc-record-id").strip()
    assert record
    assert page.get_attribute(".sc-site .sc-state", "data-state") == "synced"
    screens(page, "sitecheck-synced", full_page=True)
    with page.expect_download() as dl:
        page.click("#sc-pdf")
    path = dl.value.path()
    assert dl.value.suggested_filename.endswith(".pdf")
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"

    page.click("#sc-back")                              # the list: this device's checks, the synced one
    page.wait_for_selector("#sc-list li")
    assert page.get_attribute("#sc-list li .sc-state", "data-state") == "synced"
    assert real_errors(page) == []


def test_site_check_in_english_at_320px_flags_another_employer(new_page, live, screens):
    """Online, in English, on the narrowest phone: the 挂证 flag when the certificate is registered at another
    employer than the site's contractor; no horizontal scrolling at 320 px nor on a desktop."""
    page = new_page({"width": 320, "height": 640})
    open_app(page, live.base)
    page.click("#lang")
    page.click('.tabbar [data-view="sitecheck"]')
    page.click("#sc-new")
    page.fill("#sc-site", "Block 7")
    page.select_option("#sc-specialty", "JZ")
    page.fill("#sc-uscc", live.workflows["enterprise_review"]["uscc"])   # not the sample's employer
    page.click(".sc-form button[type=submit]")
    page.select_option("#sc-add-role", "project_manager")
    assert "constructor" in page.text_content("#sc-role-about")          # what the role needs, in English
    page.fill("#sc-qr", live.samples["valid"]["qr"])
    page.click("#sc-add-go")
    person = page.locator(".sc-person").first
    person.wait_for()
    assert "checked online" in person.locator(".sc-cert").text_content()
    flagged = person.locator(".sc-req[data-met=false] [data-flag=other_employer]")
    assert flagged.count() >= 1 and flagged.first.text_content() == "Suspected 挂证"
    assert page.get_attribute(".sc-site .sc-state", "data-state") == "open"
    widths = {}
    for size in ({"width": 320, "height": 640}, {"width": 1280, "height": 800}):
        page.set_viewport_size(size)
        widths[size["width"]] = page.evaluate("document.documentElement.scrollWidth")
        screens(page, f"sitecheck-en-{size['width']}", full_page=True)
    assert widths[320] <= 320 and widths[1280] <= 1280
    assert real_errors(page) == []
