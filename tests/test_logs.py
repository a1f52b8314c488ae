"""Logging (backend/logs.py): configured once by the app and left alone by the migrations, an access line and a
request id for every request, tracebacks of 500s kept, ID numbers and phone numbers masked."""
from __future__ import annotations

import io
import logging
import re
from contextlib import contextmanager

import pytest

from backend.logs import app_handler, redact
from tests.conftest import dispose, make_app

ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"


@contextmanager
def app_log():
    """What the app's handler writes (as under gunicorn or flask run), captured for the test."""
    buf = io.StringIO()
    handler = app_handler(buf)
    logging.getLogger().addHandler(handler)
    try:
        yield buf
    finally:
        logging.getLogger().removeHandler(handler)


@pytest.fixture()
def boom_app(tmp_path):
    app = make_app(tmp_path, RATELIMIT_ENABLED=True, VERIFY_RATE_LIMIT="1/minute")

    def boom():
        raise RuntimeError("boom in the view")

    def boom_with_data():   # what PostgreSQL's unique violation says, and a careless message
        raise RuntimeError(f"duplicate key value violates unique constraint\nDETAIL:  Key (id_number)=({ID_NUMBER}) "
                           f"already exists. phone +86 {PHONE}")
    app.add_url_rule("/api/v1/_boom", "boom", boom)
    app.add_url_rule("/api/v1/_boom_data", "boom_data", boom_with_data, methods=["POST"])
    yield app
    dispose(app)


def test_redact_masks_id_numbers_and_phones_and_nothing_else():
    text = (f"id={ID_NUMBER} idn:110105194912310021, tel {PHONE} / +8613912345678 / 手机15912345678号 "
            "rid=0f8fad5b-d9cb-469f-a165-70867728950e ts=1700000000123456789 n=2024010112 uscc=91320500MA1234567X")
    out = redact(text)
    assert ID_NUMBER not in out and "110105194912310021" not in out and PHONE not in out
    assert "13912345678" not in out and "15912345678" not in out
    assert out.count("[ID-REDACTED]") == 2 and out.count("[PHONE-REDACTED]") == 3
    for kept in ("0f8fad5b-d9cb-469f-a165-70867728950e", "1700000000123456789", "2024010112", "91320500MA1234567X"):
        assert kept in out


def test_migrations_leave_the_loggers_alone_and_every_request_is_logged(tmp_path):
    """create_app with AUTO_INIT runs the Alembic migrations (env.py): no logger may come out disabled."""
    with app_log() as buf:
        app = make_app(tmp_path)
        try:
            disabled = sorted(name for name, lg in logging.Logger.manager.loggerDict.items()
                              if isinstance(lg, logging.Logger) and lg.disabled)
            assert disabled == []
            c = app.test_client()
            r = c.get("/healthz?q=王伟")
            c.get("/api/v1/nope")
        finally:
            dispose(app)
    rid = r.headers["X-Request-ID"]
    lines = [ln for ln in buf.getvalue().splitlines() if "backend.access" in ln]
    assert len(lines) == 2, buf.getvalue()[-2000:]
    assert f"rid={rid} GET /healthz 200 " in lines[0] and "ms role=-" in lines[0]
    assert "王伟" not in buf.getvalue() and "?q=" not in buf.getvalue()       # the path, not the query string
    assert "GET <unmatched> 404" in lines[1] and "nope" not in lines[1]    # no rule matched: never the path
    assert re.search(r"\[\d+\] \[INFO\] backend\.access rid=", lines[0])   # the worker's pid is on every line


def test_unhandled_error_leaves_its_traceback_and_the_request_id(boom_app):
    c = boom_app.test_client()
    with app_log() as buf:
        r = c.get("/api/v1/_boom")
    assert r.status_code == 500 and r.json["error"] == "internal_error"
    assert "boom in the view" not in r.get_data(as_text=True)
    rid = r.headers["X-Request-ID"]
    text = buf.getvalue()
    assert f"[ERROR] backend.api.errors rid={rid} unhandled error in GET /api/v1/_boom" in text
    assert "Traceback (most recent call last)" in text and "RuntimeError: boom in the view" in text
    assert f"rid={rid} GET /api/v1/_boom 500" in text


def test_exception_text_is_masked_in_the_log(boom_app):
    with app_log() as buf:
        r = boom_app.test_client().post("/api/v1/_boom_data", json={"id_number": ID_NUMBER})
        logging.getLogger("backend.test").warning("person %s phone %s", ID_NUMBER, PHONE)
    text = buf.getvalue()
    assert r.status_code == 500 and "Traceback" in text and "DETAIL:  Key (id_number)=([ID-REDACTED])" in text
    assert ID_NUMBER not in text and PHONE not in text
    assert "person [ID-REDACTED] phone [PHONE-REDACTED]" in text


@pytest.mark.parametrize("incoming,kept", [
    ("0f8fad5b-d9cb-469f-a165-70867728950e", True),
    ("edge.lb-20261201:42", True),
    ("short", False),
    ("x" * 65, False),
    ("has space in it", False),
    (ID_NUMBER, False),                 # an ID-shaped id would put a person into every line of the request
])
def test_incoming_request_id_is_used_when_well_formed(boom_app, incoming, kept):
    r = boom_app.test_client().get("/healthz", headers={"X-Request-ID": incoming})
    rid = r.headers["X-Request-ID"]
    assert (rid == incoming) is kept
    if not kept:
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", rid)


def test_every_answer_has_its_own_request_id_even_a_429(boom_app):
    c = boom_app.test_client()
    with app_log() as buf:
        answers = [c.post("/api/v1/verify", json={"qr": "x"}) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 429]
    ids = [a.headers["X-Request-ID"] for a in answers]
    assert ids[0] != ids[1]
    assert f"rid={ids[1]} POST /api/v1/verify 429" in buf.getvalue()


@pytest.mark.parametrize("logger,msg,args", [
    ("werkzeug", '"%s" %s %s', (f"GET /api/v1/lookup?q={ID_NUMBER}&page=2 HTTP/1.1", "200", "-")),
    ("gunicorn.error", f"Invalid request from ip=127.0.0.1: Invalid HTTP request line: 'GET /api/v1/lookup?q="
                       f"{PHONE} HTTP/1.1'", ()),
])
def test_the_servers_request_lines_lose_their_query_strings(tmp_path, logger, msg, args):
    app = make_app(tmp_path)          # register_logging puts the filter on the servers' loggers
    dispose(app)
    raw = io.StringIO()
    plain = logging.StreamHandler(raw)
    lg = logging.getLogger(logger)
    lg.addHandler(plain)
    saved = lg.level
    lg.setLevel(logging.INFO)
    try:
        lg.info(msg, *args)
    finally:
        lg.removeHandler(plain)
        lg.setLevel(saved)
    line = raw.getvalue()
    assert "GET /api/v1/lookup" in line and "?" not in line and ID_NUMBER not in line and PHONE not in line
