"""Certificate-like PDFs for the document check: a CA and a signing certificate made with `cryptography`, an A4
page with a QR code drawn by reportlab, signed with pyHanko (PAdES), and what a forger or an attacker would
send instead: one byte changed, a page changed after signing, a signer of their own, and hostile files."""
from __future__ import annotations

import datetime as dt
import functools
import io
import zlib
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class Signer:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    root: x509.Certificate
    root_key: ec.EllipticCurvePrivateKey

    def root_pem(self) -> bytes:
        return self.root.public_bytes(serialization.Encoding.PEM)

    def write_root(self, folder: Path) -> str:
        path = Path(folder) / f"root-{self.root.serial_number:x}.pem"
        path.write_bytes(self.root_pem())
        return str(path)


def _name(cn: str, org: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=not ca, content_commitment=not ca, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                         encipher_only=False, decipher_only=False)


def make_signer(org: str = "建证测试发证机关", *, self_signed: bool = False, days: int = 365) -> Signer:
    """A root CA and a document-signing certificate under it; self_signed: one certificate, its own root (a
    forger's)."""
    now = dt.datetime.now(dt.UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    if self_signed:
        name = _name(f"{org} 签章", org)
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(hours=1))
                .not_valid_after(now + dt.timedelta(days=days)).add_extension(_usage(ca=False), critical=True)
                .sign(key, hashes.SHA256()))
        return Signer(key, cert, (), cert, key)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(f"{org} 根证书", org)
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(hours=1))
          .not_valid_after(now + dt.timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(_usage(ca=True), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    cert = (x509.CertificateBuilder().subject_name(_name(org, org)).issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(ca=False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return Signer(key, cert, (ca,), ca, ca_key)


def revoked_crl(signer: Signer, serial: int | None = None) -> bytes:
    """A CRL of the signer's CA (DER) that revokes its signing certificate, or the certificate `serial`."""
    now = dt.datetime.now(dt.UTC)
    entry = (x509.RevokedCertificateBuilder().serial_number(serial or signer.cert.serial_number)
             .revocation_date(now - dt.timedelta(minutes=5)).build())
    crl = (x509.CertificateRevocationListBuilder().issuer_name(signer.root.subject)
           .last_update(now - dt.timedelta(minutes=10)).next_update(now + dt.timedelta(days=7))
           .add_revoked_certificate(entry)
           .add_extension(x509.CRLNumber(1), critical=False)
           .sign(signer.root_key, hashes.SHA256()))
    return crl.public_bytes(serialization.Encoding.DER)


def certificate_pdf(qr_text: str | None, *, title: str = "二级建造师注册证书", qr_mm: float = 32,
                    pages: int = 1) -> bytes:
    """An A4 page as a certificate prints: a title (Chinese, STSong-Light), a few lines, the QR code at the
    bottom left. Uncompressed page content, so that a test can change one byte of it."""
    import qrcode
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=0)
    c.setTitle(title)
    w, h = A4
    for page in range(pages):
        c.setFont("STSong-Light", 22)
        c.drawCentredString(w / 2, h - 40 * mm, title)
        c.setFont("STSong-Light", 12)
        for i, line in enumerate(("姓名 Name: 周建华", "注册编号 Registration number:", f"第 {page + 1} 页")):
            c.drawString(30 * mm, h - (70 + 10 * i) * mm, line)
        c.setFont("Helvetica", 12)
        c.drawString(100 * mm, h - 80 * mm, "2321234567890")
        if qr_text and page == 0:
            q = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
            q.add_data(qr_text)
            png = io.BytesIO()
            q.make_image().save(png)
            c.drawImage(ImageReader(io.BytesIO(png.getvalue())), 20 * mm, 20 * mm, qr_mm * mm, qr_mm * mm)
        c.showPage()
    c.save()
    return buf.getvalue()


def scan_pdf(qr_text: str, size=(2480, 3508)) -> bytes:
    """A printed certificate scanned to PDF (A4 at 300 dpi by default): one JPEG on the page, no signature."""
    import qrcode
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    im = Image.new("RGB", size, (240, 238, 230))
    q = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=size[0] // 200, border=4)
    q.add_data(qr_text)
    im.paste(q.make_image().get_image().convert("RGB"), (size[0] // 10, size[1] * 3 // 4))
    jpeg, buf = io.BytesIO(), io.BytesIO()
    im.save(jpeg, "JPEG", quality=85)
    c = canvas.Canvas(buf, pagesize=A4)
    c.drawImage(ImageReader(io.BytesIO(jpeg.getvalue())), 0, 0, *A4)
    c.showPage()
    c.save()
    return buf.getvalue()


def sign(pdf: bytes, signer: Signer, *, field: str = "发证机关签章") -> bytes:
    """PAdES (ETSI.CAdES.detached), as the issuer's certificate PDFs are signed."""
    from asn1crypto import keys as ak, x509 as ax
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    def der(c):
        return ax.Certificate.load(c.public_bytes(serialization.Encoding.DER))
    key = ak.PrivateKeyInfo.load(signer.key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                                          serialization.NoEncryption()))
    s = signers.SimpleSigner(signing_cert=der(signer.cert), signing_key=key,
                             cert_registry=SimpleCertificateStore.from_certs([der(c) for c in signer.chain]))
    from backend.services.event_loops import outside_event_loop
    out = outside_event_loop(signers.sign_pdf, IncrementalPdfFileWriter(io.BytesIO(pdf)),
                             signers.PdfSignatureMetadata(field_name=field, subfilter=SigSeedSubFilter.PADES),
                             signer=s)
    return out.getvalue()


def change_one_byte(signed: bytes) -> bytes:
    """One byte of the signed page content changed (a digit of the registration number): the file still parses,
    its signature no longer matches."""
    i = signed.index(b"2321234567890")
    assert i < signed.index(b"/ByteRange")
    return signed[:i] + b"3" + signed[i + 1:]


def change_a_comment_byte(signed: bytes) -> bytes:
    """One byte changed in the comment on a PDF's second line (every writer puts binary bytes there): any signed
    PDF, compressed or not, still parses the same, and its signature no longer matches."""
    i = signed.index(b"\n%", 0, 64) + 3
    return signed[:i] + bytes([signed[i] ^ 0x01]) + signed[i + 1:]


def changed_after_signing(signed: bytes, qr_text: str) -> bytes:
    """An incremental update appended after the signature that paints page 1 over with another certificate (a
    new QR code and title): every signed byte is untouched, but what a reader shows is not what was signed."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    w = IncrementalPdfFileWriter(io.BytesIO(signed))
    forged = w.import_page_as_xobject(PdfFileReader(io.BytesIO(certificate_pdf(qr_text, title="伪造证书"))), page_ix=0)
    page_ref = w.root["/Pages"].raw_get("/Kids")[0]
    page = page_ref.get_object()
    cover = generic.StreamObject(stream_data=b"q 1 g 0 0 595 842 re f Q q /Forged Do Q")
    page["/Contents"] = w.add_object(cover)
    resources = page["/Resources"]
    xobjects = resources.get("/XObject", generic.DictionaryObject())
    xobjects[generic.NameObject("/Forged")] = forged
    resources[generic.NameObject("/XObject")] = xobjects
    w.update_container(page_ref)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


# --- hostile files ----------------------------------------------------------------------------------------------

def raw_pdf(*extra: bytes, catalog: bytes = b"", pages: bytes | None = None,
            page: bytes = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>", page_objects: int = 1) -> bytes:
    """A PDF written object by object: 1 catalog, 2 page tree, 3.. pages, then `extra`."""
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


def content_page(contents_ref: int, box: bytes = b"0 0 595 842", resources: bytes = b"") -> bytes:
    return b"<< /Type /Page /Parent 2 0 R /MediaBox [%s] /Contents %d 0 R %s>>" % (box, contents_ref, resources)


def stream(data: bytes, entries: bytes = b"", compress: bool = False) -> bytes:
    if compress:
        data, entries = zlib.compress(data, 9), entries + b" /Filter /FlateDecode"
    return b"<< /Length %d %s >>\nstream\n" % (len(data), entries) + data + b"\nendstream"


def deflate_bomb(inflated: int, head: bytes = b"0 0 m 1 1 l S\n") -> bytes:
    """A FlateDecode stream's data that inflates to `inflated` bytes (spaces after `head`), made a megabyte
    at a time."""
    z, chunk = zlib.compressobj(9), b" " * (1 << 20)
    out = [z.compress(head)]
    for _ in range(inflated >> 20):
        out.append(z.compress(chunk))
    out.append(z.flush())
    return b"".join(out)


HOSTILE = ("5,000 pages", "page 14,400 pt square (5 m)", "page 1 content: 1 GB deflate bomb",
           "page 1 content: 300,000 paths", "image 60000x60000 on page 1", "fields nested 100,000 arrays deep",
           "not a PDF after its header")


def hostile(name: str) -> tuple[bytes, int, str]:
    """One of HOSTILE: (file, expected status, expected code)."""
    return {n: (d, s, c) for n, d, s, c in hostile_pdfs()}[name]


@functools.cache
def hostile_pdfs() -> list[tuple[str, bytes, int, str]]:
    """(name, file, expected status, expected code), made once (the deflate bomb takes a few seconds)."""
    bomb = deflate_bomb(1 << 30)
    return [
        ("5,000 pages", raw_pdf(page_objects=5000), 413, "pdf_too_many_pages"),
        ("page 14,400 pt square (5 m)", raw_pdf(page=b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] >>"),
         413, "pdf_page_too_large"),
        ("page 1 content: 1 GB deflate bomb",
         raw_pdf(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb) + bomb + b"\nendstream",
                 page=content_page(4)), 413, "pdf_too_complex"),
        ("page 1 content: 300,000 paths", raw_pdf(stream(b"0 0 m 595 842 l 0 842 l h f\n" * 300_000, compress=True),
                                                  page=content_page(4)), 413, "pdf_too_complex"),
        ("image 60000x60000 on page 1",
         raw_pdf(stream(b"q 595 0 0 842 0 0 cm /Im1 Do Q"),
                 b"<< /Type /XObject /Subtype /Image /Width 60000 /Height 60000 /ColorSpace /DeviceRGB "
                 b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % len(bomb) + bomb + b"\nendstream",
                 page=content_page(4, resources=b"/Resources << /XObject << /Im1 5 0 R >> >> ")),
         413, "pdf_image_too_large"),
        ("fields nested 100,000 arrays deep", raw_pdf(b"[" * 100_000 + b"]" * 100_000,
                                                       catalog=b"/AcroForm << /Fields 4 0 R >> "),
         413, "pdf_too_complex"),
        ("not a PDF after its header", b"%PDF-1.7\n" + b"\x00garbage" * 1000, 422, "pdf_unreadable"),
    ]
