"""Checking a certificate PDF as its readers would: its signature with pyHanko against a CA, its page rendered by
PDFium (pypdfium2) with the signature's appearance drawn, and test images of known colours to find on it."""
from __future__ import annotations

import io
import subprocess
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from backend.services.issuance.certificate_page import H

SCALE = 2.0                                   # 144 dpi: 5.67 pixels a millimetre
PHOTO_GREEN, PHOTO_YELLOW, INK_BLUE = (30, 160, 60), (250, 200, 40), (10, 40, 200)


def photo_jpeg() -> bytes:
    """A green ID photo with a yellow face: colours found nowhere else on the page."""
    im = Image.new("RGB", (600, 800), PHOTO_GREEN)
    ImageDraw.Draw(im).ellipse((150, 150, 450, 550), fill=PHOTO_YELLOW)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=95)
    return buf.getvalue()


def signature_png() -> bytes:
    """Blue-ink strokes on a transparent background."""
    im = Image.new("RGBA", (600, 200), (255, 255, 255, 0))
    ImageDraw.Draw(im).line([(30, 150), (120, 40), (200, 160), (300, 50), (420, 150), (560, 60)], fill=INK_BLUE,
                            width=12)
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def validate(pdf: bytes, ca_pem: bytes):
    """pyHanko's verdict on the one signature, trusting only `ca_pem`."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext
    tmp = Path(__import__("tempfile").mkdtemp()) / "ca.pem"
    tmp.write_bytes(ca_pem)
    vc = ValidationContext(trust_roots=[load_cert_from_pemder(str(tmp))], allow_fetching=False)
    sigs = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert len(sigs) == 1
    from backend.services.event_loops import outside_event_loop
    return sigs[0], outside_event_loop(validate_pdf_signature, sigs[0], vc)


def render(pdf: bytes, *, forms: bool = True) -> Image.Image:
    """Page 1 as PDFium draws it; `forms`: with the signature field's appearance (the seal), as readers do."""
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(pdf)
    if forms:
        doc.init_forms()
    try:
        return doc[0].render(scale=SCALE, may_draw_forms=forms).to_pil().convert("RGB")
    finally:
        doc.close()


def box_px(x1: float, y1: float, x2: float, y2: float) -> tuple[int, int, int, int]:
    """A box in PDF points (origin bottom left) as a crop box of the rendered page."""
    return round(x1 * SCALE), round((H - y2) * SCALE), round(x2 * SCALE), round((H - y1) * SCALE)


def pixels(im: Image.Image):
    return np.asarray(im, dtype=np.int16)


def near(a, colour, tolerance: int = 40):
    """Where the pixels of the array `a` are within `tolerance` of `colour` in every channel."""
    return (np.abs(a - np.array(colour)) <= tolerance).all(axis=-1)


def seal_red(a):
    return (a[..., 0] > 170) & (a[..., 1] < 90) & (a[..., 2] < 100)


def pdffonts(pdf: bytes, tmp_path) -> list[list[str]] | None:
    """pdffonts' rows (poppler-utils), or None where it is not installed."""
    path = Path(tmp_path) / "fonts.pdf"
    path.write_bytes(pdf)
    try:
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    except FileNotFoundError:
        return None
    return [line.split() for line in out.splitlines()[2:] if line.strip()]
