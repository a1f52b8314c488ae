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


def sample_claims(live, label: str = "valid") -> dict:
    """The claims of a sample's v2 token, read from its packed QR text (no signature check: the test's own)."""
    import base64

    from backend.crypto import cbor_claims, tokens
    body = tokens.unpack(live.samples[label]["qr"].split("#", 1)[1]).split(".")[1]
    return cbor_claims.decode(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def v1_link(live, label: str) -> str:
    """The sample as it would have been issued before issue 11: a JSON token in `{base}/v#` (no `h`)."""
    from backend.crypto import tokens
    from backend.crypto.keys import load_keyring
    ring = load_keyring(live.instance / "keys")
    return f"{live.base}/v#{tokens.sign(ring, {k: v for k, v in sample_claims(live, label).items() if k != 'h'})}"


def forged_links(live) -> dict[tuple[str, str], str]:
    """(reason code, form) -> a certificate link that must get it, online and offline alike."""
    import base64

    import jwt
    from cryptography.hazmat.primitives.asymmetric import ec

    from backend.crypto import cbor_claims, tokens
    from backend.crypto.keys import load_keyring

    claims = sample_claims(live)
    v1_claims = {k: v for k, v in claims.items() if k != "h"}
    ring = load_keyring(live.instance / "keys")
    stranger = ec.generate_private_key(ec.SECP256R1())
    url, packed = live.samples["valid"]["qr"].split("#", 1)
    raw = base64.b32decode(packed + "=" * (-len(packed) % 8))

    def flipped(n: int) -> str:
        b = bytearray(raw)
        b[n] ^= 4
        return f"{url}#{base64.b32encode(bytes(b)).decode().rstrip('=')}"

    v1 = tokens.sign(ring, v1_claims)
    head, body, _ = v1.split(".")
    stranger_sig = jwt.encode(v1_claims, stranger, algorithm="ES256", headers={"kid": ring.current_kid}).split(".")[2]
    v2_hs256 = jwt.PyJWS().encode(cbor_claims.encode(claims), "s" * 32, algorithm="HS256",
                                  headers={"kid": ring.current_kid, "typ": "jz2"})
    v2_link = lambda c: f"{url}#{tokens.pack(tokens.sign_certificate(ring, c))}"   # noqa: E731
    v1_stranger = jwt.encode(v1_claims, stranger, algorithm="ES256", headers={"kid": "zzzzzzzz"})
    v1_hs256 = jwt.encode(v1_claims, "s" * 32, algorithm="HS256", headers={"kid": ring.current_kid})
    return {
        ("unknown_key", "v1"): f"{live.base}/v#{v1_stranger}",
        ("bad_signature", "v1"): f"{live.base}/v#{head}.{body}.{stranger_sig}",
        ("algorithm_not_allowed", "v1"): f"{live.base}/v#{v1_hs256}",
        ("wrong_issuer", "v1"): f"{live.base}/v#{tokens.sign(ring, {**v1_claims, 'iss': 'EVIL'})}",
        ("missing_claim", "v1"): f"{live.base}/v#{tokens.sign(ring, {k: v for k, v in v1_claims.items() if k != 'jti'})}",
        ("unknown_key", "v2"): flipped(1),                                  # the kid's bytes
        ("bad_signature", "v2"): flipped(len(raw) // 2),                     # the payload's
        ("bad_signature", "v2 signature"): flipped(len(raw) - 5),
        ("algorithm_not_allowed", "v2"): f"{live.base}/v#{v2_hs256}",       # only the compact form can name one
        ("wrong_issuer", "v2"): v2_link({**claims, "iss": "EVIL"}),
        ("missing_claim", "v2"): v2_link({k: v for k, v in claims.items() if k != "jti"}),
    }


def test_forgeries_get_the_same_reason_online_and_offline(page, live):
    forged = forged_links(live)
    open_app(page, live.base)
    wait_offline_ready(page)
    seen = {}
    for online in (True, False):
        page.context.set_offline(not online)
        for key, link in forged.items():
            page.goto("about:blank")
            page.goto(link)
            assert wait_result(page, 1) == "invalid", key
            seen[(key, online)] = reasons(page)
            assert page.get_attribute("#result-mode", "data-mode") == ("online" if online else "offline")
    for key in forged:
        assert seen[(key, True)] == seen[(key, False)] == [key[0]], key


def test_copies_of_before_v2_still_verify_online_and_offline(page, live):
    """A copy issued before issue 11 (v1 JSON token, `{base}/v#`) keeps its verdict until it expires."""
    links = {label: v1_link(live, label) for label in ("valid", "revoked", "superseded")}
    open_app(page, live.base)
    wait_offline_ready(page)
    for online in (True, False):
        page.context.set_offline(not online)
        for label, link in links.items():
            page.goto("about:blank")
            page.goto(link)
            assert wait_result(page, 1) == label, (label, online)
            assert page.get_attribute("#result-mode", "data-mode") == ("online" if online else "offline")
            assert page.is_hidden("#holder-idcheck")                     # a v1 token has no ID characters


def test_offline_lapsed_reads_lapsed_and_the_id_check(page, live, screens):
    """Issue 11: offline, a lapsed registration (失效, as the daily job records it) said 已注销/吊销; and with no
    photo offline, the result shows the ID number's last 4 characters to compare with the person's ID card."""
    open_app(page, live.base)
    wait_offline_ready(page)
    page.goto(live.samples["lapsed"]["qr"])                     # online: the register says 失效 too
    assert wait_result(page, 1) == "lapsed" and "registration_lapsed" in reasons(page)
    assert page.is_hidden("#holder-idcheck")                    # online the photo is there to compare
    page.context.set_offline(True)
    for label, word in (("lapsed", "已失效"), ("valid", "有效")):
        page.goto("about:blank")
        page.goto(live.samples[label]["qr"])
        assert wait_result(page, 1) == label
        assert page.text_content("#verdict-word") == word
        assert page.get_attribute("#result-mode", "data-mode") == "offline"
        digits = page.text_content("#holder-idcheck .idcheck-digits")
        assert digits == sample_claims(live, label)["h"] and len(digits) == 4
        assert "照片" in page.text_content("#holder-idcheck .idcheck-note")
        if label == "lapsed":
            assert "status_lapsed" in reasons(page) and "status_revoked" not in reasons(page)
            assert {x.get_attribute("data-status") for x in page.query_selector_all("#specialties li")} == {"lapsed"}
            screens(page, "result-offline-lapsed")
    page.click("#lang")
    assert "ID card" in page.text_content("#holder-idcheck .idcheck-note")
    screens(page, "result-offline-valid-en")


def old_format_list(live) -> str:
    """A status list as the server signed it before issue 11: 2 bits an entry, lapsed listed as revoked."""
    import base64
    import gzip
    import time

    from backend.crypto import tokens
    from backend.crypto.keys import load_keyring
    ring = load_keyring(live.instance / "keys")
    size = 131072
    bits = bytearray(size // 4)
    for label, value in (("lapsed", 2), ("revoked", 2), ("suspended", 1), ("superseded", 3)):
        i = sample_claims(live, label)["i"]
        bits[i // 4] |= value << (6 - 2 * (i % 4))
    iat = int(time.time()) - 600          # fetched before the server was updated
    enc = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).rstrip(b"=").decode()
    return tokens.sign(ring, {"iss": "JZ", "jti": f"sl-{iat}", "sub": f"{live.base}/api/v1/status-list", "iat": iat,
                              "exp": iat + 7 * 86400, "ttl": 3600, "bits": 2, "size": size,
                              "statuses": ["ok", "suspended", "revoked", "superseded"], "encodedList": enc},
                       typ="statuslist+jwt")


def test_a_list_cached_in_the_old_format(page, live):
    """An app updated while the device still holds a 2-bit list: offline it reads that list by its own table
    (lapsed shows as that list says, revoked), and online it fetches the 4-bit one at once."""
    open_app(page, live.base)
    wait_offline_ready(page)
    page.evaluate("""async (token) => {
        const store = await import('./js/core/store.js');
        await store.kvSet('statusList', { token, fetchedAt: Date.now() });
    }""", old_format_list(live))
    page.context.set_offline(True)
    page.reload()
    page.wait_for_selector("body[data-ready=true]", state="attached")
    for label, expected in (("valid", "valid"), ("suspended", "suspended"), ("lapsed", "revoked")):
        page.goto("about:blank")
        page.goto(live.samples[label]["qr"])
        assert wait_result(page, 1) == expected, label
    page.context.set_offline(False)
    page.goto("about:blank")
    open_app(page, live.base)
    bits = page.evaluate("""async () => {
        const tr = await import('./js/core/trust.js');
        for (let i = 0; i < 100 && !(tr.trust().list && tr.trust().list.claims.bits === 4); i++) {
            await new Promise((r) => setTimeout(r, 100));
        }
        return tr.trust().list && tr.trust().list.claims.bits;
    }""")
    assert bits == 4


def test_token_forms_decode_alike_in_the_app_and_the_server(page, live):
    """js/verify/token.js against backend/crypto: unpacking and the CBOR claims, for every sample."""
    from backend.crypto import tokens
    open_app(page, live.base)
    for label in ("valid", "lapsed", "revoked"):
        packed = live.samples[label]["qr"].split("#", 1)[1]
        got = page.evaluate("""async (packed) => {
            const tk = await import('./js/verify/token.js');
            const jws = await import('./js/core/jws.js');
            const token = tk.unpack(packed);
            return { token, claims: tk.certificateClaims(jws.parseJws(token)) };
        }""", packed)
        assert got["token"] == tokens.unpack(packed)
        assert got["claims"] == sample_claims(live, label)
