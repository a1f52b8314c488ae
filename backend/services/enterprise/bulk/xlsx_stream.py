"""The first worksheet of an XLSX upload as rows of cell values, read streaming and within fixed limits.

    for line, cells in sheet_rows(zipfile.ZipFile(...), max_columns=30): ...

Why not openpyxl: even in read-only mode it loads the whole shared-strings table into Python objects first,
so a 146 KB file whose table unpacks to 59 MB cost 37 s and 500 MB. Here each XML part is fed to expat in
64 KB pieces and rows come out as they are parsed; the caller stops reading when it has enough. The shared
strings are capped in number (MAX_STRINGS) and, with inline strings, in characters; elements, token length
and DTDs are bounded by the parser (xlsx_xml.py). Over a limit: 413 too_many_strings or too_complex.

Values as openpyxl gave them with data_only=True: numbers as int or float, booleans, strings, and formula
cells as their cached result. Number formats are not read: a date-formatted cell gives its serial number
(the columns read here hold names and ID numbers).
"""
from __future__ import annotations

import posixpath
import zipfile

from backend.services.enterprise.bulk.xlsx_xml import MAX_CHARS, Budget, Text, attr, parse
from backend.services.enterprise.errors import TooManyStrings

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
MAX_PARTS = 1000


class _Enough(Exception):
    """Stops reading a part: what follows cannot matter."""


def _parts(z: zipfile.ZipFile, budget: Budget) -> tuple[str, str | None]:
    """(first worksheet, shared strings) part names, from the workbook and its relationships. Only the
    first MAX_PARTS sheets and relationships are kept (the zip holds at most 1000 entries anyway)."""
    sheets, rels = [], {}

    def sheet(tag, a):
        if tag == f"{MAIN} sheet":
            if len(sheets) == MAX_PARTS:
                raise _Enough
            sheets.append(attr(a, f"{REL} id"))

    def rel(tag, a):
        if tag == f"{PKG} Relationship" and attr(a, "TargetMode") != "External":
            if len(rels) == MAX_PARTS:
                raise _Enough
            rels[attr(a, "Id")] = (attr(a, "Type") or "", attr(a, "Target") or "")
    for part, start in (("xl/workbook.xml", sheet), ("xl/_rels/workbook.xml.rels", rel)):
        if part in z.NameToInfo:
            try:
                for _ in parse(z, part, start, lambda t: None, None, budget):
                    pass
            except _Enough:
                pass

    def path(target: str) -> str:
        return target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    first = next((path(rels[r][1]) for r in sheets if r in rels and rels[r][0].endswith("/worksheet")), None)
    strings = next((path(t) for kind, t in rels.values() if kind.endswith("/sharedStrings")), None)
    if strings is None and "xl/sharedStrings.xml" in z.NameToInfo:
        strings = "xl/sharedStrings.xml"
    if first is None:
        raise KeyError("no worksheet")
    return first, strings


def _shared_strings(z: zipfile.ZipFile, name: str, budget: Budget) -> list[str]:
    strings, text = [], Text(budget)
    si, t, rph = f"{MAIN} si", f"{MAIN} t", f"{MAIN} rPh"

    def start(tag, _a):
        if tag == t:
            text.on()
        elif tag == rph:
            text.phonetic += 1

    def end(tag):
        if tag == t:
            text.off()
        elif tag == rph:
            text.phonetic -= 1
        elif tag == si:
            if len(strings) >= budget.strings:
                raise TooManyStrings(budget.strings, MAX_CHARS)
            strings.append(text.take().replace("x005F_", ""))     # as openpyxl does
    for _ in parse(z, name, start, end, text, budget):
        pass
    return strings


def _column(ref: str | None, previous: int) -> int:
    """1-based column of a cell reference like "AB12"; the next column when there is none."""
    if not ref:
        return previous + 1
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        else:
            break
    return n or previous + 1


def _value(kind: str | None, raw: str, strings: list[str]):
    if kind == "s":
        return strings[int(raw)] if raw else None
    if kind in ("str", "inlineStr", "e", "d"):
        return raw
    if not raw:
        return None
    if kind == "b":
        return bool(int(raw))
    return float(raw) if ("." in raw or "E" in raw or "e" in raw) else int(raw)   # openpyxl's _cast_number


def sheet_rows(z: zipfile.ZipFile, *, max_columns: int, budget: Budget | None = None):
    """(row number, [values of columns 1..max_columns, trailing empties dropped]) for every row from 1 on,
    empty rows included, as openpyxl's read-only iter_rows(values_only=True) gave them."""
    budget = budget or Budget()
    sheet, strings_part = _parts(z, budget)
    strings = _shared_strings(z, strings_part, budget) if strings_part else []
    text, ready = Text(budget), []
    row_tag, c_tag, v_tag, t_tag, is_tag, rph = (f"{MAIN} {n}" for n in ("row", "c", "v", "t", "is", "rPh"))
    # plain closure variables, not an object: these handlers run once per element (0.6 us is the floor)
    row = col = 0
    kind, in_is, cells = None, False, {}

    def start(tag, a):
        nonlocal row, col, kind, in_is, cells
        if tag == c_tag:
            col = _column(a[1], col) if a and a[0] == "r" else _column(attr(a, "r"), col)
            kind = attr(a, "t") if a else None
        elif (tag == v_tag or (tag == t_tag and in_is)) and col <= max_columns:
            text.on()
        elif tag == is_tag:
            in_is = True
        elif tag == rph:
            text.phonetic += 1
        elif tag == row_tag:
            r = attr(a, "r")
            row = int(r) if r and r.isdigit() and int(r) > row else row + 1
            cells, col = {}, 0

    def end(tag):
        nonlocal in_is
        if tag == c_tag:
            if col <= max_columns:
                value = _value(kind, text.take(), strings)
                if value is not None:
                    cells[col] = value
        elif tag in (v_tag, t_tag):
            text.off()
        elif tag == row_tag:
            ready.append((row, [cells.get(i) for i in range(1, max(cells, default=0) + 1)]))
        elif tag == is_tag:
            in_is = False
        elif tag == rph:
            text.phonetic -= 1

    line = 0
    for _ in parse(z, sheet, start, end, text, budget):
        for number, values in ready:
            while line + 1 < number:         # rows the file skips are empty rows
                line += 1
                yield line, []
            line = number
            yield line, values
        ready.clear()
