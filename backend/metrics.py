"""Prometheus metrics (GET /metrics, backend/api/meta.py): requests by route and status, their latency, the
verdicts given, the queues waiting for people, the status list's age. docs/operations.md lists them.

Under gunicorn every worker is a process of its own: the counters and histograms are kept in files under
PROMETHEUS_MULTIPROC_DIR (prometheus-client's multiprocess mode; backend/gunicorn_conf.py makes the folder,
empties it at start and forgets the gauges of dead workers) and /metrics, in whichever worker answers, adds
all of them up. Without that variable (flask run, the tests) they live in this process. The queue depths are
counted from the database when /metrics is read, not kept: any replica gives the same answer.

Labels stay few: the route is the URL rule (`/api/v1/certificates/<public_id>`, or `<unmatched>`), never a
path as sent, so no value of a client's choosing and no personal data becomes a label.
"""
from __future__ import annotations

import ipaddress
import os
import time
from datetime import UTC

from flask import Flask, g, request
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from backend.logs import UNMATCHED

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUESTS = Counter("jz_http_requests", "HTTP requests answered, by method, route (URL rule) and status",
                   ["method", "route", "status"])
LATENCY = Histogram("jz_http_request_duration_seconds", "Time to answer, by method and route (URL rule)",
                    ["method", "route"], buckets=LATENCY_BUCKETS)
VERDICTS = Counter("jz_verifications", "Verification results given, by endpoint (verify, verify_image) and verdict",
                   ["endpoint", "verdict"])
# the newest status list any live worker has signed: its age is computed when /metrics is read
STATUS_LIST_BUILT = Gauge("jz_status_list_built_timestamp_seconds",
                          "When the newest status list served was signed (Unix seconds)", multiprocess_mode="livemax")
# the classic text format that generate_latest writes, which every Prometheus reads
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def multiprocess() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def register_metrics(app: Flask) -> None:
    """Count every answer (after backend/logs.py, whose before_request hook starts the clock)."""
    app.after_request(_observe)


# the labelled children, looked up once: labels() validates and locks on every call, half the cost per request
_children: dict[tuple, object] = {}


def _child(metric, *labels):
    key = (metric, *labels)
    child = _children.get(key)
    if child is None:
        child = _children[key] = metric.labels(*labels)
    return child


def _observe(response):
    rule = request.url_rule
    route = rule.rule if rule is not None else UNMATCHED
    method = request.method if request.method in METHODS else "OTHER"
    _child(REQUESTS, method, route, str(response.status_code)).inc()
    started = g.get("jz_request_started")
    if started is not None:
        _child(LATENCY, method, route).observe(time.perf_counter() - started)
    return response


def count_verdicts(endpoint: str, results) -> None:
    for r in results:
        _child(VERDICTS, endpoint, r["verdict"]).inc()


def status_list_signed(at: float | None = None) -> None:
    STATUS_LIST_BUILT.set(at if at is not None else time.time())


class QueueCollector:
    """The queues that wait for people, counted from the database at scrape time: applications awaiting the
    authority's decision (review mode) or their employer's confirmation, photo and signature uploads awaiting
    review (入库登记); with the age of the oldest in each."""

    def __init__(self, session):
        self.session = session

    def collect(self):
        from sqlalchemy import func, select

        from backend.models.application import Application
        from backend.models.image_submission import ImageSubmission
        from backend.services.registry.onboarding import SubState
        from backend.services.workflows.types import State
        queues = {
            "applications_awaiting_decision": (Application, Application.state.in_(State.PENDING_DECISION)),
            "applications_awaiting_employer": (Application, Application.state == State.AWAITING),
            "onboarding_pending_review": (ImageSubmission, ImageSubmission.state == SubState.PENDING),
        }
        depth = GaugeMetricFamily("jz_queue_depth", "Items waiting in a queue for people", labels=["queue"])
        oldest = GaugeMetricFamily("jz_queue_oldest_age_seconds", "Age of the oldest item waiting in a queue",
                                   labels=["queue"])
        now = time.time()
        for name, (model, where) in queues.items():
            n, first = self.session.execute(select(func.count(), func.min(model.created_at)).where(where)).one()
            depth.add_metric([name], n)
            # created_at is naive UTC (models/base.py utcnow)
            oldest.add_metric([name], max(0.0, now - first.replace(tzinfo=UTC).timestamp()) if first else 0.0)
        self.session.rollback()
        yield depth
        yield oldest


class _Derived:
    """Values computed from others at scrape time: the status list's age from the newest signing time."""

    def __init__(self, built: float | None):
        self.built = built

    def collect(self):
        if self.built:
            age = GaugeMetricFamily("jz_status_list_age_seconds",
                                    "Seconds since the newest status list served was signed")
            age.add_metric([], max(0.0, time.time() - self.built))
            yield age


def _base_registry():
    if multiprocess():
        from prometheus_client import multiprocess as mp
        registry = CollectorRegistry()
        mp.MultiProcessCollector(registry)
        return registry
    from prometheus_client import REGISTRY
    return REGISTRY


def _newest_build(registry) -> float | None:
    for family in registry.collect():
        if family.name == "jz_status_list_built_timestamp_seconds":
            values = [s.value for s in family.samples if s.value > 0]
            return max(values) if values else None
    return None


def exposition(session) -> bytes:
    """The text of GET /metrics: this process's (or every worker's) metrics, then the database's."""
    base = _base_registry()
    extra = CollectorRegistry(auto_describe=False)
    extra.register(QueueCollector(session))
    extra.register(_Derived(_newest_build(base)))
    return generate_latest(base) + generate_latest(extra)


def allowed(remote_addr: str | None, networks) -> bool:
    if not remote_addr:
        return False
    try:
        addr = ipaddress.ip_address(remote_addr)
    except ValueError:
        return False
    if addr.version == 6 and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    return any(addr in net for net in networks)


def parse_networks(text: str) -> tuple:
    """METRICS_ALLOW: CIDRs (or single addresses), comma- or space-separated; a bad one stops the start."""
    nets = []
    for part in (text or "").replace(",", " ").split():
        try:
            nets.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(f"METRICS_ALLOW: {part!r} 不是网段 / is not a network (CIDR)") from None
    return tuple(nets)
