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


class DocumentRejected(ServiceError):
    """A certificate PDF we do not check (its code says why). Sizes and counts past a limit are 413, as for a
    photo; a file that is no usable PDF is 422."""
    code, status = "pdf_unreadable", 422
    TEXT = {
        "pdf_too_large": (413, "PDF 文件过大", "The PDF file is too large"),
        "pdf_too_many_pages": (413, "PDF 页数过多,证书只有一页", "The PDF has too many pages: a certificate has one"),
        "pdf_page_too_large": (413, "PDF 页面尺寸过大", "The PDF's page is too large"),
        "pdf_image_too_large": (413, "PDF 中的图像过大,无法检查;扫描件请直接以 JPEG 照片上传",
                                "The PDF's images are too large to check: send a scan as a JPEG photo instead"),
        "pdf_too_complex": (413, "PDF 过于复杂,无法在限定的时间和内存内检查",
                            "The PDF is too complex to check within the time and memory allowed"),
        "pdf_unreadable": (422, "PDF 文件已损坏或无法解析", "The PDF is damaged or cannot be parsed"),
        "pdf_encrypted": (422, "PDF 已加密,无法检查", "The PDF is encrypted and cannot be checked"),
    }

    def __init__(self, code: str, details: dict | None = None):
        status, zh, en = self.TEXT[code]
        super().__init__(zh, en, code=code, details=details, status=status)


class DocumentCheckUnavailable(ServiceError):
    """No process for the check to be had (fork refused under load): the file is not at fault."""
    code, status = "service_unavailable", 503
    message, message_en = "暂时无法检查 PDF,请稍后再试", "The PDF cannot be checked right now: try again later"
