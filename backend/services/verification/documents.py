"""Checking a certificate PDF: its signature, and the QR codes on its first page, each verified as a scanned
code is, then judged together with the document (docs/verify-api.md, "Checking a certificate PDF").

    answer = verify_document(pdf_bytes, limits, trust, clock, verify=lambda text: {...})
    # {"codes": [<verify result + "qr">], "document": {"signed", "intact", "trusted", "signer", "signed_at"}}

The PDF is parsed, its signatures validated and its page 1 rendered in a child process with OS limits
(pdf_zygote.py, pdf_worker.py); the grey page comes back here and goes through the photo decoder cascade.

What the document does to each code's verdict:
- signed, intact, by a certificate chaining to a trust root: nothing (the token's verdict stands);
- signed but not intact (changed after signing, a broken signature, changes appended beyond validation data):
  `invalid`, reason `document_tampered`;
- signed and intact, but not by the issuer (no chain to a trust root, or the signer's certificate revoked):
  `invalid`, reason `document_untrusted`. The issuer signs every certificate PDF it makes; a PDF signed by
  anyone else is not one of its documents, whatever its QR code says;
- unsigned: the token's verdict stands with the reason `document_unsigned` (no verdict of its own): such a PDF
  is at best a copy of a printout, as good as a photo of one, and the inspector sees that it is no original.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from backend.qr.decode import decode_qr_texts
from backend.services.clock import Clock
from backend.services.verification import pdf_zygote
from backend.services.verification.document_trust import PdfTrust
from backend.services.verification.errors import DocumentRejected, NoQrFound
from backend.services.verification.verdicts import REASONS, VERDICT_TEXT, overall, reason


@dataclass(frozen=True)
class DocumentLimits:
    max_bytes: int = 10 * 1024 * 1024
    max_pages: int = 4               # a certificate has one page (page 1 is the one read); a little room more
    max_side_pt: int = 3370          # A0's long side (1189 mm): a larger page is no certificate
    dpi: int = 200                   # a 30 mm QR code of version 11 gets 3.9 px a module
    max_pixels: int = 8_000_000      # A3 at 200 dpi; larger pages are rendered smaller
    max_image_pixels: int = 10_000_000   # the images of page 1 together: an A4 scan at 300 dpi is 8.7 MP
    seconds: float = 4.0             # wall time of the check's child (its CPU limit is 2 s)
    decode_budget_ms: int = 2500

    @classmethod
    def from_config(cls, cfg) -> DocumentLimits:
        return cls(max_bytes=cfg["IMAGE_MAX_BYTES"], max_pages=cfg["PDF_CHECK_MAX_PAGES"],
                   max_side_pt=cfg["PDF_CHECK_MAX_SIDE_PT"], dpi=cfg["PDF_CHECK_DPI"],
                   max_pixels=cfg["PDF_CHECK_MAX_PIXELS"], max_image_pixels=cfg["PDF_CHECK_MAX_IMAGE_PIXELS"],
                   seconds=cfg["PDF_CHECK_SECONDS"],
                   decode_budget_ms=cfg["IMAGE_DECODE_BUDGET_MS"])


@dataclass(frozen=True)
class DocumentCheck:
    document: dict       # the answer's `document`
    notes: dict          # why: revoked, modified_after_signing, hybrid_xrefs
    texts: list[str]     # the QR texts on page 1


def check_document(data: bytes, limits: DocumentLimits, trust: PdfTrust, clock: Clock) -> DocumentCheck:
    """The signature check and the QR texts of page 1; DocumentRejected when the PDF is not checked. No QR code
    is not an error here (verify_document decides)."""
    if len(data) > limits.max_bytes:
        raise DocumentRejected("pdf_too_large", {"bytes": len(data), "max_bytes": limits.max_bytes})
    options = {**trust.options(), "moment": clock.now().isoformat() + "+00:00", "max_bytes": limits.max_bytes,
               "max_pages": limits.max_pages, "max_side_pt": limits.max_side_pt, "dpi": limits.dpi,
               "max_pixels": limits.max_pixels, "max_image_pixels": limits.max_image_pixels}
    # the bitmap: at most max_pixels, give or take a row and a column of rounding, each row padded to 4 bytes
    longest = int(limits.max_side_pt * limits.dpi / 72) + 2
    answer, rows = pdf_zygote.run(options, data, seconds=limits.seconds, max_rows_bytes=limits.max_pixels + 8 * longest)
    r = answer["render"]
    gray = np.frombuffer(rows, np.uint8).reshape(r["height"], r["stride"])[:, :r["width"]]
    texts = decode_qr_texts(gray, budget_ms=limits.decode_budget_ms)
    return DocumentCheck(answer["document"], answer.get("notes") or {}, texts)


def document_reason(check: DocumentCheck) -> dict | None:
    """The reason the document adds to every code's verdict, or None for a genuine signed document."""
    doc, notes = check.document, check.notes
    if not doc["signed"]:
        return reason("document_unsigned")
    if not doc["intact"]:
        details = {k: True for k in ("modified_after_signing", "hybrid_xrefs") if notes.get(k)}
        return reason("document_tampered", **details)
    if not doc["trusted"]:
        return reason("document_untrusted", **({"revoked": True} if notes.get("revoked") else {}))
    return None


def with_document(result: dict, why: dict | None) -> dict:
    """A verify result judged with its document: the document's reason first; a verdict it implies wins by
    the usual priority. An answer that becomes invalid carries no certificate data (as any invalid one)."""
    if why is None:
        return result
    verdict = overall([why, *result["reasons"]])
    if verdict == result["verdict"]:
        return {**result, "reasons": [why, *result["reasons"]]}
    zh, en = VERDICT_TEXT[verdict]
    kept = [r for r in result["reasons"] if REASONS[r["code"]][0] is not None]   # notes about a copy go
    return {**result, "verdict": verdict, "message": zh, "message_en": en, "reasons": [why, *kept],
            "certificate": None, "specialties": []}


def verify_document(data: bytes, limits: DocumentLimits, trust: PdfTrust, clock: Clock,
                    verify: Callable[[str], dict]) -> dict:
    """The answer of POST /api/v1/verify/image for a PDF: one result per QR code, and the document; NoQrFound
    (with the document in its details) when page 1 has none."""
    check = check_document(data, limits, trust, clock)
    if not check.texts:
        raise NoQrFound(details={"document": check.document})
    why = document_reason(check)
    return {"codes": [with_document(verify(t), why) | {"qr": t} for t in check.texts], "document": check.document}
