"""Checking uploaded photos and signature images (JPEG or PNG only, bounded size)."""
from __future__ import annotations

import io
import warnings

from PIL import Image

from .errors import ServiceError

MAGIC = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}


def clean_upload(data: bytes, *, max_bytes: int, max_pixels: int = 25_000_000) -> tuple[bytes, str]:
    if len(data) > max_bytes:
        raise ServiceError(f"图片过大(最多 {max_bytes // 1024} KB)", f"Image too large (at most {max_bytes // 1024} KB)",
                           code="image_too_large", status=413)
    mime = next((m for sig, m in MAGIC.items() if data.startswith(sig)), None)
    if mime is None:
        raise ServiceError("只接受 JPEG 或 PNG 图片", "Only JPEG or PNG images are accepted",
                           code="unsupported_media_type", status=415)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
            if im.size[0] * im.size[1] > max_pixels:
                raise ValueError("too many pixels")
            im.verify()
    except Exception:   # noqa: BLE001 - any failure to parse is a bad image
        raise ServiceError("图片已损坏或过大", "The image is corrupt or too large", code="corrupt_image",
                           status=422) from None
    return data, mime
