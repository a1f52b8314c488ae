"""Masking of personal data for anyone not entitled to it."""
from __future__ import annotations


def mask_id_number(value: str | None) -> str | None:
    """First 6 and last 4 at most (DOMAIN.md): 110105********002X."""
    if not value:
        return None
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_name(value: str) -> str:
    """For contexts that must not show the full name (not used by the public lookup, which searches by name)."""
    return value[:1] + "*" * (len(value) - 1) if value else value
