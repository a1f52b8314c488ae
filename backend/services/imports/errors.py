"""Every error of an import (the file as a whole; a refused row is a line of the report, not an error), with
its code, HTTP status and messages in Chinese and English. Unreadable files reuse the bulk check's catalogue
(services/enterprise/errors.py: the same readers, the same answers)."""
from __future__ import annotations

from backend.services.enterprise.errors import (  # noqa: F401  (re-exported: the readers raise them)
    FileTooLarge,
    MacrosRefused,
    NotAWorkbook,
    OldExcelFile,
    TooManyStrings,
    UnknownEncoding,
    UnpackedTooLarge,
    UnreadableCsv,
    UnreadableXlsx,
    UnsupportedFile,
    WorkbookTooComplex,
)
from backend.services.errors import Conflict, NotFound, ServiceError


class UnknownImportKind(NotFound):
    code = "unknown_import_kind"
    message = "没有这种导入模板(enterprises、persons、qualifications、registrations)"
    message_en = "No such import template (enterprises, persons, qualifications, registrations)"


class ImportNotFound(NotFound):
    code = "import_not_found"
    message, message_en = "未找到该导入批次", "No such import batch"


class EmptyFile(ServiceError):
    code, status = "empty_file", 422
    message, message_en = "文件为空:第一行应为表头", "The file is empty: its first line must be the header"


class ImportHeaderError(ServiceError):
    """The first row is not the template's header: columns missing, unknown or given twice."""
    code, status = "bad_header", 422

    def __init__(self, missing: list[str], unknown: list[str], repeated: list[str], expected: list[str]):
        zh, en = [], []
        if missing:
            zh.append("缺少列:" + "、".join(missing))
            en.append("missing columns: " + ", ".join(missing))
        if unknown:
            zh.append("无法识别的列:" + "、".join(unknown))
            en.append("unknown columns: " + ", ".join(unknown))
        if repeated:
            zh.append("重复的列:" + "、".join(repeated))
            en.append("columns given twice: " + ", ".join(repeated))
        super().__init__("表头与模板不符(" + ";".join(zh) + ")", "The header does not match the template (" +
                         "; ".join(en) + ")",
                         details={"missing": missing, "unknown": unknown, "repeated": repeated, "expected": expected})


class ImportRunning(Conflict):
    code = "import_running"
    message = "已有一个同类导入正在进行,请等待其完成"
    message_en = "An import of this kind is running: wait for it to finish"

    def __init__(self, batch_id: int):
        super().__init__(details={"batch_id": batch_id})

