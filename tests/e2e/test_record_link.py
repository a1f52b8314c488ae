"""An inspection record's link ({base}/i#<token>, the QR code on the record's PDF) opened in Chromium: the record
made here by the services is shown genuine, with its site, time, organisation and figures, in Chinese and then in
English; a tampered token is not genuine; offline, after a first visit, /i opens from the service worker's cache
and the signature alone is checked with the cached keys ("signature valid, verified offline"), a tampered token
failing it there too."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest
from e2e_pages import real_errors, wait_offline_ready

pytestmark = pytest.mark.e2e
SITE = "苏州工业园区 7# 地块"
ORG = "苏州市建设工程质量安全监督站"


@pytest.fixture(scope="module")
def record(live):
    """A signed record of two people, made by the site-check service on the live server's database."""
    from backend import create_app
    from backend.extensions import db
    from backend.services.sitecheck.inspections import Inspector, create_inspection

    app = create_app({"INSTANCE_PATH": str(live.instance), "DEMO_PERSONS": 0, "RATELIMIT_ENABLED": False,
                      "PUBLIC_BASE_URL": live.base,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{live.instance / 'jianzheng.db'}"})
    qr = live.samples["valid"]["qr"]
    body = {"client_id": str(uuid.uuid4()), "started_at": dt.datetime(2026, 5, 1, 1, 0, tzinfo=dt.UTC),
            "finished_at": dt.datetime(2026, 5, 1, 1, 40, tzinfo=dt.UTC),
            "site": {"name": SITE, "specialty": "JZ", "contractor_uscc": live.enterprise["uscc"], "scale": "medium"},
            "people": [{"role": "project_manager", "qr": [qr]}, {"role": "tower_crane_operator", "qr": [qr]}]}
    with app.app_context():
        e = app.extensions
        row, _ = create_inspection(db.session, e["jz.keystore"].get(), e["jz.catalogue"], e["jz.settings"],
                                   e["jz.clock"], e["jz.roles"], Inspector(None, "e2e.insp", ORG), body)
        db.session.commit()
        out = {"id": row.public_id, "token": row.token, "summary": dict(row.summary)}
        db.session.remove()
        db.engine.dispose()
    return out


def tampered(token: str) -> str:
    head, payload, sig = token.split(".")
    return f"{head}.{payload[:-2]}{'A' if payload[-2] != 'A' else 'B'}{payload[-1]}.{sig}"


def verdict(page) -> str:
    page.wait_for_selector("#view-record:not([hidden])[data-verdict]")
    return page.get_attribute("#view-record", "data-verdict")


def test_a_record_link_shows_the_record_genuine_or_not_online_and_offline(new_page, live, record, screens):
    page = new_page()
    posts = []
    page.on("request", lambda r: posts.append((r.url.split(live.base)[-1], r.post_data_json))
            if r.method == "POST" else None)
    page.goto(f"{live.base}/i#{record['token']}")
    assert verdict(page) == "valid"
    assert posts == [("/api/v1/inspections/verify", {"token": record["token"]})]   # asked once, never as a certificate
    assert page.url == f"{live.base}/i"                                           # the token left the address bar
    assert page.text_content("#record-verdict .verdict-word") == "真实记录"
    assert page.get_attribute("#record-verdict", "data-tone") == "ok"
    assert page.text_content(".record-site") == SITE and page.text_content(".record-org") == ORG
    assert page.text_content(".record-id") == record["id"]
    s = record["summary"]
    assert page.text_content(".record-people") == (f"{s['people']} 人、{s['certificates']} 张证书;{s['met']} 人符合岗位要求,"
                                                   f"{s['people'] - s['met']} 人不符合")
    assert page.get_attribute(".record-summary .chip[data-code=valid]", "data-code") == "valid"
    assert page.locator(".record-summary .chip[data-code=missing]").count() == 1   # the crane operator's
    assert page.get_attribute("#view-record .result-mode", "data-mode") == "online"
    assert page.is_hidden("#checking") and page.is_hidden("#view-scan")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "horizontal scrolling at 360 px"
    screens(page, "record-valid", full_page=True)
    page.click("#lang")                                                # English via the language switch
    assert page.text_content("#record-verdict .verdict-word") == "Genuine record"
    assert "meet their role" in page.text_content(".record-people")

    page.goto(f"{live.base}/i#{tampered(record['token'])}")          # a hash change: the app checks it itself
    page.wait_for_selector("#view-record[data-verdict=invalid]")
    assert page.text_content("#record-verdict .verdict-word") == "Not a genuine record"
    assert page.get_attribute("#record-verdict", "data-tone") == "bad"
    assert page.locator(".record-card").count() == 0                   # nothing of a forged record is shown
    screens(page, "record-tampered-en")
    page.click("#lang")

    wait_offline_ready(page)          # that first visit installed the app and keeps the issuer's keys
    page.context.set_offline(True)
    page.goto(live.base + "/")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    page.goto(f"{live.base}/i#{record['token']}")                     # /i from the service worker's cache
    page.wait_for_selector("#view-record[data-verdict=signature_valid]")
    assert page.text_content("#record-verdict .verdict-word") == "签名有效"
    assert page.get_attribute("#view-record .result-mode", "data-mode") == "offline"
    assert page.is_visible(".record-offline") and "联网" in page.text_content(".record-offline")
    assert page.text_content(".record-site") == SITE and page.text_content(".record-id") == record["id"]
    screens(page, "record-offline", full_page=True)
    page.goto(f"{live.base}/i#{tampered(record['token'])}")
    page.wait_for_selector("#view-record[data-verdict=invalid]")
    assert page.get_attribute("#view-record li[data-code]", "data-code") == "bad_signature"
    page.context.set_offline(False)
    assert real_errors(page) == []
