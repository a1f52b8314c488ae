"""Certificate QR codes: error correction M, the smallest version that holds the text."""
from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
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


def qr_svg(text: str) -> str:
    q = _make(text, box_size=10)
    img = q.make_image(image_factory=qrcode.image.svg.SvgPathImage)
    return img.to_string(encoding="unicode")
