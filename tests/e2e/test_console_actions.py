"""The authority's actions in the console, in a real browser against the real server (docs/authority-actions.md):
authority A suspends (暂扣) a registration from its person's page and its copy verifies `suspended` at once; A asks
for a 吊销, which waits for a second approver (A sees it as theirs, without an approve button); authority B
approves it in #/approvals and the copy verifies `revoked`. The records and both accounts are made through the
API by the workflow pages' authority account (e2e_support.prepare_workflows)."""
from __future__ import annotations

import datetime as dt
import itertools
import json
import urllib.parse
import urllib.request

import pytest

from backend.services.checkdigits import id_check_char, uscc_check_char

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 800}
_n = itertools.count(1)


def call(live, path, body=None, token=None):
    req = urllib.request.Request(live.base + urllib.parse.quote(path), method="POST" if body is not None else "GET",
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json",
                                          **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(req, timeout=20) as resp:
        return json.loads(resp.read())


def login_token(live, username, password):
    return call(live, "/api/v1/auth/login", {"username": username, "password": password})["access_token"]


@pytest.fixture(scope="module")
def world(live):
    """Two fresh authority accounts, and a registration with a current copy."""
    pw = live.workflows["password"]
    boss = login_token(live, live.workflows["authority"], pw)
    names = []
    for who in ("a", "b"):
        name = f"e2e.actions.{who}"
        call(live, "/api/v1/accounts", {"username": name, "password": pw, "role": "authority"}, boss)
        names.append(name)
    first17 = f"33010619850615{231 + 2 * next(_n):03d}"
    person = call(live, "/api/v1/persons", {"name": "钱暂扣", "id_number": first17 + id_check_char(first17)}, boss)
    code17 = f"91330100MA00{dt.date.today():%m%d}9"[:17]
    ent = call(live, "/api/v1/enterprises", {"name": "杭州措施示范建设有限公司", "uscc": code17 + uscc_check_char(code17)},
               boss)
    reg = call(live, "/api/v1/registrations", {"person_id": person["id"], "enterprise_uscc": ent["uscc"],
                                               "kind": "JZS2", "specialties": ["JZ"]}, boss)
    copy = call(live, f"/api/v1/registrations/{reg['registration_number']}/copies", {}, boss)
    return {"a": names[0], "b": names[1], "password": pw, "person_id": person["id"],
            "number": reg["registration_number"], "qr": copy["qr"]}


def verdict(live, qr) -> str:
    return call(live, "/api/v1/verify", {"qr": qr})["verdict"]


def console_as(page, live, username, password, hash_=""):
    page.goto(f"{live.base}/console{hash_}")
    page.fill("#console-user", username)
    page.fill("#console-pass", password)
    page.click("#console-login-go")
    page.wait_for_selector("#console-app:not([hidden])")
    return page


def run_dialog(page, reason):
    page.fill("#ax-reason", reason)
    page.click("#ax-next")
    page.wait_for_selector('.ax-dialog[data-step="preview"] .ax-effect')
    effect = page.inner_text(".ax-dialog .ax-effect")
    second = page.locator(".ax-dialog .ax-second").count() > 0
    page.click("#ax-confirm")
    page.wait_for_selector(".ax-dialog", state="detached")
    return effect, second


def test_suspend_then_a_revoke_waits_for_the_second_approver(new_page, live, world, screens):
    num = world["number"]
    a = console_as(new_page(DESKTOP), live, world["a"], world["password"], f"#/person/{world['person_id']}")
    box = f'[data-actions-for="{num}"]'
    a.click(f'{box} button[data-action="suspend"]')
    effect, second = run_dialog(a, "违规执业,先行暂扣")
    assert "暂扣" in effect and not second
    a.wait_for_selector(f'[data-registration="{num}"] .chip[data-status="suspended"]')
    assert verdict(live, world["qr"]) == "suspended"                       # at once

    a.click(f'{box} button[data-action="revoke"]')
    effect, second = run_dialog(a, "伪造业绩材料,依法吊销")
    assert "吊销" in effect and second
    a.wait_for_selector(f'{box} .ax-pending')                              # waiting, said on the record's page
    assert a.get_attribute("#ax-toast", "data-outcome") == "pending_approval"
    assert verdict(live, world["qr"]) == "suspended"                       # nothing yet
    screens(a, "console-actions-pending")
    a.goto(f"{live.base}/console#/approvals")
    card = a.wait_for_selector(f'.ap-card[data-state="pending"]:has-text("{num}")')
    assert card.query_selector(".ap-mine") and not card.query_selector('[data-do="approve"]')

    b = console_as(new_page(DESKTOP), live, world["b"], world["password"], "#/approvals")
    card = b.wait_for_selector(f'.ap-card[data-state="pending"]:has-text("{num}")')
    assert "伪造业绩材料" in card.inner_text() and world["a"] in card.inner_text()
    card.query_selector('[data-do="approve"]').click()
    b.wait_for_selector(".ax-dialog #ap-ok")
    assert num in b.inner_text(".ax-dialog")                               # the confirmation restates it
    b.click("#ap-ok")
    b.wait_for_selector(f'.ap-card:has-text("{num}")', state="detached")
    assert b.inner_text(".ap-status") == "已批准并执行"
    assert verdict(live, world["qr"]) == "revoked"
    screens(b, "console-approvals")
    for p in (a, b):
        assert not [e for e in p.errors if "Failed to load resource" not in e], p.errors
