"""Pydantic's validation errors in the house's words: each field with a code (required, too_long, format,
type, range, choice, ...) and a message in Chinese and English, naming the field by the Chinese half of its
description ("姓名 / Name" -> 姓名)."""
from __future__ import annotations

from typing import get_args

from pydantic import BaseModel, ValidationError

from backend.services.errors import ValidationFailed

# pydantic error type -> (our code, 中文 template, English template); {label} {Label} {ctx...}
KINDS = {
    "missing": ("required", "{label}不能为空", "{Label} is required"),
    "string_too_short": ("too_short", "{label}过短(至少 {min_length} 个字符)",
                         "{Label} is too short (at least {min_length} characters)"),
    "string_too_long": ("too_long", "{label}过长(最多 {max_length} 个字符)",
                        "{Label} is too long (at most {max_length} characters)"),
    "string_pattern_mismatch": ("format", "{label}格式不正确", "{Label} has a wrong format"),
    "too_short": ("too_short", "{label}数量过少(至少 {min_length} 项)", "{Label} has too few items (at least {min_length})"),
    "too_long": ("too_long", "{label}数量过多(最多 {max_length} 项)", "{Label} has too many items (at most {max_length})"),
    "greater_than_equal": ("range", "{label}不能小于 {ge}", "{Label} must be at least {ge}"),
    "greater_than": ("range", "{label}必须大于 {gt}", "{Label} must be greater than {gt}"),
    "less_than_equal": ("range", "{label}不能大于 {le}", "{Label} must be at most {le}"),
    "less_than": ("range", "{label}必须小于 {lt}", "{Label} must be less than {lt}"),
    "literal_error": ("choice", "{label}必须是以下之一:{expected}", "{Label} must be one of: {expected}"),
    "enum": ("choice", "{label}必须是以下之一:{expected}", "{Label} must be one of: {expected}"),
    "date_from_datetime_parsing": ("format", "{label}必须是 YYYY-MM-DD 格式的日期", "{Label} must be a date YYYY-MM-DD"),
    "date_parsing": ("format", "{label}必须是 YYYY-MM-DD 格式的日期", "{Label} must be a date YYYY-MM-DD"),
    "date_type": ("format", "{label}必须是 YYYY-MM-DD 格式的日期", "{Label} must be a date YYYY-MM-DD"),
    "date_from_datetime_inexact": ("format", "{label}必须是 YYYY-MM-DD 格式的日期", "{Label} must be a date YYYY-MM-DD"),
    "set_item_not_hashable": ("type", "{label}类型不正确", "{Label} has the wrong type"),
}
TYPE_ERROR = ("type", "{label}类型不正确", "{Label} has the wrong type")


class _Values(dict):
    def __missing__(self, key):       # a template naming what this error's context lacks: say nothing
        return "?"


def _models() -> dict[str, type[BaseModel]]:
    out, todo = {}, [BaseModel]
    while todo:
        for sub in todo.pop().__subclasses__():
            out.setdefault(sub.__name__, sub)
            todo.append(sub)
    return out


def _label(model: type[BaseModel] | None, field: str) -> tuple[str, str]:
    info = model.model_fields.get(field) if model is not None else None
    desc = (info.description or "") if info is not None else ""
    if " / " in desc:
        zh, en = desc.split(" / ", 1)
        return zh.split("(")[0].split("(")[0].strip() or field, en.strip() or field
    return field, field


def _inner(model: type[BaseModel] | None, field: str) -> type[BaseModel] | None:
    """The model a field holds (ApplicationChanges in `changes: ApplicationChanges | None`), if any."""
    info = model.model_fields.get(field) if model is not None else None
    todo = [info.annotation] if info is not None else []
    while todo:
        t = todo.pop()
        if isinstance(t, type) and issubclass(t, BaseModel):
            return t
        todo.extend(get_args(t))
    return None


def _path_label(model: type[BaseModel] | None, loc: list) -> tuple[str, str]:
    """A field's words, nested ones by their own description ("changes.name" -> 新姓名 / New name) and list
    items by their place (第 2 项 / item 2): never the field's key when it has words."""
    zh, en = _label(model, str(loc[0]))
    holder = _inner(model, str(loc[0]))
    for part in loc[1:]:
        if isinstance(part, int):
            zh, en = f"{zh}第 {part + 1} 项", f"{en}, item {part + 1}"
        elif holder is not None and part in holder.model_fields:
            zh, en = _label(holder, part)
            holder = _inner(holder, part)
    return zh, en


def validation_failed(err: ValidationError) -> ValidationFailed:
    model = _models().get(err.title)
    fields: dict[str, dict] = {}
    for e in err.errors(include_url=False, include_input=False):
        loc = [str(p) for p in e["loc"]]
        name = loc[0] if loc else "body"
        zh_label, en_label = _path_label(model, list(e["loc"])) if loc else _label(model, name)
        if e["type"] == "value_error" and " / " in e["msg"].removeprefix("Value error, "):
            zh, en = e["msg"].removeprefix("Value error, ").split(" / ", 1)
            fields.setdefault(name, {"code": "format", "message": zh, "message_en": en})
            continue
        if e["type"] not in KINDS and " / " in e["msg"]:     # PydanticCustomError("<our code>", "中文 / English")
            zh, en = e["msg"].split(" / ", 1)
            fields.setdefault(name, {"code": e["type"], "message": zh, "message_en": en})
            continue
        code, zh, en = KINDS.get(e["type"], TYPE_ERROR)
        values = _Values(e.get("ctx") or {}, label=zh_label, Label=en_label[:1].upper() + en_label[1:])
        fields.setdefault(name, {"code": code, "message": zh.format_map(values), "message_en": en.format_map(values)})
    return ValidationFailed(details={"fields": fields})
