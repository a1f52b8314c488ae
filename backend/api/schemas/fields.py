"""The form of the registry's fields, as request models declare them: text as it was meant (NFKC, trimmed, blank
is absent), ID numbers (GB 11643) and credit codes (GB 32100) with their check characters, person names, mobile
numbers, and dates written YYYY-MM-DD (the one date parser). A problem is a field error in the edge's shape."""
from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError

from backend.services.checkdigits import id_number_facts, uscc_ok
from backend.services.dates import parse_date
from backend.services.errors import FieldProblem
from backend.services.formats import MOBILE, PERSON_NAME
from backend.services.registry.errors import InvalidCreditCode, InvalidIdNumber


def problem(error: type[FieldProblem]) -> PydanticCustomError:
    """A field error in the words of the registry's catalogue (services/registry/errors.py)."""
    return PydanticCustomError(error.FIELD_CODE, f"{error.ZH} / {error.EN}")


def _tidy(value: Any) -> Any:
    """Text as it was meant (NFKC: full-width letters and digits become plain ones), trimmed; blank is absent."""
    return unicodedata.normalize("NFKC", value).strip() or None if isinstance(value, str) else value


def _trim(value: Any) -> Any:
    return value.strip() or None if isinstance(value, str) else value


def _present(value: Any) -> Any:
    if value is None:
        raise PydanticCustomError("missing", "Field required")
    return value


def _date(value: Any) -> Any:
    if value is None or isinstance(value, dt.date):
        return value
    parsed = parse_date(value)          # a real date written YYYY-MM-DD: no timestamp, no datetime
    if parsed is None:
        raise PydanticCustomError("date_parsing", "not a date")
    return parsed


def text(max_length: int, pattern: str | None = None, *, required: bool = True, normalize: bool = True) -> Any:
    """A text field: NFKC-normalized (or only trimmed) before its length and pattern are checked."""
    inner = Annotated[str, StringConstraints(max_length=max_length, pattern=pattern)]
    tidy = BeforeValidator(_tidy if normalize else _trim)
    return Annotated[inner, BeforeValidator(_present), tidy] if required else Annotated[inner | None, tidy]


def _upper(value: Any) -> Any:
    return value.strip().upper() or None if isinstance(value, str) else value


def _id_number_valid(value: str) -> str:
    if id_number_facts(value) is None:
        raise problem(InvalidIdNumber)
    return value


def _uscc_valid(value: str) -> str:
    if not uscc_ok(value):
        raise problem(InvalidCreditCode)
    return value


PersonName = text(40, PERSON_NAME.pattern)
Phone = text(11, MOBILE.pattern, required=False)
IdNumber = Annotated[Annotated[str, StringConstraints(max_length=18)], AfterValidator(_id_number_valid),
                     BeforeValidator(_present), BeforeValidator(_upper)]
CreditCode = Annotated[text(18), AfterValidator(_uscc_valid)]
DateInput = Annotated[dt.date, BeforeValidator(_date)]
