"""The province dashboard's answer (概览): every chart's rows as services/dashboard/charts.py computes them."""
from __future__ import annotations

from pydantic import Field

from backend.api.schemas.base import Answer, DateTime, QueryModel


class DashboardQuery(QueryModel):
    fresh: bool = Field(False, description="true:不用缓存,重新统计 / true: compute afresh instead of the cached "
                                           "answer (at most CACHE_SECONDS old)")


class KindRow(Answer):
    kind: str = Field(description="类别代码 / Kind code")
    name: str
    name_en: str
    total: int
    active: int
    suspended: int
    lapsed: int
    cancelled: int
    rescinded: int
    revoked: int


class StatusRow(Answer):
    status: str
    name: str
    name_en: str
    count: int


class CityRow(Answer):
    code: str = Field(description="GB/T 2260 地市代码(单位统一社会信用代码第 3-6 位)/ Prefecture code (positions "
                                  "3-6 of the employer's credit code)")
    name: str
    province: str
    province_name: str
    total: int
    active: int


class ExpiringRow(Answer):
    kind: str
    name: str
    name_en: str
    within_30: int
    within_90: int
    within_180: int


class ApplicationRow(Answer):
    type: str
    type_name: str
    type_name_en: str
    state: str
    state_name: str
    state_name_en: str
    count: int


class DecisionTimeRow(Answer):
    type: str
    type_name: str
    type_name_en: str
    decided: int = Field(description="已办结(已提交且已决定)的申请数 / Applications filed and decided")
    median_hours: float | None = Field(description="提交至决定用时中位数(小时)/ Median hours from filing to decision")


class SignalRow(Answer):
    code: str
    name: str
    name_en: str
    count: int


class CopyDayRow(Answer):
    day: str = Field(description="日期(发证机关所在时区)/ Local date")
    count: int


class VerifyDayRow(Answer):
    day: str
    total: int
    valid: int
    invalid: int = Field(description="invalid 与 not_found / invalid and not_found")
    other: int = Field(description="过期、失效、已更新、暂扣、注销等 / expired, lapsed, superseded, suspended, revoked")


class Totals(Answer):
    within_30: int
    within_90: int
    within_180: int


class KindChart(Answer):
    rows: list[KindRow]


class StatusChart(Answer):
    rows: list[StatusRow]


class CityChart(Answer):
    rows: list[CityRow]


class ExpiringChart(Answer):
    rows: list[ExpiringRow]
    totals: Totals
    from_day: str = Field(description="自此日起算 / Counted from this day")


class ApplicationChart(Answer):
    rows: list[ApplicationRow]
    pending_decision: int = Field(description="待审批(已提交或单位已确认)/ Waiting for a decision")


class DecisionTimeChart(Answer):
    rows: list[DecisionTimeRow]


class SignalChart(Answer):
    rows: list[SignalRow]


class CopyDayChart(Answer):
    rows: list[CopyDayRow]


class VerifyDayChart(Answer):
    rows: list[VerifyDayRow]


class Charts(Answer):
    by_kind: KindChart
    by_status: StatusChart
    by_city: CityChart
    expiring: ExpiringChart
    applications: ApplicationChart
    decision_time: DecisionTimeChart
    signals: SignalChart
    copies_per_day: CopyDayChart
    verifications_per_day: VerifyDayChart


class Dashboard(Answer):
    """全省概览 / The province at a glance."""
    as_of: DateTime = Field(description="统计时间(UTC)/ When the numbers were computed (UTC)")
    cache_seconds: int = Field(description="答案最多缓存的秒数 / How long an answer may be served from the cache")
    charts: Charts
