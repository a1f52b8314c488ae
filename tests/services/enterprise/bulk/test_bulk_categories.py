"""Bulk check, issue 15: one category per row (what the officer has to do), result files in one language
with widths and a frozen header, and the template that the reader reads as meant."""
import csv
import io

import openpyxl
import pytest

from backend.services.enterprise.bulk import categories
from backend.services.enterprise.bulk.export import display_width, to_csv, to_xlsx
from backend.services.enterprise.bulk.rows import clean_row
from backend.services.enterprise.bulk.tables import read_table
from backend.services.enterprise.bulk.template import EXAMPLE, template_csv, template_xlsx
from backend.services.registry import registrations
from tests import factories as f
from tests.services.enterprise.bulk.test_bulk_check import check


@pytest.fixture()
def one_of_each(session, svc):
    """An upload with one row of each category, lines 2 to 7 in CATEGORIES order."""
    ent, other = f.enterprise(session, svc.catalogue), f.enterprise(session, svc.catalogue)
    mine = f.registration(session, svc.catalogue, svc.clock, ent=ent, p=f.person(session, name="王建国"))
    theirs = f.registration(session, svc.catalogue, svc.clock, ent=other, p=f.person(session, name="李秀英"))
    gone = f.registration(session, svc.catalogue, svc.clock, ent=ent, p=f.person(session, name="杨帆"))
    registrations.set_status(session, svc.clock, gone.registration_number, "revoke", "测试吊销", "test")
    out = check(session, svc, ent, [
        ("王建国", mine.person.id_number, None),              # valid_here
        ("李秀英", None, theirs.registration_number),          # valid_elsewhere
        ("杨帆", None, gone.registration_number),              # ended: revoked, at this enterprise
        ("王小明", mine.person.id_number, None),              # mismatch: the name
        ("张三", "11010519491231002X", None),                 # not_found
        ("孙八", None, None),                                 # invalid_row: neither number
    ])
    return out, ent, other, theirs


def test_one_row_of_each_category_counts_one_each(one_of_each):
    out, *_ = one_of_each
    assert [r["category"] for r in out["rows"]] == list(categories.CATEGORIES)
    assert out["summary"]["categories"] == dict.fromkeys(categories.CATEGORIES, 1)
    # the old counts stay: both the revoked registration and the one elsewhere are "found"
    assert out["summary"]["found"] == 3 and out["summary"]["rows"] == 6


def test_status_decides_before_the_employer(session, svc, one_of_each):
    """A suspended registration at another enterprise is not valid there: ended, not a 挂证 risk to weigh."""
    out, ent, other, theirs = one_of_each
    registrations.set_status(session, svc.clock, theirs.registration_number, "suspend", "测试暂扣", "test")
    again = check(session, svc, ent, [("李秀英", None, theirs.registration_number)])
    assert again["rows"][0]["category"] == "ended" and again["rows"][0]["employer"] == "other"


def test_rows_stored_without_a_category_get_the_same_one(one_of_each):
    out, *_ = one_of_each
    for row in out["rows"]:
        bare = {k: v for k, v in row.items() if k != "category"}
        assert categories.category_of(bare) == row["category"]
    assert categories.count([{k: v for k, v in r.items() if k != "category"} for r in out["rows"]]) == \
        out["summary"]["categories"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_result_csv_is_in_one_language_with_reasons_in_words(svc, one_of_each, lang):
    out, *_ = one_of_each
    rows = list(csv.reader(io.StringIO(to_csv(out, svc.catalogue, lang).decode("utf-8-sig"))))
    head, body = rows[0], rows[1:]
    assert len(head) == len(set(head)) and not any("message" in h for h in head)
    zh = any("\u4e00" <= ch <= "\u9fff" for h in head for ch in h)
    assert zh == (lang == "zh")
    col = {h: i for i, h in enumerate(head)}
    outcome, reason, advice = (("核查结论", "说明", "建议处理") if lang == "zh" else ("Outcome", "Reason", "What to do"))
    assert [r[col[outcome]] for r in body] == [categories.label(c, lang) for c in categories.CATEGORIES]
    assert [r[col[reason]] for r in body] == [x["message_en" if lang == "en" else "message"] for x in out["rows"]]
    assert all(r[col[reason]] and r[col[advice]] for r in body)
    if lang == "en":        # the words are English too, not only the headers (names stay as written)
        assert body[2][col["Status"]] == "revoked" and body[1][col["Employer"]] == "another enterprise"
    else:
        assert body[2][col["注册状态"]] == "吊销" and body[1][col["聘用单位"]] == "其他单位"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_result_xlsx_has_widths_a_frozen_header_and_text_numbers(svc, one_of_each, lang):
    out, *_ = one_of_each
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx(out, svc.catalogue, lang))).worksheets[0]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:L7"
    values = list(ws.iter_rows(values_only=True))
    assert values[0][1] == ("Outcome" if lang == "en" else "核查结论") and ws["A1"].font.b
    for i, letter in enumerate("ABCDEFGHIJKL"):
        width = ws.column_dimensions[letter].width
        widest = max(display_width(r[i]) for r in values)
        assert 8 <= width <= 60 and width >= min(60, widest)        # as wide as what it holds, within bounds
    assert ws["D2"].value == out["rows"][0]["id_number"] and ws["D2"].data_type == "s"
    assert ws.column_dimensions["D"].number_format == "@"             # an ID number typed in later stays text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_template_is_read_as_meant(svc, lang):
    for data in (template_csv(lang), template_xlsx(lang, max_rows=10_000, max_mb=5)):
        table = read_table(data, max_rows=10, max_unpacked=1 << 24)
        assert table.header_line == 1 and set(table.columns) == {"name", "id_number", "registration_number"}
        assert table.rows == [(2, EXAMPLE)]
    row = clean_row(2, *EXAMPLE, svc.catalogue)
    assert row.problems == []                            # a well-formed example: numbers of the real formats
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx(lang)))
    staff, how = wb.worksheets
    assert staff.freeze_panes == "A2" and staff["B2"].number_format == "@"
    assert staff.column_dimensions["B"].width >= 18          # an ID number fits
    lines = [r[0] for r in how.iter_rows(min_row=2, values_only=True)]
    assert any("10,000" in line for line in lines)
    head = next(staff.iter_rows(values_only=True))
    assert head == (("Name", "ID number", "Registration number") if lang == "en" else ("姓名", "身份证号", "注册编号"))
