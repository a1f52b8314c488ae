"""The photo fallback, QR codes that are not certificates, the public lookup, the scan history, the
language switch, installability and the screens at tablet size."""
from __future__ import annotations

import base64
import csv
import hashlib
import io

import pytest
from e2e_pages import open_app, real_errors, reasons, wait_offline_ready, wait_result
from e2e_support import NAMESAKE, qr_image
from PIL import Image

pytestmark = pytest.mark.e2e


def qr_png(path, text, module=6, canvas=None, at=(0, 0)):
    q = qr_image(text)
    q = q.resize((q.width * module, q.height * module), Image.NEAREST)
    if canvas:
        img = Image.new("L", canvas, 235)
        img.paste(q, at)
        q = img
    q.save(path)
    return str(path)


def test_photo_is_decoded_in_the_browser(page, live):
    open_app(page, live.base)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.set_input_files("#photo-input", live.samples["suspended"]["png_path"])
    assert wait_result(page, 1) == "suspended"
    assert not [u for u in requests if u.endswith("/api/v1/verify/image")]


def test_photo_the_browser_cannot_read_goes_to_the_server(page, live, tmp_path):
    # A 5000x3750 photo with 3 px modules: scaled to 1600 px in the browser it is unreadable,
    # at full size the server's decoder reads it.
    path = qr_png(tmp_path / "big.png", live.samples["expired"]["qr"], module=3, canvas=(5000, 3750), at=(3000, 2000))
    open_app(page, live.base)
    with page.expect_response("**/api/v1/verify/image") as resp:
        page.set_input_files("#photo-input", path)
    assert resp.value.status == 200
    assert wait_result(page, 1) == "expired"
    assert page.get_attribute("#result-mode", "data-mode") == "online"


def test_photo_without_a_code_says_so(page, live, tmp_path):
    path = tmp_path / "blank.png"
    Image.new("L", (400, 300), 200).save(path)
    open_app(page, live.base)
    page.set_input_files("#photo-input", str(path))
    page.wait_for_selector('#scan-status[data-key="photo.none"]')


@pytest.mark.parametrize("text, why", [
    ("https://evil.example.com/v#eyJhbGciOiJFUzI1NiJ9.eyJ4IjoxfQ.c2ln", "foreign_url"),
    ("WIFI:S:jobsite;T:WPA;P:secret;;", "not_a_certificate"),
])
def test_a_qr_that_is_not_a_certificate_is_shown_never_opened(page, live, tmp_path, screens, text, why):
    open_app(page, live.base)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.set_input_files("#photo-input", qr_png(tmp_path / "other.png", text))
    assert wait_result(page, 1) == "invalid"
    assert reasons(page) == [why]
    assert page.text_content("#raw-text") == text                  # shown as plain text
    assert page.locator("#raw-section a").count() == 0             # and not as a link
    assert page.url.startswith(live.base)
    assert len(page.context.pages) == 1
    assert not [u for u in requests if "example.com" in u or u.endswith("/api/v1/verify")]
    screens(page, f"result-not-a-certificate-{why}")


@pytest.mark.parametrize("template", [
    "http://evil.example\\@{host}/v#{token}",        # WHATWG: a backslash is a slash, the host is evil.example
    "http://user@{host}/v#{token}",                    # user info: refused, on the server alike
])
def test_urls_are_read_as_the_phone_reads_them(page, live, tmp_path, template):
    """Issue 8: the app, the server and the phone's browser agree on where a QR URL leads."""
    host = live.base.split("://", 1)[1].rstrip("/")
    token = live.samples["valid"]["qr"].split("#", 1)[1]
    text = template.format(host=host, token=token)
    open_app(page, live.base)
    page.set_input_files("#photo-input", qr_png(tmp_path / "trick.png", text))
    assert wait_result(page, 1) == "invalid"
    assert reasons(page) == ["foreign_url"]
    assert page.url.startswith(live.base)


def test_malformed_certificate_url(page, live):
    page.goto(f"{live.base}/v#not-a-token")
    assert wait_result(page, 1) == "invalid"
    assert reasons(page) == ["malformed"]


def test_lookup_by_name_with_pages(page, live, screens):
    open_app(page, live.base)
    page.click('.tabbar [data-view="lookup"]')
    screens(page, "lookup")
    page.fill("#lookup-q", NAMESAKE)
    page.press("#lookup-q", "Enter")
    page.wait_for_selector("#lookup-results li")
    assert page.locator("#lookup-results > li").count() == 20
    assert "25" in page.text_content("#lookup-status")
    assert "1 / 2" in page.text_content("#lookup-page")
    text = page.text_content("#lookup-results")
    assert "********" in text and "320505" in text                 # ID numbers masked
    screens(page, "lookup-results")
    page.click("#lookup-next")
    page.wait_for_selector("#lookup-page >> text=2 / 2")
    assert page.locator("#lookup-results > li").count() == 5
    assert page.is_disabled("#lookup-next")


def test_typed_registration_number_is_looked_up(page, live):
    open_app(page, live.base)
    number = live.samples["revoked"]["registration_number"]
    page.fill("#manual-input", number)
    page.press("#manual-input", "Enter")
    page.wait_for_selector("#view-lookup:not([hidden]) #lookup-results li")
    assert page.locator("#lookup-results > li").count() == 1
    card = page.text_content("#lookup-results")
    assert number in card and live.samples["revoked"]["name"] in card and "吊销" in card


def test_lookup_error_is_shown_in_words(page, live):
    open_app(page, live.base)
    page.click('.tabbar [data-view="lookup"]')
    page.fill("#lookup-q", "王")
    page.press("#lookup-q", "Enter")
    page.wait_for_selector("#lookup-status >> text=至少两个字符")


def test_history_list_search_export_clear(page, live, screens):
    open_app(page, live.base)
    page.fill("#site-input", "苏州3号地块")
    page.dispatch_event("#site-input", "change")
    page.click('[data-action="scan"]')
    wait_result(page, 1)
    page.goto("about:blank")
    page.goto(live.samples["revoked"]["qr"])
    wait_result(page, 1)
    page.click('.tabbar [data-view="history"]')
    page.wait_for_selector("#history-list li >> nth=1")
    assert page.locator("#history-list li").count() == 2
    assert "苏州3号地块" in page.text_content("#history-list")
    screens(page, "history")
    page.fill("#history-search", live.samples["revoked"]["name"])
    assert page.locator("#history-list li").count() == 1
    with page.expect_download() as dl:
        page.click("#history-export")
    data = open(dl.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.reader(io.StringIO(data)))
    assert rows[0][:4] == ["时间", "结论", "注册编号", "姓名"]
    assert len(rows) == 2 and rows[1][3] == live.samples["revoked"]["name"] and "revoked" in rows[1][1]
    assert rows[1][4] == "苏州3号地块"
    page.fill("#history-search", "")
    page.click("#history-clear")
    page.click('#confirm-clear button[value="ok"]')
    page.wait_for_selector("#history-empty:not([hidden])")
    assert page.locator("#history-list li").count() == 0


def test_english_switch(page, live, screens):
    page.goto(live.samples["valid"]["qr"])
    wait_result(page, 1)
    page.click("#lang")
    assert page.get_attribute("html", "lang") == "en"
    assert page.text_content("#verdict-word") == "Valid"
    assert page.text_content('.tabbar [data-view="lookup"]').strip() == "Lookup"
    screens(page, "result-valid-en")
    page.click("#lang")
    assert page.get_attribute("html", "lang") == "zh-CN"


def test_installable_with_a_strict_csp(page, live):
    resp = page.goto(live.base + "/")
    csp = resp.headers["content-security-policy"]
    assert "script-src 'self' 'wasm-unsafe-eval'" in csp and "unsafe-inline" not in csp
    page.wait_for_selector("body[data-ready=true]", state="attached")
    wait_offline_ready(page)
    cdp = page.context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [e for e in errors if e["errorId"] != "in-incognito"] == []    # a test context is incognito
    manifest = cdp.send("Page.getAppManifest")
    assert not manifest.get("errors")
    m = page.evaluate("async () => (await fetch('manifest.webmanifest')).json()")
    assert m["display"] == "standalone" and m["theme_color"]
    assert {"192x192", "512x512"} <= {i["sizes"] for i in m["icons"]}
    assert any(i.get("purpose") == "maskable" for i in m["icons"])
    # One inline script, the boot script that asks for a link's verdict at once, allowed by its hash alone.
    inline = page.eval_on_selector_all("script:not([src])", "els => els.map((e) => e.textContent)")
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode() if inline else ""
    assert len(inline) == 1 and f"'sha256-{digest}'" in csp
    assert page.locator("[style]").count() == 0
    assert real_errors(page) == []


def test_tablet_screens(tablet_page, live, screens):
    page = tablet_page
    open_app(page, live.base)
    screens(page, "tablet-scan")
    page.click('[data-action="scan"]')
    assert wait_result(page, 1) == "valid"
    screens(page, "tablet-result-valid")
    page.goto("about:blank")
    page.goto(live.samples["lapsed"]["qr"])
    wait_result(page, 1)
    screens(page, "tablet-result-lapsed")
    page.click('.tabbar [data-view="lookup"]')
    page.fill("#lookup-q", NAMESAKE)
    page.press("#lookup-q", "Enter")
    page.wait_for_selector("#lookup-results li")
    screens(page, "tablet-lookup")
    page.click('.tabbar [data-view="history"]')
    page.wait_for_selector("#history-list li")
    screens(page, "tablet-history")


def certificate_pdf_of(live, label: str) -> bytes:
    """The sample's certificate PDF as the server makes and signs it, fetched as the authority would."""
    import json
    import urllib.request
    body = json.dumps({"qr": live.samples[label]["qr"]}).encode()
    req = urllib.request.Request(live.base + "/api/v1/verify", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        copy_id = json.load(r)["certificate"]["copy_id"]
    token = (live.instance / "admin-token").read_text().strip()
    req = urllib.request.Request(f"{live.base}/api/v1/certificates/{copy_id}/certificate.pdf",
                                 headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req) as r:
        return r.read()


def test_a_certificate_pdf_is_checked_with_its_signature(page, live, tmp_path, screens):
    """Issue 10: the photo fallback takes the certificate PDF; the server checks its signature and reads page 1."""
    from tests.certificate_pdfs import change_a_comment_byte
    genuine = tmp_path / "证书.pdf"
    genuine.write_bytes(certificate_pdf_of(live, "valid"))
    open_app(page, live.base)
    assert "application/pdf" in page.get_attribute("#photo-input", "accept")
    with page.expect_response("**/api/v1/verify/image") as resp:
        page.set_input_files("#photo-input", str(genuine))
    assert resp.value.status == 200
    assert wait_result(page, 1) == "valid"
    page.wait_for_selector('#document-section:not([hidden])[data-state="intact"]')
    assert page.text_content("#document-chip") == "签名完整"
    assert "建证演示发证机关" in page.text_content("#document-fields")
    assert page.text_content("#holder-name") == live.samples["valid"]["name"]
    screens(page, "result-pdf-intact", full_page=True)

    tampered = tmp_path / "改过的证书.pdf"
    tampered.write_bytes(change_a_comment_byte(genuine.read_bytes()))
    page.click('.tabbar [data-view="scan"]')          # not 扫描下一个: it would start the (fake) camera
    page.set_input_files("#photo-input", str(tampered))
    assert wait_result(page, 2) == "invalid"
    page.wait_for_selector('#document-section:not([hidden])[data-state="tampered"]')
    assert page.text_content("#document-chip") == "已篡改" and reasons(page) == ["document_tampered"]
    assert page.is_hidden("#result-holder")
    screens(page, "result-pdf-tampered", full_page=True)
    page.click("#lang")
    assert page.text_content("#document-chip") == "Altered"
    page.click("#lang")

    page.click('.tabbar [data-view="scan"]')
    page.set_input_files("#photo-input", live.samples["valid"]["png_path"])       # a photo again: no document
    assert wait_result(page, 3) == "valid"
    assert page.is_hidden("#document-section")
    assert real_errors(page) == []


def test_a_certificate_pdf_offline_waits_for_the_network(page, live, tmp_path):
    pdf = tmp_path / "证书.pdf"
    pdf.write_bytes(certificate_pdf_of(live, "valid"))
    open_app(page, live.base)
    wait_offline_ready(page)
    page.context.set_offline(True)
    page.wait_for_selector('#net[data-state="offline"]')
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.set_input_files("#photo-input", str(pdf))
    page.wait_for_selector('#scan-status[data-key="photo.pdfOffline"]')
    assert "只能联网核验" in page.text_content("#scan-status")
    assert not [u for u in requests if "/api/v1/verify" in u]
