"""Where the authority's PDF-signing key, certificate and seal image come from (the settings of README), and
making the demo ones on first start. Light to import (no pyHanko): the app's first start needs only this.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from backend.crypto.pdf_pki import DemoPki, ensure_demo_pki

DEFAULT_FONTS = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
                 "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")


@dataclass(frozen=True)
class PdfSigningSettings:
    key: str | None = None            # PEM key or PKCS#12 file; None: the demo CA in demo_dir
    cert: str | None = None           # PEM certificate (with a PEM key)
    chain: tuple[str, ...] = ()       # PEM files of CA certificates embedded with each signature
    password: str | None = None       # of the key or PKCS#12 file (from the environment)
    timestamp_url: str | None = None  # RFC 3161 server: PAdES B-T
    seal_image: str | None = None     # PNG with transparency; None: the demo seal (demo CA only)
    demo_dir: str = "instance/pdf-signing"
    fonts: tuple[str, ...] = DEFAULT_FONTS
    issuer_name: str = "建证演示发证机关"
    issuer_uscc: str = "11100000000013338W"

    @classmethod
    def from_config(cls, cfg) -> PdfSigningSettings:
        return cls(key=cfg.get("PDF_SIGNING_KEY"), cert=cfg.get("PDF_SIGNING_CERT"),
                   chain=tuple(p for p in (cfg.get("PDF_SIGNING_CHAIN") or "").split(":") if p),
                   password=cfg.get("PDF_SIGNING_PASSWORD"), timestamp_url=cfg.get("PDF_TIMESTAMP_URL"),
                   seal_image=cfg.get("PDF_SEAL_IMAGE"), demo_dir=cfg["PDF_SIGNING_DIR"],
                   fonts=tuple(p for p in cfg["PDF_FONTS"].split(":") if p),
                   issuer_name=cfg["ISSUER_NAME"], issuer_uscc=cfg["ISSUER_USCC"])

    @property
    def demo(self) -> bool:
        return not self.key

    def files(self) -> tuple[str | None, str | None, tuple[str, ...], str | None]:
        """(key, certificate, chain, seal image) as used: the demo files when no key is configured."""
        if not self.demo:
            return self.key, self.cert, self.chain, self.seal_image
        pki = DemoPki(self.demo_dir)
        return (str(pki.signer_key), str(pki.signer_cert), (str(pki.ca_cert),),
                self.seal_image or str(Path(self.demo_dir) / "seal.png"))


def _seal_names(path: Path) -> str | None:
    try:
        with Image.open(path) as im:
            return im.text.get("issuer")
    except (OSError, ValueError):
        return None


def prepare(settings: PdfSigningSettings) -> None:
    """First start without a configured key: the demo CA, the authority's certificate and, unless PDF_SEAL_IMAGE
    names one, the demo seal (made again when ISSUER_NAME changes, as the certificate is)."""
    if not settings.demo:
        return
    ensure_demo_pki(settings.demo_dir, settings.issuer_name, settings.issuer_uscc)
    seal = Path(settings.files()[3])
    if not settings.seal_image and _seal_names(seal) != settings.issuer_name:
        from backend.services.issuance.seal_image import demo_seal_png  # Pillow's FreeType: only when needed
        tmp = seal.with_name(f".seal.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(demo_seal_png(settings.issuer_name, settings.fonts))
        tmp.replace(seal)
