"""The OpenAPI description (/api/v1/openapi.json) against the app itself, and its docs page (/api/docs)."""
from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import OpenAPIV31SpecValidator

from backend import create_app
from backend.services.checkdigits import id_check_char, uscc_check_char

METHODS = {"get", "put", "post", "delete", "patch"}
DOCUMENTED_PREFIXES = ("/api/", "/healthz", "/livez", "/readyz", "/metrics", "/.well-known/")
_VAR = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return create_app({"INSTANCE_PATH": str(tmp_path_factory.mktemp("oa")), "AUTO_INIT": True, "DEMO_PERSONS": 0})


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def spec(client):
    resp = client.get("/api/v1/openapi.json")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    return resp.get_json()


@pytest.fixture(scope="module")
def auth(app):
    return {"Authorization": f"Bearer {app.config['ADMIN_TOKEN']}"}


def openapi_paths(rule: str) -> list[str]:
    """Flask's `<int:x>`/`<x>` become `{x}`; `<any(a, b):x>` becomes one path per choice."""
    m = _VAR.search(rule)
    if m is None:
        return [rule]
    converter, args, name = m.groups()
    if converter == "any":
        choices = [a.strip().strip("'\"") for a in args.split(",")]
        return [p for c in choices for p in openapi_paths(rule[:m.start()] + c + rule[m.end():])]
    return openapi_paths(rule[:m.start()] + "{" + name + "}" + rule[m.end():])


def routed_operations(app) -> set[tuple[str, str]]:
    ops = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.startswith("web.") or not rule.rule.startswith(DOCUMENTED_PREFIXES):
            continue
        for path in openapi_paths(rule.rule):
            ops |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return ops


def operations(spec):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield path, method, op


def schema_validator(spec, name: str) -> Draft202012Validator:
    """A validator for one component schema, its $refs resolved against the whole document."""
    return Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": spec["components"]})


def assert_shape(spec, name: str, body) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in schema_validator(spec, name).iter_errors(body)]
    assert errors == [], f"{name}: {errors}"


def test_is_valid_openapi_3_1(spec):
    assert spec["openapi"].startswith("3.1")
    assert [str(e.message) for e in OpenAPIV31SpecValidator(spec).iter_errors()] == []


def test_every_route_is_described(app, spec):
    described = {(path, method) for path, method, _ in operations(spec)}
    routed = routed_operations(app)
    assert sorted(routed - described) == []
    pending = set() if "lookup" in app.blueprints else {("/api/v1/lookup", "get")}   # built in parallel
    assert sorted(described - routed - pending) == []


def test_every_operation_declares_its_errors_with_the_error_schema(spec):
    for path, method, op in operations(spec):
        errors = {code: r for code, r in op["responses"].items() if code[0] in "45"}
        assert errors, f"{method} {path} declares no error response"
        for code, r in errors.items():
            assert r["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}, (path, code)
        if op.get("security"):
            assert {"401", "403"} <= errors.keys(), f"{method} {path}"
        assert op["summary"] and " / " in op["summary"], f"{method} {path}: summary is 中文 / English"


def test_error_schema_is_the_one_error_shape(spec, client):
    assert spec["components"]["schemas"]["Error"]["required"] == ["error", "message", "message_en", "details"]
    for resp in (client.get("/api/v1/persons/1"), client.post("/api/v1/verify", json={}),
                 client.get("/api/v1/certificates/nope/qr.png", headers={"Authorization": "Bearer wrong"})):
        assert resp.status_code >= 400
        assert_shape(spec, "Error", resp.get_json())


def test_public_responses_match_their_schemas(spec, client):
    assert_shape(spec, "Health", client.get("/healthz").get_json())
    assert_shape(spec, "Jwks", client.get("/.well-known/jwks.json").get_json())
    assert_shape(spec, "StatusList", client.get("/api/v1/status-list").get_json())
    invalid = client.post("/api/v1/verify", json={"qr": "not a certificate"}).get_json()
    assert invalid["verdict"] == "invalid"
    assert_shape(spec, "VerifyResult", invalid)


def test_registry_and_verify_responses_match_their_schemas(spec, client, auth):
    uscc17 = "91110105MA0000001"
    ent = client.post("/api/v1/enterprises", headers=auth,
                      json={"name": "北京示例建设有限公司", "uscc": uscc17 + uscc_check_char(uscc17)})
    assert ent.status_code == 201, ent.get_json()
    assert_shape(spec, "Enterprise", ent.get_json())
    id17 = "11010519850307301"
    person = client.post("/api/v1/persons", headers=auth, json={"name": "王建国", "id_number": id17 + id_check_char(id17)})
    assert person.status_code == 201, person.get_json()
    assert_shape(spec, "Person", person.get_json())
    reg = client.post("/api/v1/registrations", headers=auth, json={
        "person_id": person.get_json()["id"], "enterprise_uscc": ent.get_json()["uscc"], "kind": "JZS1",
        "specialties": ["JZ"]})
    assert reg.status_code == 201, reg.get_json()
    assert_shape(spec, "Registration", reg.get_json())
    number = reg.get_json()["registration_number"]
    copy = client.post(f"/api/v1/registrations/{number}/copies", headers=auth)
    assert copy.status_code == 201, copy.get_json()
    assert_shape(spec, "Copy", copy.get_json())
    assert_shape(spec, "CopyList", client.get(f"/api/v1/registrations/{number}/copies", headers=auth).get_json())
    assert_shape(spec, "AuditEvents", client.get("/api/v1/audit", headers=auth).get_json())
    result = client.post("/api/v1/verify", json={"qr": copy.get_json()["qr"]}).get_json()
    assert result["verdict"] == "valid", result
    assert_shape(spec, "VerifyResult", result)


def test_docs_page_and_its_assets(client):
    page = client.get("/api/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "<title>建证 API 文档 / Jianzheng API</title>" in html
    assert "<script>" not in html and "<style" not in html and " style=" not in html   # nothing inline: CSP
    assert "'unsafe-inline'" not in page.headers["Content-Security-Policy"]
    assets = re.findall(r'(?:src|href)="(/api/docs/[^"]+)"', html)
    expected = {".js": "text/javascript", ".css": "text/css"}
    assert sorted(a.rsplit(".", 1)[-1] for a in assets) == ["css", "js", "js"]
    for url in assets:
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert resp.mimetype == expected["." + url.rsplit(".", 1)[-1]], (url, resp.mimetype)
    assert "/api/v1/openapi.json" in client.get("/api/docs/init.js").get_data(as_text=True)
    for name in ("LICENSE", "NOTICE", "VENDORED.md"):
        assert client.get(f"/api/docs/{name}").status_code == 200
    assert client.get("/api/docs/nope.js").get_json()["error"] == "not_found"
