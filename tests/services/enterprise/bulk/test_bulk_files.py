"""Reading uploads: encodings, delimiters, header detection, XLSX and its defences."""
import io
import zipfile

import openpyxl
import pytest

from backend.services.enterprise.bulk.tables import read_table
from backend.services.errors import ServiceError


def read(data: bytes, max_rows=100, max_unpacked=10 * 1024 * 1024):
    return read_table(data, max_rows=max_rows, max_unpacked=max_unpacked)


def xlsx(rows, *, title=None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def fails(data: bytes, status: int, code: str, **kw):
    with pytest.raises(ServiceError) as e:
        read(data, **kw)
    assert (e.value.status, e.value.code) == (status, code), e.value
    return e.value


CSV = "姓名,身份证号,注册编号\n王建国,11010519491231002X,\n李四,,苏232192600001\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_encodings(encoding):
    t = read(CSV.encode(encoding))
    assert t.kind == "csv" and t.header_line == 1
    assert t.columns == {"name": 0, "id_number": 1, "registration_number": 2}
    assert t.rows == [(2, ["王建国", "11010519491231002X", None]), (3, ["李四", None, "苏232192600001"])]


@pytest.mark.parametrize("header", ["name,id_number", "Name, ID Number", "姓名 ,身份证号码(18位)", "*姓名,证件号码"])
def test_header_names_in_chinese_or_english(header):
    t = read(f"{header}\n王建国,11010519491231002X\n".encode())
    assert t.columns == {"name": 0, "id_number": 1}


def test_title_lines_before_the_header_keep_file_line_numbers():
    data = "某某公司人员名单,,\n,,\n序号\t姓名\t注册编号\n1\t王建国\t苏232192600001\n\n2\t李四\t苏232192600002\n"
    t = read(data.encode())
    assert t.header_line == 3 and t.columns == {"name": 1, "registration_number": 2}
    assert [line for line, _ in t.rows] == [4, 6]


def test_quoted_field_spanning_lines_reports_where_the_row_starts():
    t = read('姓名,身份证号\n"王\n建国",11010519491231002X\n李四,x\n'.encode())
    assert [line for line, _ in t.rows] == [2, 4]


def test_xlsx_with_a_title_row_and_numbers():
    t = read(xlsx([["姓名", "身份证号"], ["王建国", 110105194912310020], ["李四", "11010519491231002X"]], title="名单"))
    assert t.kind == "xlsx" and t.header_line == 2
    assert t.rows[0][0] == 3 and t.rows[0][1][1] != "110105194912310020"     # Excel kept 15 digits only
    assert t.rows[1] == (4, ["李四", "11010519491231002X"])


def test_no_header():
    e = fails(b"a,b\n1,2\n", 422, "bad_header")
    assert "expected" in e.details
    fails(b"", 422, "bad_header")


def test_too_many_rows():
    body = "姓名,身份证号\n" + "王建国,11010519491231002X\n" * 101
    fails(body.encode(), 413, "too_many_rows")
    assert len(read(("姓名,身份证号\n" + "王建国,11010519491231002X\n" * 100).encode()).rows) == 100
    fails(xlsx([["姓名", "身份证号"]] + [["王", "x"]] * 101), 413, "too_many_rows")


@pytest.mark.parametrize("data", [b"%PDF-1.7\n\x00\x01binary", b"\x89PNG\r\n\x1a\n\x00\x00",
                                  b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, bytes(range(256)) * 4])
def test_wrong_file_types(data):
    fails(data, 415, "unsupported_media_type")


def _zip(entries: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in entries.items():
            z.writestr(name, content)
    return out.getvalue()


def test_a_zip_that_is_not_a_workbook():
    fails(_zip({"word/document.xml": "<x/>", "[Content_Types].xml": "<Types/>"}), 415, "unsupported_media_type")
    fails(b"PK\x03\x04 truncated", 415, "unsupported_media_type")


def test_macro_workbooks_are_refused():
    good = zipfile.ZipFile(io.BytesIO(xlsx([["姓名", "身份证号"]])))
    entries = {n: good.read(n) for n in good.namelist()}
    fails(_zip({**entries, "xl/vbaProject.bin": b"\x00" * 10}), 415, "unsupported_media_type")
    ct = entries["[Content_Types].xml"].replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
    fails(_zip({**entries, "[Content_Types].xml": ct}), 415, "unsupported_media_type")


def test_zip_bomb_is_refused_before_unpacking():
    good = zipfile.ZipFile(io.BytesIO(xlsx([["姓名", "身份证号"]])))
    entries = {n: good.read(n) for n in good.namelist()}
    bomb = _zip({**entries, "xl/media/blob.bin": b"\x00" * (3 * 1024 * 1024)})
    assert len(bomb) < 20_000
    fails(bomb, 413, "file_too_large", max_unpacked=1024 * 1024)


def test_damaged_workbook():
    good = zipfile.ZipFile(io.BytesIO(xlsx([["姓名", "身份证号"]])))
    entries = {n: good.read(n) for n in good.namelist()}
    fails(_zip({**entries, "xl/workbook.xml": b"<not xml"}), 415, "unsupported_media_type")
    billion = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
               b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&b;</workbook>')
    fails(_zip({**entries, "xl/workbook.xml": billion}), 415, "unsupported_media_type")
