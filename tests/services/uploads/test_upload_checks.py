"""Proof files and photos are checked by their content (services/uploads/checks.py), not by magic bytes alone."""
from __future__ import annotations

import io
import re
import time

import pytest
from PIL import Image

from backend.services.uploads.checks import check_image, check_pdf, check_proof_file
from backend.services.uploads.errors import FileRejected
from tests.proof_files import PAGE, PLAIN_PDF, TINY_PNG, encrypted_pdf, pdf, pdf_with_object_stream, png, scan_jpeg, stream
from tests.qr.test_decode import png_claiming

JS = b"<< /S /JavaScript /JS (app.alert(1)) >>"
ON_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "


def rejected(data: bytes, **kw) -> FileRejected:
    with pytest.raises(FileRejected) as e:
        check_proof_file(data, **kw)
    err = e.value
    assert err.message and err.message_en and re.search(r"[\u4e00-\u9fff]", err.message)   # Chinese first
    assert 400 <= err.status < 500
    return err


@pytest.mark.parametrize("data,code", [
    (b"%PDF-1.4\n%proof\n", "pdf_unreadable"),                      # magic bytes and nothing else
    (b"%PDF-1.7\n" + bytes(range(256)) * 40, "pdf_unreadable"),
    (pdf(b"<< /Names [(x) 5 0 R] >>", JS, catalog=b"/Names << /JavaScript 4 0 R >> "), "pdf_active_content"),
    (pdf(catalog=b"/OpenAction " + JS + b" "), "pdf_active_content"),
    (pdf(catalog=b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> "), "pdf_active_content"),  # escaped
    (pdf(JS, page=ON_PAGE + b"/AA << /O 4 0 R >> >>"), "pdf_active_content"),             # page-open action
    (pdf(catalog=b"/OpenAction << /S /Launch /F (calc.exe) >> "), "pdf_active_content"),
    (pdf(stream(b"<xdp/>"), catalog=b"/AcroForm << /Fields [] /XFA 4 0 R >> "), "pdf_active_content"),
    (pdf_with_object_stream(JS), "pdf_active_content"),                                   # hidden, compressed
    (pdf(b"<< /Type /Filespec /F (a.exe) /EF << /F 5 0 R >> >>", stream(b"MZ", b"/Type /EmbeddedFile"),
         catalog=b"/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >> "), "pdf_embedded_files"),
    (pdf(b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] /FS << /F (a.txt) >> >>",
         page=ON_PAGE + b"/Annots [4 0 R] >>"), "pdf_embedded_files"),
    (pdf(pages=b"<< /Type /Pages /Kids [] /Count 0 >>"), "pdf_no_pages"),
])
def test_pdf_refusals(data, code):
    assert rejected(data).code == code


def test_encrypted_pdf_is_refused():
    err = rejected(encrypted_pdf())
    assert (err.code, err.status) == ("pdf_encrypted", 422)


@pytest.mark.parametrize("data", [
    pdf(b"[" + b"0 " * 1_500_000 + b"]", catalog=b"/Big 4 0 R "),                   # one array, 1.5 M numbers
    pdf_with_object_stream(b"<< /S /GoTo /D [3 0 R /Fit] >>", padding=60_000_000),    # a deflate bomb
    pdf(b"[" * 30_000 + b"]" * 30_000, catalog=b"/Deep 4 0 R "),                    # nesting
    pdf(b"[" + b" ".join(b"%d 0 R" % i for i in range(5, 40_000)) + b"]", *[b"null"] * 40_000,
        catalog=b"/Many 4 0 R "),                                                      # 40,000 objects
], ids=["huge-array", "deflate-bomb", "deep", "many-objects"])
def test_hostile_pdfs_are_refused_as_too_complex_in_bounded_time(data):
    started = time.perf_counter()
    err = rejected(data)
    assert (err.code, err.status) == ("pdf_too_complex", 413)
    assert time.perf_counter() - started < 5


def test_pdf_pages_are_counted_and_limited():
    three = pdf(PAGE, PAGE, pages=b"<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >>")
    assert check_pdf(three) == 3
    with pytest.raises(FileRejected) as e:
        check_pdf(three, max_pages=2)
    assert e.value.code == "pdf_too_complex"


@pytest.mark.parametrize("data,code,status", [
    (TINY_PNG, "image_too_small", 422),
    (png((299, 2000)), "image_too_small", 422),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 58, "corrupt_image", 422),
    (scan_jpeg()[:20_000], "corrupt_image", 422),                                      # truncated
    (png_claiming(8000, 8000), "too_many_pixels", 413),                                 # header only
    (b"GIF89a" + b"\x00" * 100, "unsupported_media_type", 415),
    (b"MZ\x90\x00" + b"\x00" * 100, "unsupported_media_type", 415),
])
def test_image_refusals(data, code, status):
    err = rejected(data)
    assert (err.code, err.status) == (code, status)


def test_webp_is_no_proof_file():
    buf = io.BytesIO()
    Image.new("RGB", (1000, 1000), "white").save(buf, "WEBP")
    assert rejected(buf.getvalue()).code == "unsupported_media_type"


@pytest.mark.parametrize("data,mime", [
    (PLAIN_PDF, "application/pdf"),
    (pdf(b"<< /S /URI /URI (https://example.org) >>", catalog=b"/OpenAction 4 0 R "), "application/pdf"),  # links
    (scan_jpeg(), "image/jpeg"),
    (png((1240, 1754), "RGB", (250, 250, 245)), "image/png"),
    (png((300, 400)), "image/png"),
])
def test_genuine_proofs_are_accepted(data, mime):
    assert check_proof_file(data) == mime


def test_large_phone_photo_is_checked_at_a_reduced_scale():
    buf = io.BytesIO()
    Image.new("L", (8000, 6000), 200).save(buf, "JPEG", quality=80)      # 48 MP
    assert check_proof_file(buf.getvalue()) == "image/jpeg"


def test_photos_have_no_minimum_size_but_a_pixel_limit():
    assert check_image(png((40, 50)), max_pixels=25_000_000) == ("image/png", (40, 50))
    with pytest.raises(FileRejected) as e:
        check_image(png((600, 600)), max_pixels=100_000)
    assert (e.value.code, e.value.status) == ("too_many_pixels", 413)
