"""The lookup's errors: what is wrong with the query or the page, as field errors (422) in Chinese and
English."""
from __future__ import annotations

from backend.services.errors import FieldProblem


class QueryProblem(FieldProblem):
    """A field error about `q` (or `page`)."""
    FIELD = "q"


class QueryRequired(QueryProblem):
    FIELD_CODE, ZH, EN = "required", "请输入姓名或证书编号", "Enter a name or a certificate number"


class QueryTooLong(QueryProblem):
    FIELD_CODE, ZH, EN = "too_long", "查询内容过长(最多 {max_length} 个字符)", "q is too long (at most {max_length} characters)"


class QueryTooShort(QueryProblem):
    FIELD_CODE, ZH, EN = "too_short", "请输入至少两个字符", "Enter at least two characters"


class QueryNotUnderstood(QueryProblem):
    ZH = "请输入姓名、注册编号、执业印章号或电子证照标识"
    EN = "Enter a name, a registration or seal number, or a certificate identifier"


class PageInvalid(QueryProblem):
    FIELD, ZH, EN = "page", "页码必须是不小于 1 的整数", "page must be an integer of at least 1"


class PageOutOfRange(QueryProblem):
    code = "page_out_of_range"
    FIELD, FIELD_CODE = "page", "page_out_of_range"
    ZH, EN = "最多只能查看前 {max_pages} 页", "Only the first {max_pages} pages are shown"
