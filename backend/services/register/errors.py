"""The register search's errors: what is wrong with the query, a filter or the page, as field errors (422)
in Chinese and English. Unknown persons and enterprises are the registry's own 404s
(services/registry/errors.py: person_not_found, enterprise_not_found)."""
from __future__ import annotations

from backend.services.errors import FieldProblem


class SearchProblem(FieldProblem):
    FIELD = "q"


class QueryTooLong(SearchProblem):
    FIELD_CODE, ZH, EN = "too_long", "查询内容过长(最多 {max_length} 个字符)", "q is too long (at most {max_length} characters)"


class QueryNotUnderstood(SearchProblem):
    ZH = "请输入姓名、身份证号、注册编号、执业印章号、电子证书标识或单位名称、统一社会信用代码"
    EN = ("Enter a name, an ID number, a registration or seal number, a certificate identifier, or an employer's "
          "name or credit code")


class QueryNotOfType(SearchProblem):
    FIELD_CODE = "format"
    ZH = "查询内容不是{what}"
    EN = "q is not {what_en}"


class QueryRequiredForType(SearchProblem):
    FIELD_CODE, ZH, EN = "required", "请输入查询内容", "Enter what to search for"


class NumberTooShort(SearchProblem):
    FIELD_CODE = "too_short"
    ZH = "按编号查询请至少输入省份简称后的 {min_length} 位"
    EN = "To search by number, enter at least {min_length} characters after the province abbreviation"


class EmployerTooShort(SearchProblem):
    FIELD_CODE, ZH, EN = "too_short", "单位名称请至少输入两个字", "Enter at least two characters of the employer's name"


class UnknownSearchType(SearchProblem):
    FIELD, FIELD_CODE = "by", "choice"
    ZH = "查询方式无效(auto、name、id_number、registration_number、seal_number、certificate、employer)"
    EN = "Unknown search type (auto, name, id_number, registration_number, seal_number, certificate, employer)"


class UnknownStatus(SearchProblem):
    FIELD, FIELD_CODE = "status", "choice"
    ZH = "注册状态无效(active、suspended、rescinded、cancelled、lapsed、revoked)"
    EN = "Unknown status (active, suspended, rescinded, cancelled, lapsed, revoked)"


class ExpiringOutOfRange(SearchProblem):
    FIELD, FIELD_CODE = "expiring_within", "range"
    ZH, EN = "到期天数须为 1 到 {max_days} 之间的整数", "expiring_within is a whole number of days from 1 to {max_days}"


class PageInvalid(SearchProblem):
    FIELD, FIELD_CODE, ZH, EN = "page", "range", "页码必须是不小于 1 的整数", "page must be an integer of at least 1"


class PageOutOfRange(SearchProblem):
    code = "page_out_of_range"
    FIELD, FIELD_CODE = "page", "page_out_of_range"
    ZH, EN = "页码超出范围(共 {pages} 页)", "page is beyond the last page ({pages})"


class PageSizeInvalid(SearchProblem):
    FIELD, FIELD_CODE = "page_size", "range"
    ZH, EN = "每页条数须为 1 到 {max_size} 之间的整数", "page_size is a whole number from 1 to {max_size}"
