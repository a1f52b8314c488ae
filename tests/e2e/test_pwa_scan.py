"""Scanning with the camera (a fake one fed from a .y4m) and every verdict on the result screen."""
from __future__ import annotations

import pytest
from e2e_pages import PHONE, open_app, real_errors, reasons, wait_result
from e2e_support import CHROMIUM, chromium_args, write_y4m

pytestmark = pytest.mark.e2e

VERDICTS = ["valid", "expired", "lapsed", "superseded", "suspended", "revoked", "invalid"]


def test_scan_clean_frame_shows_a_valid_verdict_online(page, live, screens):
    open_app(page, live.base)
    screens(page, "scan")
    page.click('[data-action="scan"]')
    assert wait_result(page, 1) == "valid"
    assert page.text_content("#verdict-word") == "有效"
    assert "在线核验" in page.text_content("#result-mode")
    sample = live.samples["valid"]
    assert page.text_content("#holder-name") == sample["name"]
    assert sample["registration_number"] in page.text_content("#holder-regno")
    assert "********" in page.text_content("#result-fields")          # masked ID number
    page.wait_for_selector("#holder-photo:not([hidden])")            # the holder's photo, online only
    assert page.locator("#specialties li").count() == 2
    assert page.evaluate("window.__jz.perf.engine") in ("zxing", "native")
    screens(page, "result-valid")
    screens(page, "result-valid-full", full_page=True)
    assert real_errors(page) == []


def test_scan_next_takes_one_tap(page, live):
    open_app(page, live.base)
    page.click('[data-action="scan"]')
    wait_result(page, 1)
    page.click('[data-action="scan-next"]')
    assert wait_result(page, 2) == "valid"


def test_keyboard_alone_starts_a_scan(page, live):
    open_app(page, live.base)
    page.focus('[data-action="scan"]')
    page.keyboard.press("Enter")
    assert wait_result(page, 1) == "valid"
    assert page.evaluate("document.activeElement.id") == "verdict"    # focus moves to the verdict


def test_scan_rotated_blurred_noisy_frame(playwright_sync, live, tmp_path, screens):
    y4m = write_y4m(tmp_path / "hard.y4m", live.samples["revoked"]["qr"], size=320, rotate=20, blur=1.0,
                    noise=4, contrast=0.8, jitter=3)
    b = playwright_sync.chromium.launch(executable_path=CHROMIUM, headless=True, args=chromium_args(y4m))
    try:
        ctx = b.new_context(viewport=PHONE, device_scale_factor=1)
        ctx.grant_permissions(["camera"], origin=live.base)
        page = ctx.new_page()
        page.set_default_timeout(20_000)
        open_app(page, live.base)
        page.click('[data-action="scan"]')
        assert wait_result(page, 1) == "revoked"
        ms = page.evaluate("window.__jz.perf.decodeMs")
        assert ms and min(ms) < 100
        screens(page, "result-revoked-hard-frame")
    finally:
        b.close()


@pytest.mark.parametrize("label", VERDICTS)
def test_every_verdict_from_the_phone_camera_url(page, live, screens, label):
    """The URL a phone's own camera opens, {BASE}/V#<packed token>, lands on the result at once."""
    sample = live.samples[label]
    assert sample["qr"].startswith(f"{live.base.upper()}/V#")
    page.goto(sample["qr"])
    assert wait_result(page, 1) == label
    assert "#" not in page.url                                     # the token left the address bar
    if label == "valid":
        assert reasons(page) == [] or reasons(page) == ["specialty_expiring"]
    else:
        assert reasons(page), "a verdict other than valid shows its reasons"
    screens(page, f"result-{label}")
    assert real_errors(page) == []


def test_scanning_screen_keeps_decoding_until_stopped(playwright_sync, live, tmp_path, screens):
    y4m = write_y4m(tmp_path / "blank.y4m", None, noise=4)                 # the camera sees no code
    b = playwright_sync.chromium.launch(executable_path=CHROMIUM, headless=True, args=chromium_args(y4m))
    try:
        ctx = b.new_context(viewport=PHONE, device_scale_factor=1)
        ctx.grant_permissions(["camera"], origin=live.base)
        page = ctx.new_page()
        page.set_default_timeout(20_000)
        open_app(page, live.base)
        page.click('[data-action="scan"]')
        page.wait_for_selector('#viewfinder[data-state="scanning"]', state="attached")
        page.wait_for_selector('[data-action="stop"]')
        page.wait_for_timeout(700)                      # let some frames through the decoder
        assert page.evaluate("window.__jz.perf.frames") >= 3
        screens(page, "scan-scanning")
        page.click('[data-action="stop"]')
        page.wait_for_selector('[data-action="scan"]')
        assert page.evaluate("document.getElementById('video').srcObject") is None   # camera released
        assert page.get_attribute("body", "data-results") is None
    finally:
        b.close()
