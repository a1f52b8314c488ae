"""The lookup's errors: what is wrong with the query, the page or a filter, as field errors (422) in Chinese
and English."""
from __future__ import annotations

from backend.services.errors import FieldProblem


class QueryProblem(FieldProblem):
    """A field error about `q` (or `page`, or a filter: each names its FIELD)."""
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


class NumberTooShort(QueryProblem):
    FIELD_CODE = "too_short"
    ZH = "按编号查询请至少输入省份简称后的 {min_length} 位(如 苏{example})"
    EN = "To search by number, enter at least {min_length} characters after the province (e.g. 苏{example})"


class IdNumberNotSearchable(QueryProblem):
    ZH = "公开查询不能按身份证号查询,请输入姓名或证书编号"
    EN = "The public lookup cannot search by ID number: enter a name or a certificate number"


class PageInvalid(QueryProblem):
    FIELD, ZH, EN = "page", "页码必须是不小于 1 的整数", "page must be an integer of at least 1"


class PageOutOfRange(QueryProblem):
    code = "page_out_of_range"
    FIELD, FIELD_CODE = "page", "page_out_of_range"
    ZH, EN = "最多只能查看前 {max_pages} 页", "Only the first {max_pages} pages are shown"


class UnknownProvince(QueryProblem):
    FIELD, FIELD_CODE = "province", "choice"
    ZH = "省份无效(填写行政区划代码如 32,或简称如 苏)"
    EN = "Unknown province (a code such as 32, or an abbreviation such as 苏)"


class UnknownKind(QueryProblem):
    FIELD, FIELD_CODE, ZH, EN = "kind", "choice", "证书类别无效", "Unknown kind of certificate"


class UnknownSpecialty(QueryProblem):
    FIELD, FIELD_CODE, ZH, EN = "specialty", "choice", "注册专业无效", "Unknown specialty (for this kind)"


class EmployerTooShort(QueryProblem):
    FIELD, FIELD_CODE = "employer", "too_short"
    ZH, EN = "单位名称请至少输入两个字", "Enter at least two characters of the employer's name"


class EmployerTooLong(QueryProblem):
    FIELD, FIELD_CODE = "employer", "too_long"
    ZH, EN = "单位名称过长(最多 {max_length} 个字符)", "employer is too long (at most {max_length} characters)"
