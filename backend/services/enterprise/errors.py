"""The enterprise package's errors (roster, warnings and bulk/), with their Chinese and English messages."""
from __future__ import annotations

from backend.services.errors import Forbidden, NotFound, ServiceError, ValidationFailed


class NotYourEnterprise(Forbidden):
    message, message_en = "单位账户只能查看本单位", "An enterprise account sees its own enterprise only"


class EnterpriseNotNamed(ValidationFailed):
    """Authority staff see any enterprise, so they must say which."""

    def __init__(self):
        super().__init__(details={"fields": {"uscc": {"code": "required", "message": "请用 ?uscc= 指定单位",
                                                      "message_en": "Name the enterprise with ?uscc="}}})


class BulkCheckNotFound(NotFound):
    """Also for another enterprise's check: its existence is nobody else's business."""
    code = "bulk_check_not_found"
    message, message_en = "未找到该批量核查结果(结果保留 24 小时)", "No such bulk check (results are kept for 24 hours)"


class FileTooLarge(ServiceError):
    code, status = "file_too_large", 413

    def __init__(self, max_bytes: int):
        super().__init__(f"文件过大(最大 {max_bytes // 1024 // 1024} MB)", "The file is too large",
                         details={"max_bytes": max_bytes})


class UnpackedTooLarge(ServiceError):
    """An XLSX (a zip) whose parts would unpack past the limit: a zip bomb, or a workbook far too big."""
    code, status = "file_too_large", 413
    message, message_en = "文件解压后过大", "The file is too large once unpacked"

    def __init__(self, max_unpacked: int):
        super().__init__(details={"max_unpacked_bytes": max_unpacked})


class TooManyRows(ServiceError):
    code, status = "too_many_rows", 413

    def __init__(self, max_rows: int):
        super().__init__(f"数据行过多(最多 {max_rows} 行)", f"Too many rows (at most {max_rows})",
                         details={"max_rows": max_rows})


class BadHeader(ServiceError):
    code, status = "bad_header", 422
    message = "未找到表头:需要“姓名”以及“身份证号”或“注册编号”列"
    message_en = "No header found: a name column and an ID number or registration number column are needed"

    def __init__(self, expected: dict[str, list[str]]):
        super().__init__(details={"expected": expected})


class WorkbookTooComplex(ServiceError):
    code, status = "too_complex", 413
    message = "Excel 文件过于复杂(单元格过多或内容过长),请另存为 CSV 后上传"
    message_en = "The workbook is too complex (too many cells or too long a text): save it as CSV"

    def __init__(self, **limit: int):
        super().__init__(details=limit)


class TooManyStrings(ServiceError):
    code, status = "too_many_strings", 413

    def __init__(self, max_strings: int, max_chars: int):
        super().__init__(f"Excel 文件中的文本过多(最多 {max_strings} 个不同文本、{max_chars} 个字符),请另存为 CSV",
                         f"The workbook holds too much text (at most {max_strings} distinct texts and {max_chars} "
                         "characters): save it as CSV", details={"max_strings": max_strings, "max_characters": max_chars})


class UnsupportedFile(ServiceError):
    """The upload is not a CSV or XLSX we read; each subclass says why."""
    code, status = "unsupported_media_type", 415
    message, message_en = "文件不是 CSV 或 XLSX", "The file is neither CSV nor XLSX"


class OldExcelFile(UnsupportedFile):
    message = "不支持旧版 Excel(.xls)文件,请另存为 .xlsx 或 .csv"
    message_en = "Old Excel (.xls) files are not supported: save as .xlsx or .csv"


class UnknownEncoding(UnsupportedFile):
    message = "无法识别文件编码或文件不是 CSV(支持 UTF-8、GB18030)"
    message_en = "Unknown text encoding or not a CSV file (UTF-8 or GB18030 are read)"


class UnreadableCsv(UnsupportedFile):
    message, message_en = "无法读取的 CSV 文件", "An unreadable CSV file"

    def __init__(self, line: int, reason: str):
        super().__init__(details={"line": line, "reason": reason})


class UnreadableXlsx(UnsupportedFile):
    message, message_en = "无法读取的 XLSX 文件", "An unreadable XLSX file"


class NotAWorkbook(UnsupportedFile):
    message, message_en = "压缩文件不是 Excel 工作簿(.xlsx)", "The zip file is not an Excel workbook (.xlsx)"


class MacrosRefused(UnsupportedFile):
    message, message_en = "不接受含宏的文件(.xlsm),请另存为 .xlsx", "Files with macros (.xlsm) are refused: save as .xlsx"
