"""gunicorn settings (`gunicorn -c python:backend.gunicorn_conf ...`, as scripts/run.sh and the Dockerfile run
it): gunicorn answers some bad requests itself, before the app sees them (a request line over 4 KB: 414;
too many or too large headers: 431; a malformed request line: 400), and by default as an HTML page. Here
those answers take the app's one error shape, in Chinese and English, so that a client never has to parse
two kinds of error. gunicorn's own message (it may quote the request line, query string included) is
not sent back.

Without PUBLIC_BASE_URL, the links in QR codes follow the address gunicorn was bound to (`when_ready`).

The server's settings, each from the environment (a command-line flag still wins; `gunicorn.conf.py` at the
project's root imports this file, so a plain `gunicorn 'backend:create_app()'` reads it too):

| variable | default | |
|---|---|---|
| WEB_CONCURRENCY | the CPUs this process may use (affinity and the cgroup's CPU quota) | worker processes |
| GUNICORN_THREADS | 4 | threads per worker (gthread) |
| GUNICORN_TIMEOUT | 60 | seconds a request may take before its worker is killed and restarted |
| GUNICORN_GRACEFUL_TIMEOUT | 30 | seconds a worker has to finish its requests on TERM (a rolling restart) |
| GUNICORN_KEEPALIVE | 65 | seconds an idle connection stays open: longer than the proxy's (nginx: 60) |
| FORWARDED_ALLOW_IPS | 127.0.0.1,::1 | whose X-Forwarded-Proto gunicorn itself believes; the app's PROXY_HOPS is what counts |
| PROMETHEUS_MULTIPROC_DIR | a fresh folder under /tmp, removed at exit | the workers' metric files (backend/metrics.py) |

No access log of gunicorn's own: it would write the path as sent, query string included (`/lookup?q=<name>`).
The app writes the access line itself, with the route (URL rule) and the request id (backend/logs.py), JSON
when LOG_FORMAT is json; gunicorn's own lines (booting, worker timeouts) take the same format.

Before any worker starts, the master asks what the app would refuse (backend/startup.py): a production
database without shared secrets stops here, with the reasons in Chinese and English and exit status 1."""
from __future__ import annotations

import json
import math
import os
import shutil
import sys
import tempfile
from pathlib import Path

from gunicorn import util

from backend.api.errors import HTTP_TEXT
from backend.config import PROJECT_ROOT, default_base_url, load_config


def available_cpus() -> int:
    """The CPUs this process may run on: its affinity, cut by a cgroup v2 CPU quota (a container's --cpus)."""
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        n = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            n = min(n, math.ceil(int(quota) / int(period)))
    except (OSError, ValueError):
        pass
    return max(1, n)


def _env_int(name: str, default: int) -> int:
    v = os.environ.get(name, "").strip()
    return int(v) if v else default


workers = _env_int("WEB_CONCURRENCY", available_cpus())
worker_class = "gthread"
threads = _env_int("GUNICORN_THREADS", 4)
timeout = _env_int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _env_int("GUNICORN_KEEPALIVE", 65)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = None                        # the app's own access line (see above)
errorlog = "-"
# the workers' heartbeat files: in memory where there is /dev/shm (a container's /tmp may be a slow overlay)
worker_tmp_dir = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
_made_metrics_dir: str | None = None


def _log_format() -> str:
    fmt = (os.environ.get("LOG_FORMAT") or "").strip().lower()
    if fmt:
        return fmt
    from backend.config import SecretFileError, secret_env
    try:
        url = secret_env("DATABASE_URL") or ""
    except SecretFileError:
        url = "postgresql:"                  # startup_problems says what is wrong with it
    return "json" if url and not url.startswith("sqlite") else "text"     # as backend/startup.py decides


def _format_server_log(server) -> None:
    """gunicorn's own lines (booting, worker timeouts, signals) in the app's format."""
    from backend.logs import RequestIdFilter, ServerLineFilter, formatter
    for logger in (server.log.error_log,):
        for handler in logger.handlers:
            handler.setFormatter(formatter(_log_format()))
            if not any(isinstance(f, RequestIdFilter) for f in handler.filters):
                handler.addFilter(RequestIdFilter())
        if not any(isinstance(f, ServerLineFilter) for f in logger.filters):
            logger.addFilter(ServerLineFilter())


def startup_problems() -> list[tuple[str, str]]:
    """What create_app would refuse (backend/startup.py), asked of the same environment."""
    from backend.config import SecretFileError
    from backend.startup import refusals, resolve_defaults
    instance = os.environ.get("INSTANCE_PATH") or str(PROJECT_ROOT / "instance")
    try:
        cfg = load_config(instance)
    except SecretFileError as e:
        return [(str(e), str(e))]
    resolve_defaults(cfg)
    return refusals(cfg)


def on_starting(server):
    _format_server_log(server)
    problems = startup_problems()
    if problems:
        from backend.startup import refusal_text
        print(refusal_text(problems), file=sys.stderr, flush=True)
        sys.exit(1)
    global _made_metrics_dir
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # set before the workers fork and import prometheus_client
        _made_metrics_dir = tempfile.mkdtemp(prefix="jz-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = _made_metrics_dir
    metrics_dir = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    metrics_dir.mkdir(parents=True, exist_ok=True)
    for f in metrics_dir.glob("*.db"):                  # a previous run's counters: not this server's
        f.unlink(missing_ok=True)


def on_reload(server):
    _format_server_log(server)


def child_exit(server, worker):
    """A worker ended: its live gauges go (its counters stay in the sums, as Prometheus expects)."""
    from prometheus_client import multiprocess
    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _made_metrics_dir:
        shutil.rmtree(_made_metrics_dir, ignore_errors=True)


def write_error(sock, status_int, reason, mesg):      # noqa: ARG001 - mesg is deliberately not echoed
    code, zh, en = HTTP_TEXT.get(status_int, ("bad_request", "请求格式错误", reason or "Bad request"))
    body = json.dumps({"error": code, "message": zh, "message_en": en, "details": {}}, ensure_ascii=False).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1")
    util.write_nonblock(sock, head + body)


util.write_error = write_error


def when_ready(server):
    """After binding, before the workers start (they inherit the environment): without PUBLIC_BASE_URL, the
    links in QR codes and PDFs lead to the address gunicorn listens on, whatever --bind or PORT said."""
    if os.environ.get("PUBLIC_BASE_URL"):
        return
    addr = next((s.sock.getsockname() for s in server.LISTENERS if isinstance(s.sock.getsockname(), tuple)), None)
    if addr:
        os.environ["PUBLIC_BASE_URL"] = default_base_url(addr[0], addr[1])
        server.log.info("PUBLIC_BASE_URL %s", os.environ["PUBLIC_BASE_URL"])
