"""Warnings about a registration, computed from its data, the clock and the settings alone (no I/O),
so that the roster, the warnings list and the daily digest all say the same thing.

Codes (docs/contractors-api.md): specialty_expiring_notice, renewal_window_open, specialty_under_180_days,
specialty_lapsed, age_cap_within_year, registration_suspended, registration_revoked, registration_lapsed,
copy_expired, no_current_copy. Renewal windows and age caps come from the kind (kinds.json).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from backend.models import RegStatus, SpecialtyStatus
from backend.services.clock import Clock, age_cap_date
from backend.services.kinds import Kind

CODES = ("specialty_expiring_notice", "renewal_window_open", "specialty_under_180_days", "specialty_lapsed",
         "age_cap_within_year", "registration_suspended", "registration_revoked", "registration_lapsed",
         "copy_expired", "no_current_copy")
SEVERITIES = ("critical", "warning", "info")
STATUS_URGENCY = -1_000_000      # suspended, revoked and lapsed registrations sort before any date


@dataclass(frozen=True)
class WarningSettings:
    notice_days: int = 90            # WARNING_NOTICE_DAYS
    short_days: int = 180            # the copy's usage period: a shorter validity cuts new copies
    age_cap_notice_days: int = 365   # AGE_CAP_NOTICE_DAYS

    @classmethod
    def from_config(cls, cfg) -> WarningSettings:
        return cls(notice_days=cfg["WARNING_NOTICE_DAYS"], short_days=cfg["COPY_USAGE_DAYS"],
                   age_cap_notice_days=cfg["AGE_CAP_NOTICE_DAYS"])


@dataclass(frozen=True)
class SpecialtyRow:
    code: str
    valid_from: dt.date
    valid_until: dt.date     # inclusive
    status: str


@dataclass(frozen=True)
class CopyRow:
    public_id: str
    usage_from: dt.datetime  # naive UTC
    usage_until: dt.datetime


@dataclass
class StaffRecord:
    registration_id: int
    registration_number: str
    seal_counter: int
    kind_code: str
    status: str
    person_id: int
    name: str
    sex: str
    birth_date: dt.date
    id_number: str
    specialties: list[SpecialtyRow] = field(default_factory=list)
    copy: CopyRow | None = None


def staff_warnings(rec: StaffRecord, kind: Kind, clock: Clock, settings: WarningSettings) -> list[dict]:
    today, now = clock.today(), clock.now()

    def warn(code, severity, zh, en, specialty=None, due: dt.date | None = None) -> dict:
        return {"code": code, "severity": severity, "message": zh, "message_en": en,
                "registration_number": rec.registration_number, "name": rec.name, "specialty": specialty,
                "due": due.isoformat() if due else None, "days_left": (due - today).days if due else None}

    if rec.status in RegStatus.ENDED:
        return [warn("registration_revoked", "critical", f"注册已{RegStatus.ZH[rec.status]}",
                     f"The registration was {RegStatus.EN[rec.status]}")]
    if rec.status == RegStatus.LAPSED:
        return [warn("registration_lapsed", "critical", "注册已失效", "The registration has lapsed")]
    out = []
    if rec.status == RegStatus.SUSPENDED:
        out.append(warn("registration_suspended", "critical", "注册已被暂扣(锁定)", "The registration is suspended (locked)"))
    cap_years = kind.age_cap_for(rec.sex)
    cap = age_cap_date(rec.birth_date, cap_years)
    if (cap - today).days <= settings.age_cap_notice_days:
        past = cap <= today
        out.append(warn("age_cap_within_year", "critical" if past else "warning",
                        f"持证人{'已于' if past else '将于'}{cap}年满{cap_years}周岁,注册{'应已' if past else '届时'}失效",
                        f"The holder {'reached' if past else 'reaches'} the age cap of {cap_years} on {cap}: "
                        f"the registration {'has lapsed' if past else 'then lapses'}", due=cap))
    any_valid = False
    for s in rec.specialties:
        if s.status == SpecialtyStatus.CANCELLED:
            continue
        spec = kind.specialty(s.code)
        zh, en = (spec.name, spec.name_en) if spec else (s.code, s.code)
        left = (s.valid_until - today).days
        if s.status == SpecialtyStatus.LAPSED or left < 0:
            out.append(warn("specialty_lapsed", "critical", f"{zh}专业有效期已于{s.valid_until}届满",
                            f"Specialty {en}: validity ended on {s.valid_until}", s.code, s.valid_until))
            continue
        any_valid = any_valid or s.valid_from <= today
        if left <= settings.notice_days:
            out.append(warn("specialty_expiring_notice", "warning", f"{zh}专业将于{s.valid_until}到期(剩余{left}天)",
                            f"Specialty {en} expires on {s.valid_until} ({left} days left)", s.code, s.valid_until))
        closes = s.valid_until - dt.timedelta(days=kind.renewal_closes_days)
        # No renewal past the age cap: a period that the cap already cuts cannot be extended.
        if kind.renewal_closes_days <= left <= kind.renewal_opens_days and cap > s.valid_until + dt.timedelta(days=1):
            out.append(warn("renewal_window_open", "warning", f"{zh}专业现可申请延续注册(截至{closes})",
                            f"Renewal of {en} can be filed now (until {closes})", s.code, closes))
        if left < settings.short_days:
            out.append(warn("specialty_under_180_days", "info",
                            f"{zh}专业有效期不足{settings.short_days}天,新电子证书的使用期将截至{s.valid_until}",
                            f"Specialty {en} has under {settings.short_days} days left: new copies end on "
                            f"{s.valid_until}", s.code, s.valid_until))
    if rec.status == RegStatus.ACTIVE and any_valid:
        if rec.copy is None:
            out.append(warn("no_current_copy", "info", "尚无当前有效的电子证书,请申请加注件",
                            "No current certificate copy: request one"))
        elif rec.copy.usage_until < now:
            ended = clock.local(rec.copy.usage_until).date()
            out.append(warn("copy_expired", "critical", f"当前电子证书的使用期已于{ended}结束,请重新下载",
                            f"The current copy's usage period ended on {ended}: download a new copy", due=ended))
    return out


def urgency(rec: StaffRecord, warnings: list[dict]) -> int | None:
    """The smallest days_left among the warnings (negative: already past); bad statuses first of all;
    None when no warning carries a date."""
    if rec.status != RegStatus.ACTIVE:
        return STATUS_URGENCY
    days = [w["days_left"] for w in warnings if w["days_left"] is not None]
    return min(days) if days else None


def warning_sort_key(w: dict) -> tuple:
    return (SEVERITIES.index(w["severity"]), w["days_left"] if w["days_left"] is not None else 10**9,
            w["name"], w["registration_number"], w["code"])
