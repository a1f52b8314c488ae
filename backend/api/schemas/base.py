"""What every schema shares: the base models, the one error shape, and the small field types."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field


class ApiModel(BaseModel):
    """A request body: unknown fields are ignored (clients may send more). Numbers and booleans are declared
    strict where the API never took them as text (StrictInt, StrictBool)."""
    model_config = ConfigDict(extra="ignore")


class QueryModel(BaseModel):
    """Query parameters arrive as text: numbers are parsed from it."""
    model_config = ConfigDict(extra="ignore")


class Answer(BaseModel):
    """A response body: every field named here and no other, so that the document cannot drift from the code
    (the tests validate every answer against its model)."""
    model_config = ConfigDict(extra="forbid")


class Error(Answer):
    """每个 4xx/5xx 响应的统一格式 / The one shape of every 4xx and 5xx response."""
    error: str = Field(description="机器可读的错误代码 / Machine-readable code")
    message: str = Field(description="中文说明 / In Chinese")
    message_en: str = Field(description="English message")
    details: dict[str, Any] = Field(description="细节,如各字段的问题 / Details, e.g. the problem of each field")


def text(description: str, max_length: int | None = None, **kw) -> Any:
    return Field(description=description, max_length=max_length, **kw)


Date = Annotated[dt.date, Field(json_schema_extra={"format": "date"})]
DateTime = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
