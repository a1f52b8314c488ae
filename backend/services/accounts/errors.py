"""The accounts' errors: why a login, a token or a new account is refused, in Chinese and English."""
from __future__ import annotations

from backend.services.errors import Forbidden, NotFound, ServiceError


class InvalidCredentials(ServiceError):
    """The same answer whether or not the username exists."""
    code, status = "invalid_credentials", 401
    message, message_en = "用户名或密码错误", "Wrong username or password"


class AccountLocked(ServiceError):
    code, status = "account_locked", 423
    message, message_en = ("从此地址连续登录失败次数过多,账户在此地址已临时锁定",
                           "Too many failed logins from this address: the account is locked here for a while")

    def __init__(self, retry_after: int):
        super().__init__(details={"retry_after": retry_after})


class Unauthorized(ServiceError):
    code, status = "unauthorized", 401
    message, message_en = "需要有效的访问令牌", "A valid access token is required"


class TokenRevoked(Unauthorized):
    code = "token_revoked"
    message, message_en = "该访问令牌已注销,请重新登录", "This access token was revoked: log in again"


class ServiceTokenNotRevocable(Forbidden):
    """The admin token is configuration, not a session: it is replaced on the server, never logged out."""
    message, message_en = "管理令牌不能注销,请在服务器上更换", "The admin token cannot be revoked: replace it on the server"


class AccountNotFound(NotFound):
    code = "account_not_found"
    message, message_en = "没有这个账户", "No such account"


class NotAnInspector(ServiceError):
    code, status = "not_an_inspector", 409
    message, message_en = "仅检查人员账户有所属单位", "Only an inspector account has an organisation"
