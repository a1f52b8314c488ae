"""Masking of personal data for anyone not entitled to it (docs/privacy.md says who sees what).

An ID number (GB 11643) is region (6) + birth date (8) + sequence (3) + check character. A mask that
shows the region *and* the last four leaves only the birth date hidden, and the birth date is public
wherever a date is cut at the age cap (a specialty renewed near 65 ends on the 65th birthday, a copy's
usage period stops there): the two together give the whole number back. So masked numbers show the
region only: even with the birth date known, the sequence and check character leave 500 candidates
(sex known) and nothing in any answer narrows them. An answer that itself shows a date from which the
birth date follows shows no character of the number at all.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

SHOWN = 6        # the region code: the birthplace's county, not the person


def mask_id_number(value: str | None, *, hide_all: bool = False) -> str | None:
    """110105************ (first 6 at most, per DOMAIN.md "first 6 and last 4 at most, or less");
    every character hidden with hide_all."""
    if not value:
        return None
    keep = 0 if hide_all or len(value) <= 10 else SHOWN
    return value[:keep] + "*" * (len(value) - keep)


def public_id_number(value: str | None, age_cap: dt.date | None, shown_dates: Iterable[dt.date | None]) -> str | None:
    """The ID number for a public answer that also shows `shown_dates`: fully hidden when one of them is the
    holder's age-cap date (the birth date would follow from it), else the region only."""
    birth_follows = age_cap is not None and any(d == age_cap for d in shown_dates)
    return mask_id_number(value, hide_all=birth_follows)


def mask_name(value: str) -> str:
    """For contexts that must not show the full name (not used by the public lookup, which searches by name)."""
    return value[:1] + "*" * (len(value) - 1) if value else value
