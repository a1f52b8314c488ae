"""Check one certificate PDF in a process of its own: its signatures (pyHanko) and page 1 rendered in grey
(PDFium), both within memory and CPU limits that the OS enforces. Run by documents.py, never imported by the
web worker (pyHanko and PDFium take half a second to import):

    python -I pdf_worker.py serve FD     a zygote: imports and warms the libraries once, then forks one child
                                         per request received on the unix socket FD (see documents.py)

A request (over a socket of its own, passed to the zygote with SCM_RIGHTS): 4-byte length, JSON options
(trust roots as PEM, CRLs, the validation time, the limits), then the PDF until EOF. The answer: 4-byte length,
JSON (`{"document": {...}, "render": {"width", "height", "stride"}}` or `{"error": code, ...details}`), then
the grey bitmap's rows. A child that dies (CPU limit, memory limit, PDFium abort) answers nothing: the parent
calls that "too complex".

Why a child, not the web worker: pyHanko is pure Python and PDFium is C, and a hostile 10 MB PDF can ask
either for gigabytes (a deflate bomb, a page of a million paths, a deep object graph). RLIMIT_AS and RLIMIT_CPU
bound the sum of whatever it asks; a fork of a warm zygote costs milliseconds, a fresh interpreter 0.6 s.

Standard library, pyHanko, pyhanko-certvalidator, cryptography and pypdfium2 only: importing the backend
package would load what the check does not need.
"""
from __future__ import annotations

import base64
import datetime as dt
import json
import math
import os
import re
import resource
import signal
import socket
import struct
import sys
from io import BytesIO

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from cryptography import x509 as cx509
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.decode_limits import DecodeLimits, DocumentDecodeBudget, StreamDecodeLimits
from pyhanko.pdf_utils.misc import PdfDecodeLimitError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.policy_decl import CertRevTrustPolicy, RevocationCheckingPolicy, RevocationCheckingRule

MEMORY_BYTES = 96 * 1024 * 1024   # address space a check may add to the zygote's (the PDF itself included)
CPU_SECONDS = 2                   # a genuine one-page certificate needs about 0.03 s
MiB = 1024 * 1024
# what pyHanko may inflate: one stream at most 16 MB, the whole document 48 MB (its defaults: 256 MB each)
DECODE_LIMITS = DecodeLimits(per_stream=StreamDecodeLimits(max_output_size=16 * MiB),
                             document_budget=DocumentDecodeBudget(base_allowance=48 * MiB, max_ratio=5))
# a document signature: a certificate with either usage (pyHanko's default asks for non-repudiation only)
KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
# what may follow the issuer's signature: validation data (DSS) and document timestamps, nothing else
AFTER_SIGNING = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)
HEADER = struct.Struct(">I")
MAX_HEADER = 32 * MiB             # options: trust roots and CRLs


class Refused(Exception):
    """The PDF is not one we check: code and details go back to the parent."""

    def __init__(self, code: str, **details):
        super().__init__(code)
        self.code, self.details = code, details


# --- signatures ---------------------------------------------------------------------------------------------

def _iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat() + "Z"


# attribute names RFC 4514 has no short name for, as OpenSSL writes them
NAMES = {cx509.ObjectIdentifier("2.5.4.97"): "organizationIdentifier", cx509.ObjectIdentifier("2.5.4.5"): "serialNumber"}


def _subject(cert) -> str | None:
    """The signer's subject as RFC 4514 text (CN=…,organizationIdentifier=…,O=…,C=CN)."""
    if cert is None:
        return None
    try:
        return cx509.load_der_x509_certificate(cert.dump()).subject.rfc4514_string(NAMES)
    except Exception:
        return cert.subject.human_friendly


def _context(opts: dict) -> ValidationContext:
    roots = [c for pem in opts.get("roots", []) for c in load_certs_from_pemder_data(pem.encode())]
    crls = [base64.b64decode(c) for c in opts.get("crls", [])]
    moment = dt.datetime.fromisoformat(opts["moment"]) if opts.get("moment") else None
    # trust_roots replaces the system's store (an empty list trusts nobody); no fetching: the check is offline.
    # With a CRL (PDF_CRL) the signer's certificate must be covered by it, current and not revoked; without one,
    # no revocation check (pyHanko's soft-fail would only check what a certificate's distribution points name)
    rule = RevocationCheckingRule.CRL_REQUIRED if crls else RevocationCheckingRule.CHECK_IF_DECLARED_SOFT
    policy = CertRevTrustPolicy(RevocationCheckingPolicy(ee_certificate_rule=rule,
                                                         intermediate_ca_cert_rule=RevocationCheckingRule.CHECK_IF_DECLARED_SOFT))
    return ValidationContext(trust_roots=roots, crls=crls, allow_fetching=False, revinfo_policy=policy, moment=moment)


def _validate(sig, context):
    """pyHanko's status of one signature, or None when it cannot even be evaluated (a broken signature)."""
    try:
        return validate_pdf_signature(sig, context, key_usage_settings=KEY_USAGE)
    except (MemoryError, RecursionError, PdfDecodeLimitError):      # the file is too much, not the signature
        raise
    except Exception:
        return None


def signatures(data: bytes, opts: dict) -> tuple[dict, dict, bytes]:
    """(document, notes, the bytes to render). The document is the answer's `document` object; notes say why it
    is what it is (revoked, modified after signing). An intact signed PDF is rendered as it was signed (the
    bytes its first signature covers), so that no reader's repair of what follows can change what is read."""
    try:
        reader = PdfFileReader(BytesIO(data), strict=False, decode_limits=DECODE_LIMITS)
        encrypted = reader.encrypted
    except (MemoryError, RecursionError, PdfDecodeLimitError):
        raise
    except Exception:
        raise Refused("pdf_encrypted" if b"/Encrypt" in data else "pdf_unreadable") from None
    if encrypted:
        raise Refused("pdf_encrypted")
    sigs = reader.embedded_regular_signatures
    if not sigs:
        return {"signed": False, "intact": False, "trusted": False, "signer": None, "signed_at": None}, {}, data
    if len(sigs) > opts.get("max_signatures", 8):
        raise Refused("pdf_too_complex", found=f"{len(sigs)} signatures", max_signatures=opts.get("max_signatures", 8))
    context = _context(opts)
    statuses = [_validate(s, context) for s in sigs]
    first, status = sigs[0], statuses[0]
    notes: dict = {}
    whole = all(st is not None and st.intact and st.valid and st.coverage is not None
                and st.coverage >= SignatureCoverageLevel.ENTIRE_REVISION for st in statuses)
    after = status.modification_level if status is not None else None
    if whole and after not in AFTER_SIGNING:
        notes["modified_after_signing"] = True
    hybrid = reader.xrefs.hybrid_xrefs_present     # readers may see different objects in such a file
    if hybrid:
        notes["hybrid_xrefs"] = True
    intact = whole and after in AFTER_SIGNING and not hybrid
    trusted = bool(status is not None and status.valid and status.trust_problem_indic is None
                   and status.validation_path is not None)
    if status is not None and status.revoked:
        notes["revoked"] = True
    signed_at = None
    if status is not None:
        ts = status.timestamp_validity
        signed_at = ts.timestamp if ts is not None and ts.valid and ts.intact and ts.trusted else status.signer_reported_dt
    if signed_at is None:
        try:
            signed_at = first.self_reported_timestamp
        except Exception:
            signed_at = None
    try:
        signer_cert = status.signing_cert if status is not None else first.signer_cert
    except Exception:
        signer_cert = None
    document = {"signed": True, "intact": intact, "trusted": trusted, "signer": _subject(signer_cert),
                "signed_at": _iso(signed_at)}
    if intact:
        _, _, start2, len2 = (int(x) for x in first.byte_range)
        data = data[:start2 + len2]
    return document, notes, data


# --- page 1 -------------------------------------------------------------------------------------------------

def render(data: bytes, opts: dict):
    """Page 1 in grey, at opts["dpi"] and at most opts["max_pixels"]: (bitmap, width, height, stride). Its images
    hold at most opts["max_image_pixels"] together."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise Refused("pdf_encrypted" if "password" in str(e).lower() else "pdf_unreadable") from None
    pages = len(pdf)
    if pages == 0:
        raise Refused("pdf_unreadable", found="no pages")
    if pages > opts["max_pages"]:
        raise Refused("pdf_too_many_pages", pages=pages, max_pages=opts["max_pages"])
    page = pdf[0]
    width, height = page.get_size()
    if not (width > 0 and height > 0 and math.isfinite(width * height)):
        raise Refused("pdf_unreadable", found="page size")
    if max(width, height) > opts["max_side_pt"]:
        raise Refused("pdf_page_too_large", width_pt=round(width), height_pt=round(height),
                      max_side_pt=opts["max_side_pt"])
    # PDFium decodes an image whole, at several bytes a pixel, whatever size it is drawn at: a 600 dpi scan would
    # hit the memory limit and vanish from the page without a word. Refused by name instead.
    pixels = 0
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=8):
        try:
            w, h = obj.get_px_size()
        except pdfium.PdfiumError:
            continue
        pixels += w * h
        if pixels > opts["max_image_pixels"]:
            raise Refused("pdf_image_too_large", image_pixels=pixels, max_image_pixels=opts["max_image_pixels"])
    scale = min(opts["dpi"] / 72, math.sqrt(opts["max_pixels"] / (width * height)))
    bitmap = page.render(scale=scale, grayscale=True, may_draw_forms=False, limit_image_cache=True)
    return bitmap, bitmap.width, bitmap.height, bitmap.stride


def check(data: bytes, opts: dict) -> tuple[dict, object]:
    """The answer's header and the bitmap (or None)."""
    document, notes, shown = signatures(data, opts)
    bitmap, width, height, stride = render(shown, opts)
    return {"document": document, "notes": notes, "render": {"width": width, "height": height, "stride": stride}}, bitmap


# --- the child ----------------------------------------------------------------------------------------------

def _limit_resources() -> None:
    """Never above a hard limit the process already has (a container's ulimit): setrlimit would refuse."""
    try:
        with open("/proc/self/status") as status:
            vm = int(re.search(r"VmSize:\s+(\d+)", status.read()).group(1)) * 1024
    except (OSError, AttributeError):
        vm = 0
    limits = [(resource.RLIMIT_CPU, CPU_SECONDS, CPU_SECONDS + 1), (resource.RLIMIT_CORE, 0, 0)]
    if vm:
        limits.append((resource.RLIMIT_AS, vm + MEMORY_BYTES, vm + MEMORY_BYTES))
    for kind, soft, hard in limits:
        _, current = resource.getrlimit(kind)
        if current != resource.RLIM_INFINITY:
            soft, hard = min(soft, current), min(hard, current)
        resource.setrlimit(kind, (soft, hard))


def _read_exact(sock: socket.socket, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(min(n - len(buf), 1 << 20))
        if not chunk:
            raise EOFError
        buf += chunk
    return bytes(buf)


def _read_request(sock: socket.socket) -> tuple[dict, bytes]:
    (size,) = HEADER.unpack(_read_exact(sock, HEADER.size))
    if size > MAX_HEADER:
        raise EOFError
    opts = json.loads(_read_exact(sock, size))
    limit, chunks, total = opts["max_bytes"], [], 0
    while True:
        chunk = sock.recv(1 << 20)
        if not chunk:
            break
        total += len(chunk)
        if total > limit:
            raise Refused("pdf_too_large", max_bytes=limit)
        chunks.append(chunk)
    return opts, b"".join(chunks)


def _answer(sock: socket.socket, head: dict, bitmap=None) -> None:
    body = json.dumps(head).encode()
    sock.sendall(HEADER.pack(len(body)) + body)
    if bitmap is not None:
        sock.sendall(memoryview(bitmap.buffer).cast("B"))


def handle(fd: int) -> None:
    """One request on the socket fd, in a forked child of the zygote."""
    _limit_resources()
    sock = socket.socket(fileno=fd)
    try:
        opts, data = _read_request(sock)
        head, bitmap = check(data, opts)
    except Refused as e:
        head, bitmap = {"error": e.code, **e.details}, None
    except EOFError:
        return
    except (MemoryError, RecursionError, PdfDecodeLimitError) as e:
        head, bitmap = {"error": "pdf_too_complex", "found": type(e).__name__}, None
    except Exception as e:              # pyHanko and PDFium raise many kinds for damaged files
        head, bitmap = {"error": "pdf_unreadable", "found": type(e).__name__}, None
    _answer(sock, head, bitmap)
    sock.close()


# --- the zygote ---------------------------------------------------------------------------------------------

# A one-page PDF with a Latin and a Chinese (non-embedded CID) font: rendering it once in the zygote loads what
# PDFium loads on first use (its font mapper scans the system fonts: 0.2 s), so no child pays for it.
_WARM_OBJECTS = (
    b"<</Type/Catalog/Pages 2 0 R>>",
    b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
    b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]/Contents 4 0 R/Resources<</Font<</F1 5 0 R/F2 6 0 R>>>>>>",
    b"<</Length 68>>stream\nBT /F1 12 Tf 10 60 Td (Jianzheng) Tj /F2 12 Tf 0 -30 Td <4E2D> Tj ET\nendstream",
    b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    b"<</Type/Font/Subtype/Type0/BaseFont/STSong-Light/Encoding/UniGB-UCS2-H/DescendantFonts[7 0 R]>>",
    b"<</Type/Font/Subtype/CIDFontType0/BaseFont/STSong-Light/CIDSystemInfo<</Registry(Adobe)/Ordering(GB1)"
    b"/Supplement 2>>/FontDescriptor 8 0 R>>",
    b"<</Type/FontDescriptor/FontName/STSong-Light/Flags 6/FontBBox[0 -200 1000 900]/ItalicAngle 0/Ascent 880"
    b"/Descent -120/CapHeight 880/StemV 80>>",
)


def _warm_pdf() -> bytes:
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(_WARM_OBJECTS, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<</Root 1 0 R/Size %d>>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref)
    return bytes(out)


def warm_up() -> None:
    try:
        render(_warm_pdf(), {"max_pages": 1, "max_side_pt": 1000, "dpi": 72, "max_pixels": 100_000, "max_image_pixels": 1})
        signatures(_warm_pdf(), {})
        _context({})
    except Exception:
        pass


def serve(control_fd: int) -> None:
    control = socket.socket(fileno=control_fd)
    warm_up()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)     # the kernel reaps the children
    control.sendall(b"R")
    while True:
        try:
            msg, fds, _, _ = socket.recv_fds(control, 1, 1)
        except (OSError, EOFError):
            break
        if not msg:                                    # the web worker is gone
            break
        if not fds:
            continue
        try:
            pid = os.fork()
        except OSError:
            pid = -1
        if pid == 0:
            try:
                control.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                handle(fds[0])
            finally:
                os._exit(0)
        for fd in fds:
            os.close(fd)
        # the pid, and a pidfd with which the worker can kill this child and no other (a pid may be reused)
        pidfd = None
        if pid > 0:
            try:
                pidfd = os.pidfd_open(pid)
            except OSError:
                pidfd = None
        socket.send_fds(control, [struct.pack(">i", pid)], [pidfd] if pidfd is not None else [])
        if pidfd is not None:
            os.close(pidfd)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
    else:
        sys.exit("usage: pdf_worker.py serve FD")
