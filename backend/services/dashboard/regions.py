"""Prefecture (地市) names by GB/T 2260 code, from backend/data/regions.json: the first 4 digits of a
county-level code such as the one in a credit code's positions 3-8 (GB 32100: 登记管理机关行政区划码)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

REGIONS_FILE = Path(__file__).resolve().parents[2] / "data" / "regions.json"


@lru_cache(maxsize=1)
def prefectures() -> dict[str, str]:
    return dict(json.loads(REGIONS_FILE.read_text(encoding="utf-8"))["prefectures"])


def prefecture_name(code: str) -> str | None:
    return prefectures().get(code)


@lru_cache(maxsize=1)
def provinces() -> dict[str, str]:
    return dict(json.loads(REGIONS_FILE.read_text(encoding="utf-8"))["provinces"])


def province_name(code: str) -> str | None:
    return provinces().get(code)
