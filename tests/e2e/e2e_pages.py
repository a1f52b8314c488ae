"""Waiting on the app's screens. The app marks its state on <body> (data-ready, data-results) because
the CSP forbids eval, which Playwright's wait_for_function would need; selectors need none."""
from __future__ import annotations

import re

PHONE = {"width": 360, "height": 640}
TABLET = {"width": 1024, "height": 768}

WAIT_SW = """async () => {
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
  }
  return true;
}"""


def open_app(page, base: str, path: str = "/"):
    page.goto(base + path)
    page.wait_for_selector("body[data-ready=true]", state="attached")
    return page


def results(page) -> int:
    return int(page.get_attribute("body", "data-results") or 0)


def wait_result(page, count: int) -> str:
    """Wait for the count-th result on screen; its data-verdict."""
    page.wait_for_selector(f'body[data-results="{count}"]', state="attached")
    page.wait_for_selector("#view-result:not([hidden]) #verdict")
    return page.get_attribute("#verdict", "data-verdict")


def wait_offline_ready(page):
    """The service worker controls the page and the keys and status list are on the device."""
    page.evaluate(WAIT_SW)
    page.wait_for_selector("#data-age[data-state=ok]", state="attached")


def reasons(page) -> list[str]:
    return page.eval_on_selector_all("#reasons li", "els => els.map(e => e.dataset.code)")


def real_errors(page) -> list[str]:
    """Console errors, less a 404 of the optional catalogue route while it is not registered."""
    return [e for e in page.errors if not re.search(r"404.*/api/v1/catalogue", e)]
