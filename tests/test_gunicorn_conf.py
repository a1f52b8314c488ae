"""The gunicorn settings (backend/gunicorn_conf.py) with a real gunicorn: two workers count into one /metrics
(prometheus-client's multiprocess mode), every line is JSON with LOG_FORMAT=json, the settings come from the
environment, and no setting trusts every forwarder."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from backend import gunicorn_conf

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_are_from_the_environment_and_never_trust_everyone():
    assert gunicorn_conf.forwarded_allow_ips == os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
    assert "*" not in gunicorn_conf.forwarded_allow_ips
    assert gunicorn_conf.timeout == int(os.environ.get("GUNICORN_TIMEOUT", 60)) != 30
    assert gunicorn_conf.graceful_timeout > 0 and gunicorn_conf.keepalive > 60
    assert gunicorn_conf.accesslog is None                 # the app writes the access line, with the route
    assert 1 <= gunicorn_conf.available_cpus() <= (os.cpu_count() or 1)
    root = (ROOT / "gunicorn.conf.py").read_text()
    assert "from backend.gunicorn_conf import *" in root


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, **headers) -> tuple[int, str]:
    req = urllib.request.Request(url, headers={"Connection": "close", **headers})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("gunicorn")
    port = _port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "PROMETHEUS_MULTIPROC_DIR", "KEY_DIR", "AUTO_INIT")}
    env.update(INSTANCE_PATH=str(tmp / "instance"), DEMO_PERSONS="0", LOG_FORMAT="json", WEB_CONCURRENCY="2",
               GUNICORN_THREADS="2", PUBLIC_BASE_URL=f"http://127.0.0.1:{port}")
    log = open(tmp / "server.log", "w")      # noqa: SIM115 - closed below
    proc = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-c", "python:backend.gunicorn_conf", "--bind",
                             f"127.0.0.1:{port}", "backend:create_app()"], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            if _get(f"{base}/readyz")[0] == 200:
                break
        except OSError:
            pass
        assert proc.poll() is None and time.monotonic() < deadline, (tmp / "server.log").read_text()[-3000:]
        time.sleep(0.2)
    yield base, tmp / "server.log"
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


def test_two_workers_count_into_one_metrics_page(server):
    base, log_path = server
    n = 24
    for _ in range(n):
        assert _get(f"{base}/livez")[0] == 200
    counts = set()
    for _ in range(4):                 # whichever worker answers the scrape adds up both
        status, body = _get(f"{base}/metrics")
        assert status == 200
        line = next(ln for ln in body.splitlines()
                    if ln.startswith('jz_http_requests_total{method="GET",route="/livez",status="200"}'))
        counts.add(float(line.rsplit(" ", 1)[1]))
    assert counts == {float(n)}
    lines = [json.loads(ln) for ln in log_path.read_text().splitlines() if ln.startswith("{")]
    access = [ln for ln in lines if ln.get("route") == "/livez"]
    assert len(access) == n and all(ln["status"] == 200 and ln["request_id"] != "-" for ln in access)
    workers = {ln["pid"] for ln in lines if ln["logger"] == "gunicorn.error" and "Booting worker" in ln["message"]}
    assert len(workers) == 2
    assert any(ln["logger"] == "gunicorn.error" for ln in lines)      # gunicorn's own lines in the same format


def test_a_forged_forwarded_for_changes_nothing_without_proxy_hops(server):
    base, _ = server
    status, body = _get(f"{base}/metrics", **{"X-Forwarded-For": "203.0.113.1"})
    assert status == 200            # PROXY_HOPS=0: the header is not believed, the peer is the loopback
