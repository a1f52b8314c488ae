"""The certificate PDF (issue 10, items 2 and 3): signed by the authority (PAdES, validated by pyHanko against the
demo CA), broken by one changed byte, every font embedded, and the rendered page showing the seal over the
issuer's name, the photo and the signature image in their boxes and a QR code that reads back."""
import io
from pathlib import Path

import numpy as np
import pytest

from backend.models import CopyStatus
from backend.qr.decode import decode_image_bytes
from backend.qr.encode import png_modules
from backend.services.issuance.certificate_page import LEFT, PHOTO, RIGHT, SEAL_BOX, SIGNATURE, ZONE
from backend.services.issuance.certificate_pdf import CertificatePdfs
from backend.services.issuance.copies import issue_copy
from tests import factories as f
from tests.conftest import need
from tests.signed_pdfs import (
    INK_BLUE,
    PHOTO_GREEN,
    PHOTO_YELLOW,
    SCALE,
    box_px,
    near,
    pdffonts,
    photo_jpeg,
    pixels,
    render,
    seal_red,
    signature_png,
    validate,
)

MM = 72 / 25.4


@pytest.fixture()
def pdfs(app, svc):
    return CertificatePdfs(app.extensions["jz.pdf_signing"], svc.catalogue, svc.clock)


@pytest.fixture()
def ca_pem(app):
    return (Path(app.config["PDF_SIGNING_DIR"]) / "ca.cert.pem").read_bytes()


def copy_of(session, svc, *, photo=True, signature=True, kind="JZS2", specialties=("JZ", "SZ")):
    reg = f.registration(session, svc.catalogue, svc.clock, kind=kind, specialties=specialties)
    reg.person.photo = photo_jpeg() if photo else None
    reg.person.signature = signature_png() if signature else None
    session.flush()
    return issue_copy(session, svc.ring, svc.catalogue, svc.settings, svc.clock, reg.registration_number, "test")


def test_signed_by_the_authority_intact_and_trusted_against_the_demo_ca(session, svc, pdfs, ca_pem):
    sig, status = validate(pdfs.signed(copy_of(session, svc)), ca_pem)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == svc.settings.issuer_name
    assert {"digital_signature", "non_repudiation"} <= set(status.signing_cert.key_usage_value.native)
    # PAdES baseline B-B: ETSI.CAdES.detached with the signing certificate attribute, and no CMS signing time
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    attrs = {a["type"].native for a in sig.signer_info["signed_attrs"]}
    assert "signing_certificate_v2" in attrs and "signing_time" not in attrs
    assert sig.coverage.name == "ENTIRE_FILE" and status.timestamp_validity is None


def test_signed_and_checked_where_an_event_loop_runs(session, svc, pdfs, ca_pem):
    """pyHanko runs asyncio.run inside: an async server's worker (or playwright's sync API in the test process)
    has a loop running in the thread, where asyncio.run refuses to start."""
    import asyncio
    copy = copy_of(session, svc)

    async def in_a_loop():
        pdf = pdfs.signed(copy)
        return validate(pdf, ca_pem)[1]
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(1) as thread:   # a thread of its own: this one may have a loop running already
        assert thread.submit(asyncio.run, in_a_loop()).result().bottom_line


def test_one_changed_byte_in_the_signed_range_breaks_it(session, svc, pdfs, ca_pem):
    pdf = pdfs.signed(copy_of(session, svc))
    # a byte inside the photo's JPEG data: the file still opens, the page still renders, the digest no longer matches
    i = pdf.index(b"stream", pdf.index(b"/DCTDecode")) + 400
    assert i < int(pdf[pdf.index(b"/ByteRange [") + 12:].split()[1])       # inside the first signed range
    tampered = pdf[:i] + bytes([pdf[i] ^ 0x01]) + pdf[i + 1:]
    _, status = validate(tampered, ca_pem)
    assert not status.intact and not status.bottom_line
    render(tampered)


def test_certified_nothing_may_be_added_afterwards(session, svc, pdfs, ca_pem):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    pdf = pdfs.signed(copy_of(session, svc))
    sig, status = validate(pdf, ca_pem)
    assert sig.docmdp_level.name == "NO_CHANGES" and status.docmdp_ok
    # every signed byte kept, a note added on the page in an update after the signature: flagged
    w = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = w.root["/Pages"]["/Kids"][0].get_object()
    note = w.add_object(generic.DictionaryObject({
        pdf_name("/Type"): pdf_name("/Annot"), pdf_name("/Subtype"): pdf_name("/Text"),
        pdf_name("/Rect"): generic.ArrayObject([generic.NumberObject(v) for v in (100, 700, 120, 720)]),
        pdf_name("/Contents"): generic.TextStringObject("有效期已延长")}))
    page["/Annots"].append(note)
    w.update_container(page)
    out = io.BytesIO()
    w.write(out)
    _, after = validate(out.getvalue(), ca_pem)
    assert after.intact and not after.docmdp_ok and not after.bottom_line


def test_a_pdf_reader_trusts_it_once_the_ca_is_trusted(session, svc, pdfs, app, tmp_path):
    """poppler's pdfsig with an NSS certificate store: the engine of Okular and Evince."""
    import shutil
    import subprocess
    need(shutil.which("pdfsig") and shutil.which("certutil"), "pdfsig and certutil (Debian: poppler-utils, libnss3-tools)")
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(pdfs.signed(copy_of(session, svc)))
    nss = tmp_path / "nss"
    nss.mkdir()
    run = lambda *a: subprocess.run(a, capture_output=True, text=True, timeout=60)
    run("certutil", "-N", "-d", f"sql:{nss}", "--empty-password")
    before = run("pdfsig", "-nssdir", f"sql:{nss}", str(pdf)).stdout
    assert "Signature is Valid." in before and "Certificate is Trusted." not in before, before
    run("certutil", "-A", "-d", f"sql:{nss}", "-n", "demo-ca", "-t", "C,C,C", "-i",
        str(Path(app.config["PDF_SIGNING_DIR"]) / "ca.cert.pem"))
    out = run("pdfsig", "-nssdir", f"sql:{nss}", str(pdf)).stdout
    assert "Signature is Valid." in out and "Certificate is Trusted." in out, out


def test_not_trusted_against_another_ca(session, svc, pdfs, tmp_path):
    from backend.crypto.pdf_pki import ensure_demo_pki
    other = ensure_demo_pki(tmp_path / "other", "别的机关", "11100000000013338W").ca_cert.read_bytes()
    _, status = validate(pdfs.signed(copy_of(session, svc)), other)
    assert status.intact and status.valid and not status.trusted and not status.bottom_line


def test_every_font_is_embedded(session, svc, pdfs, tmp_path):
    from pypdf import PdfReader
    from pypdf.generic import IndirectObject
    pdf = pdfs.signed(copy_of(session, svc))
    reader = PdfReader(io.BytesIO(pdf))
    fonts = []
    for num in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(IndirectObject(num, 0, reader))
        if hasattr(obj, "get") and obj.get("/Type") == "/Font":
            fonts.append(obj)
    assert fonts
    for font in fonts:
        desc = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
    rows = pdffonts(pdf, tmp_path)
    need(rows is not None, "pdffonts (Debian: poppler-utils)")
    assert rows and all(r[-5] == "yes" and r[-4] == "yes" for r in rows), rows     # emb, sub
    assert all("+WenQuanYiMicroHei" in r[0] for r in rows)


def test_the_page_shows_seal_photo_and_signature_where_they_belong(session, svc, pdfs):
    copy = copy_of(session, svc)
    page = render(pdfs.signed(copy))
    whole = pixels(page)
    seal = pixels(page.crop(box_px(*SEAL_BOX)))
    red = seal_red(seal)
    assert red.mean() > 0.08                                          # the ring, the star and the name
    ys, xs = np.nonzero(red)
    h, w = red.shape
    assert abs(xs.mean() - w / 2) < 3 * MM * SCALE and abs(ys.mean() - h / 2) < 3 * MM * SCALE   # centred
    # ... over the issuer's name: its black strokes show through the seal
    name_band = pixels(page.crop(box_px(SEAL_BOX[0], ZONE - 30 * MM, SEAL_BOX[2], ZONE - 23 * MM)))
    assert (name_band.max(axis=-1) < 90).sum() > 100
    # no seal red anywhere else, and none at all without the signature's appearance: the seal is the signature
    assert seal_red(whole).sum() - red.sum() < 50
    assert seal_red(pixels(render(pdfs.signed(copy), forms=False).crop(box_px(*SEAL_BOX)))).sum() < 20
    x, y, w, h = PHOTO
    photo = pixels(page.crop(box_px(x, y, x + w, y + h)))
    ph, pw = photo.shape[:2]
    assert near(photo[ph // 2, pw // 2], PHOTO_YELLOW) and near(photo[4, 4], PHOTO_GREEN)
    assert near(photo[ph - 5, pw - 5], PHOTO_GREEN)
    assert near(whole, PHOTO_GREEN, 30).sum() == near(photo, PHOTO_GREEN, 30).sum() > 0.5 * ph * pw
    x, y, w, h = SIGNATURE
    blue = near(pixels(page.crop(box_px(x, y, x + w, y + h))), INK_BLUE, 50).sum()
    assert blue > 1500 and near(whole, INK_BLUE, 50).sum() == blue
    png = io.BytesIO()
    page.save(png, "PNG")
    assert decode_image_bytes(png.getvalue()) == [copy.qr_text]


def test_qr_symbol_is_at_least_30_mm_with_its_quiet_zone(session, svc, pdfs):
    copy = copy_of(session, svc)
    page = render(pdfs.signed(copy))
    zone = pixels(page.crop(box_px(LEFT - 3 * MM, ZONE - 39 * MM, LEFT + 42 * MM, ZONE + 2 * MM)))
    dark = zone.max(axis=-1) < 100
    ys, xs = np.nonzero(dark)
    width, height = (xs.max() - xs.min() + 1) / SCALE / MM, (ys.max() - ys.min() + 1) / SCALE / MM
    assert 32.5 <= width <= 33.5 and 32.5 <= height <= 33.5            # the symbol: 33 mm
    module = (xs.max() - xs.min() + 1) / (len(png_modules(copy.qr_png)) - 8)
    q = int(3.5 * module)                                             # the quiet zone: 4 modules of white
    ring = dark[ys.min() - q:ys.max() + q + 1, xs.min() - q:xs.max() + q + 1].copy()
    ring[q:-q, q:-q] = False
    assert not ring.any()


def test_without_a_signature_image_it_says_none_is_on_file(session, svc, pdfs, ca_pem):
    import pypdfium2 as pdfium
    pdf = pdfs.signed(copy_of(session, svc, signature=False, photo=False))
    assert validate(pdf, ca_pem)[1].bottom_line
    text = pdfium.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert "未留存签名图像" in text and "No signature image on file" in text and "照片" in text


def test_every_field_is_printed_and_the_identifier_stays_inside(session, svc, pdfs):
    import pypdfium2 as pdfium
    copy = copy_of(session, svc, kind="JZS1", specialties=("JZ", "GL", "TL", "SL", "SZ", "JD"))
    snap = copy.snapshot
    tp = pdfium.PdfDocument(pdfs.signed(copy))[0].get_textpage()
    text = tp.get_text_range().replace("\r\n", "").replace("\n", "")
    for value in (snap["name"], "男", snap["birth_date"], "居民身份证", snap["id_number"], snap["employer"]["name"],
                  snap["employer"]["uscc"], snap["registration_number"], snap["seal_number"], copy.identifier,
                  snap["issuer_name"], "本人签名", "以电子证书为准", "electronic certificate prevails",
                  *(s["name"] for s in snap["specialties"]), *(s["valid_until"] for s in snap["specialties"])):
        assert value in text, value
    search = tp.search(copy.identifier)
    found = search.get_next()
    assert found is not None
    start, n = found
    boxes = [tp.get_charbox(i) for i in range(start, start + n)]
    assert min(b[0] for b in boxes) >= LEFT and max(b[2] for b in boxes) <= RIGHT


def test_same_document_on_every_download_dated_at_issue(session, svc, pdfs, ca_pem):
    from pypdf import PdfReader
    copy = copy_of(session, svc)
    unsigned = pdfs.unsigned(copy)
    assert pdfs.unsigned(copy) == unsigned
    a, b = pdfs.signed(copy), pdfs.signed(copy)
    assert a[:len(unsigned)] == b[:len(unsigned)] == unsigned          # the signature only is appended
    created = PdfReader(io.BytesIO(unsigned)).metadata.creation_date
    assert created.replace(tzinfo=None) == svc.clock.local(copy.issued_at).replace(tzinfo=None, microsecond=0)


def test_superseded_copy_is_marked_void(session, svc, pdfs):
    import pypdfium2 as pdfium
    copy = copy_of(session, svc)
    copy.status = CopyStatus.SUPERSEDED
    text = pdfium.PdfDocument(pdfs.signed(copy))[0].get_textpage().get_text_range()
    assert "已失效 VOID" in text
