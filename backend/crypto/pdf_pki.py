"""The issuing authority's PDF-signing identity: its key and X.509 certificate, read from a PEM pair or a
PKCS#12 file, or, when none is configured, a local demo CA and an authority signing certificate made here on
first start (services/issuance/pdf_signing.py signs the certificate PDFs with them).

The demo folder (0700, every file 0600, never in git or the image):
  ca.cert.pem      the demo root CA (self-signed, CA:true): trust it in a PDF reader to see signatures as trusted
  ca.key.pem       its key, kept only to renew the signing certificate
  signer.cert.pem  the authority's signing certificate: keyUsage digitalSignature + contentCommitment
                   (non-repudiation, which signature validators expect), extended key usage document signing
  signer.key.pem   its key
ECDSA P-256, as the certificate tokens: made in microseconds, verified by pyHanko and PDF readers.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from backend.crypto.keys import _locked, _write

CA_NAME = "建证演示根证书 Jianzheng demo root CA"
# The document check validates a signature as of now (a B-B signature's own time is only a claim), so a PDF
# must stay trusted for its whole usage period (COPY_USAGE_DAYS, 180): the signer is renewed 200 days before
# its end, and a copy never outlives the certificate that signed it.
CA_DAYS, SIGNER_DAYS, RENEW_DAYS = 3650, 1095, 200
# RFC 9336 id-kp-documentSigning; Adobe Authentic Documents Trust; Microsoft Document Signing; and
# emailProtection, without which NSS (poppler's pdfsig, Okular, Evince, Firefox) refuses a document signer
DOCUMENT_SIGNING = [ObjectIdentifier("1.3.6.1.5.5.7.3.36"), ObjectIdentifier("1.2.840.113583.1.1.5"),
                    ObjectIdentifier("1.3.6.1.4.1.311.10.3.12"), ExtendedKeyUsageOID.EMAIL_PROTECTION]


@dataclass(frozen=True)
class SigningIdentity:
    key: ec.EllipticCurvePrivateKey            # or any key type cryptography loads (RSA from a real authority)
    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...]        # the CA certificates embedded with each signature


class DemoPki:
    """The file names of the demo CA and signer under `folder`."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.ca_cert, self.ca_key = self.folder / "ca.cert.pem", self.folder / "ca.key.pem"
        self.signer_cert, self.signer_key = self.folder / "signer.cert.pem", self.folder / "signer.key.pem"

    def files(self) -> list[Path]:
        return [self.ca_cert, self.ca_key, self.signer_cert, self.signer_key]


def _key_usage(*, sign_docs: bool) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=sign_docs, content_commitment=sign_docs, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=not sign_docs,
                         crl_sign=not sign_docs, encipher_only=False, decipher_only=False)


def _pem_key(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _make_ca(pki: DemoPki, now: dt.datetime) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "建证 Jianzheng(演示 demo)"),
                      x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME)])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=CA_DAYS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(sign_docs=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    _write(pki.ca_key, _pem_key(key), 0o600)
    _write(pki.ca_cert, cert.public_bytes(serialization.Encoding.PEM), 0o600)


def _make_signer(pki: DemoPki, issuer_name: str, issuer_uscc: str, now: dt.datetime) -> None:
    ca_key = serialization.load_pem_private_key(pki.ca_key.read_bytes(), password=None)
    ca = x509.load_pem_x509_certificate(pki.ca_cert.read_bytes())
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, issuer_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, f"NTRCN-{issuer_uscc}"),
                      x509.NameAttribute(NameOID.COMMON_NAME, issuer_name)])
    until = min(now + dt.timedelta(days=SIGNER_DAYS), ca.not_valid_after_utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(ca.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(until)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(sign_docs=True), critical=True)
            .add_extension(x509.ExtendedKeyUsage(DOCUMENT_SIGNING), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    _write(pki.signer_key, _pem_key(key), 0o600)
    _write(pki.signer_cert, cert.public_bytes(serialization.Encoding.PEM), 0o600)


def _signer_current(pki: DemoPki, issuer_name: str, now: dt.datetime) -> bool:
    if not pki.signer_cert.exists() or not pki.signer_key.exists():
        return False
    cert = x509.load_pem_x509_certificate(pki.signer_cert.read_bytes())
    cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return (cert.not_valid_after_utc - now > dt.timedelta(days=RENEW_DAYS)
            and bool(cn) and cn[0].value == issuer_name)


def ensure_demo_pki(folder: str | Path, issuer_name: str, issuer_uscc: str) -> DemoPki:
    """Make what is missing: the CA once; the signing certificate when missing, within RENEW_DAYS of its end,
    or naming another authority than ISSUER_NAME now does. Several processes may call it at once."""
    pki = DemoPki(folder)
    now = dt.datetime.now(dt.UTC)
    if pki.ca_cert.exists() and _signer_current(pki, issuer_name, now):
        return pki
    with _locked(pki.folder):
        if not (pki.ca_cert.exists() and pki.ca_key.exists()):
            _make_ca(pki, now)
            pki.signer_cert.unlink(missing_ok=True)
        if not _signer_current(pki, issuer_name, now):
            _make_signer(pki, issuer_name, issuer_uscc, now)
    return pki


def load_identity(key_path: str | Path, cert_path: str | Path | None, chain_paths=(),
                  password: str | None = None) -> SigningIdentity:
    """The signing key and certificate from a PKCS#12 file (.p12, .pfx: key, certificate and chain in one), or
    from a PEM key and a PEM certificate (the certificate file may continue with its chain); `chain_paths` add
    PEM certificates (intermediate and root CAs)."""
    data, pw = Path(key_path).read_bytes(), password.encode() if password else None
    if Path(key_path).suffix.lower() in (".p12", ".pfx"):
        key, cert, extra = pkcs12.load_key_and_certificates(data, pw)
        if key is None or cert is None:
            raise ValueError(f"{key_path}: no key and certificate in the PKCS#12 file")
        chain = list(extra)
    else:
        if cert_path is None:
            raise ValueError("PDF_SIGNING_CERT is needed with a PEM key")
        key = serialization.load_pem_private_key(data, password=pw)
        cert, *chain = x509.load_pem_x509_certificates(Path(cert_path).read_bytes())
    for p in chain_paths:
        chain += [c for c in x509.load_pem_x509_certificates(Path(p).read_bytes()) if c not in chain]
    if cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo) \
            != key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo):
        raise ValueError(f"{key_path}: the key does not belong to the certificate")
    return SigningIdentity(key, cert, tuple(c for c in chain if c != cert))


def key_kind(pub) -> str:
    if isinstance(pub, ec.EllipticCurvePublicKey):
        return f"EC {pub.curve.name}"
    return f"{type(pub).__name__.removesuffix('PublicKey').lstrip('_')} {getattr(pub, 'key_size', '')}".strip()


def describe(cert: x509.Certificate) -> dict:
    """What `flask keys pdf` prints of a certificate."""
    der = cert.public_bytes(serialization.Encoding.DER)
    return {"subject": cert.subject.rfc4514_string(), "issuer": cert.issuer.rfc4514_string(),
            "serial": f"{cert.serial_number:x}", "not_before": cert.not_valid_before_utc.isoformat(),
            "not_after": cert.not_valid_after_utc.isoformat(), "key": key_kind(cert.public_key()),
            "sha256": hashlib.sha256(der).hexdigest().upper(), "sha1": hashlib.sha1(der).hexdigest().upper()}
