"""Time in one place: naive UTC datetimes for storage, calendar dates in the issuer's time zone.

A Clock can be fixed for tests and benchmarks (Clock(fixed=...)); services take it as an argument.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


class Clock:
    def __init__(self, tz: str = "Asia/Shanghai", fixed: dt.datetime | None = None):
        self.tz = ZoneInfo(tz)
        self.fixed = fixed   # naive UTC

    def now(self) -> dt.datetime:
        """Naive UTC."""
        return self.fixed or dt.datetime.now(dt.UTC).replace(tzinfo=None)

    def today(self) -> dt.date:
        return self.local(self.now()).date()

    def local(self, naive_utc: dt.datetime) -> dt.datetime:
        return naive_utc.replace(tzinfo=dt.UTC).astimezone(self.tz)

    def start_of_local_day(self, day: dt.date) -> dt.datetime:
        """Naive UTC instant at which `day` begins in the local zone."""
        return dt.datetime.combine(day, dt.time(), self.tz).astimezone(dt.UTC).replace(tzinfo=None)

    def end_of_local_day(self, day: dt.date) -> dt.datetime:
        return self.start_of_local_day(day + dt.timedelta(days=1)) - dt.timedelta(seconds=1)


def add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:          # 29 February in a common year
        return d.replace(year=d.year + years, day=28)


def age_cap_date(birth: dt.date, cap_years: int) -> dt.date:
    """The birthday on which the holder reaches the cap (满65周岁当日)."""
    return add_years(birth, cap_years)


def epoch(naive_utc: dt.datetime) -> int:
    return int(naive_utc.replace(tzinfo=dt.UTC).timestamp())


def from_epoch(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).replace(tzinfo=None)


def iso_utc(naive_utc: dt.datetime | None) -> str | None:
    return None if naive_utc is None else naive_utc.replace(microsecond=0).isoformat() + "Z"
