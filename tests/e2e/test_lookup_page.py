"""The public lookup page on a phone (issue 11): compact rows (five or more on a 360x740 screen), a new page
opens at its first row, 未找到 when nothing matches, the province / kind / specialty filters, a partial
number, and no sideways scrolling at 320 px in either language."""
from __future__ import annotations

import pytest
from e2e_pages import open_app, real_errors
from e2e_support import NAMESAKE

pytestmark = pytest.mark.e2e
PHONE_TALL = {"width": 360, "height": 740}

# Where the rows are: which lie wholly between the app bar and the tab bar, and the page's widths.
GEOMETRY = """() => {
  const top = document.querySelector('.appbar').getBoundingClientRect().bottom;
  const bottom = document.querySelector('.tabbar').getBoundingClientRect().top;
  const rows = [...document.querySelectorAll('#lookup-results > li')].map((li) => li.getBoundingClientRect());
  return {
    top, bottom, scrollY: window.scrollY, heights: rows.map((r) => r.height),
    firstTop: rows.length ? rows[0].top : null,
    inView: rows.filter((r) => r.top >= top - 0.5 && r.bottom <= bottom + 0.5).length,
    scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth,
  };
}"""


def search(page, q):
    page.fill("#lookup-q", q)
    page.press("#lookup-q", "Enter")


def wait_rows(page, n):
    page.wait_for_selector(f"#lookup-results > li:nth-child({n})")
    assert page.locator("#lookup-results > li").count() == n


def wait_none(page):
    page.wait_for_selector("#lookup-status >> text=未找到")
    assert page.locator("#lookup-results > li").count() == 0


def lookup_page(new_page, live, viewport=PHONE_TALL):
    page = new_page(viewport)
    open_app(page, live.base)
    page.click('.tabbar [data-view="lookup"]')
    return page


def test_rows_are_compact_and_a_new_page_opens_at_its_first_row(new_page, live):
    page = lookup_page(new_page, live)
    search(page, NAMESAKE)
    wait_rows(page, 20)
    assert "25" in page.text_content("#lookup-status")
    row = page.text_content("#lookup-results > li:first-child")
    assert NAMESAKE in row and "320505" in row and "********" in row            # the ID number masked
    # the first row under the app bar: five rows or more fit above the tab bar
    page.locator("#lookup-status").scroll_into_view_if_needed()
    page.evaluate("() => document.getElementById('lookup-status').scrollIntoView({ block: 'start' })")
    g = page.evaluate(GEOMETRY)
    assert g["inView"] >= 5 and max(g["heights"]) <= (g["bottom"] - g["top"]) / 5, g
    # 下一页 is at the bottom of the list; the new page opens with its count and first row at the top
    page.click("#lookup-next")
    page.wait_for_selector("#lookup-page >> text=2 / 2")
    wait_rows(page, 5)
    g = page.evaluate(GEOMETRY)
    assert g["scrollY"] > 0 and g["top"] <= g["firstTop"] <= g["top"] + 120, g
    assert page.locator("#lookup-status").is_visible() and g["inView"] == 5
    assert page.evaluate("() => document.activeElement.id") == "lookup-status"     # read out to screen readers
    page.click("#lookup-prev")
    page.wait_for_selector("#lookup-page >> text=1 / 2")
    g = page.evaluate(GEOMETRY)
    assert g["top"] <= g["firstTop"] <= g["top"] + 120 and g["inView"] >= 5, g


def test_filters_partial_numbers_and_no_match(new_page, live):
    page = lookup_page(new_page, live)
    search(page, "无此人名")
    wait_none(page)
    search(page, NAMESAKE)
    wait_rows(page, 20)
    number = page.text_content("#lookup-results > li:first-child .lk-no").split(" · ")[0].strip()
    # a kind the namesakes do not hold: 未找到, with the hint to clear the filters; their own: all 25 again
    page.select_option("#lookup-kind", "JZS1")
    wait_none(page)
    assert "筛选" in page.text_content("#lookup-status")
    page.select_option("#lookup-kind", "JZS2")
    wait_rows(page, 20)
    assert "25" in page.text_content("#lookup-status")
    assert page.is_visible("#lookup-specialty")                  # a kind with specialties offers them
    page.select_option("#lookup-specialty", "SZ")
    wait_none(page)
    page.select_option("#lookup-specialty", "JZ")
    wait_rows(page, 20)
    # the province of the number's first character, and another one
    own = page.locator("#lookup-province option", has_text=f"({number[0]})").get_attribute("value")
    other = "54" if own != "54" else "65"
    page.select_option("#lookup-province", other)
    wait_none(page)
    page.select_option("#lookup-province", own)
    wait_rows(page, 20)
    page.click("#lookup-more summary")
    page.click("#lookup-clear")
    page.wait_for_selector("#lookup-status >> text=共 25 条")
    assert page.input_value("#lookup-kind") == "" and page.input_value("#lookup-province") == ""
    assert page.is_hidden("#lookup-specialty")
    # a registration number's first characters, with and without the province
    for part in (number[:8], number[1:8]):
        search(page, part)
        page.wait_for_selector(f"#lookup-results > li >> text={number}")
        assert all(n.strip().split(" · ")[0][1:].startswith(number[1:8])
                   for n in page.locator("#lookup-results .lk-no").all_text_contents())
    # too short a part says how much is needed, in words
    search(page, number[1:5])
    page.wait_for_selector("#lookup-status >> text=至少输入")
    assert page.locator("#lookup-results > li").count() == 0
    assert [e for e in real_errors(page) if "status of 422" not in e] == []     # the too-short part is a 422


@pytest.mark.parametrize("width", [320, 360])
def test_no_sideways_scrolling_in_either_language(new_page, live, width):
    page = lookup_page(new_page, live, {"width": width, "height": 740})
    search(page, NAMESAKE)
    wait_rows(page, 20)
    page.click("#lookup-more summary")
    for lang in ("zh", "en"):
        if lang == "en":
            page.click("#lang")
            page.wait_for_selector("#lookup-status >> text=25 found")
        page.select_option("#lookup-kind", "JZS2")
        page.wait_for_selector("#lookup-specialty:not([hidden])")
        g = page.evaluate(GEOMETRY)
        assert g["scrollWidth"] <= g["clientWidth"], (lang, g)
        wide = page.evaluate("""() => [...document.querySelectorAll('#view-lookup *')]
            .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
            .map((e) => e.id || e.className)""")
        assert wide == [], (lang, wide)
        page.select_option("#lookup-kind", "")
