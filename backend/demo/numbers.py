"""Registration numbers for synthetic data, in each kind's format (kinds.json `number.template`).

Serials run per prefix (everything before the serial), continuing after the largest serial already
stored, so that repeated seeding keeps numbers unique without asking the database per number.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

_SERIAL = re.compile(r"\{serial:0(\d+)d\}$")
TZZY_CITY_LETTERS = "AAAABBBCCDDEFGH"   # A is the provincial capital, which issues the most


@lru_cache(maxsize=64)
def template_parts(template: str, long_years: bool = False) -> tuple[str, int]:
    """(prefix template, serial width). long_years: Beijing's 17-character form of 二级 numbers
    since 2023, which spells both years with four digits (京2112014201653442)."""
    if long_years:
        template = template.replace("{qual_yy}", "{qual_yyyy}").replace("{reg_yy}", "{reg_yyyy}")
    m = _SERIAL.search(template)
    if m is None:
        raise ValueError(f"number template must end with a zero-padded serial: {template!r}")
    return template[:m.start()], int(m.group(1))


def serial_width(template: str) -> int:
    return template_parts(template)[1]


def registration_number(synth, kind, prov: str, qual_ord: int, reg_ord: int, first_specialty: str) -> str:
    qual_year, reg_year = dt.date.fromordinal(qual_ord).year, dt.date.fromordinal(reg_ord).year
    long_years = kind.family == "constructor" and prov == "11" and reg_year >= 2023
    prefix_tpl, width = template_parts(kind.number_template, long_years)
    fields = dict(abbr=synth.cat.provinces[prov], level=kind.level, prov=prov,
                  qual_yy=f"{qual_year % 100:02d}", reg_yy=f"{reg_year % 100:02d}",
                  qual_yyyy=str(qual_year), reg_yyyy=str(reg_year), cat=first_specialty,
                  city=TZZY_CITY_LETTERS[int(synth.r() * len(TZZY_CITY_LETTERS))], trade=first_specialty)
    prefix = prefix_tpl.format(**fields)
    serials = synth.taken["serials"]
    serial = serials.get(prefix, 0) + 1
    if serial >= 10 ** width:
        raise RuntimeError(f"registration number serials exhausted for prefix {prefix}")
    serials[prefix] = serial
    return f"{prefix}{serial:0{width}d}"
