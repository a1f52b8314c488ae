"""The demo PDF-signing PKI made on first start (issue 10, item 3): a root CA and the authority's signing
certificate with the key usages validators expect, private files under instance/, shown by `flask keys pdf`."""
import os
import stat

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from backend.crypto.pdf_pki import DOCUMENT_SIGNING, ensure_demo_pki
from tests.conftest import dispose, make_app


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_first_start_makes_the_demo_ca_signer_and_seal_privately(tmp_path):
    old = os.umask(0o022)
    try:
        app = make_app(tmp_path / "instance")
    finally:
        os.umask(old)
    try:
        folder = tmp_path / "instance" / "pdf-signing"
        names = {"ca.cert.pem", "ca.key.pem", "signer.cert.pem", "signer.key.pem", "seal.png"}
        assert names <= {p.name for p in folder.iterdir()}
        assert mode(folder) == 0o700 and all(mode(folder / n) == 0o600 for n in names)
        runner = app.test_cli_runner()
        out = runner.invoke(args=["keys", "pdf"]).output
        signer = x509.load_pem_x509_certificate((folder / "signer.cert.pem").read_bytes())
        for text in ("本地演示 CA", "CN=建证演示发证机关", "Jianzheng demo root CA", "SHA-256:", "valid:",
                     signer.not_valid_after_utc.isoformat(), f"{signer.serial_number:x}", str(folder / "seal.png"),
                     str(folder / "ca.cert.pem"), "PAdES B-B"):
            assert text in out, text
    finally:
        dispose(app)


def test_demo_certificates_are_a_ca_and_a_document_signer(tmp_path):
    pki = ensure_demo_pki(tmp_path, "建证演示发证机关", "11100000000013338W")
    ca = x509.load_pem_x509_certificate(pki.ca_cert.read_bytes())
    signer = x509.load_pem_x509_certificate(pki.signer_cert.read_bytes())
    assert ca.issuer == ca.subject and ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert ca.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    signer.verify_directly_issued_by(ca)
    assert not signer.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    ku = signer.extensions.get_extension_for_class(x509.KeyUsage)
    assert ku.critical and ku.value.digital_signature and ku.value.content_commitment    # non-repudiation
    eku = signer.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ObjectIdentifier("1.3.6.1.5.5.7.3.36") in eku and list(eku) == DOCUMENT_SIGNING
    assert ExtendedKeyUsageOID.SERVER_AUTH not in eku
    assert signer.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "建证演示发证机关"
    assert signer.not_valid_after_utc <= ca.not_valid_after_utc


def test_a_new_signer_when_the_issuer_is_renamed_under_the_same_ca(tmp_path):
    first = ensure_demo_pki(tmp_path, "甲发证机关", "11100000000013338W")
    ca, signer = first.ca_cert.read_bytes(), first.signer_cert.read_bytes()
    assert ensure_demo_pki(tmp_path, "甲发证机关", "11100000000013338W").signer_cert.read_bytes() == signer
    again = ensure_demo_pki(tmp_path, "乙发证机关", "11100000000013338W")
    assert again.ca_cert.read_bytes() == ca and again.signer_cert.read_bytes() != signer
    cert = x509.load_pem_x509_certificate(again.signer_cert.read_bytes())
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "乙发证机关"
