"""Verification's errors, with their Chinese and English messages (a revoked or expired copy is a
verdict, never an error)."""
from __future__ import annotations

from backend.services.errors import ServiceError


class NoQrFound(ServiceError):
    code, status = "no_qr_found", 422
    message, message_en = "图片中未找到二维码", "No QR code was found in the image"


class PhotoLinkInvalid(ServiceError):
    code, status = "photo_link_invalid", 403
    message, message_en = "照片链接无效或已过期,请重新核验", "The photo link is invalid or expired: verify again"


class ImageNotRead(ServiceError):
    """The upload is not an image we are willing to decode (its code says why: unsupported_media_type,
    image_too_large, too_many_pixels, corrupt_image)."""
    STATUS = {"unsupported_media_type": 415, "image_too_large": 413, "too_many_pixels": 413, "corrupt_image": 422}
