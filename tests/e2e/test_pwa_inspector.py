"""The inspector's screens (issue 11): one line under every verdict but valid on what to ask of the holder,
the employer on a superseded copy beside the current one, the specialties on a phone's first screen
(360x740), history entries that reopen their result, no sideways scrolling at 320 px in either language,
a side navigation from 1100 px. And the screenshots, written to test-artifacts/screens/: each verdict
online and offline, the page a certificate link opens, the lookup, the scan and history screens, in
Chinese and English at 360x740 and 1366x900 (`<what>-<zh|en>-<phone|desktop>.png`).

One page per test, reused for every verdict: a size or language is switched on the page already showing
the result (the app re-renders it), so the screenshots cost no extra verification."""
from __future__ import annotations

import datetime as dt

import pytest
from e2e_pages import open_app, real_errors, wait_offline_ready, wait_result
from e2e_support import NAMESAKE

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
NARROW = {"width": 320, "height": 640}
LABELS = ["valid", "expired", "lapsed", "superseded", "suspended", "revoked", "not_found", "invalid"]
OFFLINE = {"valid": "valid", "expired": "expired", "lapsed": "lapsed", "superseded": "superseded",
           "suspended": "suspended", "revoked": "revoked", "not_found": "unknown", "invalid": "invalid"}
# the advice (pwa/js/verify/verdicts.js ADVICE) each sample must get online
ADVICE_KEY = {"valid": None, "expired": "expired", "lapsed": "lapsed", "superseded": "supersededEmployer",
              "suspended": "suspended", "revoked": "revoked", "not_found": "not_found", "invalid": "invalid"}

# What sticks out sideways: the page, the verdict banner, and any element wider than the viewport.
OVERFLOW = """() => {
  const de = document.documentElement;
  const v = document.getElementById('verdict');
  const wide = [...document.querySelectorAll('body *')].filter((e) => {
    const r = e.getBoundingClientRect();
    return r.width && e.offsetParent !== null && (r.right > de.clientWidth + 0.5 || r.left < -0.5);
  }).slice(0, 5).map((e) => `${e.tagName}#${e.id}.${e.className}`);
  return { page: de.scrollWidth - de.clientWidth, banner: v && v.offsetParent ? v.scrollWidth - v.clientWidth : 0,
           word: v && v.offsetParent ? document.getElementById('verdict-word').scrollWidth
             - document.getElementById('verdict-word').clientWidth : 0, wide };
}"""

# The bottom of what must be seen without scrolling, against the top of what covers the screen's foot.
FOLD = """() => {
  const box = (id) => {
    const e = document.getElementById(id);
    return e && !e.hidden && e.offsetParent ? e.getBoundingClientRect() : null;
  };
  const cover = document.querySelector('#view-result .sticky-actions').getBoundingClientRect().top;
  const specs = [...document.querySelectorAll('#specialties li')].map((e) => e.getBoundingClientRect().bottom);
  const parts = { verdict: box('verdict'), name: box('holder-name'), photo: box('holder-photo') };
  return { limit: Math.min(cover, window.innerHeight), scrollY: window.scrollY,
           bottoms: { ...Object.fromEntries(Object.entries(parts).map(([k, r]) => [k, r && r.bottom])),
                      specialties: specs.length ? Math.max(...specs) : null } };
}"""

NAV = """() => {
  if (!document.querySelector('.tabbar').offsetParent) return null;
  const t = document.querySelector('.tabbar').getBoundingClientRect();
  const m = document.getElementById('main').getBoundingClientRect();
  return { left: t.left, top: t.top, width: t.width, height: t.height, mainLeft: m.left };
}"""


def lang(page) -> str:
    return "en" if page.get_attribute("html", "lang") == "en" else "zh"


def set_lang(page, want: str) -> None:
    if lang(page) != want:
        page.click("#lang")
        page.wait_for_selector(f'html[lang="{"en" if want == "en" else "zh-CN"}"]', state="attached")


def no_overflow(page, what: str) -> None:
    got = page.evaluate(OVERFLOW)
    assert got["page"] <= 0 and got["banner"] <= 0 and got["word"] <= 0 and not got["wide"], (what, got)


def check_nav(page, size: dict) -> None:
    nav = page.evaluate(NAV)
    if nav is None:
        return
    if size["width"] >= 1100:        # a side navigation, the content beside it
        assert nav["left"] == 0 and nav["width"] < 300 and nav["height"] > size["height"] * 0.8, nav
        assert nav["mainLeft"] >= nav["width"], nav
    else:                            # the phone's bottom tab bar
        assert nav["top"] + nav["height"] == pytest.approx(size["height"], abs=1) and nav["width"] == size["width"], nav


def each_look(page, screens, name: str, *, fold: bool = False, langs: tuple[str, ...] = ("zh", "en")) -> None:
    """The screen now shown, in both languages: no overflow at 320 px, then screenshots at 360x740 (where,
    with `fold`, verdict, name, photo and specialties are on the first screen) and 1366x900."""
    start = lang(page)
    for lg in sorted(langs, key=lambda x: x != start):
        set_lang(page, lg)
        page.set_viewport_size(NARROW)
        no_overflow(page, f"{name} {lg} 320")
        for size, tag in ((PHONE, "phone"), (DESKTOP, "desktop")):
            page.set_viewport_size(size)
            page.evaluate("window.scrollTo(0, 0)")
            no_overflow(page, f"{name} {lg} {tag}")
            check_nav(page, size)
            if fold and size is PHONE:
                got = page.evaluate(FOLD)
                late = {k: b for k, b in got["bottoms"].items() if b is not None and b > got["limit"] + 0.5}
                assert not late, (name, lg, got)
            screens(page, f"{name}-{lg}-{tag}")
    set_lang(page, start)
    page.set_viewport_size(PHONE)


def not_found_link(live) -> str:
    """A certificate signed with the issuer's key for a copy the register does not hold."""
    from backend.config import load_config
    from backend.crypto import tokens
    from backend.crypto.keys import load_keyring
    ring = load_keyring(live.instance / "keys")
    now = int(dt.datetime.now(dt.UTC).timestamp())
    claims = {"iss": load_config(str(live.instance))["TOKEN_ISSUER"], "jti": "zzzzzzzz", "iat": now - 86400,
              "exp": now + 90 * 86400, "i": 999_999, "r": "苏232192699999", "n": "无此人", "k": "JZS2",
              "s": [["JZ", 20991231]], "e": ["91320594780268314T", "无此单位"]}
    return f"{live.base}/v#{tokens.sign(ring, claims)}"


def links(live) -> dict[str, str]:
    return {**{label: live.samples[label]["qr"] for label in LABELS if label != "not_found"},
            "not_found": not_found_link(live)}


def advice_table(page) -> dict:
    return page.evaluate("async () => (await import('./js/verify/verdicts.js')).ADVICE")


def open_link(page, link: str) -> str:
    page.goto("about:blank")
    page.goto(link)
    return wait_result(page, 1)


def test_every_verdict_online_says_what_to_ask(page, live, screens):
    page.set_viewport_size(PHONE)
    open_app(page, live.base)
    advice = advice_table(page)
    for label, link in links(live).items():
        assert open_link(page, link) == label
        for lg, i in (("zh", 0), ("en", 1)):
            set_lang(page, lg)
            if ADVICE_KEY[label] is None:
                assert page.is_hidden("#verdict-advice"), label
            else:
                assert page.text_content("#verdict-advice") == advice[ADVICE_KEY[label]][i], (label, lg)
        set_lang(page, "zh")
        if label == "superseded":
            answer = page.request.post(f"{live.base}/api/v1/verify", data={"qr": link}).json()["certificate"]
            assert answer["employer_on_copy_uscc"] != answer["employer"]["uscc"]     # the sample changed employer
            box = page.locator("#employer-check")
            assert box.get_attribute("data-state") == "changed"
            assert page.text_content("#employer-flag") == "变更单位"
            dds = page.locator("#employer-fields dd").all_text_contents()
            assert dds == [answer["employer_on_copy"], answer["employer"]["name"]]
        else:
            assert page.is_hidden("#employer-check"), label
        each_look(page, screens, f"verdict-{label}-online", fold=True)
    assert real_errors(page) == []


def test_every_verdict_offline_says_what_to_ask(page, live, screens):
    urls = links(live)
    page.set_viewport_size(PHONE)
    open_app(page, live.base)
    wait_offline_ready(page)
    page.context.set_offline(True)
    page.wait_for_selector('#net[data-state="offline"]')
    for label, link in urls.items():
        assert open_link(page, link) == OFFLINE[label], label
        assert page.get_attribute("#result-mode", "data-mode") == "offline"
        if OFFLINE[label] == "valid":
            assert page.is_hidden("#verdict-advice")
        else:
            assert page.text_content("#verdict-advice").strip(), label
        assert page.is_hidden("#employer-check")     # offline the register's employer is unknown
        each_look(page, screens, f"verdict-{label}-offline", fold=True)
    # status data over 7 days old: a copy that would be valid cannot be confirmed, and the app says what to do
    advice = advice_table(page)
    page.clock.set_fixed_time(dt.datetime.now(dt.UTC) + dt.timedelta(days=8))
    assert open_link(page, urls["valid"]) == "unknown"
    assert page.text_content("#verdict-advice") == advice["unknown"][0]
    each_look(page, screens, "verdict-valid-stale", fold=True)


def test_link_open_lookup_and_scan_screens(page, live, screens):
    page.set_viewport_size(PHONE)
    held = []
    for lg in ("en", "zh"):                                  # the language the app was last used in
        open_app(page, live.base)
        set_lang(page, lg)
        held.clear()
        page.route("**/api/v1/verify", lambda route: held.append(route))   # held: the page says 核验中… meanwhile
        page.goto("about:blank")
        page.goto(live.samples["valid"]["qr"])
        page.wait_for_selector("#checking", state="visible")
        each_look(page, screens, "link-open", langs=(lg,))
        assert held, "the app asked the server at once"
        held[0].continue_()
        assert wait_result(page, 1) == "valid"
        page.unroute("**/api/v1/verify")
    page.click('.tabbar [data-view="scan"]')
    page.wait_for_selector("#view-scan:not([hidden])")
    each_look(page, screens, "scan")
    page.click('.tabbar [data-view="lookup"]')
    page.fill("#lookup-q", NAMESAKE)
    page.press("#lookup-q", "Enter")
    page.wait_for_selector("#lookup-results li")
    each_look(page, screens, "lookup")
    assert real_errors(page) == []


def test_history_entries_reopen_their_result(page, live, screens):
    urls = links(live)
    page.set_viewport_size(PHONE)
    open_app(page, live.base)
    wait_offline_ready(page)
    page.fill("#site-input", "苏州3号地块")
    page.dispatch_event("#site-input", "change")
    for label in ("superseded", "revoked"):
        page.goto("about:blank")
        page.goto(urls[label])
        wait_result(page, 1)
    page.click('.tabbar [data-view="scan"]')
    page.fill("#manual-input", "https://example.com/v#not-ours")   # a QR that is no certificate of ours
    page.press("#manual-input", "Enter")
    wait_result(page, 2)
    page.click('.tabbar [data-view="history"]')
    page.wait_for_selector("#history-list li >> nth=2")
    each_look(page, screens, "history")
    rows = page.locator("#history-list .hist-row")

    rows.nth(2).click()                                     # the superseded copy (newest first), checked again online
    assert wait_result(page, 3) == "superseded"
    assert page.get_attribute("#result-mode", "data-mode") == "online"
    note = page.text_content("#result-recorded")
    assert "已被替代" in note and "苏州3号地块" in note and "重新核验" in note
    assert page.get_attribute("#employer-check", "data-state") == "changed"
    each_look(page, screens, "history-reopened", fold=True)

    page.context.set_offline(True)                          # offline: from the keys and status list on the device
    page.click('.tabbar [data-view="history"]')
    page.wait_for_selector("#history-list li >> nth=2")
    assert page.locator("#history-list li").count() == 3     # reopening added no entry
    page.locator("#history-list .hist-row").nth(2).click()
    assert wait_result(page, 4) == "superseded"
    assert page.get_attribute("#result-mode", "data-mode") == "offline"
    assert not page.is_hidden("#result-recorded")

    page.click('.tabbar [data-view="history"]')
    page.locator("#history-list .hist-row").nth(0).click()   # no certificate: what the entry stored
    assert wait_result(page, 5) == "invalid"
    assert "无法重新核验" in page.text_content("#result-recorded")
    assert page.locator("#reasons li").get_attribute("data-code") == "foreign_url"
    assert real_errors(page) == []
