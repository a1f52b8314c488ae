"""The console's 概览 in Chromium: it renders its charts (ECharts, canvas) under the CSP without a script
error or a violation, a number on the page equals the API's, the table toggle shows the same numbers, and
a chart's CSV downloads."""
from __future__ import annotations

import json
import urllib.request

import pytest

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 900}


def api_get(live, path: str, token: str) -> dict:
    req = urllib.request.Request(live.base + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def api_token(live) -> str:
    body = json.dumps({"username": live.workflows["authority"], "password": live.workflows["password"]}).encode()
    req = urllib.request.Request(live.base + "/api/v1/auth/login", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())["access_token"]


def test_the_dashboard_renders_and_its_numbers_are_the_apis(new_page, live, screens):
    page = new_page(DESKTOP)
    page.goto(f"{live.base}/console#/dashboard")
    page.fill("#console-user", live.workflows["authority"])
    page.fill("#console-pass", live.workflows["password"])
    page.click("#console-login-go")
    page.wait_for_selector('.dash-chart[data-chart="verifications_per_day"] .dash-canvas canvas', timeout=20000)
    api = api_get(live, "/api/v1/admin/dashboard", api_token(live))       # the same cached answer
    charts = api["charts"]
    active = next(r["count"] for r in charts["by_status"]["rows"] if r["status"] == "active")
    assert active > 0
    assert page.text_content('[data-figure="active"] b') == str(active)
    assert page.text_content('[data-figure="pending"] b') == str(charts["applications"]["pending_decision"])
    # every chart drew on its canvas, and the page says when its figures are from
    assert page.locator(".dash-canvas canvas").count() == len(charts), page.errors
    assert "数据截至" in page.text_content(".dash-asof")
    # the table of a chart holds the API's numbers
    sec = page.locator('.dash-chart[data-chart="by_kind"]')
    sec.locator('[data-act="toggle"]').click()
    assert sec.locator(".dash-table-wrap").is_visible() and not sec.locator(".dash-canvas").is_visible()
    cells = sec.locator("tbody tr").evaluate_all("rows => rows.map(r => r.children[1].textContent)")
    assert cells == [str(r["total"]) for r in charts["by_kind"]["rows"]]
    with page.expect_download() as dl:
        sec.locator('[data-act="csv"]').click()
    assert dl.value.suggested_filename == "dashboard-by_kind.csv"
    assert open(dl.value.path(), "rb").read().startswith("\ufeff类别代码".encode())
    screens(page, "console-dashboard-desktop", full_page=True)
    assert not [e for e in page.errors if "Failed to load resource" not in e], page.errors
