"""挂证 (certificate renting) signals, from a person's registrations as seen by one enterprise.

- registered_elsewhere: held (active or suspended) at another enterprise; for the bulk check, a person on
  the uploaded staff list who is registered elsewhere.
- multiple_employers: held at two or more enterprises at once, which the registry forbids: a data error.
- safety_b_without_constructor: a held 安管 B registration without a held constructor registration at
  the same enterprise (Beijing requires the B holder to be a registered constructor there).
Pure functions: the callers fetch the registrations in bulk.
"""
from __future__ import annotations

from dataclasses import dataclass

from backend.models import RegStatus
from backend.services.kinds import Catalogue

HELD = (RegStatus.ACTIVE, RegStatus.SUSPENDED)
CODES = ("registered_elsewhere", "safety_b_without_constructor", "multiple_employers")


@dataclass(frozen=True)
class RegFact:
    registration_number: str
    kind_code: str
    status: str
    enterprise_id: int
    employer_name: str
    employer_uscc: str


def _signal(code: str, zh: str, en: str, details: dict) -> dict:
    return {"code": code, "message": zh, "message_en": en, "details": details}


def is_safety_b(catalogue: Catalogue, kind_code: str) -> bool:
    k = catalogue.kind(kind_code)
    return k is not None and k.family == "safety" and k.level == "B"


def is_constructor(catalogue: Catalogue, kind_code: str) -> bool:
    k = catalogue.kind(kind_code)
    return k is not None and k.family == "constructor"


def person_signals(regs: list[RegFact], enterprise_id: int, catalogue: Catalogue,
                   focus: str | None = None) -> list[dict]:
    """Signals for one person. `focus` (a registration number) limits the 安管 B check to that
    registration, as the roster shows one registration per line; None checks them all."""
    held = [r for r in regs if r.status in HELD]
    out = []
    employers = {}
    for r in held:
        employers.setdefault(r.enterprise_id, {"name": r.employer_name, "uscc": r.employer_uscc,
                                               "registration_numbers": []})["registration_numbers"].append(
            r.registration_number)
    if len(employers) > 1:
        out.append(_signal("multiple_employers", "同一人员同时在多个单位有有效注册(数据错误,请核实)",
                           "Active registrations at more than one employer (a data error to check)",
                           {"employers": list(employers.values())}))
    elif employers and enterprise_id not in employers:
        (other,) = employers.values()
        out.append(_signal("registered_elsewhere", f"该人员注册在其他单位:{other['name']}",
                           f"Registered at another enterprise: {other['name']}", {"employer": other}))
    constructors_at = {r.enterprise_id for r in held if is_constructor(catalogue, r.kind_code)}
    for r in held:
        if (focus is None or r.registration_number == focus) and is_safety_b(catalogue, r.kind_code) \
                and r.enterprise_id not in constructors_at:
            out.append(_signal("safety_b_without_constructor", "安管B证持有人不是同一单位的注册建造师",
                               "安管 B holder who is not a registered constructor at the same enterprise",
                               {"registration_number": r.registration_number,
                                "employer": {"name": r.employer_name, "uscc": r.employer_uscc}}))
    return out
