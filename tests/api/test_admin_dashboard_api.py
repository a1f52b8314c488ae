"""GET /api/v1/admin/dashboard and its CSV downloads: the shape, numbers that agree with the database, the
verifications counted by the verify endpoint, the cache, the CSV for Excel, and who may see it."""
import csv
import io

import pytest
from sqlalchemy import text

from backend.extensions import db
from backend.models import RegStatus
from tests.api.helpers import assert_error_shape, issue, make_registration
from tests.api.login_helpers import bearer_for

CHARTS = {"by_kind", "by_status", "by_city", "expiring", "applications", "decision_time", "signals",
          "copies_per_day", "verifications_per_day"}


@pytest.fixture(scope="module")
def world(app):
    c, auth = app.test_client(), {"Authorization": f"Bearer {app.config['ADMIN_TOKEN']}"}
    a = make_registration(c, auth, name="王建国")
    make_registration(c, auth, name="李秀英", kind="JZS1", specialties=("JZ",))
    copy = issue(c, auth, a["registration_number"])
    for _ in range(3):
        assert c.post("/api/v1/verify", json={"qr": copy["qr"]}).status_code == 200
    assert c.post("/api/v1/verify", json={"qr": "not a certificate"}).status_code == 200
    return {"a": a, "copy": copy}


def _sql(app, q):
    with app.app_context():
        return db.session.execute(text(q)).all()


def test_the_numbers_agree_with_the_database(app, client, auth, world):
    r = client.get("/api/v1/admin/dashboard?fresh=1", headers=auth)
    assert r.status_code == 200, r.json
    assert r.headers["Cache-Control"] == "no-store"
    body = r.json
    assert set(body["charts"]) == CHARTS and body["as_of"].endswith("Z") and body["cache_seconds"] > 0
    ch = body["charts"]
    by_status = {row["status"]: row["count"] for row in ch["by_status"]["rows"]}
    assert by_status == dict.fromkeys(RegStatus.ALL, 0) | dict(_sql(app, "SELECT status, count(*) FROM registrations "
                                                                        "GROUP BY status"))
    kinds = {row["kind"]: row["total"] for row in ch["by_kind"]["rows"]}
    assert kinds == dict(_sql(app, "SELECT kind_code, count(*) FROM registrations GROUP BY kind_code"))
    cities = {row["code"]: row["total"] for row in ch["by_city"]["rows"]}
    assert cities == dict(_sql(app, "SELECT substr(e.uscc, 3, 4), count(*) FROM registrations r JOIN enterprises e "
                                    "ON e.id = r.enterprise_id GROUP BY 1"))
    assert sum(r["count"] for r in ch["copies_per_day"]["rows"]) == _sql(app, "SELECT count(*) FROM certificate_copies")[0][0]
    today = ch["verifications_per_day"]["rows"][-1]
    assert (today["valid"], today["invalid"], today["total"]) == (3, 1, 4)
    assert len(ch["verifications_per_day"]["rows"]) == len(ch["copies_per_day"]["rows"]) == 30


def test_an_answer_is_cached_unless_fresh_is_asked(app, client, auth, world):
    first = client.get("/api/v1/admin/dashboard?fresh=1", headers=auth).json
    make_registration(client, auth, name="张志强")
    cached = client.get("/api/v1/admin/dashboard", headers=auth).json
    assert cached == first
    fresh = client.get("/api/v1/admin/dashboard?fresh=true", headers=auth).json
    total = sum(r["count"] for r in fresh["charts"]["by_status"]["rows"])
    assert total == sum(r["count"] for r in first["charts"]["by_status"]["rows"]) + 1


def test_each_chart_downloads_as_csv_for_excel(client, auth, world):
    answer = client.get("/api/v1/admin/dashboard", headers=auth).json
    for name in CHARTS:
        r = client.get(f"/api/v1/admin/dashboard/{name}.csv", headers=auth)
        assert r.status_code == 200, (name, r.data[:200])
        assert r.headers["Content-Type"].startswith("text/csv") and "attachment" in r.headers["Content-Disposition"]
        assert r.data.startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
        assert any("\u4e00" <= ch <= "\u9fff" for ch in "".join(rows[0])), rows[0]      # Chinese headers
        assert len(rows) - 1 == len(answer["charts"][name]["rows"])
    rows = list(csv.reader(io.StringIO(client.get("/api/v1/admin/dashboard/by_kind.csv", headers=auth)
                                       .data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["类别代码", "类别", "合计"]
    assert {r[0]: int(r[2]) for r in rows[1:]} == {r["kind"]: r["total"] for r in answer["charts"]["by_kind"]["rows"]}


def test_an_unknown_chart_is_a_404(client, auth):
    assert_error_shape(client.get("/api/v1/admin/dashboard/nothing.csv", headers=auth), 404, "chart_not_found")


@pytest.mark.parametrize("role", ["inspector", "holder", "enterprise"])
def test_only_the_authority_sees_it(client, auth, world, role):
    extra = {"person_id": world["a"]["person"]["id"]} if role == "holder" else \
        {"enterprise_uscc": world["a"]["employer"]["uscc"]} if role == "enterprise" else {}
    h = bearer_for(client, auth, role, **extra)
    assert_error_shape(client.get("/api/v1/admin/dashboard", headers=h), 403, "forbidden")
    assert_error_shape(client.get("/api/v1/admin/dashboard/by_kind.csv", headers=h), 403, "forbidden")
    assert_error_shape(client.get("/api/v1/admin/dashboard"), 401)
    authority = bearer_for(client, auth, "authority")
    assert client.get("/api/v1/admin/dashboard", headers=authority).status_code == 200
