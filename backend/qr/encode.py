"""Certificate QR codes: error correction M, the smallest version that holds the text.

The text is split into segments: runs of the alphanumeric set (0-9 A-Z space $ % * + - . / :) long enough
to pay for a segment header go in alphanumeric mode (5.5 bits a character), the rest in byte mode (8 bits).
A packed certificate URL, `HTTPS://HOST/V#<BASE32>`, is then three segments: the URL, `#` (not in the set)
and the Base32; a text with no such run (a v1 URL with its base64url token) is one byte segment as before.
"""
from __future__ import annotations

import io
import re

import qrcode
import qrcode.image.svg
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M
from qrcode.util import MODE_8BIT_BYTE, MODE_ALPHA_NUM, QRData

_ALNUM_RUN = re.compile(r"[0-9A-Z $%*+\-./:]+")
# An alphanumeric run saves 2.5 bits a character over bytes; its own header costs 4 + 11 bits (versions
# 10-26), and one in the middle of byte text also a new byte header after it (4 + 16 bits).
_MIN_RUN_AT_END, _MIN_RUN_INSIDE = 7, 15


def segments(text: str) -> list[tuple[int, str]]:
    """[(mode, text)]: alphanumeric runs worth their header, the rest as bytes (UTF-8)."""
    out: list[tuple[int, str]] = []
    pos = 0
    for m in _ALNUM_RUN.finditer(text):
        at_end = m.start() == 0 or m.end() == len(text)
        if len(m.group()) < (_MIN_RUN_AT_END if at_end else _MIN_RUN_INSIDE):
            continue
        if m.start() > pos:
            out.append((MODE_8BIT_BYTE, text[pos:m.start()]))
        out.append((MODE_ALPHA_NUM, m.group()))
        pos = m.end()
    if pos < len(text) or not out:
        out.append((MODE_8BIT_BYTE, text[pos:]))
    return out


def _make(text: str, box_size: int, border: int = 4) -> qrcode.QRCode:
    q = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    for mode, part in segments(text):
        q.add_data(QRData(part.encode("utf-8") if mode == MODE_8BIT_BYTE else part, mode=mode))
    q.make(fit=True)
    return q


def qr_png(text: str, box_size: int = 6) -> tuple[bytes, int]:
    """(PNG bytes, QR version). 1-bit PNG: small, and exact for printing."""
    q = _make(text, box_size)
    buf = io.BytesIO()
    q.make_image(fill_color="black", back_color="white").get_image().convert("1").save(buf, "PNG", optimize=True)
    return buf.getvalue(), q.version


def qr_modules(text: str) -> list[list[bool]]:
    """The same symbol as qr_png, as rows of dark (True) and light modules, the 4-module quiet zone included:
    for drawing it as vectors (the certificate PDF)."""
    return _make(text, box_size=1).get_matrix()


def png_modules(png: bytes) -> list[list[bool]]:
    """The modules of a PNG that qr_png made (of any box size), as qr_modules gives them, in a millisecond
    rather than the tens that choosing the mask again takes. The first dark pixel of the top row of modules is
    the finder pattern's corner, 4 modules in: that gives the box size."""
    im = Image.open(io.BytesIO(png)).convert("L")
    w, data = im.width, im.tobytes()
    top = next(y for y in range(im.height) if min(data[y * w:(y + 1) * w]) < 128)
    box = next(x for x, v in enumerate(data[top * w:(top + 1) * w]) if v < 128) // 4
    n = w // box
    small = im.reduce(box).tobytes()
    return [[v < 128 for v in small[y * n:(y + 1) * n]] for y in range(n)]


def qr_svg(text: str) -> str:
    return qr_svg_version(text)[0]


def qr_svg_version(text: str) -> tuple[str, int]:
    """(SVG, QR version): one path, scalable (a holder's live code on a phone's screen)."""
    q = _make(text, box_size=10)
    img = q.make_image(image_factory=qrcode.image.svg.SvgPathImage)
    return img.to_string(encoding="unicode"), q.version
