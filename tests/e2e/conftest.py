"""End-to-end fixtures: a real server (flask run, subprocess) on demo samples made by the services, and
Debian's headless Chromium with a fake camera that shows a certificate QR. Screenshots of each screen go
to test-artifacts/screens/ (360x640 and a tablet size)."""
from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from e2e_pages import PHONE, TABLET
from e2e_support import (
    CHROMIUM,
    REPO,
    chromium_args,
    free_port,
    prepare_enterprise,
    prepare_instance,
    prepare_workflows,
    start_server,
    stop_server,
    write_y4m,
)

from tests.conftest import need

SCREENS = REPO / "test-artifacts" / "screens"


@pytest.fixture(scope="session")
def playwright_sync():
    need(Path(CHROMIUM).exists(), "Debian's chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def live(tmp_path_factory):
    """The server and its samples: live.base, live.samples[label] = {"qr", "png_path", "name", ...},
    live.enterprise = the enterprise account and its extra staff (e2e_support.prepare_enterprise),
    live.workflows = the holder, employer and authority accounts of the workflow pages (prepare_workflows)."""
    inst = tmp_path_factory.mktemp("instance")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    samples = prepare_instance(inst, base, namesakes=25)
    enterprise = prepare_enterprise(inst)
    workflows = prepare_workflows(inst)
    proc = start_server(inst, port, inst / "server.log")
    try:
        yield SimpleNamespace(base=base, samples={s["label"]: s for s in samples}, instance=inst, port=port,
                              enterprise=enterprise, workflows=workflows)
    finally:
        stop_server(proc)


@pytest.fixture(scope="session")
def screens():
    shutil.rmtree(SCREENS, ignore_errors=True)
    SCREENS.mkdir(parents=True, exist_ok=True)

    def shot(page, name: str, full_page: bool = False) -> Path:
        path = SCREENS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page, animations="disabled")
        return path
    return shot


@pytest.fixture(scope="session")
def camera_clean(live, tmp_path_factory):
    """A clean, centred QR of the valid sample."""
    return write_y4m(tmp_path_factory.mktemp("cam") / "clean.y4m", live.samples["valid"]["qr"])


@pytest.fixture(scope="session")
def browser(playwright_sync, camera_clean):
    b = playwright_sync.chromium.launch(executable_path=CHROMIUM, headless=True, args=chromium_args(camera_clean))
    yield b
    b.close()


class PageErrors(list):
    """Uncaught errors and console errors of a page (CSP violations are console errors)."""


def _new_page(browser, live, viewport=PHONE):
    ctx = browser.new_context(viewport=viewport, device_scale_factor=1, locale="zh-CN",
                              service_workers="allow", accept_downloads=True)
    ctx.grant_permissions(["camera"], origin=live.base)
    page = ctx.new_page()
    page.set_default_timeout(20_000)
    errors = PageErrors()
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.on("console", lambda m: errors.append(f"console: {m.text} @ {m.location.get('url')}") if m.type == "error" else None)
    page.errors = errors
    return ctx, page


@pytest.fixture()
def page(browser, live):
    ctx, pg = _new_page(browser, live)
    yield pg
    ctx.close()


@pytest.fixture()
def tablet_page(browser, live):
    ctx, pg = _new_page(browser, live, TABLET)
    yield pg
    ctx.close()


@pytest.fixture()
def new_page(browser, live):
    """A factory for pages in fresh contexts (for tests that need several or a special camera)."""
    made = []

    def make(viewport=PHONE, b=None):
        ctx, pg = _new_page(b or browser, live, viewport)
        made.append(ctx)
        return pg
    yield make
    for c in made:
        c.close()
