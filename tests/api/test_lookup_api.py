"""GET /api/v1/lookup over HTTP: the response shape, masking, errors, hostile input and the rate limit."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from backend.demo.seed import seed_registry
from backend.extensions import db
from backend.models import Person, Registration
from tests.api.helpers import assert_error_shape
from tests.conftest import dispose, make_app

URL = "/api/v1/lookup"
RESULT_KEYS = {"name", "sex", "id_number", "registration_number", "seal_number", "kind", "kind_name", "kind_name_en",
               "level", "status", "status_name", "employer", "specialties"}


@pytest.fixture(scope="module")
def seeded(app):
    e = app.extensions
    with app.app_context():
        seed_registry(db.session, e["jz.catalogue"], e["jz.clock"], 2000, seed=8)
        reg = db.session.scalar(select(Registration).where(Registration.seal_counter == 2).limit(1))
        return {"number": reg.registration_number, "seal": reg.seal_number, "name": reg.person.name,
                "id_number": reg.person.id_number, "phone": reg.person.phone,
                "persons": db.session.scalar(select(func.count(Person.id)))}


def test_response_shape_and_masking(seeded, client):
    r = client.get(URL, query_string={"q": seeded["name"]})
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    body = r.get_json()
    assert set(body) == {"query", "match", "page", "page_size", "total", "total_capped", "results", "filters"}
    assert body["filters"] == {"province": None, "kind": None, "specialty": None, "employer": None}
    assert body["query"] == seeded["name"] and body["match"] in ("name", "name_prefix")
    assert (body["page"], body["page_size"], body["total_capped"]) == (1, 20, False) and body["total"] >= 1
    for res in body["results"]:
        assert set(res) == RESULT_KEYS and set(res["employer"]) == {"name", "uscc"}
        assert all(set(s) == {"code", "name", "valid_until", "status"} for s in res["specialties"])
        assert res["id_number"][6:14] == "*" * 8
    text = r.get_data(as_text=True)
    assert seeded["id_number"] not in text and seeded["phone"] not in text and "phone" not in text


@pytest.mark.parametrize("form", ["{n}({c})", "{n}（{c}）", "{n}"])
def test_seal_and_registration_numbers(form, seeded, client):
    number, counter = seeded["number"], seeded["seal"][-3:-1]
    body = client.get(URL, query_string={"q": form.format(n=number, c=counter)}).get_json()
    assert body["match"] == ("registration_number" if form == "{n}" else "seal_number")
    assert [r["seal_number"] for r in body["results"]] == [seeded["seal"]]


def test_pages_and_their_limit(seeded, client):
    assert client.get(URL, query_string={"q": "王伟", "page": "30"}).status_code == 200
    body = assert_error_shape(client.get(URL, query_string={"q": "王伟", "page": "31"}), 422, "page_out_of_range")
    assert body["details"]["max_pages"] == 30


@pytest.mark.parametrize("qs", [{}, {"q": ""}, {"q": " "}, {"q": "王"}, {"q": "张" * 65}, {"q": "王伟", "page": "0"},
                                {"q": "王伟", "page": "x"}, {"q": "王伟", "page": "-3"}])
def test_bad_input_is_a_422_in_the_error_shape(qs, seeded, client):
    body = assert_error_shape(client.get(URL, query_string=qs), 422, "validation_failed")
    assert set(body["details"]["fields"]) <= {"q", "page"}


@pytest.mark.parametrize("q", [
    "' OR 1=1 --", "%", "_", "*", "<script>alert(1)</script>", "王%", "王_", "王*", "%%", "__", "王伟' OR '1'='1",
    "\"; DROP TABLE persons; --", "京1' OR '1'='1", "京211105070000%", "1.2.156.3005.2.' OR 1=1", "王\x00伟", "\\",
    "[王]", "王伟\u202e", "ｓｅｌｅｃｔ", "abcdefgh", "1.2.156.3005.2.ABC.DEF",
])
def test_metacharacters_are_harmless(q, seeded, client):
    r = client.get(URL, query_string={"q": q})
    assert r.status_code in (200, 422), r.get_data(as_text=True)[:300]
    if r.status_code == 200:
        assert r.get_json()["results"] == []
    else:
        assert_error_shape(r, 422)
    assert "<script>" not in r.get_data(as_text=True)
    with client.application.app_context():
        assert db.session.scalar(select(func.count(Person.id))) == seeded["persons"]


def test_filters_and_number_prefixes(seeded, client):
    number = seeded["number"]
    reg = client.get(URL, query_string={"q": number}).get_json()["results"][0]
    prov, kind = number[0], reg["kind"]
    body = client.get(URL, query_string={"q": number[:7], "province": prov, "kind": kind.lower(),
                                         "specialty": reg["specialties"][0]["code"],
                                         "employer": reg["employer"]["name"][2:6]}).get_json()
    assert body["match"] == "number_prefix" and number in [r["registration_number"] for r in body["results"]]
    assert body["filters"]["province"] == next(c for c, a in client.application.extensions["jz.catalogue"].provinces.items()
                                                 if a == prov)
    assert body["filters"]["kind"] == kind and body["filters"]["employer"] == reg["employer"]["name"][2:6]
    tail = client.get(URL, query_string={"q": number[1:7]}).get_json()
    assert tail["match"] == "number_prefix" and all(r["registration_number"][1:].startswith(number[1:7])
                                                    for r in tail["results"])
    # the DESIGN.md form, unchanged, and a query that finds nothing: 200 with no results
    assert client.get(URL, query_string={"q": seeded["name"], "page": "1"}).status_code == 200
    none = client.get(URL, query_string={"q": seeded["name"], "province": "54" if prov != "藏" else "65",
                                         "kind": "TZZY" if kind != "TZZY" else "JZS1"}).get_json()
    assert (none["total"], none["total_capped"], none["results"]) == (0, False, [])


@pytest.mark.parametrize("qs, fields", [
    ({"q": "王伟", "province": "99"}, {"province"}),
    ({"q": "王伟", "province": "火星"}, {"province"}),
    ({"q": "王伟", "kind": "NOPE"}, {"kind"}),
    ({"q": "王伟", "kind": "JZS2", "specialty": "TL"}, {"specialty"}),
    ({"q": "王伟", "specialty": "XX"}, {"specialty"}),
    ({"q": "王伟", "employer": "建"}, {"employer"}),
    ({"q": "王伟", "employer": "建" * 101}, {"employer"}),
    ({"q": "王伟", "province": "x" * 9}, {"province"}),
    ({"q": "王伟", "kind": "K" * 17}, {"kind"}),
    ({"q": "王", "province": "火星", "kind": "NOPE"}, {"q", "province", "kind"}),
    ({"q": "23225"}, {"q"}),
    ({"q": "110105194912310021"}, {"q"}),
])
def test_bad_filters_are_a_422_in_the_error_shape(qs, fields, seeded, client):
    body = assert_error_shape(client.get(URL, query_string=qs), 422, "validation_failed")
    got = body["details"]["fields"]
    assert fields <= set(got) <= fields | {"q"}, got
    assert all(f["message"] and f["message_en"] for f in got.values())


def test_only_get_is_allowed(seeded, client):
    assert_error_shape(client.post(URL, json={"q": "王伟"}), 405, "method_not_allowed")


def test_rate_limit_answers_429_in_the_error_shape(tmp_path):
    """Last in this module: Flask-Limiter keeps `enabled` on the one shared Limiter object, so an app
    made with the limit on turns it on for apps made before it in the same process."""
    app = make_app(tmp_path, RATELIMIT_ENABLED=True, LOOKUP_RATE_LIMIT="5/minute")
    try:
        c = app.test_client()
        env = {"REMOTE_ADDR": "10.20.30.40"}
        codes = [c.get(URL, query_string={"q": "王伟"}, environ_base=env).status_code for _ in range(5)]
        assert codes == [200] * 5
        body = assert_error_shape(c.get(URL, query_string={"q": "王伟"}, environ_base=env), 429, "rate_limited")
        assert "5 per 1 minute" in body["details"]["limit"]
        # Bad requests count too (no free probing), and another client has its own budget.
        assert c.get(URL, query_string={"q": "%"}, environ_base=env).status_code == 429
        other = c.get(URL, query_string={"q": "王伟"}, environ_base={"REMOTE_ADDR": "10.20.30.41"})
        assert other.status_code == 200
    finally:
        dispose(app)
