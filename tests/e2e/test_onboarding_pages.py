"""入库登记 in a real browser against the real server (docs/onboarding.md): a holder uploads an ID photo and a
picture of their signature from the 账户 tab (a refused picture says why), the authority approves the photo
after a confirmation and returns the signature with a reason, the holder reads the reason and signs again,
the authority approves that; the copy issued before is superseded, and a new copy's PDF prints the approved
photo and signature."""
from __future__ import annotations

import datetime as dt
import io
import json
import urllib.parse
import urllib.request

import numpy as np
import pytest
from e2e_pages import open_app
from PIL import Image
from pypdf import PdfReader

from tests import factories as f
from tests.onboarding_images import blank_paper, portrait_photo, signature_photo

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 800}
NAME = "秦入库"
PASSWORD = "Jz-e2e-onboard-2026"


def _call(live, method: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
    token = token or (live.instance / "admin-token").read_text().strip()
    req = urllib.request.Request(live.base + path, method=method, data=json.dumps(body).encode() if body else None,
                                 headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


@pytest.fixture(scope="module")
def world(live):
    """A holder of their own (registered, with a copy issued before any image), through the API."""
    uscc = f.uscc("330100")
    _call(live, "POST", "/api/v1/enterprises", {"name": f"杭州入库示范建设有限公司{uscc[-4:]}", "uscc": uscc})
    person = _call(live, "POST", "/api/v1/persons", {"name": NAME, "id_number": f.id_number(dt.date(1987, 8, 9), "F")})
    reg = _call(live, "POST", "/api/v1/registrations", {"person_id": person["id"], "enterprise_uscc": uscc,
                                                        "kind": "JZS2", "specialties": ["JZ"]})
    copy = _call(live, "POST", f"/api/v1/registrations/{urllib.parse.quote(reg['registration_number'])}/copies")
    _call(live, "POST", "/api/v1/accounts", {"username": "e2e.holder.onboard", "password": PASSWORD, "role": "holder",
                                             "person_id": person["id"]})
    return {"person": person, "registration_number": reg["registration_number"], "copy": copy}


def page_errors(page) -> list[str]:
    return [e for e in page.errors if "Failed to load resource" not in e]   # a 404 of an image not yet on file


def sign_in(page, live, username, password):
    open_app(page, live.base)
    page.click('.tabbar [data-view="enterprise"]')
    page.fill("#ent-user", username)
    page.fill("#ent-pass", password)
    page.click("#ent-login-go")
    page.wait_for_selector("#ent-app:not([hidden])")
    return page


def open_images(page):
    page.click('#ent-subtabs [data-pane="images"]')
    page.wait_for_selector('#ent-images:not([hidden]) #images-status[data-state="ready"]')


def test_upload_review_and_the_new_copy(new_page, live, world, screens, tmp_path):
    files = {"photo.jpg": portrait_photo("e2e", "F"), "signature.jpg": signature_photo(f"{NAME}:e2e", 3),
             "signature2.jpg": signature_photo(f"{NAME}:e2e:2", 3), "blank.jpg": blank_paper()}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)

    holder = sign_in(new_page(), live, "e2e.holder.onboard", PASSWORD)
    tabs = holder.eval_on_selector_all("#ent-subtabs [data-pane]:not([hidden])", "els => els.map(e => e.dataset.pane)")
    assert tabs == ["mine", "apply", "images", "notices"]
    open_images(holder)
    assert holder.text_content('#ent-subtabs [data-pane="images"]') == "入库登记"
    assert holder.get_attribute("#ob-photo-camera", "capture") == "user"
    assert holder.get_attribute("#ob-signature-camera", "capture") == "environment"
    assert holder.get_attribute("#ob-photo-file", "accept").startswith("image/")
    screens(holder, "onboarding-holder-empty", full_page=True)

    # a picture without a signature on it is refused, in the server's words, and nothing is queued
    holder.set_input_files("#ob-signature-file", str(tmp_path / "blank.jpg"))
    holder.wait_for_selector('#ob-signature [data-part="error"]:not([hidden])')
    assert "未识别到签名笔迹" in holder.text_content('#ob-signature [data-part="error"]')
    assert holder.get_attribute("#ob-signature", "data-state") == "none"

    holder.set_input_files("#ob-photo-file", str(tmp_path / "photo.jpg"))
    holder.wait_for_selector('#ob-photo[data-state="pending"]')
    holder.set_input_files("#ob-signature-file", str(tmp_path / "signature.jpg"))
    holder.wait_for_selector('#ob-signature[data-state="pending"]')
    assert holder.is_hidden('#ob-signature [data-part="error"]')
    assert holder.locator("#ob-history .ob-item").count() == 2
    holder.wait_for_selector('#ob-photo [data-slot="latest"] img[src^="blob:"]')
    screens(holder, "onboarding-holder-pending", full_page=True)

    desk = sign_in(new_page(DESKTOP), live, live.workflows["authority"], live.workflows["password"])
    desk.click('#ent-subtabs [data-pane="imgreview"]')
    desk.wait_for_selector('#ent-imgreview:not([hidden]) #imgreview-status[data-state="ready"]')
    photo = desk.locator('#imgreview-list .ob-review-item[data-kind="photo"][data-state="pending"]', has_text=NAME)
    sig = desk.locator('#imgreview-list .ob-review-item[data-kind="signature"][data-state="pending"]', has_text=NAME)
    assert photo.count() == 1 and sig.count() == 1
    desk.wait_for_selector('#imgreview-list .ob-review-item[data-kind="photo"] figure:nth-child(2) img[src^="blob:"]')
    screens(desk, "onboarding-review-queue-desktop", full_page=True)

    # approve, by keyboard, after a confirmation (cancel first: nothing happens)
    photo.locator('[data-act="approve"]').focus()
    desk.keyboard.press("Enter")
    desk.wait_for_selector("#ob-confirm[open]")
    assert NAME in desk.text_content("#ob-confirm-text") and "替代" in desk.text_content("#ob-confirm-text")
    desk.keyboard.press("Escape")
    assert photo.count() == 1
    photo.locator('[data-act="approve"]').click()
    desk.wait_for_selector("#ob-confirm[open]")
    screens(desk, "onboarding-review-confirm-desktop")
    desk.click('#ob-confirm button[value="ok"]')
    desk.wait_for_selector("#imgreview-status:has-text('已通过')")
    assert photo.count() == 0

    # a return needs a reason
    sig.locator('[data-act="return"]').click()
    desk.wait_for_selector(f"#imgreview-list .ob-review-item:has-text('{NAME}') .form-error:not([hidden])")
    assert "理由" in sig.locator(".form-error").text_content()
    assert desk.evaluate("() => document.activeElement.tagName") == "TEXTAREA"
    reason = "签名过淡,请用黑色签字笔重新签名后拍照"
    sig.locator("textarea").fill(reason)
    sig.locator('[data-act="return"]').click()
    desk.wait_for_selector("#imgreview-status:has-text('已退回')")
    assert sig.count() == 0

    # the holder reads the outcome
    open_images(holder)
    holder.wait_for_selector('#ob-photo[data-state="approved"]')
    holder.wait_for_selector('#ob-signature[data-state="returned"]')
    assert reason in holder.text_content("#ob-signature .ob-note")
    holder.wait_for_selector('#ob-photo [data-slot="current"] img[src^="blob:"]')
    assert holder.is_hidden('#ob-photo [data-slot="latest"]')
    screens(holder, "onboarding-holder-decided", full_page=True)
    holder.click("#lang")
    assert "Returned" in holder.text_content("#ob-signature .ob-state")
    holder.click("#lang")

    # the holder signs again as asked; the authority approves it
    holder.set_input_files("#ob-signature-camera", str(tmp_path / "signature2.jpg"))
    holder.wait_for_selector('#ob-signature[data-state="pending"]')
    desk.click('#ent-subtabs [data-pane="imgreview"]')
    desk.wait_for_selector('#imgreview-status[data-state="ready"]')
    sig.locator('[data-act="approve"]').click()
    desk.click('#ob-confirm button[value="ok"]')
    desk.wait_for_selector("#imgreview-status:has-text('已通过')")
    open_images(holder)
    holder.wait_for_selector('#ob-signature[data-state="approved"]')

    # the copy issued before the images is superseded; a new copy prints the approved photo and signature
    verdict = _call(live, "POST", "/api/v1/verify", {"qr": world["copy"]["qr"]})["verdict"]
    assert verdict == "superseded"
    holder.click('#ent-subtabs [data-pane="mine"]')
    holder.wait_for_selector('#mine-status[data-state="ready"]')
    assert holder.locator("#mine-copies .copy-item[data-copy]").count() == 0
    holder.locator('#mine-copies [data-action="new-copy"]').first.click()
    holder.wait_for_selector("#mine-copies .copy-item[data-copy]")
    with holder.expect_download() as dl:
        holder.locator('#mine-copies [data-download="certificate.pdf"]').first.click()
    pictures = [Image.open(io.BytesIO(i.data)) for i in PdfReader(io.BytesIO(dl.value.path().read_bytes())).pages[0].images]
    photo_now, sig_now = mine(live, "photo").convert("RGB"), mine(live, "signature")
    portraits = [p.convert("RGB") for p in pictures if p.height > p.width]
    assert any(alike(p, photo_now) for p in portraits), [p.size for p in pictures]
    wide = [p for p in pictures if p.width > 2 * p.height]
    assert any(abs(p.width / p.height - sig_now.width / sig_now.height) < 0.05 for p in wide), [p.size for p in pictures]
    assert page_errors(holder) == [] and page_errors(desk) == []


def alike(printed: Image.Image, approved: Image.Image) -> bool:
    """The middle of both pictures, side by side: the PDF may cut the photo to its box a little differently."""
    def middle(im):
        w, h = im.size
        return np.asarray(im.crop((w // 4, h // 4, w * 3 // 4, h * 3 // 4)).resize((48, 60)), dtype=np.int16)
    return float(np.abs(middle(printed) - middle(approved)).mean()) < 12


def mine(live, kind: str) -> Image.Image:
    """The holder's current image, as the API gives it."""
    login = json.loads(urllib.request.urlopen(urllib.request.Request(
        live.base + "/api/v1/auth/login", data=json.dumps({"username": "e2e.holder.onboard", "password": PASSWORD})
        .encode(), headers={"Content-Type": "application/json"}), timeout=30).read())
    req = urllib.request.Request(live.base + f"/api/v1/holder/{kind}",
                                 headers={"Authorization": f"Bearer {login['access_token']}"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return Image.open(io.BytesIO(r.read()))
