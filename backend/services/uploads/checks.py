"""What an uploaded file is, judged by its content: the proof files of applications (PDF, JPEG, PNG) and the
registry's photos and signatures (JPEG, PNG).

    mime = check_proof_file(data)                                   # raises one of the errors below
    mime, (width, height) = check_image(data, accepted=PHOTO_TYPES, max_pixels=25_000_000)
    image, mime, (width, height) = load_image(data, max_pixels=25_000_000, colour=True)   # and keep the pixels

Magic bytes only say what a file claims to be (a 66-byte PNG passed as the proof of a name change). So:
- images are decoded in full by Pillow, within a pixel limit and a memory budget planned from the header
  (backend/content/images.py): a truncated or damaged file fails. A JPEG is decoded at a reduced DCT scale
  (every scan is still entropy-decoded), so a 50 MP photo costs a few MB;
- a proof image must look like a document photo or scan: its short side at least PROOF_MIN_SIDE pixels
  (a business card scanned at 150 dpi is 300 px high; phones take 3000);
- PDFs are parsed by pypdf in a child process that the OS bounds in memory and time (pdf_probe.py), and
  refused when encrypted, with JavaScript or launch actions, with embedded files, or without pages.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PIL import Image

from backend.content import images as formats
from backend.content.sniff import sniff
from backend.services.uploads.errors import (
    PDF_ERRORS,
    FileRejected,
    ImageTooSmall,
    ImageUnreadable,
    PdfCheckUnavailable,
    PdfTooComplex,
    PdfUnreadable,
    TooManyPixels,
    UnsupportedFileType,
)
from backend.services.uploads.limits import (
    CHECK_PIXELS,
    DECODE_BUDGET,
    PDF,
    PDF_MAX_PAGES,
    PDF_SECONDS,
    PHOTO_TYPES,
    PROOF_MAX_PIXELS,
    PROOF_MIN_SIDE,
    PROOF_TYPES,
)

PROBE = Path(__file__).with_name("pdf_probe.py")


def check_proof_file(data: bytes, *, max_pixels: int = PROOF_MAX_PIXELS, min_side: int = PROOF_MIN_SIDE) -> str:
    """The MIME type of an acceptable proof file (PDF, JPEG or PNG), else a FileRejected."""
    mime = sniff(data)
    if mime == PDF:
        check_pdf(data)
        return mime
    return check_image(data, accepted=PROOF_TYPES, max_pixels=max_pixels, min_side=min_side)[0]


def check_image(data: bytes, *, accepted=PHOTO_TYPES, max_pixels: int, min_side: int = 0) -> tuple[str, tuple]:
    """(MIME type, (width, height)) of a JPEG or PNG that decodes in full, else a FileRejected."""
    _im, mime, size = load_image(data, accepted=accepted, max_pixels=max_pixels, min_side=min_side)
    return mime, size


def load_image(data: bytes, *, accepted=PHOTO_TYPES, max_pixels: int, min_side: int = 0,
               colour: bool = False) -> tuple[Image.Image, str, tuple]:
    """check_image's decode, kept: (the image, MIME type, (width, height) at full scale). A JPEG comes decoded
    at the reduced scale that holds at most CHECK_PIXELS, in grey unless `colour` is asked for."""
    mime = sniff(data)
    if mime not in accepted or mime not in ("image/jpeg", "image/png"):
        raise UnsupportedFileType(accepted)
    try:
        im, (width, height), planned = _open(data, mime, colour)
        if width * height > max_pixels:
            raise TooManyPixels(details={"width": width, "height": height, "max_pixels": max_pixels})
        if planned > DECODE_BUDGET:
            raise TooManyPixels(details={"width": width, "height": height,
                                         "reason": "decoding would need too much memory"})
        if min(width, height) < min_side:
            raise ImageTooSmall(details={"width": width, "height": height, "min_side": min_side})
        im.load()
    except FileRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise TooManyPixels(details={"max_pixels": max_pixels}) from None
    except Exception:      # truncated data, bad chunks, CRC errors...
        raise ImageUnreadable() from None
    return im, mime, (width, height)


def _open(data: bytes, mime: str, colour: bool = False):
    """The image ready to decode (nothing decoded yet), its size, and the bytes its decode will hold."""
    if mime == "image/jpeg":
        im, buffered = formats.open_jpeg(data)
        size = im.size
        colour = colour and im.mode != "L"
        # Pillow holds RGB as 4 bytes a pixel; asked for grey, libjpeg gives 1 (CMYK and the like stay as they are)
        per_pixel = 4 if colour else 1 if im.mode in ("L", "RGB") else formats.mode_bytes(im.mode)
        formats.draft_scaled(im, formats.jpeg_scale(*size, CHECK_PIXELS) or 8, "RGB" if colour else "L")
        return im, size, buffered + im.size[0] * im.size[1] * per_pixel
    im, essentials = formats.open_png(data)
    return im, im.size, len(essentials) + im.size[0] * im.size[1] * formats.mode_bytes(im.mode)


def check_pdf(data: bytes, *, max_pages: int = PDF_MAX_PAGES, seconds: float = PDF_SECONDS) -> int:
    """The page count of an acceptable PDF, else a FileRejected."""
    try:
        done = subprocess.run([sys.executable, "-I", str(PROBE), str(max_pages)], input=data, capture_output=True,
                              timeout=seconds, check=False)
    except subprocess.TimeoutExpired:
        raise PdfTooComplex(details={"reason": "time", "seconds": seconds}) from None
    except OSError:            # no process to be had (fork refused under load): the file is not at fault
        raise PdfCheckUnavailable() from None
    try:
        verdict = json.loads(done.stdout)
    except ValueError:         # killed (CPU limit) or crashed before answering
        verdict = {"error": "pdf_too_complex" if done.returncode < 0 else "pdf_unreadable"}
    error = PDF_ERRORS.get(verdict.get("error"))
    if error is not None:
        raise error(details={k: v for k, v in verdict.items() if k != "error"})
    if verdict.get("error") or not isinstance(verdict.get("pages"), int):
        raise PdfUnreadable()
    return verdict["pages"]
