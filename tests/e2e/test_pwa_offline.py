"""Offline: the service worker's shell, verification with WebCrypto against the cached keys and status
list, its freshness rules, and that no live answer is ever served from a cache."""
from __future__ import annotations

import datetime as dt

import pytest
from e2e_pages import open_app, real_errors, reasons, wait_offline_ready, wait_result

from backend.services.verification import verdicts

pytestmark = pytest.mark.e2e

EXPECTED_OFFLINE = {"valid": "valid", "expired": "expired", "lapsed": "lapsed", "superseded": "superseded",
                    "suspended": "suspended", "revoked": "revoked", "invalid": "invalid"}


def catalogue_served(page, base) -> bool:
    return page.evaluate("async (u) => (await fetch(u, {cache: 'no-store'})).ok", f"{base}/api/v1/catalogue")


def test_offline_scan_and_every_verdict(page, live, screens):
    open_app(page, live.base)
    wait_offline_ready(page)
    with_names = catalogue_served(page, live.base)
    page.context.set_offline(True)
    page.wait_for_selector('#net[data-state="offline"]')
    page.click('[data-action="scan"]')
    assert wait_result(page, 1) == "valid"
    assert "离线核验,状态截至" in page.text_content("#result-mode")
    assert page.text_content("#holder-name") == live.samples["valid"]["name"]
    if with_names:
        assert page.text_content("#holder-kind") == "二级注册建造师"
    screens(page, "result-offline-valid")
    for label, expected in EXPECTED_OFFLINE.items():
        page.goto("about:blank")                  # each link opens the app afresh, as from a phone's camera
        page.goto(live.samples[label]["qr"])
        assert wait_result(page, 1) == expected, label
        assert page.get_attribute("#result-mode", "data-mode") == "offline"
        if expected != "valid":
            assert reasons(page)
    screens(page, "result-offline-invalid")
    assert real_errors(page) == []


def test_app_reloads_and_scans_with_no_network(page, live):
    open_app(page, live.base)
    wait_offline_ready(page)
    page.context.set_offline(True)
    page.reload()                                 # shell, modules, worker and wasm from the SW cache
    page.wait_for_selector("body[data-ready=true]", state="attached")
    page.click('[data-action="scan"]')
    assert wait_result(page, 1) == "valid"
    assert page.get_attribute("#result-mode", "data-mode") == "offline"


def test_a_live_answer_never_comes_from_a_cache(page, live):
    open_app(page, live.base)
    wait_offline_ready(page)
    cached = page.evaluate("""async () => {
        const out = {};
        for (const name of await caches.keys()) out[name] = (await (await caches.open(name)).keys()).map((r) => r.url);
        return out;
    }""")
    assert len(cached) == 1 and next(iter(cached)).startswith("jz-shell-")   # one versioned cache
    urls = next(iter(cached.values()))
    assert any(u.endswith("/vendor/zxing-wasm/reader/zxing_reader.wasm") for u in urls)
    assert not [u for u in urls if "/api/" in u or "/.well-known/" in u]
    page.context.set_offline(True)
    failed = page.evaluate("""async () => {
        const r = {};
        for (const [k, init] of [['list', {}], ['verify', {method: 'POST', body: '{"qr":"x"}',
                                  headers: {'Content-Type': 'application/json'}}]]) {
            try { await fetch(k === 'list' ? 'api/v1/status-list' : 'api/v1/verify', init); r[k] = 'answered'; }
            catch (e) { r[k] = 'failed'; }
        }
        return r;
    }""")
    assert failed == {"list": "failed", "verify": "failed"}


@pytest.mark.parametrize("hours, label, expected, note", [
    (2, "valid", "valid", "status_outdated"),           # past the list's ttl: a warning, still valid
    (8 * 24, "valid", "unknown", "status_stale"),       # past 7 days: never "valid"
    (8 * 24, "revoked", "revoked", "status_stale"),     # a bad status stays shown
])
def test_status_list_age(page, live, screens, hours, label, expected, note):
    open_app(page, live.base)
    wait_offline_ready(page)
    page.context.set_offline(True)
    page.clock.set_fixed_time(dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours))
    page.goto(live.samples[label]["qr"])
    assert wait_result(page, 1) == expected
    assert note in reasons(page)
    if expected == "unknown":
        assert page.get_attribute("#verdict", "data-basis") == "valid"
        assert "无法确认" in page.text_content("#verdict")
        page.wait_for_selector('#specialties li[data-status="unknown"]')
        screens(page, "result-offline-stale")


def test_verdict_words_mirror_the_backend(page, live):
    open_app(page, live.base)
    js = page.evaluate("""async () => {
        const m = await import('./js/verify/verdicts.js');
        return { reasons: m.REASONS, text: m.VERDICT_TEXT, priority: m.PRIORITY };
    }""")
    assert js["priority"] == list(verdicts.PRIORITY)
    assert {k: list(v) for k, v in verdicts.VERDICT_TEXT.items()} == js["text"]
    assert {k: list(v) for k, v in verdicts.REASONS.items()} == js["reasons"]


@pytest.mark.parametrize("failure", ["network", "429", "503"])
def test_server_failure_falls_back_to_the_offline_check(page, live, failure):
    open_app(page, live.base)
    wait_offline_ready(page)
    if failure == "network":
        page.route("**/api/v1/verify", lambda route: route.abort("connectionrefused"))
    else:
        page.route("**/api/v1/verify", lambda route: route.fulfill(
            status=int(failure), content_type="application/json",
            body='{"error": "x", "message": "x", "message_en": "x", "details": {}}'))
    page.click('[data-action="scan"]')
    assert wait_result(page, 1) == "valid"
    assert page.get_attribute("#result-mode", "data-mode") == "offline"
    page.wait_for_selector("#result-fallback:not([hidden])")


def forged_tokens(live) -> dict[str, str]:
    """reason code -> a token that must get it, online and offline alike."""
    import base64
    import json

    import jwt
    from cryptography.hazmat.primitives.asymmetric import ec

    from backend.crypto import tokens
    from backend.crypto.keys import load_keyring

    token = live.samples["valid"]["qr"].split("#", 1)[1]
    body = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    ring = load_keyring(live.instance / "keys")
    stranger = ec.generate_private_key(ec.SECP256R1())
    head, _, _ = token.split(".")
    _, payload, stranger_sig = jwt.encode(claims, stranger, algorithm="ES256", headers={"kid": ring.current_kid}).split(".")
    return {
        "unknown_key": jwt.encode(claims, stranger, algorithm="ES256", headers={"kid": "zzzzzzzz"}),
        "bad_signature": f"{head}.{body}.{stranger_sig}",
        "algorithm_not_allowed": jwt.encode(claims, "s" * 32, algorithm="HS256", headers={"kid": ring.current_kid}),
        "wrong_issuer": tokens.sign(ring, {**claims, "iss": "EVIL"}),
        "missing_claim": tokens.sign(ring, {k: v for k, v in claims.items() if k != "jti"}),
    }


def test_forgeries_get_the_same_reason_online_and_offline(page, live):
    forged = forged_tokens(live)
    open_app(page, live.base)
    wait_offline_ready(page)
    seen = {}
    for online in (True, False):
        page.context.set_offline(not online)
        for why, token in forged.items():
            page.goto("about:blank")
            page.goto(f"{live.base}/v#{token}")
            assert wait_result(page, 1) == "invalid", why
            seen[(why, online)] = reasons(page)
            assert page.get_attribute("#result-mode", "data-mode") == ("online" if online else "offline")
    for why in forged:
        assert seen[(why, True)] == seen[(why, False)] == [why]
