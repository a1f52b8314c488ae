"""Parsing one XML part of an XLSX upload with expat, within fixed limits (used by xlsx_stream.py).

The limits are shared by all the parts of one workbook (a Budget):
- time: at most MAX_ELEMENTS elements (expat calls back into Python for each, 0.6-1 us: 16,384 empty columns
  a row cost as much as many rows), and no token (tag or text) longer than MAX_TOKEN_BYTES, which expat
  would otherwise buffer whole (413 too_complex);
- memory: at most MAX_CHARS characters of text kept (413 too_many_strings), MAX_CELL_CHARS per cell
  (Excel's own limit);
- no DTD at all (OOXML parts never have one), so no entity expansion.
"""
from __future__ import annotations

import zipfile
from xml.parsers import expat

from backend.services.enterprise.errors import TooManyStrings, WorkbookTooComplex

MAX_STRINGS = 200_000
MAX_CHARS = 10_000_000          # Python holds 1-4 bytes a character: 40 MB at worst
MAX_CELL_CHARS = 32_767
MAX_ELEMENTS = 1_500_000        # a 10,000-row sheet of 30 columns has ~620,000
MAX_TOKEN_BYTES = 1 << 20
CHUNK = 1 << 16


class Budget:
    """Elements and characters left, shared by every part of one workbook."""

    def __init__(self, elements: int = MAX_ELEMENTS, chars: int = MAX_CHARS, strings: int = MAX_STRINGS):
        # larger limits for the authority's imports of the register (services/imports/reader.py)
        self.elements, self.chars, self.strings = elements, chars, strings

    def text(self, n: int):
        self.chars -= n
        if self.chars < 0:
            raise TooManyStrings(self.strings, MAX_CHARS)


def _no_dtd(*_args):
    raise ValueError("DTDs are not allowed in a workbook")


def parse(z: zipfile.ZipFile, name: str, start, end, text: Text | None, budget: Budget):
    """Feed one part to expat in pieces; yields after each piece so that the caller can drain what the
    handlers collected, and stop."""
    p = expat.ParserCreate(namespace_separator=" ")
    p.buffer_text = True
    p.ordered_attributes = True
    p.StartDoctypeDeclHandler = p.EntityDeclHandler = p.ExternalEntityRefHandler = _no_dtd

    def on_start(tag, attrs):
        budget.elements -= 1
        if budget.elements < 0:
            raise WorkbookTooComplex(max_elements=MAX_ELEMENTS)
        start(tag, attrs)

    p.StartElementHandler, p.EndElementHandler = on_start, end
    if text is not None:
        text.parser = p          # it switches the character handler on only for the text it wants
    run = 0                      # bytes since the last '<' (a tag or text still open)
    with z.open(name) as f:
        while chunk := f.read(CHUNK):
            last = chunk.rfind(b"<")
            first = chunk.find(b"<")
            if (run + (len(chunk) if first < 0 else first)) > MAX_TOKEN_BYTES:
                raise WorkbookTooComplex(max_token_bytes=MAX_TOKEN_BYTES)
            run = run + len(chunk) if last < 0 else len(chunk) - last - 1
            p.Parse(chunk, False)
            yield
    p.Parse(b"", True)
    yield


def attr(attrs: list, name: str) -> str | None:
    for i in range(0, len(attrs), 2):
        if attrs[i] == name:
            return attrs[i + 1]
    return None


class Text:
    """Collects the text of the <t> and <v> elements asked for, up to MAX_CELL_CHARS a cell. expat calls the
    character handler only while one is open (a call for every text node cost a third of the parse)."""

    def __init__(self, budget: Budget):
        self.budget, self.parts, self.size, self.phonetic, self.parser = budget, [], 0, 0, None

    def on(self):
        if not self.phonetic:           # phonetic runs (<rPh>) are not part of the text, as in openpyxl
            self.parser.CharacterDataHandler = self.data

    def off(self):
        self.parser.CharacterDataHandler = None

    def data(self, s: str):
        if self.size < MAX_CELL_CHARS:
            s = s[:MAX_CELL_CHARS - self.size]
            self.budget.text(len(s))
            self.parts.append(s)
            self.size += len(s)

    def take(self) -> str:
        s = "".join(self.parts)
        self.parts, self.size = [], 0
        return s
