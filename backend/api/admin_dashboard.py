"""The province at a glance (概览), for the authority: every chart's numbers in one answer, and each chart's
numbers as CSV (UTF-8 with BOM, Chinese headers, for Excel). The numbers are aggregated by the database
(services/dashboard/charts.py); an answer is kept CACHE_SECONDS per process, and says when it was computed
(`as_of`, shown on the page as 数据截至 HH:MM)."""
from __future__ import annotations

import threading
import time

from flask import Blueprint, Response, current_app, jsonify

from backend.api import deps
from backend.api.auth import require_role
from backend.api.schemas.admin_dashboard import Dashboard, DashboardQuery
from backend.api.spec import binary, operation
from backend.api.verification_days import tally
from backend.database import IMMEDIATE, transaction_mode
from backend.extensions import db
from backend.models import Role
from backend.services.clock import iso_utc
from backend.services.dashboard.charts import build
from backend.services.dashboard.errors import UnknownChart
from backend.services.dashboard.export import chart_csv

bp = Blueprint("admin_dashboard", __name__, url_prefix="/api/v1/admin")
CACHE_SECONDS = 60
_lock = threading.Lock()          # guards each app's cache (app.extensions["jz.dashboard_cache"])


def _answer(fresh: bool) -> dict:
    """The dashboard, from this process's cache when younger than CACHE_SECONDS (unless `fresh`)."""
    cache = current_app.extensions.setdefault("jz.dashboard_cache", {})
    with _lock:
        hit = cache.get("answer")
        if hit and not fresh and time.monotonic() - hit[0] < CACHE_SECONDS:
            return hit[1]
    with transaction_mode(IMMEDIATE):
        tally().flush(db.engine)             # this process's verifications, before they are read
    data = build(deps.session(), deps.catalogue(), deps.clock(), workers=current_app.config["DASHBOARD_WORKERS"])
    answer = {"as_of": iso_utc(data["as_of"]), "cache_seconds": CACHE_SECONDS, "charts": data["charts"]}
    with _lock:
        cache["answer"] = (time.monotonic(), answer)
    return answer


def op(summary: str, **kw):
    return operation(summary, tag="admin", auth=True, **kw)


@bp.get("/dashboard")
@require_role(Role.AUTHORITY)
@op("全省概览 / The province at a glance", query=DashboardQuery, ok=Dashboard,
    description="按类别、状态、单位注册地(地市)统计的注册数;30/90/180 天内到期;申请按类型和状态及办理用时中位数;"
                "挂证信号;近 30 天每日签发电子证书数与核验次数。数据库内汇总,每个进程缓存 60 秒(`as_of` 为统计时间)。"
                "/ Registrations by kind, status and the employer's city; expiring within 30/90/180 days; "
                "applications by type and state with the median decision time; 挂证 signals; copies issued and "
                "verifications per day over the last 30 days. Aggregated in the database; each process keeps an "
                "answer 60 s (`as_of` says when it was computed).")
def dashboard(query: DashboardQuery):
    resp = jsonify(_answer(query.fresh))
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/dashboard/<chart>.csv")
@require_role(Role.AUTHORITY)
@op("下载概览图表数据 CSV / Download a dashboard chart's numbers as CSV",
    content=binary("text/csv", description="CSV(UTF-8 带 BOM,中文表头)/ CSV (UTF-8 with BOM, Chinese headers)"),
    errors=[(404, "chart_not_found")], operation_id="dashboard_chart_csv",
    description="图表名 / Charts: by_kind, by_status, by_city, expiring, applications, decision_time, signals, "
                "copies_per_day, verifications_per_day.")
def dashboard_chart_csv(chart: str):
    answer = _answer(False)
    if chart not in answer["charts"]:
        raise UnknownChart(details={"chart": chart[:40], "charts": list(answer["charts"])})
    resp = Response(chart_csv(chart, answer["charts"][chart]), mimetype="text/csv")
    resp.headers["Content-Type"] = "text/csv; charset=utf-8"
    resp.headers["Content-Disposition"] = f'attachment; filename="dashboard-{chart}.csv"'
    resp.headers["Cache-Control"] = "no-store"
    return resp
