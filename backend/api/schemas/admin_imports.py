"""The authority's imports of the existing register (docs/import.md): the upload, a batch with its progress,
counts and first refused rows, and the list of recent batches."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError
from spectree.model_adapter.pydantic_adapter import BaseFile

from backend.api.schemas.base import Answer, ApiModel, DateTime, QueryModel
from backend.models import ImportState
from backend.services.imports.templates import KINDS

ImportKind = Literal[KINDS]


def _uploaded(v: Any) -> Any:
    if not hasattr(v, "read"):
        raise PydanticCustomError("required", "请以 multipart 字段 file 上传 CSV 或 XLSX 文件 / Send the CSV or XLSX "
                                              "file as the multipart field 'file'")
    return v


def _flag(v: Any) -> Any:
    if v is None or v == "":
        return False
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.lower() in ("1", "true", "on", "yes"):
        return True
    if isinstance(v, str) and v.lower() in ("0", "false", "off", "no"):
        return False
    raise PydanticCustomError("format", "dry_run 应为 true 或 false / dry_run must be true or false")


class ImportForm(ApiModel):
    kind: ImportKind = Field(description="模板 / The template: enterprises, persons, qualifications, registrations")
    dry_run: Annotated[bool, BeforeValidator(_flag)] = Field(False, description="只检查,不存储 / Check only, store "
                                                                                "nothing")
    file: Annotated[BaseFile, AfterValidator(_uploaded)] = Field(description="CSV(UTF-8 或 GB18030)或 XLSX 文件 / "
                                                                             "The CSV (UTF-8 or GB18030) or XLSX file")


class FormatQuery(QueryModel):
    format: Literal["csv", "xlsx"] = Field("csv", description="文件格式 / File format")


class Problem(Answer):
    field: str = Field(description="模板列的英文键 / The template column's key")
    code: str = Field(description="问题代码 / Problem code")
    message: str
    message_en: str


class RefusedRow(Answer):
    line: int = Field(description="文件中的行号(表头为第 1 行)/ Line in the file (the header is line 1)")
    key: str | None = Field(description="该行的关键字段(编号)/ The row's natural key as written")
    problems: list[Problem]


class ImportCounts(Answer):
    inserted: int
    updated: int
    unchanged: int
    refused: int


class ImportBatchSummary(Answer):
    id: int
    kind: ImportKind
    state: Literal[ImportState.ALL]
    dry_run: bool
    file_name: str
    file_type: Literal["csv", "xlsx"] | None
    encoding: str | None
    size_bytes: int
    rows_total: int | None = Field(description="数据行数(估计,完成后为实际)/ Data rows (estimated; exact when done)")
    rows_done: int
    counts: ImportCounts
    seconds: float | None
    error: dict[str, Any] | None = Field(description="失败原因 / Why it failed: {code, message, message_en}")
    created_by: str
    created_at: DateTime
    started_at: DateTime | None
    finished_at: DateTime | None


class ImportBatchOut(ImportBatchSummary):
    refused_rows: list[RefusedRow] = Field(description="前 100 个被拒绝的行 / The first 100 refused rows")
    links: dict[str, str] = Field(description="报告下载地址 / Report downloads (csv, xlsx)")


class ImportBatchList(Answer):
    batches: list[ImportBatchSummary]
