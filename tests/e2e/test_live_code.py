"""A holder's live code (动态二维码) in Chromium: the holder opens it from 我的注册, its clock runs and the code
changes after a refresh (the server's refresh_after shortened to 2 s here by rewriting its answer); offline the
holder is told to show the printed copy; the inspector's app verifies the live code offline with its cached
keys and status list, and a code past its time as an old screenshot, in the server's words."""
from __future__ import annotations

import io
import json

import pytest
import zxingcpp
from e2e_pages import open_app, reasons, wait_offline_ready, wait_result
from e2e_support import WORKFLOW_PASSWORD
from PIL import Image

from backend.services.verification import verdicts

pytestmark = pytest.mark.e2e
USERNAME = "e2e.holder.live"


@pytest.fixture(scope="module")
def holder(live):
    """A holder of their own, with a current copy, made by the services on the live server's database."""
    import datetime as dt

    from backend import create_app
    from backend.extensions import db
    from backend.models import Enterprise
    from backend.services.accounts import management
    from backend.services.checkdigits import id_check_char
    from backend.services.clock import Clock
    from backend.services.issuance.copies import issue_copy
    from backend.services.registry import persons, registrations

    app = create_app({"INSTANCE_PATH": str(live.instance), "DEMO_PERSONS": 0, "RATELIMIT_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{live.instance / 'jianzheng.db'}"})
    with app.app_context():
        e, s = app.extensions, db.session
        clock = e["jz.clock"]
        ent = s.query(Enterprise).order_by(Enterprise.id).first()
        first17 = "32050519850612377"
        p = persons.create_person(s, name="钱动码", id_number=first17 + id_check_char(first17), phone="13900000004",
                                  actor="e2e")
        then = Clock(str(clock.tz), fixed=clock.now() - dt.timedelta(days=30))
        reg = registrations.create_registration(s, e["jz.catalogue"], then, person_id=p.id, enterprise_uscc=ent.uscc,
                                                kind_code="JZS2", specialties=["JZ"],
                                                qualification_issued_on=then.today() - dt.timedelta(days=400),
                                                actor="e2e")
        copy = issue_copy(s, e["jz.keystore"].get(), e["jz.catalogue"], e["jz.settings"], clock,
                          reg.registration_number, "e2e")
        management.create_account(s, username=USERNAME, password=WORKFLOW_PASSWORD, role="holder", person_id=p.id,
                                  actor="e2e")
        s.commit()
        out = {"name": p.name, "copy_id": copy.public_id, "registration_number": reg.registration_number}
        db.session.remove()
        db.engine.dispose()
    return out


def short_refresh(route):
    """The server's answer with refresh_after = 2 s: the code changes within the test's patience."""
    resp = route.fetch()
    body = resp.json()
    body["refresh_after"] = 2
    route.fulfill(response=resp, body=json.dumps(body))


def test_the_holder_shows_a_live_code_and_the_inspector_checks_it_offline(new_page, live, holder, screens):
    hp = new_page()
    hp.route("**/api/v1/holder/copies/*/presentation", short_refresh)
    open_app(hp, live.base)
    hp.click('.tabbar [data-view="enterprise"]')
    hp.fill("#ent-user", USERNAME)
    hp.fill("#ent-pass", WORKFLOW_PASSWORD)
    hp.click("#ent-login-go")
    item = f'#mine-copies .copy-item[data-copy="{holder["copy_id"]}"]'
    hp.wait_for_selector(f'{item} [data-action="live-code"]')
    assert hp.text_content(f'{item} [data-action="live-code"]') == "动态二维码"
    hp.click(f'{item} [data-action="live-code"]')
    hp.wait_for_selector('.live-view[data-state="live"] .live-qr[data-qr]')
    first = hp.get_attribute(".live-qr", "data-qr")
    assert first.split("#", 1)[1].startswith("1")
    assert holder["registration_number"] in hp.text_content(".live-who")
    # the QR fills most of a phone's width, and the image is the code (its natural size is the SVG's)
    box = hp.locator(".live-qr").bounding_box()
    assert box["width"] >= 300 and abs(box["width"] - box["height"]) < 2
    # what the screen shows is the code, as a camera reads it (the one on screen before and after the shot)
    before, png = first, hp.locator(".live-qr").screenshot()
    after = hp.get_attribute(".live-qr", "data-qr")
    shown = [c.text for c in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))]
    assert len(shown) == 1 and shown[0] in (before, after)
    clock = hp.text_content(".live-clock")
    hp.wait_for_function("(was) => document.querySelector('.live-clock').textContent !== was", arg=clock)
    assert "秒后更换" in hp.text_content(".live-left")
    screens(hp, "live-code-holder")
    hp.wait_for_function("(was) => document.querySelector('.live-qr').dataset.qr !== was", arg=first, timeout=10_000)
    second = hp.get_attribute(".live-qr", "data-qr")
    assert second != first

    hp.context.set_offline(True)                    # no new code offline: the printed copy
    hp.wait_for_selector('.live-view[data-state="offline"]')
    assert hp.text_content(".live-note") == "离线:无法生成新的动态码,请出示打印的证书"
    screens(hp, "live-code-offline")
    hp.context.set_offline(False)
    hp.wait_for_selector('.live-view[data-state="live"]')
    hp.click('[data-action="live-close"]')
    assert hp.locator(".live-view").count() == 0

    ip = new_page()                                 # the inspector, offline, opens the code as a phone's camera would
    open_app(ip, live.base)
    wait_offline_ready(ip)
    ip.context.set_offline(True)
    ip.wait_for_selector('#net[data-state="offline"]')
    ip.goto("about:blank")
    ip.goto(second)
    assert wait_result(ip, 1) == "valid"
    assert ip.get_attribute("#result-mode", "data-mode") == "offline"
    assert ip.text_content("#holder-name") == holder["name"]
    assert ip.get_attribute("#verdict", "data-live") == "live"
    assert "动态二维码生成于" in ip.text_content("#result-fields")
    screens(ip, "live-code-inspector-offline")
    # the same code, two minutes on by the device's clock: an old screenshot, in the server's words
    old = ip.evaluate("""async (text) => {
        const { classify } = await import('./js/verify/verify.js');
        const { verifyOffline } = await import('./js/verify/offline.js');
        return verifyOffline(classify(text).token, Date.now() + 150000);
    }""", second)
    want = verdicts.REASONS["presentation_expired"]
    assert old["verdict"] == "expired" and [r["code"] for r in old["reasons"]] == ["presentation_expired"]
    assert (old["message"], old["message_en"]) == want[1:]
    # a certificate's template never unpacks a live code (the mark removed: a bad signature)
    forged = ip.evaluate("""async (text) => {
        const { classify } = await import('./js/verify/verify.js');
        const { verifyOffline } = await import('./js/verify/offline.js');
        return verifyOffline(classify(text.replace('#1', '#')).token);
    }""", second)
    assert forged["verdict"] == "invalid" and [r["code"] for r in forged["reasons"]] == ["bad_signature"]

    ip.context.set_offline(False)                   # and online, the server's answer alike
    ip.goto("about:blank")
    ip.goto(second)
    assert wait_result(ip, 1) == "valid"
    assert ip.get_attribute("#result-mode", "data-mode") == "online"
    assert not reasons(ip)
