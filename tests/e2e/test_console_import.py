"""The console's import page in Chromium: upload an enterprises file with a bad row, follow the batch to its end,
read the counts and the refused row, and download the report (CSV) it offers."""
from __future__ import annotations

import csv
import io

import pytest
from e2e_pages import PHONE

from tests import import_files

pytestmark = pytest.mark.e2e


def test_import_a_file_with_bad_rows_and_download_the_report(new_page, live, tmp_path, screens):
    rows = import_files.register(2)["enterprises"]
    bad = {**rows[0], "uscc": rows[0]["uscc"][:17] + ("0" if rows[0]["uscc"][17] != "0" else "1"), "name": "坏行"}
    data = import_files.as_csv(import_files.table("enterprises", rows + [bad]))
    page = new_page(PHONE)
    page.goto(f"{live.base}/console#/import")
    page.fill("#console-user", live.workflows["authority"])
    page.fill("#console-pass", live.workflows["password"])
    page.click("#console-login-go")
    page.wait_for_selector("#im-kind")
    page.select_option("#im-kind", "enterprises")
    page.set_input_files("#im-file", files=[{"name": "单位.csv", "mimeType": "text/csv", "buffer": data}])
    page.click("#im-go")
    page.wait_for_selector("#im-state.im-done", timeout=30_000)
    counts = {li.get_attribute("data-count"): li.inner_text() for li in page.locator("#im-counts li[data-count]").all()}
    assert counts["inserted"].endswith(" 2") and counts["refused"].endswith(" 1"), counts
    row = page.locator(".im-refused tbody tr")
    assert row.count() == 1 and row.locator("[data-col=line]").inner_text() == "4"
    assert "统一社会信用代码无效" in row.inner_text()
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    screens(page, "console-import-phone", full_page=True)
    with page.expect_download() as dl:
        page.click("#im-batch button[data-report=csv]")
    text = (tmp_path / "r.csv")
    dl.value.save_as(text)
    lines = list(csv.reader(io.StringIO(text.read_text("utf-8-sig"))))
    assert lines[1][:4] == ["4", bad["uscc"], "uscc", "checksum"]
    page.wait_for_selector(".im-recent li")          # the batch is listed among the recent ones
    assert not [e for e in page.errors if "favicon" not in e], page.errors
