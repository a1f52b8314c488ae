"""Dates as they arrive and leave: the one parser of `YYYY-MM-DD` text, and the integer `YYYYMMDD` that
tokens carry to keep the QR code small."""
from __future__ import annotations

import datetime as dt


def parse_date(value) -> dt.date | None:
    """A real calendar date written `YYYY-MM-DD`, else None (anything else, a 30 February, a datetime)."""
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def to_yyyymmdd(d: dt.date) -> int:
    return d.year * 10000 + d.month * 100 + d.day


def from_yyyymmdd(value) -> dt.date | None:
    """The date of an integer YYYYMMDD (a token's claim), else None."""
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    try:
        return dt.date(value // 10000, value // 100 % 100, value % 100)
    except ValueError:
        return None
