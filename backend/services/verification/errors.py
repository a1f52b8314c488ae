"""Verification's errors, with their Chinese and English messages (a revoked or expired copy is a
verdict, never an error)."""
from __future__ import annotations

from backend.services.errors import ServiceError


class NoQrFound(ServiceError):
    code, status = "no_qr_found", 422
    message, message_en = "图片中未找到二维码", "No QR code was found in the image"
