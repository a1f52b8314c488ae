"""A photo of a certificate: the QR texts it holds, read by the decoder cascade within the upload limits."""
from __future__ import annotations

from dataclasses import dataclass

from backend.qr.decode import ImageRejected, decode_image_bytes
from backend.services.verification.errors import ImageNotRead, NoQrFound


@dataclass(frozen=True)
class ImageLimits:
    max_bytes: int = 10 * 1024 * 1024
    max_pixels: int = 40_000_000
    budget_ms: int = 2500          # a photo with no code stops here

    @classmethod
    def from_config(cls, cfg) -> ImageLimits:
        return cls(cfg["IMAGE_MAX_BYTES"], cfg["IMAGE_MAX_PIXELS"], cfg["IMAGE_DECODE_BUDGET_MS"])


def qr_texts(data: bytes, limits: ImageLimits) -> list[str]:
    """The distinct QR texts in the photo, or ImageNotRead / NoQrFound."""
    try:
        texts = decode_image_bytes(data, max_bytes=limits.max_bytes, max_pixels=limits.max_pixels,
                                   budget_ms=limits.budget_ms)
    except ImageRejected as e:
        if e.code == "unsupported_media_type":      # this endpoint also takes the certificate PDF (documents.py)
            raise ImageNotRead("仅支持 JPEG、PNG、WebP 图片或证书 PDF", "Only JPEG, PNG or WebP images, or the "
                               "certificate PDF, are accepted", code=e.code, status=415,
                               details={"accepted": [*e.details.get("accepted", []), "application/pdf"]}) from None
        raise ImageNotRead(e.message, e.message_en, code=e.code, details=e.details,
                           status=ImageNotRead.STATUS.get(e.code, 422)) from None
    if not texts:
        raise NoQrFound()
    return texts
