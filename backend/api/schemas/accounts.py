"""Accounts: the login, the current account, and accounts made by authority staff (docs/contractors-api.md)."""
from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, StrictBool, StrictInt, ValidationInfo, WithJsonSchema, field_validator
from pydantic_core import PydanticCustomError

from backend.api.schemas.base import Answer, ApiModel, DateTime
from backend.api.schemas.fields import text
from backend.api.schemas.registry import EnterpriseRef
from backend.models import Role
from backend.services.accounts.logins import PASSWORD_MAX, PASSWORD_MIN, normalize_username

RoleName = Literal[Role.ALL]
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]{2,63}$")
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[A-Za-z]{2,}$")


def _text_or_none(v: Any) -> str | None:
    return v if isinstance(v, str) else None


def _credential(max_length: int) -> Any:
    """Anything at all: a login answers every odd body (no field, a number, a very long text) with the same 401
    `invalid_credentials` as a wrong password, so that no answer tells a malformed login from a wrong one."""
    return Annotated[str | None, BeforeValidator(_text_or_none),
                     WithJsonSchema({"type": "string", "maxLength": max_length})]


def _documented_as_required(schema: dict) -> None:
    schema.pop("default", None)


Username = _credential(64)
Password = _credential(PASSWORD_MAX)


class LoginInput(ApiModel):
    """缺少或无效的字段与密码错误的回答相同(401)/ A missing or malformed field is answered as a wrong password (401)."""
    model_config = ConfigDict(json_schema_extra={"required": ["username", "password"]})
    username: Username = Field(None, description="用户名 / Username", json_schema_extra=_documented_as_required)
    password: Password = Field(None, description="密码 / Password", json_schema_extra=_documented_as_required)


class LoginResult(Answer):
    access_token: str = Field(description="HS256 JWT,Authorization: Bearer … / sent as Authorization: Bearer …")
    expires_in: int = Field(description="秒 / seconds (AUTH_TOKEN_TTL)")
    token_type: Literal["Bearer"]
    role: RoleName


class LoggedOut(Answer):
    status: Literal["logged_out"]


class Me(Answer):
    username: str
    role: RoleName
    enterprise: EnterpriseRef | None
    person_id: int | None
    display_name: str | None = Field(None, description="页眉显示的名称:持证人的姓名或单位名称 / The name the header "
                                                       "shows: the holder's own name, or the enterprise's")


def _field_problem(code: str, zh: str, en: str) -> PydanticCustomError:
    return PydanticCustomError(code, f"{zh} / {en}")


class AccountInput(ApiModel):
    """用户名 3-64 位小写字母、数字或 . _ @ -(不区分大小写);密码 10-128 个字符,不含用户名;单位账户须指定 enterprise_uscc,
    持证人账户须指定 person_id,其他角色两者皆无;电子邮箱接收每日预警摘要。/ The username has 3 to 64 lower-case letters,
    digits or . _ @ - (case is ignored); the password 10 to 128 characters, without the username; an enterprise
    account names its enterprise_uscc, a holder account its person_id, other roles neither; the e-mail address
    receives the daily digest of warnings and the notices; an inspector account may name its organisation."""
    # Checked in this order, each field seeing those before it: the password the username, the bindings the role.
    username: str = Field(description="用户名 / Username", json_schema_extra={"pattern": USERNAME_RE.pattern,
                                                                             "maxLength": 64})
    password: str = Field(description="密码 / Password", json_schema_extra={"minLength": PASSWORD_MIN,
                                                                           "maxLength": PASSWORD_MAX})
    role: RoleName = Field(description="角色 / Role")
    enterprise_uscc: str | None = Field(None, description="统一社会信用代码 / Unified social credit code",
                                        validate_default=True)
    person_id: StrictInt | None = Field(None, description="人员编号 / Person id", validate_default=True)
    email: text(254, required=False) = Field(None, description="电子邮箱 / E-mail address")
    organisation: text(100, required=False) = Field(
        None, description="检查人员账户的所属单位:持证人在“证书已被核验”通知中只看到它 / An inspector account's "
                          "organisation: all a holder is told of who checked their certificate", validate_default=True)

    @field_validator("username", mode="before")
    @classmethod
    def _username(cls, v: Any) -> str:
        name = normalize_username(v)
        if name is None or not USERNAME_RE.match(name):
            raise _field_problem("format", "用户名须为 3-64 位小写字母、数字或 . _ @ -",
                                 "The username is 3 to 64 characters: lower-case letters, digits, . _ @ -")
        return name

    @field_validator("password", mode="before")
    @classmethod
    def _password(cls, v: Any, info: ValidationInfo) -> str:
        if not isinstance(v, str) or not PASSWORD_MIN <= len(v) <= PASSWORD_MAX:
            raise _field_problem("length", f"密码须为 {PASSWORD_MIN}-{PASSWORD_MAX} 个字符",
                                 f"The password has {PASSWORD_MIN} to {PASSWORD_MAX} characters")
        username = info.data.get("username")
        if username and username in v.lower():
            raise _field_problem("contains_username", "密码不能包含用户名", "The password must not contain the username")
        return v

    @field_validator("enterprise_uscc")
    @classmethod
    def _enterprise(cls, v: str | None, info: ValidationInfo) -> str | None:
        role = info.data.get("role")
        if role == Role.ENTERPRISE and v is None:
            raise _field_problem("required", "单位账户须指定统一社会信用代码", "An enterprise account needs enterprise_uscc")
        if role not in (Role.ENTERPRISE, None) and v is not None:
            raise _field_problem("not_allowed", "仅单位账户绑定单位", "Only an enterprise account has an enterprise")
        return v

    @field_validator("person_id")
    @classmethod
    def _person(cls, v: int | None, info: ValidationInfo) -> int | None:
        role = info.data.get("role")
        if role == Role.HOLDER and v is None:
            raise _field_problem("required", "持证人账户须指定人员编号", "A holder account needs person_id")
        if role not in (Role.HOLDER, None) and v is not None:
            raise _field_problem("not_allowed", "仅持证人账户绑定人员", "Only a holder account has a person")
        return v

    @field_validator("organisation")
    @classmethod
    def _organisation(cls, v: str | None, info: ValidationInfo) -> str | None:
        if v is not None and info.data.get("role") not in (Role.INSPECTOR, None):
            raise _field_problem("not_allowed", "仅检查人员账户有所属单位", "Only an inspector account has an organisation")
        return v or None

    @field_validator("email")
    @classmethod
    def _email(cls, v: str | None) -> str | None:
        if v is not None and not EMAIL_RE.match(v):
            raise _field_problem("format", "电子邮箱格式不正确", "Invalid e-mail address")
        return v


class Account(Answer):
    id: int
    username: str
    role: RoleName
    enterprise: EnterpriseRef | None
    person_id: int | None
    email: str | None
    organisation: str | None
    active: StrictBool
    created_at: DateTime
