"""Signing a certificate PDF as the issuing authority: PAdES baseline B-B (ETSI.CAdES.detached with the signing
certificate attribute), B-T when a timestamp server is configured, a certification signature allowing no
changes, in a visible signature field whose appearance is the authority's seal. The key, certificate and seal
image are settings (README); without them, the demo CA and seal made on first start under instance/pdf-signing/.
The loaded signer is kept per process and reloaded when one of its files changes.
"""
from __future__ import annotations

import io
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import keys as asn1_keys, x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from PIL import Image, ImageChops, ImageOps, ImageStat
from pyhanko import stamp
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from backend.crypto.pdf_pki import SigningIdentity, load_identity
from backend.services.event_loops import outside_event_loop
from backend.services.issuance.errors import TimestampUnavailable
from backend.services.issuance.signing_settings import PdfSigningSettings, prepare

FIELD = "发证机关签章"            # the signature field's name, shown by PDF readers in their signature panel


def seal_rgba(path: str) -> Image.Image:
    """The seal image ready to lie over the issuer's name: at most 600 pixels (380 dpi at 40 mm); an image
    without transparency (a scan on white paper) made transparent where it is white; and the colour plane made
    the ink's colour (all of it for a seal of one ink, else where it is transparent), so that it compresses to
    almost nothing."""
    im = ImageOps.exif_transpose(Image.open(path))
    im.thumbnail((600, 600), Image.LANCZOS)
    rgb = im.convert("RGB")
    alpha = im.getchannel("A") if "A" in im.getbands() else None
    if alpha is None or alpha.getextrema()[0] == 255:
        alpha = ImageOps.invert(ImageChops.darker(ImageChops.darker(*rgb.split()[:2]), rgb.getchannel("B")))
    ink = alpha.point(lambda v: 255 if v > 127 else 0)
    stat = ImageStat.Stat(rgb, mask=ink) if ink.getbbox() else None
    colour = tuple(round(v) for v in stat.mean) if stat else (200, 0, 0)
    flat = Image.new("RGB", rgb.size, colour)
    out = flat if stat is None or max(stat.stddev) < 40 else Image.composite(rgb, flat, ink)   # one ink: flat
    out.putalpha(alpha)
    return out


class _Seal(PdfImage):
    """The seal as pyHanko's image content, its two streams compressed once per process rather than on every
    signature. A new one per signature: pyHanko binds it to that signature's writer."""

    def __init__(self, prepared: tuple[int, int, bytes, bytes]):
        self.prepared = prepared
        super().__init__(Image.new("RGB", prepared[:2]))

    @property
    def image_ref(self):
        w, h, rgb, alpha = self.prepared
        d = lambda cs: {pdf_name("/Type"): pdf_name("/XObject"), pdf_name("/Subtype"): pdf_name("/Image"),
                        pdf_name("/Width"): generic.NumberObject(w), pdf_name("/Height"): generic.NumberObject(h),
                        pdf_name("/ColorSpace"): pdf_name(cs), pdf_name("/BitsPerComponent"): generic.NumberObject(8),
                        pdf_name("/Filter"): pdf_name("/FlateDecode")}
        if self._image_ref is None or self._image_ref.get_pdf_handler() is not self.writer:
            smask = self.writer.add_object(generic.StreamObject(d("/DeviceGray"), encoded_data=alpha))
            self._image_ref = self.writer.add_object(generic.StreamObject(
                {**d("/DeviceRGB"), pdf_name("/SMask"): smask}, encoded_data=rgb))
        return self._image_ref


@dataclass
class _Loaded:
    stamp: tuple[tuple[str, int | None], ...]     # the files, and their modification times, this was loaded from
    signer: signers.SimpleSigner
    identity: SigningIdentity
    seal: tuple[int, int, bytes, bytes] | None     # width, height, compressed RGB and alpha planes


def _asn1_signer(identity: SigningIdentity) -> signers.SimpleSigner:
    der = lambda c: asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
    key = asn1_keys.PrivateKeyInfo.load(identity.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return signers.SimpleSigner(signing_cert=der(identity.cert), signing_key=key,
                                cert_registry=SimpleCertificateStore.from_certs([der(c) for c in identity.chain]))


class SealSigner:
    """Signs PDFs as the authority, with its seal as the visible signature; one per app, safe across threads."""

    def __init__(self, settings: PdfSigningSettings):
        self.settings = settings
        self._loaded: _Loaded | None = None
        self._lock = threading.Lock()

    def _stamp(self) -> tuple[tuple[str, int | None], ...]:
        key, cert, chain, seal = self.settings.files()
        paths = [p for p in (key, cert, *chain, seal) if p]
        return tuple((p, Path(p).stat().st_mtime_ns if Path(p).exists() else None) for p in paths)

    def loaded(self) -> _Loaded:
        with self._lock:
            if self._loaded is None or self._loaded.stamp != self._stamp():
                prepare(self.settings)
                key, cert, chain, seal = self.settings.files()
                identity = load_identity(key, cert, chain, self.settings.password)
                image = None
                if seal and Path(seal).exists():
                    im = seal_rgba(seal)
                    image = (im.width, im.height, zlib.compress(im.convert("RGB").tobytes()),
                             zlib.compress(im.getchannel("A").tobytes()))
                self._loaded = _Loaded(self._stamp(), _asn1_signer(identity), identity, image)
            return self._loaded

    def identity(self) -> SigningIdentity:
        return self.loaded().identity

    def sign(self, pdf: bytes, box: tuple[float, float, float, float], *, reason: str, location: str) -> bytes:
        """`pdf` signed in a new field over `box` (x1, y1, x2, y2 in points on page 1), as an incremental update:
        the bytes of `pdf` stay as they are, followed by the signature."""
        got = self.loaded()
        if got.seal is not None:
            style = stamp.StaticStampStyle(background=_Seal(got.seal), border_width=0, background_opacity=0.92,
                                           background_layout=layout.SimpleBoxLayoutRule(
                                               x_align=layout.AxisAlignment.ALIGN_MID,
                                               y_align=layout.AxisAlignment.ALIGN_MID, margins=layout.Margins()))
        else:        # a configured key without a seal image: a thin red frame, never a drawn seal of a real authority
            style = stamp.StaticStampStyle(border_width=1, border_color=(0.8, 0.0, 0.05))
        # A certification signature (DocMDP, no changes): a reader flags anything added to the page afterwards,
        # an annotation or a form field included, as a change to the certified document.
        meta = signers.PdfSignatureMetadata(field_name=FIELD, subfilter=fields.SigSeedSubFilter.PADES,
                                            md_algorithm="sha256", reason=reason, location=location,
                                            name=self.settings.issuer_name, certify=True,
                                            docmdp_permissions=fields.MDPPerm.NO_CHANGES)
        url = self.settings.timestamp_url
        signer = signers.PdfSigner(meta, got.signer, stamp_style=style,
                                   timestamper=RequestsHTTPTimeStamper(url, timeout=10) if url else None,
                                   new_field_spec=fields.SigFieldSpec(FIELD, on_page=0, box=tuple(round(v) for v in box)))
        # Room for the CMS object (in hex digits, two a byte), so that pyHanko need not sign once more to measure
        # it: the certificates it embeds and 3 KB for the rest (signature and attributes take a few hundred
        # bytes); with a timestamp token, whose size is not known ahead, pyHanko measures.
        certs = sum(len(c.dump()) for c in (got.signer.signing_cert, *got.signer.cert_registry))
        reserve = None if url else 2 * (3072 + certs)
        try:
            return outside_event_loop(signer.sign_pdf, IncrementalPdfFileWriter(io.BytesIO(pdf)),
                                      bytes_reserved=reserve).getvalue()
        except TimestampRequestError as e:
            raise TimestampUnavailable() from e
