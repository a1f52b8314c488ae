"""Rate limits per client: in memory by default, in Redis when configured (a real redis-server)."""
import shutil
import socket
import subprocess
import time

import pytest

from tests.api.helpers import assert_error_shape
from tests.conftest import dispose, make_app, need


def _hammer(app, n=5):
    c = app.test_client()
    return [c.post("/api/v1/verify", json={"qr": "x"}, environ_base={"REMOTE_ADDR": "10.9.8.7"}) for _ in range(n)]


def _check(app):
    answers = _hammer(app)
    assert [r.status_code for r in answers[:3]] == [200, 200, 200]
    body = assert_error_shape(answers[3], 429, "rate_limited")
    assert "3 per 1 minute" in body["details"]["limit"]
    assert answers[3].headers.get("Retry-After")
    other = app.test_client().post("/api/v1/verify", json={"qr": "x"}, environ_base={"REMOTE_ADDR": "10.9.8.8"})
    assert other.status_code == 200          # another client has its own budget


def test_in_memory_limit(tmp_path):
    app = make_app(tmp_path, RATELIMIT_ENABLED=True, VERIFY_RATE_LIMIT="3/minute")
    try:
        _check(app)
    finally:
        dispose(app)


@pytest.fixture()
def redis_url():
    exe = shutil.which("redis-server")
    need(exe is not None, "redis-server is not installed (scripts/test.sh installs it)")
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait()


def test_redis_limit_is_shared_between_app_instances(tmp_path, redis_url):
    a = make_app(tmp_path / "a", RATELIMIT_ENABLED=True, VERIFY_RATE_LIMIT="3/minute", RATELIMIT_STORAGE_URI=redis_url)
    b = make_app(tmp_path / "b", RATELIMIT_ENABLED=True, VERIFY_RATE_LIMIT="3/minute", RATELIMIT_STORAGE_URI=redis_url)
    try:
        ca, cb = a.test_client(), b.test_client()
        env = {"REMOTE_ADDR": "10.1.1.1"}
        codes = [c.post("/api/v1/verify", json={"qr": "x"}, environ_base=env).status_code for c in (ca, cb, ca, cb)]
        assert codes == [200, 200, 200, 429]
    finally:
        dispose(a)
        dispose(b)


def test_redis_on_a_unix_socket_as_scripts_run_sh_starts_it(tmp_path, monkeypatch):
    """REDIS_URL=unix:///…/redis.sock (redis-py's spelling) reaches Flask-Limiter as redis+unix://."""
    exe = shutil.which("redis-server")
    need(exe is not None, "redis-server is not installed (scripts/setup.sh installs it)")
    sock = tmp_path / "redis.sock"
    proc = subprocess.Popen([exe, "--port", "0", "--unixsocket", str(sock), "--unixsocketperm", "700", "--save", "",
                             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if sock.exists():
                break
            time.sleep(0.05)
        monkeypatch.setenv("REDIS_URL", f"unix://{sock}")
        a = make_app(tmp_path / "a", RATELIMIT_ENABLED=True, VERIFY_RATE_LIMIT="3/minute")
        b = make_app(tmp_path / "b", RATELIMIT_ENABLED=True, VERIFY_RATE_LIMIT="3/minute")
        try:
            assert a.config["RATELIMIT_STORAGE_URI"] == f"redis+unix://{sock}"
            env = {"REMOTE_ADDR": "10.1.1.2"}
            codes = [c.post("/api/v1/verify", json={"qr": "x"}, environ_base=env).status_code
                     for c in (a.test_client(), b.test_client(), a.test_client(), b.test_client())]
            assert codes == [200, 200, 200, 429]
        finally:
            dispose(a)
            dispose(b)
    finally:
        proc.terminate()
        proc.wait()
