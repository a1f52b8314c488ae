"""The dashboard's errors."""
from __future__ import annotations

from backend.services.errors import NotFound


class UnknownChart(NotFound):
    code = "chart_not_found"
    message, message_en = "没有这个图表", "No such chart"
