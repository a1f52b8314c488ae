"""The files bench/upload_memory.py sends: hostile and normal uploads for every upload path, made in memory
(large images are written a row at a time, so this process stays small too)."""
from __future__ import annotations

import csv
import io
import random
import struct
import zipfile
import zlib

import numpy as np
import qrcode
from PIL import Image

TEXT = "http://127.0.0.1:5000/v#eyJhbGciOiJFUzI1NiJ9.bench-upload-memory"


def qr(box: int) -> np.ndarray:
    q = qrcode.QRCode(box_size=box, border=4)
    q.add_data(TEXT)
    q.make(fit=True)
    return np.where(np.array(q.get_matrix(), dtype=bool), 0, 255).astype(np.uint8).repeat(box, 0).repeat(box, 1)


def save(im: Image.Image, fmt: str, **params) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **params)
    return buf.getvalue()


def png_rows(width: int, height: int, channels: int, dark: bytes, light: bytes, bits: int = 8) -> bytes:
    """A PNG with a QR code at (100, 100) on `light` pixels, compressed a row at a time."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    code, z, out = qr(20), zlib.compressobj(9), []
    blank = light * width
    for y in range(height):
        row = blank
        if 100 <= y < 100 + code.shape[0]:
            line = [light] * width
            for x in np.flatnonzero(code[y - 100] == 0):
                line[100 + x] = dark
            row = b"".join(line)
        out.append(z.compress(b"\x00" + row))
    out.append(z.flush())
    kind = {1: 0, 3: 2, 4: 6}[channels]
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bits, kind, 0, 0, 0))
            + chunk(b"IDAT", b"".join(out)) + chunk(b"IEND", b""))


def photo(size, mode="L", code_box=24, noise=False) -> Image.Image:
    w, h = size
    if noise:       # a textured scene without any code: the decoders' worst case
        small = np.random.default_rng(1).integers(0, 255, (h // 8 + 1, w // 8 + 1), dtype=np.uint8)
        im = Image.fromarray(small).resize((w, h), Image.BILINEAR)
        return im.convert(mode)
    im = Image.new(mode, size, 225 if mode == "L" else (225, 225, 225))
    if code_box:
        im.paste(Image.fromarray(qr(code_box)).convert(mode), (300, 300))
    return im


def ztxt_bomb() -> bytes:
    small = save(Image.fromarray(qr(4)), "PNG")
    bomb = zlib.compress(b"a" * (4 << 20), 9)
    body = b"k\x00\x00" + bomb
    chunk = struct.pack(">I", len(body)) + b"zTXt" + body + struct.pack(">I", zlib.crc32(b"zTXt" + body))
    return small[:33] + chunk * 1000 + small[33:]


def verify_images() -> list[tuple[str, bytes]]:
    alpha = np.zeros((3000, 3000, 4), np.uint8)
    code = qr(12)
    alpha[200:200 + code.shape[0], 200:200 + code.shape[1], 3] = np.where(code == 0, 255, 0)
    return [
        ("RGBA PNG 6320x6320 (the issue's)", png_rows(6320, 6320, 4, b"\0\0\0\xff", b"\0\0\0\0")),
        ("RGB PNG 6320x6320 + code", png_rows(6320, 6320, 3, b"\0\0\0", b"\xff\xff\xff")),
        ("grey PNG 6320x6320 + code", png_rows(6320, 6320, 1, b"\0", b"\xff")),
        ("grey 16-bit PNG 5000x5000 + code", png_rows(5000, 5000, 1, b"\0\0", b"\xff\xff", bits=16)),
        ("RGBA PNG 4000x4000 + code", png_rows(4000, 4000, 4, b"\0\0\0\xff", b"\0\0\0\0")),
        ("WebP RGB 6320x6320 + code", save(photo((6320, 6320), "RGB"), "WEBP", quality=50)),
        ("WebP RGBA 3000x3000 + code", save(Image.fromarray(alpha, "RGBA"), "WEBP", lossless=True)),
        ("JPEG 48 MP + code", save(photo((8000, 6000)), "JPEG", quality=85)),
        ("JPEG 200 MP (16320x12240)", save(photo((16320, 12240), code_box=60), "JPEG", quality=85)),
        ("JPEG progressive 24 MP 4:4:4", save(photo((6000, 4000), "RGB"), "JPEG", progressive=True, subsampling=0)),
        ("JPEG progressive 20 MP 4:2:0", save(photo((5200, 3900), "RGB"), "JPEG", progressive=True)),
        ("PNG with 1000 zTXt chunks (4 GB of text)", ztxt_bomb()),
        ("JPEG 16 MP textured, no code", save(photo((4600, 3460), noise=True), "JPEG", quality=75)),
        ("JPEG 12 MP phone photo + code", save(photo((4000, 3000), code_box=10), "JPEG", quality=85)),
    ]


def person_images() -> list[tuple[str, bytes]]:
    return [
        ("JPEG portrait 400x500", save(photo((400, 500), "RGB", code_box=0), "JPEG", quality=85)),
        ("JPEG 48 MP (2 MB cap)", save(photo((8000, 6000), code_box=0), "JPEG", quality=60)),
        ("JPEG 24 MP", save(photo((6000, 4000), code_box=0), "JPEG", quality=60)),
        ("PNG RGB 4400x4400", png_rows(4400, 4400, 3, b"\0\0\0", b"\xff\xff\xff")),
        ("PNG RGB 6320x6320", png_rows(6320, 6320, 3, b"\0\0\0", b"\xff\xff\xff")),
        ("PNG signature 600x200", save(Image.new("L", (600, 200), 255), "PNG")),
    ]


def _pdf(*extra: bytes, catalog: bytes = b"", pages: bytes | None = None, page_objects: int = 1) -> bytes:
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(page_objects))
    objects = [b"<< /Type /Catalog /Pages 2 0 R " + catalog + b">>",
               pages or b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % page_objects,
               *[page] * page_objects, *extra]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _text_pdf(pages: int) -> bytes:
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for i in range(pages):
        for line in range(40):
            c.drawString(72, 790 - 18 * line, f"Page {i + 1}, line {line + 1}: proof of employment and insurance")
        c.showPage()
    c.save()
    return buf.getvalue()


def _objstm_bomb() -> bytes:
    """The catalog's /OpenAction is object 5, inside object stream 4 that inflates to 60 MB (found through a
    cross-reference stream, so a reader must inflate it)."""
    head = b"5 0 "
    inner = zlib.compress(head + b"<< /S /GoTo /D [3 0 R /Fit] >>" + b" " * 60_000_000, 9)
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
               2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
               4: b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(inner)
                  + inner + b"\nendstream"}
    out, offsets = bytearray(b"%PDF-1.7\n"), {}
    for n, body in objects.items():
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    offsets[6] = len(out)
    rows = [(0, 0, 65535)] + [(1, offsets[n], 0) for n in (1, 2, 3, 4)] + [(2, 4, 0), (1, offsets[6], 0)]
    table = b"".join(t.to_bytes(1, "big") + f.to_bytes(4, "big") + g.to_bytes(2, "big") for t, f, g in rows)
    out += (b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(table)
            + table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[6])
    return bytes(out)


def proof_files() -> list[tuple[str, bytes]]:
    scan = photo((1240, 1754), "RGB", code_box=0)
    return [
        ("JPEG A4 scan 150 dpi", save(scan, "JPEG", quality=80)),
        ("PDF 1 page", _text_pdf(1)),
        ("PDF 400 pages of text", _text_pdf(400)),
        ("PDF 40,000 objects", _pdf(b"[" + b" ".join(b"%d 0 R" % i for i in range(5, 40_000)) + b"]",
                                     *[b"null"] * 40_000, catalog=b"/Many 4 0 R ")),
        ("PDF 1.5 M numbers in one array", _pdf(b"[" + b"0 " * 1_500_000 + b"]", catalog=b"/Big 4 0 R ")),
        ("PDF 60 MB deflate bomb", _objstm_bomb()),
        ("PDF with JavaScript", _pdf(catalog=b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> ")),
        ("PNG 1x1 (67 bytes)", save(Image.new("L", (1, 1)), "PNG")),
        ("JPEG 48 MP", save(photo((8000, 6000), code_box=0), "JPEG", quality=60)),
        ("PNG RGBA 4000x4000", png_rows(4000, 4000, 4, b"\0\0\0\xff", b"\0\0\0\0")),
        ("PNG RGB 6320x6320", png_rows(6320, 6320, 3, b"\0\0\0", b"\xff\xff\xff")),
    ]


# --- bulk check ---------------------------------------------------------------------

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
RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="{R}/worksheet"/>'
        f'<Relationship Id="rId2" Target="sharedStrings.xml" Type="{R}/sharedStrings"/></Relationships>')
HEADER = b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'


def xlsx(rows: bytes = HEADER, strings: bytes = b"<si><t>name</t></si><si><t>id</t></si>",
         sheets: bytes = b'<sheet name="S1" sheetId="1" r:id="rId1"/>') -> bytes:
    """An XLSX as Excel writes it (shared strings), part by part."""
    parts = {"[Content_Types].xml": CT.encode(), "xl/_rels/workbook.xml.rels": RELS.encode(),
             "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{R}"><sheets>'.encode() + sheets
             + b"</sheets></workbook>",
             "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">'.encode() + strings + b"</sst>",
             "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN}"><sheetData>'.encode() + rows
             + b"</sheetData></worksheet>"}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return out.getvalue()


def staff_rows(n: int) -> list[list[str]]:
    from backend.services.checkdigits import id_check_char
    rnd, rows = random.Random(7), []
    for _ in range(n):
        first17 = f"{rnd.choice([110105, 320102, 440305])}{rnd.randint(1960, 2000)}0{rnd.randint(1, 9)}" \
                  f"{rnd.randint(10, 28)}{rnd.randint(100, 999)}"
        rows.append([rnd.choice("王李张刘陈杨") + rnd.choice("建国伟芳娜敏静丽强磊"), first17 + id_check_char(first17)])
    return rows


def bulk_files() -> list[tuple[str, bytes]]:
    rows = staff_rows(10_000)
    text = io.StringIO()
    csv.writer(text).writerows([["姓名", "身份证号"], *rows])
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "身份证号"])
    for r in rows:
        wb.active.append(r)
    wide30 = io.StringIO()
    csv.writer(wide30).writerows([["姓名", "身份证号"] + [f"c{i}" for i in range(28)]]
                                 + [r + ["x" * 14] * 28 for r in rows])
    return [
        ("CSV 10,000 rows", text.getvalue().encode()),
        ("XLSX 10,000 rows (openpyxl)", save_wb(wb)),
        ("CSV 10,000 rows x 30 columns (5 MB)", wide30.getvalue().encode()[:5 * 1024 * 1024]),
        ("CSV one row of 2.5 M fields", ("姓名,身份证号\n" + "," * 2_500_000 + "\n").encode()),
        ("CSV one 5 MB field", ("姓名,身份证号\n王,\"" + "x" * 5_000_000 + "\"\n").encode()),
        ("XLSX shared strings 59 MB (the issue's)",
         xlsx(strings=b"<si><t>name</t></si><si><t>id</t></si>" + b"<si><t>x</t></si>" * 3_500_000)),
        ("XLSX 16,384 columns", xlsx(HEADER + b"".join(b"<row>" + b"<c><v>1</v></c>" * 16384 + b"</row>"
                                                        for _ in range(100)))),
        ("XLSX one 30 MB inline string", xlsx(HEADER + b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
                                              + b"a" * 30_000_000 + b"</t></is></c></row>")),
        ("XLSX 1,000,000 rows", xlsx(HEADER + b"".join(b'<row r="%d"><c t="s"><v>0</v></c></row>' % r
                                                        for r in range(2, 1_000_000)))),
        ("XLSX 1.6 M sheets listed", xlsx(sheets=b'<sheet name="S1" sheetId="1" r:id="rId1"/>'
                                          + b'<sheet name="x" sheetId="2" r:id="rId9"/>' * 1_600_000)),
    ]


def save_wb(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
