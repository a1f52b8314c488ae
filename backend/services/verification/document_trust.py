"""Whom a certificate PDF's signature must chain to: the trust roots (PDF_TRUST_ROOTS, PEM files) and,
optionally, a certificate revocation list (PDF_CRL, a file or an http(s) URL).

Files are read again when they change (the demo CA is made on first start, perhaps after the app); a CRL at a
URL is fetched at most every `crl_refresh` seconds, and a failed fetch keeps the last good copy. Nothing here
parses a certificate: the check's child process does (pdf_worker.py), and refuses what it cannot read.
"""
from __future__ import annotations

import base64
import logging
import os
import threading
import time
import urllib.request
from pathlib import Path

log = logging.getLogger(__name__)

CRL_MAX_BYTES = 16 * 1024 * 1024
CRL_FETCH_SECONDS = 5


def split_paths(value: str | list | tuple | None) -> list[str]:
    """PDF_TRUST_ROOTS as given: a list, or text with paths separated by os.pathsep (":") or commas."""
    if not value:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v]
    return [p.strip() for p in value.replace(",", os.pathsep).split(os.pathsep) if p.strip()]


class PdfTrust:
    def __init__(self, roots: list[str], crl: str | None = None, crl_refresh: int = 3600):
        self.roots = [Path(p) for p in roots]
        self.crl = crl or None
        self.crl_refresh = crl_refresh
        self._files: dict[Path, tuple[float, str]] = {}
        self._crl_bytes: bytes | None = None
        self._crl_at = 0.0
        self._lock = threading.Lock()

    def _pem(self, path: Path) -> str | None:
        try:
            mtime = path.stat().st_mtime
        except OSError:
            return None
        cached = self._files.get(path)
        if cached and cached[0] == mtime:
            return cached[1]
        try:
            text = path.read_text(encoding="ascii", errors="replace")
        except OSError:
            return None
        self._files[path] = (mtime, text)
        return text

    def _crl(self) -> bytes | None:
        if not self.crl:
            return None
        if not self.crl.startswith(("http://", "https://")):
            return self._file_crl(Path(self.crl))
        if self._crl_bytes is None or time.monotonic() - self._crl_at > self.crl_refresh:
            self._crl_at = time.monotonic()
            try:
                with urllib.request.urlopen(self.crl, timeout=CRL_FETCH_SECONDS) as resp:   # the operator sets it
                    data = resp.read(CRL_MAX_BYTES + 1)
                if len(data) > CRL_MAX_BYTES:
                    raise ValueError("CRL too large")
                self._crl_bytes = data
            except Exception as e:
                log.warning("PDF_CRL could not be fetched (%s); the last copy stays in use", type(e).__name__)
        return self._crl_bytes

    def _file_crl(self, path: Path) -> bytes | None:
        try:
            mtime = path.stat().st_mtime
            if self._crl_bytes is None or mtime != self._crl_at:
                self._crl_bytes, self._crl_at = path.read_bytes()[:CRL_MAX_BYTES + 1], mtime
        except OSError:
            log.warning("PDF_CRL %s cannot be read", path)
            return None
        return self._crl_bytes

    def options(self) -> dict:
        """What the check's child needs: {"roots": [PEM text], "crls": [base64 of DER or PEM]}."""
        with self._lock:
            roots = [pem for pem in (self._pem(p) for p in self.roots) if pem]
            crl = self._crl()
        return {"roots": roots, "crls": [_der(crl)] if crl else []}


def _der(crl: bytes) -> str:
    """A CRL in PEM is passed on as its DER (pyHanko takes DER)."""
    if b"-----BEGIN" in crl:
        body = b"".join(line for line in crl.splitlines() if line and not line.startswith(b"-----"))
        return body.decode("ascii", "replace")
    return base64.b64encode(crl).decode()


def trust_from_config(cfg, instance_path: str) -> PdfTrust:
    """PDF_TRUST_ROOTS when set. Otherwise the CA of whatever signs this app's certificate PDFs: the demo CA
    under PDF_SIGNING_DIR (instance/pdf-signing/ca.cert.pem, made on first start) while no PDF_SIGNING_KEY is
    configured, else the CA certificates of PDF_SIGNING_CHAIN. Production should name its roots explicitly."""
    roots = split_paths(cfg.get("PDF_TRUST_ROOTS"))
    if not roots and not cfg.get("PDF_SIGNING_KEY"):
        roots = [str(Path(cfg.get("PDF_SIGNING_DIR") or Path(instance_path) / "pdf-signing") / "ca.cert.pem")]
    elif not roots:
        roots = split_paths(cfg.get("PDF_SIGNING_CHAIN"))
    if not roots:
        log.warning("no PDF_TRUST_ROOTS: every signed certificate PDF will be answered as not trusted")
    return PdfTrust(roots, cfg.get("PDF_CRL"), int(cfg.get("PDF_CRL_REFRESH") or 3600))
