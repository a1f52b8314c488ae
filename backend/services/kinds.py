"""Certificate kinds, specialties and province codes, read from data (backend/data/kinds.json).

Adding a kind is a change of that file (or of the file named by the KINDS_FILE setting), not of code.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "data" / "kinds.json"


@dataclass(frozen=True)
class Specialty:
    code: str
    name: str
    name_en: str
    ecode: str | None = None


@dataclass(frozen=True)
class Kind:
    code: str
    name: str
    name_en: str
    family: str
    level: str
    validity_years: int
    age_cap: dict
    renewal_opens_days: int
    renewal_closes_days: int
    cpd_hours: int
    type_code: str
    number_template: str
    number_pattern: re.Pattern
    specialties: dict[str, Specialty] = field(default_factory=dict)

    def age_cap_for(self, sex: str) -> int:
        return int(self.age_cap.get(sex) or max(self.age_cap.values()))

    def specialty(self, code: str) -> Specialty | None:
        return self.specialties.get(code)


@dataclass(frozen=True)
class Catalogue:
    kinds: dict[str, Kind]
    provinces: dict[str, str]   # GB/T 2260 code -> abbreviation

    def kind(self, code: str) -> Kind | None:
        return self.kinds.get(code)

    def province_code_of(self, abbr: str) -> str | None:
        return next((c for c, a in self.provinces.items() if a == abbr), None)

    def kind_of_number(self, number: str) -> Kind | None:
        return next((k for k in self.kinds.values() if k.number_pattern.match(number)), None)


def _kind(d: dict) -> Kind:
    return Kind(
        code=d["code"], name=d["name"], name_en=d["name_en"], family=d["family"], level=d["level"],
        validity_years=int(d["validity_years"]), age_cap=dict(d["age_cap"]),
        renewal_opens_days=int(d["renewal"]["opens_days"]), renewal_closes_days=int(d["renewal"]["closes_days"]),
        cpd_hours=int(d.get("cpd_hours", 0)), type_code=d["type_code"],
        number_template=d["number"]["template"], number_pattern=re.compile(d["number"]["pattern"]),
        specialties={s["code"]: Specialty(s["code"], s["name"], s["name_en"], s.get("ecode")) for s in d["specialties"]},
    )


@lru_cache(maxsize=4)
def load_catalogue(path: str | None = None) -> Catalogue:
    raw = json.loads(Path(path or DEFAULT_FILE).read_text(encoding="utf-8"))
    return Catalogue(kinds={d["code"]: _kind(d) for d in raw["kinds"]}, provinces=dict(raw["provinces"]))
