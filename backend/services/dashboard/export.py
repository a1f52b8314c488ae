"""Each chart's numbers as CSV for Excel: UTF-8 with a BOM (Excel otherwise reads GBK), CRLF, Chinese
headers, the rows as the dashboard answers them."""
from __future__ import annotations

import csv
import io

from backend.services.dashboard.errors import UnknownChart

_STATUSES = [("active", "有效"), ("suspended", "暂扣"), ("lapsed", "失效"), ("cancelled", "注销"),
             ("rescinded", "撤销"), ("revoked", "吊销")]
COLUMNS = {
    "by_kind": [("kind", "类别代码"), ("name", "类别"), ("total", "合计"), *_STATUSES],
    "by_status": [("status", "状态代码"), ("name", "状态"), ("count", "注册数")],
    "by_city": [("province_name", "省份"), ("code", "区划代码"), ("name", "单位注册地(地市)"), ("total", "注册数"),
                ("active", "其中有效")],
    "expiring": [("kind", "类别代码"), ("name", "类别"), ("within_30", "30天内到期"), ("within_90", "90天内到期"),
                 ("within_180", "180天内到期")],
    "applications": [("type", "申请类型代码"), ("type_name", "申请类型"), ("state", "状态代码"),
                     ("state_name", "状态"), ("count", "申请数")],
    "decision_time": [("type", "申请类型代码"), ("type_name", "申请类型"), ("decided", "已办结数"),
                      ("median_hours", "办理用时中位数(小时)")],
    "signals": [("code", "信号代码"), ("name", "挂证信号"), ("count", "数量")],
    "copies_per_day": [("day", "日期"), ("count", "签发电子证书数")],
    "verifications_per_day": [("day", "日期"), ("total", "核验次数"), ("valid", "有效"), ("invalid", "无效或查无此证"),
                              ("other", "其他结论")],
}


def _cell(v):
    if v is None:
        return ""
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v          # never a formula in Excel
    return v


def chart_csv(name: str, chart: dict) -> bytes:
    cols = COLUMNS.get(name)
    if cols is None:
        raise UnknownChart(details={"chart": name, "charts": list(COLUMNS)})
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow([h for _, h in cols])
    for row in chart["rows"]:
        w.writerow([_cell(row.get(k)) for k, _ in cols])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
