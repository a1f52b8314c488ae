"""Certificate QR codes: error correction M, the smallest version that holds the text."""
from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M


def _make(text: str, box_size: int, border: int = 4) -> qrcode.QRCode:
    q = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    q.add_data(text.encode("utf-8"), optimize=0)
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
    q = _make(text, box_size=10)
    img = q.make_image(image_factory=qrcode.image.svg.SvgPathImage)
    return img.to_string(encoding="unicode")
