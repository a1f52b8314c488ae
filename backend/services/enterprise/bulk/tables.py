"""Reading the bulk-check upload: CSV (UTF-8 with or without BOM, GB18030, or UTF-16 with BOM as Excel's
"Unicode text") or XLSX, into numbered rows under a detected header.

Defences: the size is capped before this is called; an XLSX is checked as a zip first (an Office
package with a workbook, no VBA project, a bounded unpacked size and entry count: no zip bombs) and its
first sheet is read streaming with bounded strings, elements and tokens (xlsx_stream.py; openpyxl loaded
the whole shared-strings table first); rows and columns are capped while reading, so a huge sheet stops
early. Errors are the named ones of enterprise/errors.py, with the contract's codes.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from backend.content.sniff import OLE, ZIP, sniff
from backend.services.enterprise.bulk.xlsx_stream import sheet_rows
from backend.services.enterprise.errors import (
    BadHeader,
    MacrosRefused,
    NotAWorkbook,
    OldExcelFile,
    TooManyRows,
    TooManyStrings,
    UnknownEncoding,
    UnpackedTooLarge,
    UnreadableCsv,
    UnreadableXlsx,
    UnsupportedFile,
    WorkbookTooComplex,
)

MAX_COLUMNS = 30
csv.field_size_limit(max(csv.field_size_limit(), 1 << 24))   # the upload's size cap is the limit that matters
HEADER_SCAN = 10                 # the header may follow a few title lines
EXTRA_BLANK_LINES = 10_000       # blank lines tolerated beyond the row limit before giving up
HEADERS = {
    "name": ("姓名", "name", "人员姓名", "fullname", "名字"),
    "id_number": ("身份证号", "身份证号码", "身份证", "证件号码", "证件号", "公民身份号码", "idnumber", "idno", "id",
                  "idcard", "idcardnumber"),
    "registration_number": ("注册编号", "注册号", "注册证书编号", "注册证编号", "证书编号", "证书号", "注册证号",
                            "registrationnumber", "registrationno", "regno", "regnumber", "certificatenumber"),
}
_LOOKUP = {alias: field for field, aliases in HEADERS.items() for alias in aliases}
_NOISE = re.compile(r"[(（\[【].*?[)）\]】]|[\s_\-*:：/]")


@dataclass
class Table:
    kind: str                                  # "csv" or "xlsx"
    header_line: int
    columns: dict[str, int]                    # field -> column index
    rows: list[tuple[int, list[str | None]]]   # (line in the file, cells)


def header_field(cell) -> str | None:
    if not isinstance(cell, str):
        return None
    return _LOOKUP.get(_NOISE.sub("", unicodedata.normalize("NFKC", cell)).lower())


def _cell_text(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):          # Excel keeps 15 digits: an ID number typed as a number has lost some
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    s = str(v).strip()
    return s or None


def read_table(data: bytes, *, max_rows: int, max_unpacked: int) -> Table:
    if sniff(data) == ZIP:
        return _table("xlsx", _xlsx_lines(data, max_unpacked), max_rows)
    if sniff(data) == OLE:
        raise OldExcelFile()
    return _table("csv", _csv_lines(_decode(data)), max_rows)


def _decode(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encodings = ("utf-16",)
    else:
        if b"\x00" in data[:65536]:
            raise UnsupportedFile()
        encodings = ("utf-8-sig", "gb18030")
    for enc in encodings:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\r\n")
        if controls == 0:
            return text
    raise UnknownEncoding()


def _csv_lines(text: str):
    head = [ln for ln in text[:65536].splitlines() if ln.strip()][:HEADER_SCAN]
    delimiter = max(",\t;|", key=lambda d: sum(ln.count(d) for ln in head)) if head else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    last = 0
    try:
        for cells in reader:
            yield last + 1, cells[:MAX_COLUMNS]     # a quoted field may span lines: report where the row starts
            last = reader.line_num
    except csv.Error as e:          # with NUL refused and no field-size limit, hardly reachable
        raise UnreadableCsv(last + 1, str(e)) from None


def vet_workbook(z: zipfile.ZipFile, max_unpacked: int) -> None:
    """An .xlsx before any of it is parsed: a workbook's parts, no macros, unpacked no larger than max_unpacked
    (also what the import reads, services/imports/reader.py)."""
    infos = z.infolist()
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise NotAWorkbook()
    if any(n.lower().endswith("vbaproject.bin") for n in names) or \
            b"macroEnabled" in z.open("[Content_Types].xml").read(1 << 20):
        raise MacrosRefused()
    if len(infos) > 1000 or sum(i.file_size for i in infos) > max_unpacked:
        raise UnpackedTooLarge(max_unpacked)


def _xlsx_lines(data: bytes, max_unpacked: int):
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise UnreadableXlsx() from None
    vet_workbook(z, max_unpacked)
    try:
        for line, values in sheet_rows(z, max_columns=MAX_COLUMNS):
            cells = [_cell_text(v) for v in values]
            while cells and cells[-1] is None:
                cells.pop()
            yield line, cells
    except (WorkbookTooComplex, TooManyStrings):       # the reader's own limits
        raise
    except Exception:      # zipfile, expat and number parsing raise many types for a damaged or hostile file
        raise UnreadableXlsx() from None


def _table(kind: str, lines, max_rows: int) -> Table:
    header_line, columns, rows, seen = None, {}, [], 0
    for line, cells in lines:
        seen += 1
        if header_line is None:
            found = {}
            for i, c in enumerate(cells):
                field = header_field(c)
                if field and field not in found:
                    found[field] = i
            if "name" in found and ({"id_number", "registration_number"} & found.keys()):
                header_line, columns = line, found
            elif seen >= HEADER_SCAN:
                break
            continue
        cells = [(c.strip() or None) if isinstance(c, str) else c for c in cells]
        if any(cells):
            rows.append((line, cells))
        if len(rows) > max_rows or seen > max_rows + EXTRA_BLANK_LINES:
            raise TooManyRows(max_rows)
    if header_line is None:
        raise BadHeader({f: list(a[:2]) for f, a in HEADERS.items()})
    return Table(kind, header_line, columns, rows)
