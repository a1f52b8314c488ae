"""XLSX uploads are read streaming within fixed limits (services/enterprise/bulk/xlsx_stream.py): every shape of bomb is
refused quickly with a 413, and what openpyxl read before is read the same.

Workbooks are written part by part, as Excel writes them (shared strings declared in the content types
and the workbook's relationships), so that the bombs are real ones for any reader.
"""
from __future__ import annotations

import io
import time
import zipfile

import openpyxl
import pytest

from backend.services.enterprise.bulk.tables import MAX_COLUMNS, _cell_text, _xlsx_lines, read_table
from backend.services.errors import ServiceError

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/xl/workbook.xml" '
      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      '<Override PartName="/xl/worksheets/sheet1.xml" '
      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
      '<Override PartName="/xl/sharedStrings.xml" '
      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
ROOT_RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Target="xl/workbook.xml" '
             f'Type="{R}/officeDocument"/></Relationships>')
WB_RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
           f'<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="{R}/worksheet"/>'
           f'<Relationship Id="rId2" Target="sharedStrings.xml" Type="{R}/sharedStrings"/></Relationships>')
HEADER = b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'


def workbook(rows: bytes = HEADER, strings: bytes | None = None, sheets: bytes | None = None) -> bytes:
    strings = strings if strings is not None else b"<si><t>\xe5\xa7\x93\xe5\x90\x8d</t></si><si><t>ID</t></si>"
    parts = {
        "[Content_Types].xml": CT.encode(), "_rels/.rels": ROOT_RELS.encode(),
        "xl/_rels/workbook.xml.rels": WB_RELS.encode(),
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{R}"><sheets>'.encode()
        + (sheets or b'<sheet name="S1" sheetId="1" r:id="rId1"/>') + b"</sheets></workbook>",
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">'.encode() + strings + b"</sst>",
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN}"><sheetData>'.encode() + rows
        + b"</sheetData></worksheet>"}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return out.getvalue()


def refused(data: bytes, code: str, seconds: float = 3.0) -> ServiceError:
    started = time.perf_counter()
    with pytest.raises(ServiceError) as e:
        read_table(data, max_rows=10_000, max_unpacked=64 * 1024 * 1024)
    assert (e.value.status, e.value.code) == (413, code), e.value
    assert time.perf_counter() - started < seconds
    return e.value


def test_shared_strings_bomb_is_refused_quickly():
    # the file: ~150 KB whose shared strings unpack to 59 MB (openpyxl: 37 s and 500 MB)
    header = b"<si><t>\xe5\xa7\x93\xe5\x90\x8d</t></si><si><t>ID</t></si>"
    bomb = workbook(strings=header + b"<si><t>x</t></si>" * 3_500_000)
    assert len(bomb) < 200_000
    assert "max_strings" in refused(bomb, "too_many_strings").details


def test_too_many_characters_in_few_strings_are_refused():
    refused(workbook(strings=b"<si><t>" + b"y" * 20_000 + b"</t></si>" * 1 + b"<si><t>" + b"z" * 30_000
                     + b"</t></si>" + (b"<si><t>" + b"w" * 30_000 + b"</t></si>") * 400), "too_many_strings")


def test_giant_inline_string_is_refused_as_one_token():
    cell = b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + b"a" * 30_000_000 + b"</t></is></c></row>"
    refused(workbook(HEADER + cell), "too_complex")


def test_16384_columns_cost_bounded_time():
    wide = b"".join(b"<row>" + b"<c><v>1</v></c>" * 16384 + b"</row>" for _ in range(100))
    refused(workbook(HEADER + wide), "too_complex", seconds=5.0)


def test_millions_of_sheets_listed_cost_nothing():
    # only the first sheet is read: the workbook's list is read no further than its first 1000 entries
    sheets = b'<sheet name="S1" sheetId="1" r:id="rId1"/>' + b'<sheet name="x" sheetId="2" r:id="rId9"/>' * 1_600_000
    started = time.perf_counter()
    table = read_table(workbook(sheets=sheets), max_rows=10_000, max_unpacked=64 * 1024 * 1024)
    assert table.header_line == 1 and time.perf_counter() - started < 1


def test_a_million_rows_stop_at_the_row_limit():
    rows = b"".join(b'<row r="%d"><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>' % r for r in range(2, 1_000_000))
    refused(workbook(HEADER + rows), "too_many_rows")


def openpyxl_lines(data: bytes):
    """What bulk_files yielded when it read with openpyxl (read-only, values only)."""
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    for line, row in enumerate(wb.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
        end = len(row)
        while end and row[end - 1] is None:
            end -= 1
        yield line, [_cell_text(v) for v in row[:end]]


def _made_by_openpyxl() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["名单 2024"])
    ws.append([])
    ws.append([None, "姓名", "身份证号", "注册编号", 1.5, True, False, 110105194912310020, 12345, "  spaced  "])
    ws.append([1, "王建国", "11010519491231002X", None, 3.0, None, None, 1e20, -7])
    ws["A10"], ws["AD10"], ws["AE10"], ws["AF10"] = "far", "column 30", "column 31", "column 32"
    wb.create_sheet("second").append(["not read"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


EXCEL_LIKE = workbook(
    b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    b'<row r="3"><c t="s"><v>2</v></c><c t="inlineStr"><is><t>11010519491231002X</t></is></c><c t="b"><v>1</v></c>'
    b'<c t="e"><v>#N/A</v></c><c r="F3"><f>A1</f><v>2.50</v></c><c r="H3" s="3"><v>1.10105194912310E+17</v></c></row>'
    b'<row><c r="B4" t="str"><v>formula text</v></c><c r="C4" t="inlineStr"><is><r><t>ri</t></r><r><t>ch</t></r>'
    b'</is></c><c r="AD4"><v>30</v></c><c r="AE4"><v>31</v></c></row>',
    strings=b"<si><t>\xe5\xa7\x93\xe5\x90\x8d</t></si><si><r><t>\xe8\xba\xab\xe4\xbb\xbd</t></r><r><rPr/><t>"
            b"\xe8\xaf\x81\xe5\x8f\xb7</t></r><rPh sb=\"0\" eb=\"1\"><t>x</t></rPh></si>"
            b'<si><t xml:space="preserve"> \xe7\x8e\x8b_x005F_x000D_ </t></si>')


@pytest.mark.parametrize("data", [_made_by_openpyxl(), EXCEL_LIKE], ids=["openpyxl", "excel-like"])
def test_reads_what_openpyxl_read(data):
    assert list(_xlsx_lines(data, 64 * 1024 * 1024)) == list(openpyxl_lines(data))
