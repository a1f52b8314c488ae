"""scripts/run.sh, the README's run command, as it is: gunicorn with 2 workers and its own Redis on a unix socket
under instance/. The public lookup's 60 per minute hold for the whole server (issue item 7): the 61st lookup
from one client is refused whichever worker answers it; the app logs every request (and its worker's pid)
itself, gunicorn still logs its workers' boots, and stopping run.sh stops the Redis too."""
from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import need

pytestmark = pytest.mark.e2e          # a real server; on SQLite whatever the suite runs on: once is enough
REPO = Path(__file__).resolve().parents[1]
NAME = "王伟"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture()
def server(tmp_path):
    port = _free_port()
    with _run_sh(tmp_path, port, PUBLIC_BASE_URL=f"http://127.0.0.1:{port}") as running:
        yield running


@contextmanager
def _run_sh(tmp_path, port: int, **extra):
    """scripts/run.sh on a fresh instance and `port`, until it serves: (process, base URL, instance, log)."""
    need(shutil.which("redis-server") is not None, "redis-server is not installed (scripts/setup.sh installs it)")
    inst, log = tmp_path / "instance", tmp_path / "run.log"
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "RATELIMIT_STORAGE_URI", "RATELIMIT_ENABLED", "LOOKUP_RATE_LIMIT",
                        "KEY_DIR", "FLASK_DEBUG", "WORKERS", "LOG_LEVEL", "PUBLIC_BASE_URL")}
    env.update(INSTANCE_PATH=str(inst), DEMO_PERSONS="20", HOST="127.0.0.1", PORT=str(port),
               PYTHONDONTWRITEBYTECODE="1", **extra)
    with open(log, "wb") as fh:
        proc = subprocess.Popen(["scripts/run.sh"], cwd=REPO, env=env, stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while _get_or_none(f"{base}/healthz") != 200:
            assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "run.sh did not serve within 180 s"
            time.sleep(0.2)
        yield proc, base, inst, log
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)      # its own session: only what this test started
                proc.wait()


def _get_or_none(url: str) -> int | None:
    try:
        return _get(url)
    except OSError:
        return None


def _lookup(port: int, client: str) -> tuple[int, str]:
    """One lookup on a new connection from `client` (any 127.x address is this machine, and another client to
    the rate limit): (status, the request id the app logged it under)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(client, 0))
    try:
        conn.request("GET", "/api/v1/lookup?" + urllib.parse.urlencode({"q": NAME}))
        r = conn.getresponse()
        r.read()
        return r.status, r.headers["X-Request-ID"]
    finally:
        conn.close()


def test_the_61st_lookup_in_a_minute_is_refused_by_the_whole_server(server):
    proc, base, inst, log = server
    port = int(base.rsplit(":", 1)[1])
    sock = inst / "redis.sock"
    assert sock.is_socket() and (sock.stat().st_mode & 0o777) == 0o700
    # Which worker accepts a connection is the kernel's choice: now and then one takes all 61. Then the same
    # again from another client address, until both workers have answered one client's 61 lookups.
    for n in range(1, 9):
        client = f"127.0.0.{10 + n}"
        with ThreadPoolExecutor(16) as pool:         # many connections at once: both workers take some
            first = list(pool.map(lambda _, c=client: _lookup(port, c), range(60)))
        last = _lookup(port, client)
        assert [code for code, _ in first] == [200] * 60 and last[0] == 429, (client, first, last)
        text = log.read_text(errors="replace")
        worker_of = {m.group(2): m.group(1) for m in re.finditer(
            r"\[(\d+)\] \[INFO\] backend\.access rid=(\S+) GET /api/v1/lookup ", text)}
        pids = {worker_of[rid] for _, rid in first + [last]}
        if len(pids) == 2:
            break
    # what gunicorn answers itself (a request line over 4 KB) comes in the app's error shape, never as HTML
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/api/v1/lookup?" + urllib.parse.urlencode({"q": "王" * 2000}))
    too_long = conn.getresponse()
    assert too_long.status == 414 and too_long.getheader("Content-Type") == "application/json"
    assert json.loads(too_long.read()) == {"error": "uri_too_long", "message": "请求地址过长", "message_en": "URI too long",
                                           "details": {}}
    conn.close()
    booted = set(re.findall(r"Booting worker with pid: (\d+)", text))     # gunicorn's own error log
    assert len(booted) == 2 and pids == booted, (n, pids, booted)
    assert NAME not in text and "?q=" not in text                      # no query strings in any log line

    master = int(re.search(r"Listening at: \S+ \((\d+)\)", text).group(1))
    redis_pid = int(re.match(r"(\d+):", (inst / "redis.log").read_text()).group(1))
    proc.send_signal(signal.SIGTERM)                 # what a service manager (or Ctrl-C) does
    assert proc.wait(60) == 143
    assert not _alive(master) and not _alive(redis_pid) and not sock.exists()


def test_links_in_qr_codes_follow_the_port_without_public_base_url(tmp_path):
    """Issue 11: `PORT=8080 scripts/run.sh` prints http://127.0.0.1:8080 links into QR codes and PDFs, not :5000."""
    with _run_sh(tmp_path, _free_port()) as (_, base, inst, _):
        samples = json.loads((inst / "demo-samples.json").read_text())["samples"]
        qrs = [s["qr"] for s in samples]
        assert qrs and all(q.lower().startswith(f"{base}/v#".lower()) for q in qrs), qrs[:2]
        body = json.dumps({"qr": qrs[0]}).encode()
        req = urllib.request.Request(f"{base}/api/v1/verify", data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            reasons = [x["code"] for x in json.loads(r.read())["reasons"]]
        assert "foreign_url" not in reasons                             # the server reads its own links as its own
        with urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=30) as r:
            assert json.loads(r.read())["servers"][0]["url"] == base
