"""The two halves of a bulk check's work before the answer: each row validated on its own (a malformed
row is reported, never fatal), then every row looked up together with chunked IN queries (by ID number,
by registration number, every registration of the persons found, the earliest expiry of each), a few
dozen queries for 10,000 rows instead of tens of thousands."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.models import Enterprise, Person, Registration, RegistrationSpecialty, SpecialtyStatus
from backend.services.checkdigits import id_number_facts
from backend.services.enterprise.signals import RegFact
from backend.services.formats import PERSON_NAME
from backend.services.kinds import Catalogue

CHUNK = 500
MAX_CELL = 64
NAME_RE = PERSON_NAME
SEAL_RE = re.compile(r"^(.+)\(\d{2}\)$")


@dataclass
class Row:
    line: int
    name: str | None
    id_number: str | None
    registration_number: str | None
    problems: list[tuple[str, str]]


def squash_name(name: str) -> str:
    return re.sub(r"[\s·•.]", "", unicodedata.normalize("NFKC", name))


def clean_row(line: int, name, idn, number, catalogue: Catalogue) -> Row:
    problems = []
    name = unicodedata.normalize("NFKC", name).strip() if name else None
    idn = re.sub(r"\s", "", idn).upper() if idn else None
    number = re.sub(r"\s", "", unicodedata.normalize("NFKC", number)) if number else None
    for value, zh, en in ((name, "姓名", "name"), (idn, "身份证号", "ID number"), (number, "注册编号", "registration number")):
        if value and len(value) > MAX_CELL:
            problems.append((f"{zh}过长", f"The {en} is too long"))
    if not name:
        problems.append(("缺少姓名", "The name is missing"))
    elif not NAME_RE.match(name):
        problems.append(("姓名含有无效字符", "The name has invalid characters"))
    if not idn and not number:
        problems.append(("需要身份证号或注册编号", "An ID number or a registration number is needed"))
    if idn and id_number_facts(idn) is None:
        hint = "E+" in idn or "." in idn
        problems.append(("身份证号被 Excel 存为数字而丢失了位数,请将该列设为文本" if hint
                         else "身份证号无效(校验位或出生日期错误)",
                         "The ID number was stored as a number by Excel and lost digits: format the column as text"
                         if hint else "Invalid ID number (check character or birth date)"))
    if number and catalogue.kind_of_number(number) is None:
        seal = SEAL_RE.match(number)           # a seal number (执业印章号) names its registration
        if seal and catalogue.kind_of_number(seal.group(1)):
            number = seal.group(1)
        else:
            problems.append(("注册编号格式无效", "The registration number has an unknown format"))
    cut = (lambda v: v[:MAX_CELL] if v else v)
    return Row(line, cut(name), cut(idn), cut(number), problems)


def _chunks(values):
    values = list(values)
    for i in range(0, len(values), CHUNK):
        yield values[i:i + CHUNK]


@dataclass
class Found:
    persons_by_idn: dict      # id number -> person id
    person_of_number: dict    # registration number -> person id
    persons: dict             # person id -> (name, id number, birth date, sex), for persons with registrations
    regs: dict                # person id -> list of (RegFact, registration id)
    earliest: dict            # registration id -> date


def lookup(session: Session, id_numbers: set[str], numbers: set[str]) -> Found:
    f = Found({}, {}, {}, {}, {})
    for chunk in _chunks(id_numbers):
        for pid, idn in session.execute(select(Person.id, Person.id_number).where(Person.id_number.in_(chunk))):
            f.persons_by_idn[idn] = pid
    for chunk in _chunks(numbers):
        for pid, number in session.execute(select(Registration.person_id, Registration.registration_number)
                                           .where(Registration.registration_number.in_(chunk))):
            f.person_of_number[number] = pid
    R = Registration
    for chunk in _chunks(set(f.persons_by_idn.values()) | set(f.person_of_number.values())):
        for row in session.execute(select(R.id, R.person_id, R.registration_number, R.kind_code, R.status,
                                          R.enterprise_id, Enterprise.name, Enterprise.uscc, Person.name.label("pname"),
                                          Person.id_number, Person.birth_date, Person.sex)
                                   .join(Enterprise, Enterprise.id == R.enterprise_id).join(Person, Person.id == R.person_id)
                                   .where(R.person_id.in_(chunk))):
            f.persons[row.person_id] = (row.pname, row.id_number, row.birth_date, row.sex)
            f.regs.setdefault(row.person_id, []).append(
                (RegFact(row.registration_number, row.kind_code, row.status, row.enterprise_id, row.name, row.uscc), row.id))
    S = RegistrationSpecialty
    for chunk in _chunks([rid for regs in f.regs.values() for _, rid in regs]):
        for rid, until in session.execute(select(S.registration_id, func.min(S.valid_until))
                                          .where(S.registration_id.in_(chunk), S.status == SpecialtyStatus.ACTIVE)
                                          .group_by(S.registration_id)):
            f.earliest[rid] = until
    return f
