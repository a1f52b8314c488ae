"""What an uploaded file is, judged by its content: the proof files of applications (PDF, JPEG, PNG) and the
registry's photos and signatures (JPEG, PNG).

    mime = check_proof_file(data)                                   # raises one of the errors below
    mime, (width, height) = check_image(data, accepted=PHOTO_TYPES, max_pixels=25_000_000)

Magic bytes only say what a file claims to be (a 66-byte PNG passed as the proof of a name change). So:
- images are decoded in full by Pillow, within a pixel limit and a memory budget planned from the header
  (backend/qr/formats.py): a truncated or damaged file fails. A JPEG is decoded at a reduced DCT scale
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

from backend.qr import formats
from backend.services.errors import ServiceError

PDF = "application/pdf"
PROOF_TYPES = (PDF, "image/jpeg", "image/png")
PHOTO_TYPES = ("image/jpeg", "image/png")
IMAGE_MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
LABELS = {PDF: "PDF", "image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP"}

PROOF_MAX_PIXELS = 50_000_000
PROOF_MIN_SIDE = 300
DECODE_BUDGET = 80 * 1024 * 1024   # bytes an image check may hold at once
CHECK_PIXELS = 4_000_000           # a JPEG is checked decoded at a scale that gives at most this many pixels
PDF_MAX_PAGES = 500
PDF_SECONDS = 4                    # wall time of the child, start-up (~0.2 s) included
PROBE = Path(__file__).with_name("pdf_probe.py")


class FileRejected(ServiceError):
    code, status = "file_rejected", 422
    message, message_en = "文件无法接受", "The file is not accepted"


class UnsupportedFileType(FileRejected):
    code, status = "unsupported_media_type", 415

    def __init__(self, accepted=PROOF_TYPES):
        names = [LABELS[m] for m in accepted]
        super().__init__(f"仅接受 {'、'.join(names)} 文件", f"Only {', '.join(names)} files are accepted",
                         details={"accepted": list(accepted)})


class ImageUnreadable(FileRejected):
    code = "corrupt_image"
    message, message_en = "图片已损坏或无法读取", "The image is damaged or cannot be read"


class TooManyPixels(FileRejected):
    code, status = "too_many_pixels", 413
    message, message_en = "图片尺寸过大", "The image has too many pixels"


class ImageTooSmall(FileRejected):
    code = "image_too_small"
    message = f"图片过小,不像证明材料的照片或扫描件(短边至少 {PROOF_MIN_SIDE} 像素)"
    message_en = f"The image is too small for a photo or scan of a document (at least {PROOF_MIN_SIDE} px a side)"


class PdfUnreadable(FileRejected):
    code = "pdf_unreadable"
    message, message_en = "PDF 文件已损坏或无法解析", "The PDF is damaged or cannot be parsed"


class PdfEncrypted(FileRejected):
    code = "pdf_encrypted"
    message, message_en = "PDF 已加密,请上传未加密的文件", "The PDF is encrypted: upload one without encryption"


class PdfActiveContent(FileRejected):
    code = "pdf_active_content"
    message = "PDF 含有脚本(JavaScript)或启动程序的动作,请另存或打印为普通 PDF 后再上传"
    message_en = "The PDF carries JavaScript or launch actions: save or print it as a plain PDF"


class PdfEmbeddedFiles(FileRejected):
    code = "pdf_embedded_files"
    message, message_en = "PDF 含有附件(嵌入的文件),请去掉附件后再上传", "The PDF carries embedded files: remove them"


class PdfWithoutPages(FileRejected):
    code = "pdf_no_pages"
    message, message_en = "PDF 没有任何页面", "The PDF has no page"


class PdfTooComplex(FileRejected):
    code, status = "pdf_too_complex", 413
    message = f"PDF 过于复杂(对象或页面过多,最多 {PDF_MAX_PAGES} 页),无法检查"
    message_en = f"The PDF is too complex to check (too many objects, or more than {PDF_MAX_PAGES} pages)"


PDF_ERRORS = {e.code: e for e in (PdfUnreadable, PdfEncrypted, PdfActiveContent, PdfEmbeddedFiles, PdfWithoutPages,
                                  PdfTooComplex)}


def sniff(data: bytes) -> str | None:
    """The MIME type the bytes claim by their magic: PDF, JPEG, PNG or WebP."""
    if data[:5] == b"%PDF-":
        return PDF
    return IMAGE_MIME.get(formats.sniff_image(data))


def check_proof_file(data: bytes, *, max_pixels: int = PROOF_MAX_PIXELS, min_side: int = PROOF_MIN_SIDE) -> str:
    """The MIME type of an acceptable proof file (PDF, JPEG or PNG), else a FileRejected."""
    mime = sniff(data)
    if mime == PDF:
        check_pdf(data)
        return mime
    return check_image(data, accepted=PROOF_TYPES, max_pixels=max_pixels, min_side=min_side)[0]


def check_image(data: bytes, *, accepted=PHOTO_TYPES, max_pixels: int, min_side: int = 0) -> tuple[str, tuple]:
    """(MIME type, (width, height)) of a JPEG or PNG that decodes in full, else a FileRejected."""
    mime = sniff(data)
    if mime not in accepted or mime not in ("image/jpeg", "image/png"):
        raise UnsupportedFileType(accepted)
    try:
        im, (width, height), planned = _open(data, mime)
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
    return mime, (width, height)


def _open(data: bytes, mime: str):
    """The image ready to decode (nothing decoded yet), its size, and the bytes its decode will hold."""
    if mime == "image/jpeg":
        im, buffered = formats.open_jpeg(data)
        size = im.size
        per_pixel = 1 if im.mode in ("L", "RGB") else formats.mode_bytes(im.mode)
        formats.draft_scaled(im, formats.jpeg_scale(*size, CHECK_PIXELS) or 8)
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
        raise ServiceError("暂时无法检查 PDF,请稍后再试", "The PDF cannot be checked right now: try again later",
                           code="service_unavailable", status=503) from None
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
