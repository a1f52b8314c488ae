"""A certificate link opened cold, as a phone's own camera opens it ({base}/v#<token>): 核验中 at once, then
the verdict, with nothing of the scanner or the decoder fetched before it and the service worker registered
only after it; offline use after that first visit; every text file compressed on the way.
(The time and bytes on a throttled connection are bench/scan_bench.py --link-open's, not a test's.)"""
from __future__ import annotations

import pytest
from e2e_pages import WAIT_SW, real_errors, wait_result

pytestmark = pytest.mark.e2e

DECODER = ("/scan-worker.js", "/js/verify/decoder.js", "/js/verify/scanner.js", "/js/verify/camera.js", "/vendor/")
RESOURCES = "() => performance.getEntriesByType('resource').map((e) => [new URL(e.name).pathname, e.startTime])"


def test_link_says_checking_then_the_verdict_without_the_decoder(new_page, live, screens):
    page = new_page()
    asked, held = [], []
    page.context.on("request", lambda r: asked.append(r.url))
    page.route("**/api/v1/verify", lambda route: held.append(route))      # the answer waits until let go
    page.goto(live.samples["valid"]["qr"], wait_until="commit")
    page.wait_for_selector("#view-scan", state="hidden")                 # styles.css is in: the first screen
    assert page.is_visible("#checking") and page.is_hidden("#view-result")
    assert page.text_content("#checking-word") == "核验中…" and "Checking…" in page.text_content("#checking")
    page.wait_for_selector("body[data-ready=true]", state="attached")   # the app is up, still waiting
    assert page.is_visible("#checking") and page.get_attribute("body", "data-results") is None
    screens(page, "link-checking")
    assert len(held) == 1 and held[0].request.method == "POST"          # asked once, before any module came
    link = live.base + live.samples["valid"]["qr"][len(live.base):]   # the link as the browser holds it
    assert held[0].request.post_data_json == {"qr": link}
    before = list(asked)
    held[0].continue_()
    assert wait_result(page, 1) == "valid"
    assert page.get_attribute("#result-mode", "data-mode") == "online"
    assert page.is_hidden("#checking") and page.is_hidden("#view-scan")
    assert page.url == link.split("#")[0]                                # the token left the address bar
    assert not [u for u in before if u.split("?")[0].endswith(DECODER) or "/vendor/" in u]
    shown = page.evaluate("window.__jz.last.shownAt")
    first_paint = page.evaluate("performance.getEntriesByType('paint')[0].startTime")
    assert page.evaluate("window.__jzLinkAt") <= first_paint              # marked before anything was painted
    early = [p for p, start in page.evaluate(RESOURCES) if start < shown]
    assert not [p for p in early if p.endswith(DECODER) or p.startswith("/vendor/")]
    assert page.evaluate("window.__jz.swRegisteredAt") >= shown          # the precache only after the verdict
    page.evaluate(WAIT_SW)                                               # ...and then it is done
    page.wait_for_selector("#data-age[data-state=ok]", state="attached")
    # That first visit was enough: with no network the app opens and scans (offline, from the SW's cache).
    page.context.set_offline(True)
    page.goto(live.base + "/")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    page.click('[data-action="scan"]')
    assert wait_result(page, 1) == "valid"
    assert page.get_attribute("#result-mode", "data-mode") == "offline"
    assert real_errors(page) == []


def test_a_link_whose_answer_fails_is_checked_offline_at_once(new_page, live):
    """A device that has the keys and list, a server that fails the link's request: the offline verdict,
    without a second try at the server first."""
    page = new_page()
    page.goto(live.base + "/")
    page.evaluate(WAIT_SW)
    page.wait_for_selector("#data-age[data-state=ok]", state="attached")
    tries = []
    page.route("**/api/v1/verify", lambda route: (tries.append(1), route.fulfill(
        status=503, content_type="application/json",
        body='{"error": "x", "message": "x", "message_en": "x", "details": {}}')))
    page.goto("about:blank")
    page.goto(live.samples["revoked"]["qr"])
    assert wait_result(page, 1) == "revoked"
    assert page.get_attribute("#result-mode", "data-mode") == "offline"
    page.wait_for_selector("#result-fallback:not([hidden])")
    assert len(tries) == 1


def test_text_answers_come_compressed(new_page, live):
    page = new_page()
    seen = {}
    page.on("response", lambda r: seen.setdefault(r.url.split("#")[0].lower(), r.headers.get("content-encoding")))
    page.goto(live.samples["valid"]["qr"])
    wait_result(page, 1)
    page.click('.tabbar [data-view="enterprise"]')                      # the account area and its styles
    page.wait_for_selector("#view-enterprise:not([hidden])")
    got = {u[len(live.base):]: enc for u, enc in seen.items() if u.startswith(live.base)}
    page_path = "/" + live.samples["valid"]["qr"].split("#")[0].split("/")[-1].lower()   # /v or /V, as issued
    for path in (page_path, "/styles.css", "/enterprise.css", "/app.js", "/js/core/i18n.js", "/js/account/account.js",
                 "/api/v1/verify"):
        assert got.get(path) in ("br", "gzip"), (path, got.get(path))
    fetched = page.evaluate("""async () => {
        const out = {};
        for (const p of ['vendor/zxing-wasm/reader/zxing_reader.wasm', 'manifest.webmanifest', 'api/v1/catalogue',
                         'icons/icon-192.png']) {
            const r = await fetch(p, { cache: 'no-store' });
            out[p] = [r.headers.get('content-encoding'), r.headers.get('content-type'), (await r.arrayBuffer()).byteLength];
        }
        return out;
    }""")
    wasm = fetched["vendor/zxing-wasm/reader/zxing_reader.wasm"]
    assert wasm[0] in ("br", "gzip") and wasm[1] == "application/wasm" and wasm[2] > 900_000   # decoded as sent
    assert fetched["manifest.webmanifest"][0] in ("br", "gzip")
    assert fetched["api/v1/catalogue"][0] in ("br", "gzip")
    assert fetched["icons/icon-192.png"][0] is None                       # a PNG is compressed already
