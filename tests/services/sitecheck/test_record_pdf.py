"""The inspection record's PDF signed as the certificate PDF is (issuance/pdf_signing.py): pyHanko validates it
against the demo CA, one changed byte breaks it, every font is embedded, and the rendered page shows the seal over
the issuer's name while the record's QR code still reads back as its link."""
import io
from pathlib import Path

import pytest

from backend.qr.decode import decode_image_bytes
from backend.services.issuance.certificate_pdf import CertificatePdfs
from backend.services.sitecheck import record_token
from backend.services.sitecheck.record_files import record_pdf
from tests import factories as f
from tests.conftest import need
from tests.services.sitecheck.test_inspections import INSPECTOR, body, person_with, record, roles  # noqa: F401
from tests.signed_pdfs import SCALE, pdffonts, pixels, render, seal_red, validate


@pytest.fixture()
def pdfs(app, svc):
    return CertificatePdfs(app.extensions["jz.pdf_signing"], svc.catalogue, svc.clock)


@pytest.fixture()
def ca_pem(app):
    return (Path(app.config["PDF_SIGNING_DIR"]) / "ca.cert.pem").read_bytes()


@pytest.fixture()
def row(session, svc, roles):  # noqa: F811
    co = f.enterprise(session, svc.catalogue)
    pm = person_with(session, svc, co, [("JZS2", ("JZ",)), ("AQB", ("B",))])
    made, _ = record(session, svc, roles, body(co, [("project_manager", pm), ("project_manager", pm[:1])]))
    return made


def signed(row, svc, pdfs):
    return record_pdf(row, svc.settings, svc.clock, svc.catalogue, pdfs.fonts, pdfs.signer)


def test_signed_by_the_authority_intact_and_trusted(row, svc, pdfs, ca_pem):
    pdf = signed(row, svc, pdfs)
    sig, status = validate(pdf, ca_pem)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == svc.settings.issuer_name
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached" and sig.coverage.name == "ENTIRE_FILE"
    assert "检查记录" in sig.sig_object["/Reason"]
    # the page as drawn comes first, unchanged: the signature is an incremental update after it
    unsigned = record_pdf(row, svc.settings, svc.clock, svc.catalogue, pdfs.fonts)
    assert pdf.startswith(unsigned) and len(pdf) > len(unsigned)


def test_one_changed_byte_breaks_it(row, svc, pdfs, ca_pem):
    pdf = bytearray(signed(row, svc, pdfs))
    at = pdf.index(b"/Title")          # inside the signed range: the document's own title
    pdf[at + 10] ^= 0x01
    _, status = validate(bytes(pdf), ca_pem)
    assert not status.intact and not status.bottom_line


def test_every_font_is_embedded(row, svc, pdfs, tmp_path):
    rows = pdffonts(signed(row, svc, pdfs), tmp_path)
    need(rows is not None, "pdffonts (Debian: poppler-utils)")
    assert rows and all(r[-5] == "yes" and r[-4] == "yes" for r in rows), rows     # emb, sub


def test_the_seal_lies_on_page_one_and_the_qr_still_reads(row, svc, pdfs):
    pdf = signed(row, svc, pdfs)
    with_seal, without = pixels(render(pdf)), pixels(render(pdf, forms=False))
    red = seal_red(with_seal) & ~seal_red(without)
    assert red.sum() > 500, "no seal drawn"
    ys, xs = red.nonzero()
    # in the left, tabular part of the page's head (the QR code is at the right), below the title
    assert xs.max() / SCALE < 210 * 72 / 25.4 - 15 * 72 / 25.4 - 46 * 72 / 25.4 and ys.min() / SCALE > 30 * 72 / 25.4
    png = io.BytesIO()
    render(pdf).save(png, "PNG")
    assert decode_image_bytes(png.getvalue()) == [record_token.link(svc.settings, row.token)]

