"""An import file, read streaming from disk: CSV or XLSX, its first non-empty row the template's header.

CSV: the encoding is decided on the whole file before any row is read (a pass of about a second per
100 MB that also counts its lines for the progress bar): a BOM says UTF-8 (or UTF-16); else UTF-8 if every
byte decodes as UTF-8, else GB18030 if every byte decodes as that, else 415 unknown_encoding. The delimiter
is the header's (comma, tab, semicolon). XLSX: the first worksheet, through the bulk check's streaming
reader (services/enterprise/bulk/xlsx_stream.py) with larger limits; a zip bomb or a macro workbook is
refused before. Its shared-strings table is held in memory (as Excel and openpyxl do): for a file of
millions of rows, CSV is the leaner form.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from backend.content.sniff import OLE, ZIP, sniff
from backend.services.enterprise.bulk.tables import vet_workbook
from backend.services.enterprise.bulk.xlsx_stream import sheet_rows
from backend.services.enterprise.bulk.xlsx_xml import Budget
from backend.services.imports.errors import (
    EmptyFile,
    OldExcelFile,
    TooManyStrings,
    UnknownEncoding,
    UnreadableCsv,
    UnreadableXlsx,
    UnsupportedFile,
    WorkbookTooComplex,
)
from backend.services.imports.templates import columns, match_header

MAX_COLUMNS = 40
CHUNK = 1 << 20
HEADER_SCAN = 20                  # blank lines tolerated before the header
csv.field_size_limit(max(csv.field_size_limit(), 1 << 24))
XLSX_BUDGET = {"elements": 400_000_000, "chars": 1_500_000_000, "strings": 12_000_000}
DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"')


@dataclass
class Source:
    path: Path
    kind: str
    file_type: str                    # csv | xlsx
    encoding: str | None
    rows_total: int | None            # data rows, estimated (lines after the header; a quoted line break counts)
    header: dict[str, int] = field(default_factory=dict)
    header_line: int = 1
    delimiter: str = ","
    max_unpacked: int = 0

    def rows(self) -> Iterator[tuple[int, dict[str, str | None]]]:
        """(line, {key: cleaned text or None}) of every non-empty data row."""
        lines = self._csv_lines() if self.file_type == "csv" else self._xlsx_lines()
        keys = [(k, i) for k, i in self.header.items() if k != "remark"]
        for line, cells in lines:
            if line <= self.header_line:
                continue
            n = len(cells)
            row = {}
            empty = True
            for k, i in keys:
                v = cells[i] if i < n else None
                if v is not None:
                    v = v.strip() if isinstance(v, str) else _cell_text(v)
                    if v:
                        empty = False
                    else:
                        v = None
                row[k] = v
            if not empty:
                yield line, row

    def _csv_lines(self):
        with open(self.path, encoding=self.encoding, newline="") as f:
            reader = csv.reader(f, delimiter=self.delimiter)
            last = 0
            try:
                for cells in reader:
                    yield last + 1, cells
                    last = reader.line_num
            except csv.Error as e:
                raise UnreadableCsv(last + 1, str(e)) from None

    def _xlsx_lines(self):
        try:
            with zipfile.ZipFile(self.path) as z:
                yield from sheet_rows(z, max_columns=MAX_COLUMNS, budget=Budget(**XLSX_BUDGET))
        except (WorkbookTooComplex, TooManyStrings):
            raise
        except Exception:    # zipfile, expat and number parsing raise many types for a damaged file
            raise UnreadableXlsx() from None


def _cell_text(v) -> str | None:
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):         # Excel keeps 15 digits: an ID number typed as a number has lost some
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()[:10]
    return str(v).strip() or None


def open_source(path: Path, kind: str, *, max_unpacked: int = 4 << 30) -> Source:
    """The file's type, encoding, estimated size and header (checked against the template: 422 bad_header)."""
    columns(kind)
    path = Path(path)
    with open(path, "rb") as f:
        head = f.read(8192)
    if not head:
        raise EmptyFile()
    if sniff(head) == ZIP:
        src = Source(path, kind, "xlsx", None, None, max_unpacked=max_unpacked)
        _check_workbook(path, max_unpacked)
        src.rows_total = _xlsx_total(path)
        lines = src._xlsx_lines()
    elif sniff(head) == OLE:
        raise OldExcelFile()
    else:
        encoding, newlines = _csv_encoding(path)
        src = Source(path, kind, "csv", encoding, None)
        with open(path, encoding=encoding, newline="") as f:
            first = next((ln for ln in (f.readline() for _ in range(HEADER_SCAN)) if ln.strip()), "")
        src.delimiter = max(",\t;", key=first.count) if first else ","
        src.rows_total = max(0, newlines)
        lines = src._csv_lines()
    for line, cells in lines:
        texts = [_cell_text(c) if not isinstance(c, str) else c for c in cells]
        if any(t and t.strip() for t in texts):
            src.header, src.header_line = match_header(kind, texts), line
            break
        if line >= HEADER_SCAN:
            break
    else:
        raise EmptyFile()
    if not src.header:
        raise EmptyFile()
    if src.rows_total is not None:
        src.rows_total = max(0, src.rows_total - src.header_line)
    return src


def _csv_encoding(path: Path) -> tuple[str, int]:
    """(encoding, line count) of a CSV file, decided on all its bytes."""
    with open(path, "rb") as f:
        first = f.read(4)
    if first[:2] in (b"\xff\xfe", b"\xfe\xff"):
        candidates = ("utf-16",)
    elif first[:3] == codecs.BOM_UTF8:
        candidates = ("utf-8-sig",)
    else:
        candidates = ("utf-8", "gb18030")
    for enc in candidates:
        decoder, lines, ok = codecs.getincrementaldecoder(enc)(), 0, True
        with open(path, "rb") as f:
            while chunk := f.read(CHUNK):
                if enc != "utf-16" and b"\x00" in chunk:
                    raise UnsupportedFile()
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    ok = False
                    break
                lines += chunk.count(b"\n")
            if ok:
                try:
                    decoder.decode(b"", final=True)
                except UnicodeDecodeError:
                    ok = False
        if ok:
            if enc == "utf-16":
                lines //= 2
            return ("utf-8" if enc == "utf-8" else enc), lines + 1
    raise UnknownEncoding()


def _check_workbook(path: Path, max_unpacked: int) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            vet_workbook(z, max_unpacked)
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnreadableXlsx() from None


def _xlsx_total(path: Path) -> int | None:
    """The first sheet's last row, as its <dimension> says (an estimate: writers may leave it out)."""
    try:
        with zipfile.ZipFile(path) as z:
            name = "xl/worksheets/sheet1.xml"
            if name not in z.NameToInfo:
                return None
            m = DIMENSION.search(z.open(name).read(4096))
            return int(m.group(1)) if m else None
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
