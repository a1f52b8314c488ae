"""A whole API run logged at DEBUG by every logger, SQL echo included: the logs hold none of the ID numbers or
phone numbers of the people it made (issue item 5). Runs on SQLite and PostgreSQL (TEST_DATABASE_URL)."""
from __future__ import annotations

import datetime as dt
import io
import logging
import re

import pytest

from backend.logs import app_handler
from tests import factories as f
from tests.api.helpers import assert_error_shape, issue
from tests.api.login_helpers import bearer_for, make_enterprise
from tests.conftest import dispose, make_app

LOGGERS = ("", "sqlalchemy", "sqlalchemy.engine", "sqlalchemy.engine.Engine", "sqlalchemy.pool", "werkzeug", "backend",
           "alembic", "flask_migrate", "flask-limiter")


@pytest.fixture()
def captured():
    """Every logger at DEBUG into two buffers: a plain handler (what any host would write, no masking) and the
    app's own handler (backend/logs.py, with masking)."""
    raw, masked = io.StringIO(), io.StringIO()
    plain = logging.StreamHandler(raw)
    plain.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    handlers = [plain, app_handler(masked)]          # plain first: it sees every record before any masking
    saved = {name: (logging.getLogger(name).level, list(logging.getLogger(name).handlers)) for name in LOGGERS}
    for name in LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    for h in handlers:
        logging.getLogger().addHandler(h)
    try:
        yield raw, masked
    finally:
        for h in handlers:
            logging.getLogger().removeHandler(h)
        for name, (level, hs) in saved.items():          # also drops the stdout handler SQLAlchemy's echo adds
            lg = logging.getLogger(name)
            lg.setLevel(level)
            for h in [h for h in lg.handlers if h not in hs]:
                lg.removeHandler(h)


class Run:
    """The client, the request ids of its answers, and every ID number and phone number the run sends."""

    def __init__(self, app):
        self.c, self.request_ids, self.secrets = app.test_client(), [], set()
        self.admin = {"Authorization": f"Bearer {app.config['ADMIN_TOKEN']}"}

    def __getattr__(self, method):
        def call(*a, **kw):
            resp = getattr(self.c, method)(*a, **kw)
            self.request_ids.append(resp.headers["X-Request-ID"])
            return resp
        return call

    def id_number(self, birth=dt.date(1984, 7, 9), sex="M") -> str:
        idn = f.id_number(birth, sex)
        self.secrets.add(idn)
        return idn

    def phone(self, i: int) -> str:
        p = f"1{3 + i % 7}{(48_213_577 * (i + 3)) % 10**9:09d}"
        self.secrets.add(p)
        return p


def _people_and_registrations(run: Run, ent: dict) -> list[dict]:
    people = []
    for i, (name, sex) in enumerate((("林晓峰", "M"), ("郭丽娟", "F"), ("马志强", "M"))):
        p = run.post("/api/v1/persons", headers=run.admin, json={"name": name, "id_number": run.id_number(sex=sex),
                                                                  "phone": run.phone(i)})
        assert p.status_code == 201, p.json
        r = run.post("/api/v1/registrations", headers=run.admin, json={
            "person_id": p.json["id"], "enterprise_uscc": ent["uscc"], "kind": "JZS2", "specialties": ["JZ"]})
        assert r.status_code == 201, r.json
        copy = issue(run.c, run.admin, r.json["registration_number"])
        people.append({"person": p.json, "reg": r.json, "copy": copy})
    return people


def _workflow(run: Run, ent: dict) -> None:
    p = run.post("/api/v1/persons", headers=run.admin, json={"name": "邓申请", "id_number": run.id_number(),
                                                              "phone": run.phone(9)}).json
    q = run.post(f"/api/v1/persons/{p['id']}/qualifications", headers=run.admin, json={
        "kind": "JZS2", "specialty": "JZ", "certificate_no": f"Q-LOG-{p['id']}", "issued_on": "2024-05-01"})
    assert q.status_code == 201, q.json
    holder = bearer_for(run.c, run.admin, "holder", person_id=p["id"])
    a = run.post("/api/v1/applications", headers=holder, json={
        "type": "initial", "kind": "JZS2", "specialties": ["JZ"], "enterprise_uscc": ent["uscc"]})
    assert a.status_code == 201, a.json
    assert run.post(f"/api/v1/applications/{a.json['id']}/submit", headers=holder).status_code == 200


def _errors_of_every_kind(run: Run, app, people: list[dict], ent_h: dict) -> None:
    idn = people[0]["person"]["id_number"]
    bad_check = idn[:17] + ("0" if idn[17] != "0" else "1")
    run.secrets.add(bad_check)
    assert_error_shape(run.post("/api/v1/persons", headers=run.admin, data='{"id_number": "%s", ' % idn,
                                content_type="application/json"), 400)
    assert_error_shape(run.post("/api/v1/persons", json={"name": "无令牌", "id_number": idn}), 401)
    assert_error_shape(run.post("/api/v1/persons", headers=ent_h, json={"name": "越权", "id_number": idn}), 403)
    assert_error_shape(run.get("/api/v1/persons/987654"), 401)
    assert_error_shape(run.get("/api/v1/persons/987654", headers=run.admin), 404, "person_not_found")
    assert_error_shape(run.delete(f"/api/v1/lookup?q={idn}"), 405)
    assert_error_shape(run.post("/api/v1/persons", headers=run.admin, json={
        "name": "林晓峰", "id_number": idn, "phone": people[0]["person"]["phone"]}), 409, "person_exists")
    assert_error_shape(run.post("/api/v1/persons", headers=run.admin, json={
        "name": "校验错", "id_number": bad_check, "phone": run.phone(5)}), 422, "validation_failed")
    csv = "姓名,身份证号\n" + "".join(f"林晓峰,{p['person']['id_number']}\n" for p in people)
    assert_error_shape(run.post("/api/v1/enterprise/bulk-check", headers=ent_h, content_type="multipart/form-data",
                                data={"file": (io.BytesIO(b"\x89PNG\r\n\x1a\n" + idn.encode()), "x.png")}), 415)
    app.config["BULK_MAX_BYTES"], saved = 40, app.config["BULK_MAX_BYTES"]
    try:
        assert_error_shape(run.post("/api/v1/enterprise/bulk-check", headers=ent_h, content_type="multipart/form-data",
                                    data={"file": (io.BytesIO(csv.encode()), "staff.csv")}), 413)
    finally:
        app.config["BULK_MAX_BYTES"] = saved
    # failed logins with a phone number as the username: 401 x4, locked (423), then the per-client limit (429)
    phone = people[1]["person"]["phone"]
    codes = [run.post("/api/v1/auth/login", json={"username": phone, "password": f"{idn} wrong"},
                      environ_base={"REMOTE_ADDR": "10.20.30.40"}).status_code for _ in range(8)]
    assert codes == [401] * 4 + [423] * 3 + [429], codes
    assert_error_shape(run.post("/api/v1/_boom", json={"id_number": idn, "phone": phone}), 500, "internal_error")


def test_logs_of_a_whole_api_run_hold_no_id_or_phone_numbers(tmp_path, captured):
    raw, masked = captured
    app = make_app(tmp_path, SQLALCHEMY_ECHO="debug", LOG_LEVEL="DEBUG", RATELIMIT_ENABLED=True,
                   LOGIN_RATE_LIMIT="7/minute")

    def boom():
        raise RuntimeError("boom")
    app.add_url_rule("/api/v1/_boom", "boom", boom, methods=["POST"])
    try:
        run = Run(app)
        ent = make_enterprise(run.c, run.admin)
        people = _people_and_registrations(run, ent)
        for p in people:
            assert run.post("/api/v1/verify", json={"qr": p["copy"]["qr"]}).json["verdict"] == "valid"
            assert run.get(f"/api/v1/persons/{p['person']['id']}", headers=run.admin).status_code == 200
        png = run.get(people[0]["copy"]["links"]["qr_png"], headers=run.admin).data
        assert run.post("/api/v1/verify/image", data={"image": (io.BytesIO(png), "qr.png")},
                        content_type="multipart/form-data").status_code == 200
        for q in ("林晓峰", people[0]["person"]["id_number"], people[1]["person"]["phone"]):
            assert run.get("/api/v1/lookup", query_string={"q": q}).status_code in (200, 422)
        ent_h = bearer_for(run.c, run.admin, "enterprise", enterprise_uscc=ent["uscc"])
        assert run.get("/api/v1/enterprise/staff", headers=ent_h).json["total"] == 3
        stranger = run.id_number(dt.date(1979, 1, 30), "F")             # in the file, never registered
        csv = "姓名,身份证号\n" + "".join(f"某人,{p['person']['id_number']}\n" for p in people) + f"陌生人,{stranger}\n"
        r = run.post("/api/v1/enterprise/bulk-check", headers=ent_h, content_type="multipart/form-data",
                     data={"file": (io.BytesIO(csv.encode()), "staff.csv")})
        assert r.status_code == 200, r.json
        assert run.get(r.json["downloads"]["csv"], headers=ent_h).status_code == 200
        _workflow(run, ent)
        _errors_of_every_kind(run, app, people, ent_h)
    finally:
        dispose(app)
    raw_text, app_text = raw.getvalue(), masked.getvalue()
    # the capture did see the run: the SQL, the hidden parameters, an access line per request, the traceback
    assert "INSERT INTO persons" in raw_text and "[SQL parameters hidden due to hide_parameters=True]" in raw_text
    assert "DEBUG sqlalchemy.engine.Engine Col (" in raw_text and " Row (" not in raw_text   # rows: dropped
    access = {m.group(1) for m in re.finditer(r" backend\.access rid=(\S+) ", app_text)}
    assert set(run.request_ids) <= access and len(access) > 40, app_text[-3000:]
    assert "RuntimeError: boom" in raw_text and "Traceback" in app_text
    leaked = sorted(s for s in run.secrets if s in raw_text or s in app_text)
    assert leaked == [], [line for line in raw_text.splitlines() if any(s in line for s in leaked)][:5]
    assert len(run.secrets) >= 10
