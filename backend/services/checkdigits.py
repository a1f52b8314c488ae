"""Check characters of the national number formats (GB 11643, GB 32100, ISO/IEC 7064 MOD 37,36).

Pure functions, no I/O: they are used by validation, by the demo-data generator and by the issuer.
"""
from __future__ import annotations

import datetime as dt

# --- 居民身份证号码, GB 11643-1999 ---------------------------------------------------------
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    s = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK[s % 11]


def id_number_ok(value: str) -> bool:
    """Structure and check character only (see `id_number_facts` for the embedded facts)."""
    if len(value) != 18 or not value[:17].isdigit() or not value[:17].isascii():
        return False
    return value[17].upper() == id_check_char(value[:17])


def id_number_facts(value: str) -> tuple[dt.date, str] | None:
    """(birth date, sex 'M'/'F') embedded in a valid number, or None when the date is not real."""
    if not id_number_ok(value):
        return None
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None
    return birth, ("M" if int(value[16]) % 2 else "F")


# --- 统一社会信用代码, GB 32100-2015 --------------------------------------------------------
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    s = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - s % 31) % 31]


def uscc_ok(value: str) -> bool:
    if len(value) != 18 or any(c not in USCC_ALPHABET for c in value):
        return False
    return value[17] == uscc_check_char(value[:17])


# --- ISO/IEC 7064 MOD 37,36 (hybrid system), used by 电子证照标识 ----------------------------
_M36_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def mod37_36_check_char(data: str) -> str:
    p = 36
    for ch in data.upper():
        p = (p + _M36_ALPHABET.index(ch)) % 36 or 36
        p = (p * 2) % 37
    return _M36_ALPHABET[(37 - p) % 36]


def mod37_36_ok(data_with_check: str) -> bool:
    data, check = data_with_check[:-1], data_with_check[-1:]
    try:
        return bool(check) and mod37_36_check_char(data) == check.upper()
    except ValueError:
        return False
