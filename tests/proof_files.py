"""Proof files for the content checks: PDFs written object by object (so a test shows exactly what is
inside), a scan-sized JPEG, and the tiny PNG that magic bytes used to accept."""
from __future__ import annotations

import io
import zlib

PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


def pdf(*extra: bytes, catalog: bytes = b"", page: bytes = PAGE, pages: bytes | None = None) -> bytes:
    """A PDF with a correct cross-reference table: 1 the catalog (+ `catalog` entries), 2 the page tree,
    3 the page, then `extra` as objects 4, 5, ..."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R " + catalog + b">>",
               pages if pages is not None else b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page, *extra]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, entries: bytes = b"", compress: bool = False) -> bytes:
    if compress:
        data, entries = zlib.compress(data), entries + b" /Filter /FlateDecode"
    return b"<< /Length %d %s >>\nstream\n" % (len(data), entries) + data + b"\nendstream"


PLAIN_PDF = pdf(stream(b"BT /F1 24 Tf 72 760 Td (Proof) Tj ET"),
                page=b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>")


def encrypted_pdf() -> bytes:
    from pypdf import PdfWriter
    w = PdfWriter()
    w.add_blank_page(595, 842)
    w.encrypt("user-secret", "owner-secret", algorithm="AES-128")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def scan_jpeg(size=(1240, 1754)) -> bytes:
    """A page scanned at 150 dpi: text lines on paper."""
    from PIL import Image, ImageDraw
    im = Image.new("RGB", size, (246, 244, 238))
    d = ImageDraw.Draw(im)
    for y in range(120, size[1] - 120, 36):
        d.line((100, y, size[0] - 100 - (y * 7) % 300, y), fill=(30, 30, 30), width=4)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def png(size, mode="L", color=255) -> bytes:
    from PIL import Image
    buf = io.BytesIO()
    Image.new(mode, size, color).save(buf, "PNG")
    return buf.getvalue()


TINY_PNG = png((1, 1))          # under 70 bytes: what magic bytes alone accepted as the proof of a name change


def pdf_with_object_stream(hidden: bytes, padding: int = 0) -> bytes:
    """A PDF whose catalog's /OpenAction is object 5, stored compressed inside the object stream 4 (then
    `padding` spaces, which inflate from a few KB: a deflate bomb), found through a cross-reference stream."""
    head = b"5 0 "
    inner = zlib.compress(head + hidden + b" " * padding, 9)
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
               2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", 3: PAGE,
               4: b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
                  % (len(head), len(inner)) + inner + b"\nendstream"}
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for number, body in objects.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    offsets[6] = len(out)
    rows = [(0, 0, 65535)] + [(1, offsets[n], 0) for n in (1, 2, 3, 4)] + [(2, 4, 0), (1, offsets[6], 0)]
    table = b"".join(t.to_bytes(1, "big") + f.to_bytes(4, "big") + g.to_bytes(2, "big") for t, f, g in rows)
    out += (b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(table)
            + table + b"\nendstream\nendobj\n")
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[6]
    return bytes(out)
