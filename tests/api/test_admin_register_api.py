"""GET /api/v1/admin/search, /admin/persons/<id>, /admin/enterprises/<uscc>: each search type through HTTP,
the filters, errors as 4xx in the one shape, and privacy: only authority staff, answers never cached."""
from __future__ import annotations

import pytest

from tests.api.helpers import assert_error_shape, issue, make_registration
from tests.api.login_helpers import bearer_for


@pytest.fixture(scope="module")
def world(mc, admin):
    a = make_registration(mc, admin, name="司马登记")
    b = make_registration(mc, admin, name="司马另一", specialties=("JZ",))
    copy = issue(mc, admin, a["registration_number"])
    return {"a": a, "b": b, "copy": copy, "authority": bearer_for(mc, admin, "authority")}


def search(mc, headers, **params):
    r = mc.get("/api/v1/admin/search", query_string=params, headers=headers)
    assert r.status_code == 200, r.json
    assert r.headers["Cache-Control"] == "private, no-store"
    return r.json


@pytest.mark.parametrize("what,match", [
    ("name", "name"), ("id_number", "id_number"), ("registration_number", "registration_number"),
    ("seal_number", "seal_number"), ("copy", "copy_id"), ("identifier", "certificate"), ("uscc", "employer_uscc"),
])
def test_each_search_type_finds_the_registration(mc, world, what, match):
    a = world["a"]
    q = {"name": a["person"]["name"], "id_number": a["person"]["id_number"],
         "registration_number": a["registration_number"], "seal_number": a["seal_number"],
         "copy": world["copy"]["copy_id"], "identifier": world["copy"]["identifier"],
         "uscc": a["employer"]["uscc"]}[what]
    got = search(mc, world["authority"], q=q)
    assert got["match"] == match and got["total"] == 1
    hit = got["results"][0]
    assert hit["registration"]["registration_number"] == a["registration_number"]
    assert hit["person"]["id_number"] == a["person"]["id_number"]          # in full, for the authority


def test_a_name_prefix_and_an_employer_name(mc, world):
    both = search(mc, world["authority"], q="司马")
    assert both["match"] == "name" and {h["person"]["name"] for h in both["results"]} >= {"司马登记", "司马另一"}
    emp = world["b"]["employer"]["name"]
    got = search(mc, world["authority"], q=emp, by="employer")
    assert got["match"] == "employer_name" and got["enterprises"][0]["uscc"] == world["b"]["employer"]["uscc"]


def test_filters(mc, world):
    got = search(mc, world["authority"], q="司马", kind="JZS2", status="active", province="苏", expiring_within=3650)
    assert got["filters"]["province"] == "32" and got["total"] >= 2
    none = search(mc, world["authority"], q="司马", status="revoked")
    assert none["total"] == 0 and none["results"] == []


@pytest.mark.parametrize("params,field", [
    ({"status": "gone"}, "status"), ({"kind": "NOPE"}, "kind"), ({"expiring_within": "0"}, "expiring_within"),
    ({"page": "abc"}, "page"), ({"q": "?!"}, "q"), ({"by": "nothing"}, "by"), ({"province": "火星"}, "province"),
])
def test_bad_filter_values_are_422(mc, world, params, field):
    body = assert_error_shape(mc.get("/api/v1/admin/search", query_string=params, headers=world["authority"]), 422)
    assert field in body["details"]["fields"]


def test_a_page_beyond_the_last_is_refused(mc, world):
    body = assert_error_shape(mc.get("/api/v1/admin/search", query_string={"q": "司马", "page": 99},
                                     headers=world["authority"]), 422, "page_out_of_range")
    assert body["details"]["pages"] == 1


def test_the_person_dossier(mc, world):
    a = world["a"]
    r = mc.get(f"/api/v1/admin/persons/{a['person']['id']}", headers=world["authority"])
    assert r.status_code == 200 and r.headers["Cache-Control"] == "private, no-store"
    d = r.json
    assert d["person"]["id_number"] == a["person"]["id_number"]
    assert d["registrations"][0]["copies"][0]["copy_id"] == world["copy"]["copy_id"]
    assert {"person.create", "registration.create", "copy.issue"} <= {e["action"] for e in d["audit"]["events"]}
    assert d["images"]["photo_url"] is None or d["images"]["photo_url"].endswith(f"/persons/{a['person']['id']}/photo")


def test_the_enterprise_dossier(mc, world):
    uscc = world["a"]["employer"]["uscc"]
    d = mc.get(f"/api/v1/admin/enterprises/{uscc}", headers=world["authority"]).json
    assert d["enterprise"]["uscc"] == uscc and d["counts"]["registrations"] == 1
    assert d["staff"]["entries"][0]["person_id"] == world["a"]["person"]["id"]
    assert_error_shape(mc.get(f"/api/v1/admin/enterprises/{uscc}?page=9", headers=world["authority"]), 422,
                       "page_out_of_range")


@pytest.mark.parametrize("path", ["/api/v1/admin/persons/99999999", "/api/v1/admin/persons/0",
                                  "/api/v1/admin/enterprises/91320000000000000X", "/api/v1/admin/enterprises/x"])
def test_unknown_records_are_404(mc, world, path):
    assert assert_error_shape(mc.get(path, headers=world["authority"]), 404)["error"].endswith("not_found")


@pytest.mark.parametrize("role,extra", [("inspector", {}), ("holder", "a"), ("enterprise", "uscc")])
def test_no_other_role_may_read_the_register(mc, admin, world, role, extra):
    kw = {} if not extra else ({"person_id": world["a"]["person"]["id"]} if extra == "a"
                               else {"enterprise_uscc": world["a"]["employer"]["uscc"]})
    h = bearer_for(mc, admin, role, **kw)
    for path in ("/api/v1/admin/search?q=司马", f"/api/v1/admin/persons/{world['a']['person']['id']}",
                 f"/api/v1/admin/enterprises/{world['a']['employer']['uscc']}"):
        assert_error_shape(mc.get(path, headers=h), 403, "forbidden")
        assert_error_shape(mc.get(path), 401, "unauthorized")
