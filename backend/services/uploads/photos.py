"""Checking uploaded photos and signature images: JPEG or PNG only, bounded size, decoded in full within a
pixel limit and a memory budget (content.check_image). The bytes are stored as uploaded."""
from __future__ import annotations

from backend.services.uploads.checks import PHOTO_TYPES, check_image
from backend.services.uploads.errors import ImageTooLarge


def clean_upload(data: bytes, *, max_bytes: int, max_pixels: int = 25_000_000) -> tuple[bytes, str]:
    if len(data) > max_bytes:
        raise ImageTooLarge(max_bytes)
    mime, _size = check_image(data, accepted=PHOTO_TYPES, max_pixels=max_pixels)
    return data, mime
