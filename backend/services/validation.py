"""Input validation at the service boundary: one place, one error type (ValidationFailed with field details)."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from backend.services.checkdigits import id_number_facts, id_number_ok, uscc_ok
from backend.services.dates import parse_date
from backend.services.errors import ValidationFailed

# Names: Chinese characters, the middle dot of minority names, Latin letters and spaces; no markup.
_NAME_RE = re.compile(r"^[\u3400-\u9fff\uf900-\ufaffA-Za-z·•\. ]{1,40}$")
_PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


class Checker:
    """Collects every field problem of one input, then raises them together."""

    def __init__(self, data: Any):
        if not isinstance(data, dict):
            raise ValidationFailed("请求体必须是 JSON 对象", "The body must be a JSON object", code="invalid_body")
        self.data = data
        self.out: dict[str, Any] = {}
        self.errors: dict[str, dict] = {}

    def fail(self, name: str, code: str, zh: str, en: str) -> None:
        self.errors.setdefault(name, {"code": code, "message": zh, "message_en": en})

    def text(self, name: str, *, required=True, max_len=200, pattern: re.Pattern | None = None,
             label: tuple[str, str] = ("", "")) -> str | None:
        v = self.data.get(name)
        if v is None or (isinstance(v, str) and not v.strip()):
            if required:
                self.fail(name, "required", f"{label[0] or name}不能为空", f"{label[1] or name} is required")
            return None
        if not isinstance(v, str):
            self.fail(name, "type", f"{label[0] or name}必须是字符串", f"{label[1] or name} must be a string")
            return None
        v = unicodedata.normalize("NFKC", v).strip() if name != "id_number" else v.strip().upper()
        if len(v) > max_len:
            self.fail(name, "too_long", f"{label[0] or name}过长(最多 {max_len} 个字符)",
                      f"{label[1] or name} is too long (at most {max_len} characters)")
            return None
        if pattern is not None and not pattern.match(v):
            self.fail(name, "format", f"{label[0] or name}格式不正确", f"{label[1] or name} has a wrong format")
            return None
        self.out[name] = v
        return v

    def date(self, name: str, *, required=True) -> dt.date | None:
        v = self.data.get(name)
        if v is None:
            if required:
                self.fail(name, "required", f"{name} 不能为空", f"{name} is required")
            return None
        d = parse_date(v)
        if d is None:
            self.fail(name, "format", f"{name} 必须是 YYYY-MM-DD 格式的日期", f"{name} must be a date YYYY-MM-DD")
            return None
        self.out[name] = d
        return d

    def choice(self, name: str, options, *, required=True) -> str | None:
        v = self.data.get(name)
        if v is None and not required:
            return None
        if not isinstance(v, str) or v not in options:
            self.fail(name, "choice", f"{name} 必须是以下之一:{', '.join(options)}",
                      f"{name} must be one of: {', '.join(options)}")
            return None
        self.out[name] = v
        return v

    def done(self) -> dict:
        if self.errors:
            raise ValidationFailed(details={"fields": self.errors})
        return self.out


def clean_person(data: Any) -> dict:
    c = Checker(data)
    c.text("name", max_len=40, pattern=_NAME_RE, label=("姓名", "Name"))
    idn = c.text("id_number", max_len=18, label=("身份证号", "ID number"))
    c.choice("sex", ("M", "F"), required=False)
    c.date("birth_date", required=False)
    c.text("phone", required=False, max_len=11, pattern=_PHONE_RE, label=("手机号", "Phone"))
    if idn is not None:
        facts = id_number_facts(idn)
        if facts is None:
            c.fail("id_number", "checksum" if not id_number_ok(idn) else "birth_date",
                   "身份证号码无效(校验位或出生日期错误)", "Invalid ID number (check character or birth date)")
        else:
            birth, sex = facts
            if c.out.get("sex", sex) != sex:
                c.fail("sex", "mismatch", "性别与身份证号码不符", "Sex does not match the ID number")
            if c.out.get("birth_date", birth) != birth:
                c.fail("birth_date", "mismatch", "出生日期与身份证号码不符", "Birth date does not match the ID number")
            c.out.setdefault("sex", sex)
            c.out.setdefault("birth_date", birth)
    return c.done()


def clean_enterprise(data: Any, provinces: dict[str, str]) -> dict:
    c = Checker(data)
    c.text("name", max_len=200, label=("单位名称", "Enterprise name"))
    c.text("short_name", required=False, max_len=32, label=("简称", "Short name"))
    uscc = c.text("uscc", max_len=18, label=("统一社会信用代码", "Unified social credit code"))
    if uscc is not None and not uscc_ok(uscc):
        c.fail("uscc", "checksum", "统一社会信用代码无效", "Invalid unified social credit code (GB 32100)")
    prov = c.text("province_code", required=False, max_len=2)
    if uscc and "province_code" not in c.errors and prov is None:
        prov = uscc[2:4]   # the registration-authority region code starts at position 3
    if prov not in provinces:
        c.fail("province_code", "choice", "省份代码无效", "Unknown province code")
    c.out["province_code"] = prov
    c.out.setdefault("short_name", (c.out.get("name") or "")[:8])
    return c.done()
