"""The bulk check as a work list (issue 15, item 2) in a real browser against the real server: a file with
one row of each category gives one in each count, each count filters the table and says what to do, the
template downloads in the page's language, and the result files are in one language. Screenshots of the
screens at 360x740 and 1366x900 in Chinese and English (enterprise-bulk-<screen>-<lang>-<width>.png)."""
from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from test_enterprise_pages import BULK_HEADER, login, page_errors

pytestmark = pytest.mark.e2e

SIZES = ({"width": 360, "height": 740}, {"width": 1366, "height": 900})
CATEGORIES = ["valid_here", "valid_elsewhere", "ended", "mismatch", "not_found", "invalid_row"]


def one_of_each(path, live) -> str:
    """Lines 2 to 7, one row of each category in CATEGORIES order, from the demo samples: the samples'
    employer is the e2e enterprise; 刘洋 moved to another employer; 杨帆's registration was revoked."""
    from backend.services.checkdigits import id_check_char
    first17 = "11010519900101123"
    s = live.samples
    rows = [BULK_HEADER,
            ["王建国", "", s["valid"]["registration_number"]],
            ["刘洋", "", s["superseded"]["registration_number"]],
            ["杨帆", "", s["revoked"]["registration_number"]],
            ["李四", "", s["expired"]["registration_number"]],           # 李秀英's number: the name differs
            ["钱多多", first17 + id_check_char(first17), ""],
            ["只有姓名", "", ""]]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8-sig")
    return str(path)


PANE_OVERFLOW = """() => { const w = document.documentElement.clientWidth;
  return [...document.querySelectorAll('#ent-bulk *')].filter((e) => e.offsetParent !== null
    && !e.closest('.table-wrap') && e.getBoundingClientRect().right > w + 0.5).map((e) => e.id || e.className); }"""


def lang_of(page) -> str:
    return "en" if page.get_attribute("html", "lang") == "en" else "zh"


def set_lang(page, want: str) -> None:
    if lang_of(page) != want:
        page.click("#lang")
        page.wait_for_selector(f'html[lang="{"en" if want == "en" else "zh-CN"}"]', state="attached")


def shoot(page, screens, screen: str, top: str | None = None) -> None:
    """The screen now shown, in both languages and both sizes; nothing of the pane wider than the window
    (the results table scrolls inside its own wrapper on a phone)."""
    for lg in ("zh", "en"):
        set_lang(page, lg)
        for size in SIZES:
            page.set_viewport_size(size)
            page.evaluate("window.scrollTo(0, 0)")
            if top:                     # the results start below the form: show them, not the form again
                page.evaluate(f"window.scrollTo(0, document.querySelector('{top}').getBoundingClientRect().top - 72)")
            assert page.evaluate(PANE_OVERFLOW) == [], (screen, lg, size)
            screens(page, f"enterprise-bulk-{screen}-{lg}-{size['width']}")
    set_lang(page, "zh")
    page.set_viewport_size(SIZES[0])


def counts(page) -> dict[str, str]:
    return dict(zip(page.eval_on_selector_all("#bulk-summary button", "els => els.map(e => e.dataset.category)"),
                    page.locator("#bulk-summary .count").all_inner_texts()))


def saved(page, button: str):
    with page.expect_download() as dl:
        page.click(button)
    return dl.value.suggested_filename, open(dl.value.path(), "rb").read()


def test_one_row_of_each_category_and_the_counts_filter(page, live, screens, tmp_path):
    login(page, live)
    page.click('#ent-subtabs [data-pane="bulk"]')
    page.wait_for_selector("#bulk-template-csv")
    shoot(page, screens, "start")
    page.set_input_files("#bulk-file", one_of_each(tmp_path / "每类一行.csv", live))
    page.click("#bulk-go")
    page.wait_for_selector('#ent-bulk[data-phase="done"]')
    assert counts(page) == {"": "6", **dict.fromkeys(CATEGORIES, "1")}
    lines = page.eval_on_selector_all("#bulk-body tr", "els => els.map(e => [e.dataset.line, e.dataset.category])")
    assert lines == [[str(i + 2), c] for i, c in enumerate(CATEGORIES)]
    assert page.locator('#bulk-body tr[data-line="3"] td[data-col="result"]').inner_text() == "有效·他单位(挂证风险)"
    assert page.locator('#bulk-body tr[data-line="4"] td[data-col="result"]').inner_text() == "无效或终止"
    assert page.text_content("#bulk-advice").startswith("点击上方的结论")
    shoot(page, screens, "results", top="#bulk-summary-title")

    for i, category in enumerate(CATEGORIES):
        page.click(f'#bulk-summary button[data-category="{category}"]')
        shown = page.eval_on_selector_all("#bulk-body tr", "els => els.map(e => [e.dataset.line, e.dataset.category])")
        assert shown == [[str(i + 2), category]]
        assert page.get_attribute(f'#bulk-summary button[data-category="{category}"]', "aria-pressed") == "true"
        assert page.get_attribute("#bulk-advice", "data-category") == category
        assert page.text_content("#bulk-advice").startswith("1 行")
        if category == "valid_elsewhere":
            assert "挂证风险" in page.text_content("#bulk-advice")
            shoot(page, screens, "elsewhere", top="#bulk-summary-title")
    page.click('#bulk-summary button[data-category="valid_elsewhere"]')
    set_lang(page, "en")
    assert "certificate-renting risk" in page.text_content("#bulk-advice")      # the filter kept, in English
    assert page.locator("#bulk-body tr td[data-col='result']").inner_text() == "Valid elsewhere (renting risk)"
    set_lang(page, "zh")
    page.click('#bulk-summary button[data-category=""]')
    assert page.locator("#bulk-body tr").count() == 6

    name, data = saved(page, "#bulk-csv")                     # in Chinese only, with the reason in words
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert name.endswith("-zh.csv") and rows[0][:3] == ["行号", "核查结论", "姓名"] and len(rows) == 7
    assert [r[1] for r in rows[1:]] == ["有效·本单位", "有效·他单位", "无效或终止", "信息不符", "未找到", "无法核查"]
    assert all(r[-2] and r[-1] for r in rows[1:])              # 说明 and 建议处理 on every row
    set_lang(page, "en")
    name, data = saved(page, "#bulk-xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    head = next(ws.iter_rows(values_only=True))
    assert name.endswith("-en.xlsx") and head[:3] == ("Line", "Outcome", "Name") and "What to do" in head
    assert ws.freeze_panes == "A2" and all(ws.column_dimensions[c].width >= 8 for c in "ABCDEFGHIJKL")
    assert ws["B4"].value == "Not valid or ended" and ws["G4"].value == "revoked"
    set_lang(page, "zh")
    assert page_errors(page) == []


def test_the_template_downloads_and_is_read_back(page, live, tmp_path):
    login(page, live)
    page.click('#ent-subtabs [data-pane="bulk"]')
    name, data = saved(page, "#bulk-template-csv")
    assert name == "bulk-check-template-zh.csv"
    assert data.decode("utf-8-sig").splitlines()[0] == "姓名,身份证号,注册编号"
    set_lang(page, "en")
    name, data = saved(page, "#bulk-template-xlsx")
    assert name == "bulk-check-template-en.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert next(wb.worksheets[0].iter_rows(values_only=True)) == ("Name", "ID number", "Registration number")
    assert wb.worksheets[0]["B2"].number_format == "@" and len(wb.worksheets) == 2
    set_lang(page, "zh")
    path = tmp_path / name                                   # the template as it comes, uploaded: one row checked
    path.write_bytes(data)
    page.set_input_files("#bulk-file", str(path))
    page.click("#bulk-go")
    page.wait_for_selector('#ent-bulk[data-phase="done"]')
    assert counts(page)[""] == "1" and counts(page)["not_found"] == "1"
    assert page_errors(page) == []
