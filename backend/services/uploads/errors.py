"""The uploads' errors: why a file is refused, in Chinese and English."""
from __future__ import annotations

from backend.services.errors import ServiceError
from backend.services.uploads.limits import LABELS, PDF_MAX_PAGES, PROOF_MIN_SIDE, PROOF_TYPES


class FileRejected(ServiceError):
    code, status = "file_rejected", 422
    message, message_en = "文件无法接受", "The file is not accepted"


class UnsupportedFileType(FileRejected):
    code, status = "unsupported_media_type", 415

    def __init__(self, accepted=PROOF_TYPES):
        names = [LABELS[m] for m in accepted]
        super().__init__(f"仅接受 {'、'.join(names)} 文件", f"Only {', '.join(names)} files are accepted",
                         details={"accepted": list(accepted)})


class ImageTooLarge(FileRejected):
    code, status = "image_too_large", 413

    def __init__(self, max_bytes: int):
        super().__init__(f"图片过大(最多 {max_bytes // 1024} KB)", f"Image too large (at most {max_bytes // 1024} KB)")


class ImageUnreadable(FileRejected):
    code = "corrupt_image"
    message, message_en = "图片已损坏或无法读取", "The image is damaged or cannot be read"


class TooManyPixels(FileRejected):
    code, status = "too_many_pixels", 413
    message, message_en = "图片尺寸过大", "The image has too many pixels"


class ImageTooSmall(FileRejected):
    code = "image_too_small"
    message = f"图片过小,不像证明材料的照片或扫描件(短边至少 {PROOF_MIN_SIDE} 像素)"
    message_en = f"The image is too small for a photo or scan of a document (at least {PROOF_MIN_SIDE} px a side)"


class PdfUnreadable(FileRejected):
    code = "pdf_unreadable"
    message, message_en = "PDF 文件已损坏或无法解析", "The PDF is damaged or cannot be parsed"


class PdfEncrypted(FileRejected):
    code = "pdf_encrypted"
    message, message_en = "PDF 已加密,请上传未加密的文件", "The PDF is encrypted: upload one without encryption"


class PdfActiveContent(FileRejected):
    code = "pdf_active_content"
    message = "PDF 含有脚本(JavaScript)或启动程序的动作,请另存或打印为普通 PDF 后再上传"
    message_en = "The PDF carries JavaScript or launch actions: save or print it as a plain PDF"


class PdfEmbeddedFiles(FileRejected):
    code = "pdf_embedded_files"
    message, message_en = "PDF 含有附件(嵌入的文件),请去掉附件后再上传", "The PDF carries embedded files: remove them"


class PdfWithoutPages(FileRejected):
    code = "pdf_no_pages"
    message, message_en = "PDF 没有任何页面", "The PDF has no page"


class PdfTooComplex(FileRejected):
    code, status = "pdf_too_complex", 413
    message = f"PDF 过于复杂(对象或页面过多,最多 {PDF_MAX_PAGES} 页),无法检查"
    message_en = f"The PDF is too complex to check (too many objects, or more than {PDF_MAX_PAGES} pages)"


class PdfCheckUnavailable(ServiceError):
    """No child process to be had (fork refused under load): the file is not at fault, so not a FileRejected."""
    code, status = "service_unavailable", 503
    message, message_en = "暂时无法检查 PDF,请稍后再试", "The PDF cannot be checked right now: try again later"


PDF_ERRORS = {e.code: e for e in (PdfUnreadable, PdfEncrypted, PdfActiveContent, PdfEmbeddedFiles, PdfWithoutPages,
                                  PdfTooComplex)}
