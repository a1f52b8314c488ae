"""Each row alone, checked with the registry's own rules: the check characters and embedded facts of ID
numbers (registry.persons.identity_facts) and credit codes (checkdigits), names and mobile numbers
(formats), kinds, specialties and registration-number formats (the catalogue, kinds.py), provinces, dates.
A row gives a record (a tuple of clean values) or its problems, each (field, code, message, message_en):
the messages are the registry's own where it has one (its FieldProblem and Conflict catalogue).
Checks that need the database (references, one employer per person) are the batch's (kinds_*.py)."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from backend.models import RegStatus
from backend.services.checkdigits import uscc_ok
from backend.services.clock import add_years
from backend.services.dates import parse_date
from backend.services.errors import ServiceError
from backend.services.formats import MOBILE, PERSON_NAME
from backend.services.kinds import Catalogue, Kind
from backend.services.registry.enterprises import SHORT_NAME
from backend.services.registry.errors import InvalidCreditCode, InvalidSpecialties, InvalidSpecialty, UnknownKind, UnknownProvince
from backend.services.registry.persons import identity_facts
from backend.services.registry.qualifications import CERTIFICATE_NO_MAX
from backend.services.registry.registrations import REASON_MAX

Problem = tuple[str, str, str, str]          # field (the template's key), code, message, message_en
EXCEL_EPOCH = dt.date(1899, 12, 30)
SPLIT = re.compile(r"[;；、,，|\s]+")
ENTERPRISE_STATUS = {"active": "active", "正常": "active", "有效": "active", "存续": "active", "在业": "active",
                     "revoked": "revoked", "吊销": "revoked", "资质吊销": "revoked", "执照吊销": "revoked",
                     "bankrupt": "bankrupt", "破产": "bankrupt"}
REG_STATUS = {**{s: s for s in RegStatus.ALL}, **{zh: s for s, zh in RegStatus.ZH.items()}}
SEX = {"M": "M", "F": "F", "男": "M", "女": "F", "m": "M", "f": "F"}


@lru_cache(maxsize=65536)
def _uscc_ok(code: str) -> bool:
    """checkdigits.uscc_ok, remembered: a registrations file names each employer on every row of its staff."""
    return uscc_ok(code)


def problem(field: str, code: str, zh: str, en: str) -> Problem:
    return (field, code, zh, en)


def from_error(err: ServiceError, field: str | None = None) -> list[Problem]:
    """The registry's own words for a row: a field problem's fields (renamed to the template's key when given),
    or a conflict's code and messages."""
    fields = (err.details or {}).get("fields")
    if fields:
        return [(field or name, f["code"], f["message"], f["message_en"]) for name, f in fields.items()]
    return [(field or "", err.code, err.message, err.message_en)]


def text(row: dict, key: str, out: list, *, required: bool = False, max_len: int = 200, zh: str = "") -> str | None:
    v = row.get(key)
    if v is not None:
        v = unicodedata.normalize("NFKC", v).strip() if not v.isascii() else v.strip()
    if not v:
        if required:
            out.append(problem(key, "required", f"缺少{zh}", f"The {key} is missing"))
        return None
    if len(v) > max_len:
        out.append(problem(key, "too_long", f"{zh}过长(至多 {max_len} 字)", f"The {key} is too long (at most {max_len})"))
        return None
    return v


def date(row: dict, key: str, out: list, zh: str, *, required: bool = True) -> dt.date | None:
    """YYYY-MM-DD; also YYYY/M/D, YYYY.M.D, YYYYMMDD and an Excel date cell (its serial number)."""
    v = row.get(key)
    if not v:
        if required:
            out.append(problem(key, "required", f"缺少{zh}", f"The {key} is missing"))
        return None
    d = parse_date(v)
    if d is None:
        d = _loose_date(v.strip())
    if d is None:
        out.append(problem(key, "date", f"{zh}不是有效日期(应为 YYYY-MM-DD)", f"The {key} is not a real date (YYYY-MM-DD)"))
    return d


def _loose_date(v: str) -> dt.date | None:
    if v.isdigit() and len(v) == 8:
        v = f"{v[:4]}-{v[4:6]}-{v[6:]}"
    elif v.isdigit() and 1 <= len(v) <= 5:                 # an Excel date cell: days since 1899-12-30
        return EXCEL_EPOCH + dt.timedelta(days=int(v)) if int(v) > 60 else None
    parts = re.split(r"[-/.年月日]", v.rstrip("日"))
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        return None
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


class Vocab:
    """The catalogue's kinds and specialties by code or name, built once per import."""

    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        self.kinds: dict[str, Kind] = {}
        for k in catalogue.kinds.values():
            self.kinds[k.code] = self.kinds[k.code.lower()] = self.kinds[k.name] = self.kinds[k.name_en.lower()] = k
        self.specialties = {k.code: {**{s.code: s.code for s in k.specialties.values()},
                                     **{s.name: s.code for s in k.specialties.values()},
                                     **{s.name_en.lower(): s.code for s in k.specialties.values()}}
                            for k in catalogue.kinds.values()}

    def kind(self, row: dict, out: list) -> Kind | None:
        v = row.get("kind")
        if not v:
            out.append(problem("kind", "required", "缺少证书类别", "The kind is missing"))
            return None
        k = self.kinds.get(v) or self.kinds.get(v.lower())
        if k is None:
            out.extend(from_error(UnknownKind(), "kind"))
        return k

    def specialty(self, kind: Kind, value: str) -> str | None:
        names = self.specialties[kind.code]
        return names.get(value) or names.get(value.lower())


def check_enterprise(row: dict, vocab: Vocab) -> tuple[tuple | None, list[Problem]]:
    out: list[Problem] = []
    uscc = text(row, "uscc", out, required=True, max_len=18, zh="统一社会信用代码")
    if uscc:
        uscc = uscc.upper()
        if not uscc_ok(uscc):
            out.extend(from_error(InvalidCreditCode(), "uscc"))
    name = text(row, "name", out, required=True, max_len=200, zh="单位名称")
    short = text(row, "short_name", out, max_len=32, zh="简称") or (name[:SHORT_NAME] if name else None)
    province = text(row, "province_code", out, max_len=2, zh="省份代码") or (uscc[2:4] if uscc else None)
    if province and province not in vocab.catalogue.provinces:
        out.extend(from_error(UnknownProvince(), "province_code"))
    status = row.get("status")
    status = ENTERPRISE_STATUS.get(status.strip().lower() if status else "active")
    if status is None:
        out.append(problem("status", "choice", "单位状态无效(正常、吊销、破产)", "Unknown status (active, revoked, bankrupt)"))
    return (None if out else (uscc, name, short, province, status)), out


def check_person(row: dict, vocab: Vocab) -> tuple[tuple | None, list[Problem]]:
    out: list[Problem] = []
    idn = _id_number(row, out)
    name = text(row, "name", out, required=True, max_len=40, zh="姓名")
    if name and not PERSON_NAME.match(name):
        out.append(problem("name", "format", "姓名含有无效字符", "The name has invalid characters"))
    sex = row.get("sex")
    if sex is not None:
        sex = SEX.get(sex.strip())
        if sex is None:
            out.append(problem("sex", "choice", "性别应为 男 或 女", "Sex must be M or F"))
    birth = date(row, "birth_date", out, "出生日期", required=False)
    phone = text(row, "phone", out, max_len=20, zh="手机号")
    if phone and not MOBILE.match(phone):
        out.append(problem("phone", "format", "手机号格式无效", "Not a mainland mobile number"))
    facts = None
    if idn and not any(p[0] == "id_number" for p in out):
        try:
            facts = identity_facts(idn, sex, birth)
        except ServiceError as e:
            out.extend(from_error(e, None))
    if out:
        return None, out
    birth, sex = facts
    return (idn, name, sex, birth, phone), out


def _id_number(row: dict, out: list) -> str | None:
    idn = text(row, "id_number", out, required=True, max_len=24, zh="身份证号")
    if not idn:
        return None
    idn = idn.replace(" ", "").upper()
    if "E+" in idn or "." in idn or (len(idn) < 18 and idn.isdigit() and len(idn) >= 15):
        out.append(problem("id_number", "excel_number", "身份证号被 Excel 存为数字而丢失了位数,请将该列设为文本",
                           "The ID number was stored as a number by Excel and lost digits: format the column as text"))
        return None
    try:
        identity_facts(idn)
    except ServiceError as e:
        out.extend(from_error(e, "id_number"))
        return None
    return idn


def check_qualification(row: dict, vocab: Vocab, today: dt.date) -> tuple[tuple | None, list[Problem]]:
    out: list[Problem] = []
    idn = _id_number(row, out)
    kind = vocab.kind(row, out)
    spec = row.get("specialty")
    code = None
    if spec and kind:
        code = vocab.specialty(kind, spec)
        if code is None:
            out.extend(from_error(InvalidSpecialty(), "specialty"))
    cert = text(row, "certificate_no", out, required=True, max_len=CERTIFICATE_NO_MAX, zh="资格证书编号")
    issued = date(row, "issued_on", out, "签发日期")
    if issued and issued > today:
        out.append(problem("issued_on", "future", "签发日期晚于今天", "The issue date is after today"))
    return (None if out else (idn, kind.code, code, cert, issued)), out


def check_registration(row: dict, vocab: Vocab, today: dt.date) -> tuple[tuple | None, list[Problem]]:
    out: list[Problem] = []
    number = text(row, "registration_number", out, required=True, max_len=32, zh="注册编号")
    idn = _id_number(row, out)
    kind = vocab.kind(row, out)
    province = None
    if number:
        number = number.replace(" ", "")
        province = vocab.catalogue.province_code_of(number[0])
        if kind and (province is None or not kind.number_pattern.match(number)):
            out.append(problem("registration_number", "format", f"注册编号不符合{kind.name}的编号格式",
                               f"The registration number does not have the format of {kind.name_en}"))
    uscc = text(row, "enterprise_uscc", out, required=True, max_len=18, zh="聘用单位统一社会信用代码")
    if uscc:
        uscc = uscc.upper()
        if not _uscc_ok(uscc):
            out.extend(from_error(InvalidCreditCode(), "enterprise_uscc"))
    specs = []
    raw = row.get("specialties")
    if not raw:
        out.append(problem("specialties", "required", "缺少注册专业", "The specialties are missing"))
    elif kind:
        for part in SPLIT.split(unicodedata.normalize("NFKC", raw).strip()):
            code = vocab.specialty(kind, part) if part else None
            if code is None or code in specs:
                out.extend(from_error(InvalidSpecialties(), "specialties"))
                break
            specs.append(code)
    vf = date(row, "valid_from", out, "有效期起")
    vu = date(row, "valid_until", out, "有效期至")
    first = date(row, "first_registered_on", out, "初始注册日期")
    if vf and vu:
        if vu < vf:
            out.append(problem("valid_until", "order", "有效期至早于有效期起", "valid_until is before valid_from"))
        elif kind and vu > add_years(vf, kind.validity_years) - dt.timedelta(days=1):
            out.append(problem("valid_until", "period", f"有效期超过该类别的 {kind.validity_years} 年",
                               f"The period is longer than the kind's {kind.validity_years} years"))
    if first and first > today:
        out.append(problem("first_registered_on", "future", "初始注册日期晚于今天", "first_registered_on is after today"))
    elif first and vf and vf < first:
        out.append(problem("valid_from", "order", "有效期起早于初始注册日期", "valid_from is before first_registered_on"))
    status = row.get("status")
    status = REG_STATUS.get(status.strip().lower() if status and status.isascii() else (status or "active").strip())
    if status is None:
        out.append(problem("status", "choice", "注册状态无效(有效、暂扣、撤销、注销、失效、吊销)",
                           "Unknown status (active, suspended, rescinded, cancelled, lapsed, revoked)"))
    reason = text(row, "status_reason", out, max_len=REASON_MAX, zh="状态原因")
    seal = row.get("seal_counter") or "1"
    if not (seal.isdigit() and 1 <= int(seal) <= 99):
        out.append(problem("seal_counter", "format", "印章序号应为 01-99", "The seal counter must be 01-99"))
    if out:
        return None, out
    return (number, idn, kind.code, uscc, tuple(specs), vf, vu, first, status, reason, int(seal), province), out
