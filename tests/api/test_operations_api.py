"""Operations (issue 12, items 3 to 5): /livez, /readyz (database, Redis, migrations at head), /metrics (who may
read it, what it counts), the client address behind PROXY_HOPS proxies, and the JSON access line."""
from __future__ import annotations

import io
import json
import logging

import pytest
from sqlalchemy import text

from backend.extensions import db
from backend.logs import app_handler
from tests.api.helpers import assert_error_shape, issue, make_registration
from tests.api.test_rate_limit import redis_url  # noqa: F401 - the fixture: a real redis-server
from tests.conftest import dispose, make_app

ID_NUMBER = "11010519491231002X"


def metric(body: str, name: str, **labels) -> float:
    """The value of one sample of the Prometheus text, 0 when absent."""
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    prefix = f"{name}{{{want}}} " if labels else f"{name} "
    for line in body.splitlines():
        if line.startswith(prefix):
            return float(line[len(prefix):])
    return 0.0


def scrape(client, **kw) -> str:
    r = client.get("/metrics", **kw)
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    assert r.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    return r.get_data(as_text=True)


def test_livez_answers_without_the_database(tmp_path):
    from tests.api.test_database_outage import _closed_port
    app = make_app(tmp_path, AUTO_INIT=False,
                   SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://jz@127.0.0.1:{_closed_port()}/jz")
    try:
        c = app.test_client()
        assert c.get("/livez").json == {"status": "ok"}
        body = assert_error_shape(c.get("/readyz"), 503, "not_ready")
        assert body["details"]["checks"]["database"] == "unavailable" and "database" in body["message_en"]
        assert "服务尚未就绪" in body["message"]
    finally:
        dispose(app)


def test_readyz_ready_then_not_at_head_then_ahead(app, client):
    r = client.get("/readyz")
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    assert r.json == {"status": "ready", "checks": {"database": "ok", "redis": "not_configured", "migrations": "ok"}}
    with app.app_context():
        (head,) = db.session.execute(text("SELECT version_num FROM alembic_version")).one()
        try:
            db.session.execute(text("UPDATE alembic_version SET version_num = '0001'"))
            db.session.commit()
            body = assert_error_shape(client.get("/readyz"), 503, "not_ready")
            assert body["details"]["checks"] == {"database": "ok", "redis": "not_configured", "migrations": "behind"}
            assert "migrations" in body["message_en"]
            # a newer release migrated already (a revision this code does not know): keep serving
            db.session.execute(text("UPDATE alembic_version SET version_num = 'f00dcafe'"))
            db.session.commit()
            assert client.get("/readyz").json["checks"]["migrations"] == "ahead"
        finally:
            db.session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
            db.session.commit()
    assert client.get("/readyz").status_code == 200


def test_readyz_on_a_database_never_migrated_and_workers_that_do_not_migrate(tmp_path):
    """AUTO_INIT off: the app starts on an empty database, does not migrate, and is not ready until someone does."""
    app = make_app(tmp_path, AUTO_INIT=False)
    try:
        c = app.test_client()
        assert assert_error_shape(c.get("/readyz"), 503)["details"]["checks"]["migrations"] == "empty"
        with app.app_context():
            from sqlalchemy import inspect
            assert "persons" not in inspect(db.engine).get_table_names()      # nobody migrated
            from backend.bootstrap import upgrade_schema
            upgrade_schema(app)
        assert c.get("/readyz").json["status"] == "ready"
    finally:
        dispose(app)


def test_readyz_says_when_redis_does_not_answer(tmp_path):
    from tests.api.test_database_outage import _closed_port
    app = make_app(tmp_path, REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0", READYZ_TIMEOUT=0.5)
    try:
        body = assert_error_shape(app.test_client().get("/readyz"), 503, "not_ready")
        assert body["details"]["checks"] == {"database": "ok", "redis": "unavailable", "migrations": "ok"}
    finally:
        dispose(app)


def test_readyz_with_redis_answering(tmp_path, redis_url):  # noqa: F811 - the fixture
    app = make_app(tmp_path, REDIS_URL=redis_url)
    try:
        assert app.test_client().get("/readyz").json["checks"]["redis"] == "ok"
    finally:
        dispose(app)


def test_metrics_open_to_loopback_only_by_default_else_a_token(tmp_path):
    app = make_app(tmp_path, METRICS_TOKEN="t0ken-for-prometheus")
    try:
        c = app.test_client()
        assert c.get("/metrics").status_code == 200                                   # the test client is 127.0.0.1
        outside = {"environ_base": {"REMOTE_ADDR": "203.0.113.9"}}
        body = assert_error_shape(c.get("/metrics", **outside), 403, "forbidden")
        assert "指标" in body["message"] and "metrics token" in body["message_en"]
        assert_error_shape(c.get("/metrics", headers={"Authorization": "Bearer wrong"}, **outside), 403, "forbidden")
        assert scrape(c, headers={"Authorization": "Bearer t0ken-for-prometheus"}, **outside)
    finally:
        dispose(app)


def test_metrics_networks_from_the_setting(tmp_path):
    app = make_app(tmp_path, METRICS_ALLOW="10.0.0.0/8, 192.168.1.7")
    try:
        c = app.test_client()
        assert c.get("/metrics", environ_base={"REMOTE_ADDR": "10.20.30.40"}).status_code == 200
        assert c.get("/metrics", environ_base={"REMOTE_ADDR": "192.168.1.7"}).status_code == 200
        assert c.get("/metrics", environ_base={"REMOTE_ADDR": "192.168.1.8"}).status_code == 403
        assert c.get("/metrics").status_code == 403                                   # loopback not listed now
    finally:
        dispose(app)
    with pytest.raises(ValueError, match="METRICS_ALLOW"):
        make_app(tmp_path / "bad", METRICS_ALLOW="10.0.0.0/33")


def test_metrics_count_requests_by_route_latency_verdicts_and_queues(app, client, auth):
    before = scrape(client)
    reg = make_registration(client, auth, name="梁工程")
    copy = issue(client, auth, reg["registration_number"])
    for _ in range(3):
        assert client.post("/api/v1/verify", json={"qr": copy["qr"]}).json["verdict"] == "valid"
    assert client.post("/api/v1/verify", json={"qr": "nonsense"}).json["verdict"] == "invalid"
    client.get(f"/api/v1/certificates/{copy['copy_id']}", headers=auth)
    client.get("/api/v1/no-such-thing/12345678901")
    client.get("/api/v1/status-list")
    after = scrape(client)

    def delta(name, **labels):
        return metric(after, name, **labels) - metric(before, name, **labels)

    assert delta("jz_http_requests_total", method="POST", route="/api/v1/verify", status="200") == 4
    assert delta("jz_verifications_total", endpoint="verify", verdict="valid") == 3
    assert delta("jz_verifications_total", endpoint="verify", verdict="invalid") == 1
    assert delta("jz_http_request_duration_seconds_count", method="POST", route="/api/v1/verify") == 4
    assert delta("jz_http_request_duration_seconds_bucket", le="+Inf", method="POST", route="/api/v1/verify") == 4
    # the route is the URL rule, never the path as sent: no copy id, no number of a client's choosing
    assert delta("jz_http_requests_total", method="GET", route="/api/v1/certificates/<public_id>", status="200") == 1
    assert delta("jz_http_requests_total", method="GET", route="<unmatched>", status="404") == 1
    assert copy["copy_id"] not in after and "12345678901" not in after and "梁工程" not in after
    for queue in ("applications_awaiting_decision", "applications_awaiting_employer", "onboarding_pending_review"):
        assert f'jz_queue_depth{{queue="{queue}"}}' in after
    assert 0 <= metric(after, "jz_status_list_age_seconds") < 60


def test_queue_depths_count_what_waits_for_people(app, client, auth):
    from backend.models.image_submission import ImageSubmission
    from tests import factories as f
    body = scrape(client)
    before = metric(body, "jz_queue_depth", queue="onboarding_pending_review")
    reg = make_registration(client, auth, name="韩审核")
    with app.app_context():
        person_id = db.session.execute(text("SELECT person_id FROM registrations WHERE registration_number = :n"),
                                       {"n": reg["registration_number"]}).scalar()
        db.session.add(ImageSubmission(public_id=f"im_{f.uscc()[-10:]}", person_id=person_id, kind="photo",
                                       state="pending", data=b"x", mime="image/jpeg", size=1, width=1, height=1,
                                       sha256="0" * 64, uploaded_by="holder", uploader="h"))
        db.session.commit()
    after = scrape(client)
    assert metric(after, "jz_queue_depth", queue="onboarding_pending_review") == before + 1
    assert metric(after, "jz_queue_oldest_age_seconds", queue="onboarding_pending_review") >= 0


# --- the client's address behind proxies -----------------------------------------------------------------------

def _limited_app(tmp_path, hops):
    return make_app(tmp_path, RATELIMIT_ENABLED=True, VERIFY_RATE_LIMIT="2/minute", PROXY_HOPS=hops)


def _verify(c, peer, forwarded=None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return c.post("/api/v1/verify", json={"qr": "x"}, headers=headers, environ_base={"REMOTE_ADDR": peer}).status_code


def test_without_trusted_proxies_x_forwarded_for_is_ignored(tmp_path):
    app = _limited_app(tmp_path, 0)
    try:
        c = app.test_client()
        # one client changing its X-Forwarded-For on every request still has one budget
        assert [_verify(c, "198.51.100.1", f"10.0.0.{i}") for i in range(3)] == [200, 200, 429]
        assert _verify(c, "198.51.100.2") == 200
    finally:
        dispose(app)


def test_one_trusted_proxy_keys_the_limit_on_the_real_client(tmp_path):
    app = _limited_app(tmp_path, 1)
    try:
        seen = {}

        @app.get("/_whoami")
        def whoami():
            from flask import request
            seen.update(addr=request.remote_addr, scheme=request.scheme, host=request.host)
            return "ok"
        c = app.test_client()
        proxy = "172.18.0.5"
        # every request comes from the proxy; the limit follows the client it names, the last entry only
        assert [_verify(c, proxy, "203.0.113.7") for _ in range(3)] == [200, 200, 429]
        assert _verify(c, proxy, "203.0.113.8") == 200
        # a client who writes its own X-Forwarded-For: the proxy appends the real address; only that counts
        assert [_verify(c, proxy, f"1.2.3.{i}, 203.0.113.9") for i in range(3)] == [200, 200, 429]
        c.get("/_whoami", headers={"X-Forwarded-For": "1.1.1.1, 203.0.113.10", "X-Forwarded-Proto": "https",
                                   "X-Forwarded-Host": "evil.example"}, environ_base={"REMOTE_ADDR": proxy})
        assert seen == {"addr": "203.0.113.10", "scheme": "https", "host": "localhost"}   # never the forwarded host
    finally:
        dispose(app)


# --- the JSON access line ---------------------------------------------------------------------------------------

def test_json_access_line_has_the_fields_and_no_personal_data(app, client, auth):
    buf = io.StringIO()
    handler = app_handler(buf, "json")
    logging.getLogger().addHandler(handler)
    try:
        r = client.get("/api/v1/lookup?q=王伟")
        client.post("/api/v1/persons", json={"name": "卢某某", "id_number": ID_NUMBER, "phone": "13812345678"},
                    headers=auth)
    finally:
        logging.getLogger().removeHandler(handler)
    lines = [json.loads(ln) for ln in buf.getvalue().splitlines()]
    access = [ln for ln in lines if ln["logger"] == "backend.access"]
    assert len(access) == 2, lines
    first = access[0]
    assert set(first) >= {"time", "level", "request_id", "method", "route", "status", "latency_ms", "pid"}
    assert (first["method"], first["route"], first["status"], first["level"]) == ("GET", "/api/v1/lookup", 200, "INFO")
    assert first["request_id"] == r.headers["X-Request-ID"] and first["time"].endswith("Z")
    assert isinstance(first["latency_ms"], float) and first["latency_ms"] >= 0
    assert access[1]["route"] == "/api/v1/persons" and access[1]["role"] == "authority"
    text_all = buf.getvalue()
    for secret in (ID_NUMBER, "13812345678", "卢某某", "王伟", "?q="):
        assert secret not in text_all


def test_json_format_masks_exceptions_too(tmp_path):
    buf = io.StringIO()
    handler = app_handler(buf, "json")
    log = logging.getLogger("backend.test_json")
    log.addHandler(handler)
    log.propagate = False
    try:
        try:
            raise RuntimeError(f"Key (id_number)=({ID_NUMBER}) already exists")
        except RuntimeError:
            log.exception("insert failed for 13912345678")
    finally:
        log.removeHandler(handler)
        log.propagate = True
    line = json.loads(buf.getvalue())
    assert line["level"] == "ERROR" and "[PHONE-REDACTED]" in line["message"]
    assert "RuntimeError" in line["exc"] and "[ID-REDACTED]" in line["exc"] and ID_NUMBER not in buf.getvalue()
