"""The authority's signing identity as settings: a PKCS#12 file or a PEM pair with the password from the
environment, a seal image of its own (a scan on white made transparent), and a timestamp server for PAdES B-T."""
import datetime as dt
import io
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from PIL import Image, ImageDraw
from reportlab.pdfgen import canvas

from backend.crypto.pdf_pki import ensure_demo_pki, load_identity
from backend.services.issuance.certificate_page import SEAL_BOX
from backend.services.issuance.errors import TimestampUnavailable
from backend.services.issuance.pdf_signing import SealSigner, seal_rgba
from backend.services.issuance.signing_settings import PdfSigningSettings
from tests.signed_pdfs import box_px, pixels, render, seal_red, validate


def blank_pdf() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(100, 100, 200, 200)
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture()
def authority(tmp_path):
    """A CA and an authority certificate of their own (not the demo's), as files."""
    return ensure_demo_pki(tmp_path / "authority", "某省住房和城乡建设厅", "11100000000013338W")


def sign(settings: PdfSigningSettings) -> bytes:
    return SealSigner(settings).sign(blank_pdf(), SEAL_BOX, reason="test", location="CN")


def test_pkcs12_file_with_its_password(authority, tmp_path):
    ident = load_identity(authority.signer_key, authority.signer_cert, [authority.ca_cert])
    p12 = tmp_path / "authority.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"authority", ident.key, ident.cert, list(ident.chain), serialization.BestAvailableEncryption(b"s3cret")))
    settings = PdfSigningSettings(key=str(p12), password="s3cret", demo_dir=str(tmp_path / "unused"))
    pdf = sign(settings)
    _, status = validate(pdf, authority.ca_cert.read_bytes())
    assert status.bottom_line and status.signing_cert.subject.native["common_name"] == "某省住房和城乡建设厅"
    assert not (tmp_path / "unused").exists()                  # a configured key: no demo files made
    # no seal image configured: a thin red frame, never a drawn seal of a real authority
    red = seal_red(pixels(render(pdf).crop(box_px(*SEAL_BOX))))
    assert 0 < red.mean() < 0.05
    with pytest.raises(ValueError):
        sign(PdfSigningSettings(key=str(p12), password="wrong", demo_dir=str(tmp_path / "unused")))


def test_encrypted_pem_key_with_certificate_and_chain(authority, tmp_path):
    ident = load_identity(authority.signer_key, authority.signer_cert, [authority.ca_cert])
    key = tmp_path / "signer.key.pem"
    key.write_bytes(ident.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.BestAvailableEncryption(b"pw")))
    seal = tmp_path / "seal.jpg"                # a scanned seal on white paper, no transparency
    im = Image.new("RGB", (500, 500), "white")
    ImageDraw.Draw(im).ellipse((20, 20, 480, 480), outline=(200, 20, 30), width=30)
    im.save(seal, "JPEG")
    settings = PdfSigningSettings(key=str(key), cert=str(authority.signer_cert), chain=(str(authority.ca_cert),),
                                  password="pw", seal_image=str(seal), demo_dir=str(tmp_path / "unused"))
    pdf = sign(settings)
    assert validate(pdf, authority.ca_cert.read_bytes())[1].bottom_line
    box = pixels(render(pdf).crop(box_px(*SEAL_BOX)))
    assert seal_red(box).mean() > 0.05
    h, w = box.shape[:2]
    assert (box[h // 2, w // 2] > 240).all()     # the paper's white became transparent: the page shows through


def test_seal_image_made_transparent_where_white(tmp_path):
    path = tmp_path / "seal.png"
    im = Image.new("RGB", (100, 100), "white")
    ImageDraw.Draw(im).ellipse((10, 10, 90, 90), fill=(210, 10, 20))
    im.save(path)
    out = seal_rgba(str(path))
    assert out.getpixel((2, 2))[3] == 0 and out.getpixel((50, 50))[3] > 240
    assert len(out.convert("RGB").getcolors()) == 1               # one ink: one flat colour plane


class _Tsa(BaseHTTPRequestHandler):
    stamper = None

    def do_POST(self):
        from asn1crypto import tsp
        req = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
        body = self.stamper.request_tsa_response(req).dump()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _tsa_stamper(authority):
    """pyHanko's test TSA with a timestamping certificate from the authority's CA."""
    from asn1crypto import keys as ak, x509 as ax
    from pyhanko.sign.timestamps import DummyTimeStamper
    ca_key = serialization.load_pem_private_key(authority.ca_key.read_bytes(), None)
    ca = x509.load_pem_x509_certificate(authority.ca_cert.read_bytes())
    key = rsa.generate_private_key(65537, 2048)               # pyHanko's test TSA signs with RSA only
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "测试时间戳")]))
            .issuer_name(ca.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(ca_key, hashes.SHA256()))
    der = lambda c: ax.Certificate.load(c.public_bytes(serialization.Encoding.DER))
    return DummyTimeStamper(der(cert), ak.PrivateKeyInfo.load(key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        certs_to_embed=[der(ca)])


def test_timestamp_server_makes_it_pades_b_t(authority, tmp_path):
    _Tsa.stamper = _tsa_stamper(authority)
    server = HTTPServer(("127.0.0.1", 0), _Tsa)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings = PdfSigningSettings(key=str(authority.signer_key), cert=str(authority.signer_cert),
                                      chain=(str(authority.ca_cert),), demo_dir=str(tmp_path / "unused"),
                                      timestamp_url=f"http://127.0.0.1:{server.server_port}/")
        _, status = validate(sign(settings), authority.ca_cert.read_bytes())
    finally:
        server.shutdown()
        server.server_close()
    assert status.bottom_line
    assert status.timestamp_validity is not None and status.timestamp_validity.intact
    assert status.timestamp_validity.valid and status.timestamp_validity.trusted
    # the server gone: no certificate without its timestamp
    with pytest.raises(TimestampUnavailable):
        sign(settings)


def test_signer_follows_its_files(tmp_path):
    settings = PdfSigningSettings(demo_dir=str(tmp_path / "demo"), issuer_name="甲发证机关")
    signer = SealSigner(settings)
    first = signer.identity().cert
    assert signer.identity() is signer.identity()                  # loaded once, kept
    (tmp_path / "demo" / "signer.cert.pem").unlink()                # gone (or replaced): made again, and used
    assert signer.identity().cert.serial_number != first.serial_number
    assert signer.identity().cert.subject == first.subject
    pdf = signer.sign(blank_pdf(), SEAL_BOX, reason="t", location="CN")
    assert validate(pdf, (tmp_path / "demo" / "ca.cert.pem").read_bytes())[1].bottom_line
    assert seal_red(pixels(render(pdf).crop(box_px(*SEAL_BOX)))).mean() > 0.08      # the demo seal
