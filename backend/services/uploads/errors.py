"""The uploads' errors: why a file is refused, in Chinese and English."""
from __future__ import annotations

from backend.services.errors import ServiceError
from backend.services.uploads.limits import (
    LABELS,
    PDF_MAX_PAGES,
    PHOTO_ASPECT,
    PHOTO_MIN_SIZE,
    PROOF_MIN_SIDE,
    PROOF_TYPES,
    SIGNATURE_MIN_INK_HEIGHT,
)


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


# -- 入库登记: the ID photo and the signature image (docs/onboarding.md) --------------------------------------

class PhotoTooSmall(FileRejected):
    code = "photo_too_small"
    message = f"照片尺寸过小:至少 {PHOTO_MIN_SIZE[0]}×{PHOTO_MIN_SIZE[1]} 像素(宽×高)"
    message_en = f"The photo is too small: at least {PHOTO_MIN_SIZE[0]}x{PHOTO_MIN_SIZE[1]} px (width x height)"


class PhotoAspect(FileRejected):
    code = "photo_aspect"
    message = (f"照片须为竖幅,宽高比在 {PHOTO_ASPECT[0]:.2f} 至 {PHOTO_ASPECT[1]:.2f} 之间(如 358×441、2:3、3:4);"
               "请裁剪后再上传")
    message_en = (f"The photo must be upright, width / height between {PHOTO_ASPECT[0]:.2f} and {PHOTO_ASPECT[1]:.2f} "
                  "(e.g. 358x441, 2:3, 3:4): crop it and upload it again")


class PhotoNotColour(FileRejected):
    code = "photo_not_colour"
    message, message_en = "须为彩色照片,不接受黑白照片", "A colour photo is needed, not a black-and-white one"


class PhotoBlank(FileRejected):
    code = "photo_blank"
    message = "照片几乎只有一种颜色(空白、遮挡或失焦),请重新拍摄"
    message_en = "The photo is almost one flat colour (blank, covered or out of focus): take it again"


class PhotoExposure(FileRejected):
    code = "photo_exposure"
    message = "照片过暗或过亮,请在光线均匀处重新拍摄"
    message_en = "The photo is too dark or too bright: take it again in even light"


class SignatureNoInk(FileRejected):
    code = "signature_no_ink"
    message = "未识别到签名笔迹:请用深色笔在白纸上签名,再拍照或扫描"
    message_en = "No handwriting found: sign on white paper with a dark pen, then photograph or scan it"


class SignatureTooMuchInk(FileRejected):
    code = "signature_too_much_ink"
    message = "图片中深色部分过多,不像手写签名:请只拍签名,背景为白纸"
    message_en = "Too much of the picture is dark for a signature: photograph only the signature, on white paper"


class SignatureTooSmall(FileRejected):
    code = "signature_too_small"
    message = f"签名笔迹过小:请靠近拍摄或提高扫描分辨率(笔迹高度至少 {SIGNATURE_MIN_INK_HEIGHT} 像素)"
    message_en = (f"The signature is too small: come closer or scan at a higher resolution (at least "
                  f"{SIGNATURE_MIN_INK_HEIGHT} px high)")


class SignatureNotLandscape(FileRejected):
    code = "signature_not_landscape"
    message = "签名须横向书写(宽度大于高度);如图片方向不对,请旋转后再上传"
    message_en = "A signature is written across (wider than high): if the picture is turned, rotate it first"


PDF_ERRORS = {e.code: e for e in (PdfUnreadable, PdfEncrypted, PdfActiveContent, PdfEmbeddedFiles, PdfWithoutPages,
                                  PdfTooComplex)}
