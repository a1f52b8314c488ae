"""Checking uploaded photos and signature images: JPEG or PNG only, bounded size, decoded in full within a
pixel limit and a memory budget (content.check_image). The bytes are stored as uploaded."""
from __future__ import annotations

from backend.services.errors import ServiceError
from backend.services.uploads.checks import PHOTO_TYPES, check_image


def clean_upload(data: bytes, *, max_bytes: int, max_pixels: int = 25_000_000) -> tuple[bytes, str]:
    if len(data) > max_bytes:
        raise ServiceError(f"图片过大(最多 {max_bytes // 1024} KB)", f"Image too large (at most {max_bytes // 1024} KB)",
                           code="image_too_large", status=413)
    mime, _size = check_image(data, accepted=PHOTO_TYPES, max_pixels=max_pixels)
    return data, mime
