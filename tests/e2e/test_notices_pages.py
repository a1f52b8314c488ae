"""The notices pane in a real browser against the real server (docs/notices.md): a holder whose specialty is
inside the renewal window signs in, sees the unread count on the 通知 tab, opens the pane, sees the notices
the daily job (`flask notices`, run here as a subprocess against the live instance) made, unread in bold,
marks one read (the count goes down), and turns the check notices off."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from e2e_pages import open_app
from e2e_support import REPO, WORKFLOW_PASSWORD

pytestmark = pytest.mark.e2e


def make_holder(instance) -> str:
    """A person registered 2.95 years ago (inside the 30-day renewal window, under 180 days left), with a
    holder account, made by the services against the live server's database."""
    import datetime as dt

    from backend import create_app
    from backend.extensions import db
    from backend.services.accounts import management
    from backend.services.checkdigits import id_check_char, uscc_check_char
    from backend.services.clock import Clock
    from backend.services.registry import enterprises, persons, registrations
    app = create_app({"INSTANCE_PATH": str(instance), "DEMO_PERSONS": 0, "RATELIMIT_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'jianzheng.db'}"})
    with app.app_context():
        e, s = app.extensions, db.session
        first17 = "91330100MA0000714"                       # an employer of its own: other pages' rosters stay as they were
        uscc = enterprises.create_enterprise(s, e["jz.catalogue"], name="杭州通知示范建设有限公司", short_name="通知示范",
                                             uscc=first17 + uscc_check_char(first17), actor="e2e").uscc
        then = Clock(str(e["jz.clock"].tz), fixed=e["jz.clock"].now() - dt.timedelta(days=round(365.25 * 2.95)))
        first17 = "33010619860512041"
        p = persons.create_person(s, name="钱通知", id_number=first17 + id_check_char(first17), actor="e2e")
        registrations.create_registration(s, e["jz.catalogue"], then, person_id=p.id, enterprise_uscc=uscc,
                                          kind_code="JZS2", specialties=["JZ"], actor="e2e")
        management.create_account(s, username="e2e.holder.notices", password=WORKFLOW_PASSWORD, role="holder",
                                  person_id=p.id, actor="e2e")
        s.commit()
        db.session.remove()
        db.engine.dispose()
    return "e2e.holder.notices"


def daily_job(instance) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "KEY_DIR", "SMTP_HOST")}
    env.update(INSTANCE_PATH=str(instance), DEMO_PERSONS="0")
    out = subprocess.run([sys.executable, "-m", "flask", "--app", "backend", "notices"], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_holder_sees_and_reads_notices(browser, live, screens):
    from playwright.sync_api import expect
    username = make_holder(live.instance)
    first = daily_job(live.instance)
    assert "notices_created=" in first and "notices_created=0" not in first
    assert "notices_created=0" in daily_job(live.instance)            # the daily job twice: nothing new
    page = browser.new_page(viewport={"width": 360, "height": 640})
    open_app(page, live.base)
    page.click('.tabbar [data-view="enterprise"]')
    page.fill("#ent-user", username)
    page.fill("#ent-pass", WORKFLOW_PASSWORD)
    page.click("#ent-login-go")
    page.wait_for_selector("#ent-app:not([hidden])")
    badge = page.locator("#ent-notices-count")
    badge.wait_for(state="visible")
    unread = int(badge.text_content())
    assert unread == 2                                   # renewal window open, under 180 days left
    page.click('#ent-subtabs [data-pane="notices"]')
    page.wait_for_selector('#ent-notices:not([hidden]) #notices-status[data-state="ready"]')
    items = page.locator("#notices-list .notice-item.unread")
    assert items.count() == 2
    assert page.locator('#notices-list .notice-item[data-kind="renewal_open"] .notice-title').text_content() \
        .startswith("可以申请延续注册")
    weight = items.first.locator(".notice-title").evaluate("e => getComputedStyle(e).fontWeight")
    assert int(weight) >= 700                            # unread: bold
    screens(page, "notices-holder-phone", full_page=True)
    items.first.locator(".notice-read").click()
    expect(badge).to_have_text("1")
    expect(page.locator("#notices-list .notice-item.unread")).to_have_count(1, timeout=15000)   # redrawn after the badge
    assert page.locator("#notices-checks-row").is_visible()
    page.uncheck("#notices-checks")
    expect(page.locator("#notices-saved")).to_have_text("已保存")
    page.click("#lang")
    assert page.locator('#notices-list .notice-item[data-kind="renewal_open"] .notice-title').text_content() \
        .startswith("Renewal can be filed")
    page.close()
