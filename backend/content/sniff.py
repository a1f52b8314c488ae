"""The one content sniffer: what the first bytes of an upload say it is. Only a claim: the checks that
follow (backend/services/uploads, backend/qr/load.py, the bulk-check readers) decode or parse the file and
refuse it when it is not what it claims to be."""
from __future__ import annotations

PDF, JPEG, PNG, WEBP = "application/pdf", "image/jpeg", "image/png", "image/webp"
ZIP = "application/zip"                            # an Office Open XML package (.xlsx), among others
OLE = "application/x-ole-storage"                  # an old Office file (.xls, .doc)
PIL_FORMAT = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}


def sniff(data: bytes) -> str | None:
    """The MIME type the bytes claim by their magic number, or None."""
    if data[:3] == b"\xff\xd8\xff":
        return JPEG
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[:5] == b"%PDF-":
        return PDF
    if data[:4] == b"PK\x03\x04":
        return ZIP
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return OLE
    return None


def image_format(data: bytes) -> str | None:
    """The Pillow format name of a JPEG, PNG or WebP, else None."""
    return PIL_FORMAT.get(sniff(data))
