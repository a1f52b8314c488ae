"""The vocabulary of the synthetic registry and weighted choice over it.

The words are data (backend/data/demo_people.json): surnames and given names weighted by real frequency,
real GB/T 2260 region codes per province, the parts of enterprise names and the reasons given for each
registration status.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

VOCAB_FILE = Path(__file__).resolve().parent.parent / "data" / "demo_people.json"

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)   # GB 11643
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)                               # GB 11714 (positions 9-17 of a USCC)


class Picker:
    """Weighted choice by lookup in a table of `size` slots: one random() per draw."""

    def __init__(self, items, rnd: random.Random, size: int = 4096):
        total = sum(w for _, w in items)
        self.table = [v for v, w in items for _ in range(max(1, round(w / total * size)))]
        self.n, self.r = len(self.table), rnd.random

    def __call__(self):
        return self.table[int(self.r() * self.n)]


def org_code(body8: str) -> str:
    """GB 11714 organisation code: 8 characters and their check character."""
    s = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, _ORG_WEIGHTS))
    c = 11 - s % 11
    return body8 + ("X" if c == 10 else "0" if c == 11 else str(c))


class Vocabulary:
    """Weighted pickers over the vocabulary file, all drawing from one random.Random."""

    def __init__(self, rnd: random.Random, provinces: dict[str, str], path: Path = VOCAB_FILE):
        raw = json.loads(path.read_text(encoding="utf-8"))
        self.raw = raw
        self.surname = Picker(raw["surnames"], rnd, 1 << 16)
        self.given = {}
        for sex, g in raw["given"].items():
            self.given[sex] = (Picker(list(g["shape"].items()), rnd, 100), Picker(g["single"], rnd),
                               Picker(g["common"], rnd), Picker(g["first"], rnd), Picker(g["second"], rnd))
        # Only provinces that the catalogue knows (it supplies the abbreviations of the numbers).
        self.prov = {c: p for c, p in raw["provinces"].items() if c in provinces}
        self.province = Picker([(c, p["weight"]) for c, p in self.prov.items()], rnd, 2048)
        ent = raw["enterprise"]
        self.industry, self.suffix = Picker(ent["industries"], rnd), Picker(ent["suffixes"], rnd, 100)
        self.place = Picker(ent["place"], rnd, 100)
        self.reasons = raw["status_reasons"]
        # Partial sums of the GB 11643 formula for each region code (positions 1-6).
        self.region_sum = {r: sum(int(c) * w for c, w in zip(str(r), ID_WEIGHTS)) for p in self.prov.values()
                           for r in p["regions"]}

    def name(self, sex: str) -> str:
        shape, single, common, first, second = self.given[sex]
        s = shape()
        given = single() if s == "single" else common() if s == "common" else first() + second()
        return self.surname() + given
