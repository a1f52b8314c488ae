"""make run's demo: demo-samples.json lists the demo logins on the demo default only."""
import json

import pytest

from backend.demo.first_start import seed_and_samples
from tests.conftest import dispose, make_app


@pytest.mark.parametrize("demo_default", [True, False])
def test_accounts_only_on_the_demo_default(tmp_path, demo_default):
    app = make_app(tmp_path, DEMO_DEFAULT=demo_default)
    try:
        seed_and_samples(app, 200, seed=3)
        data = json.loads((tmp_path / "demo-samples.json").read_text(encoding="utf-8"))
        assert len(data["samples"]) == 7
        if not demo_default:
            assert data["accounts"] == []
            return
        assert [(a["role"], a["username"]) for a in data["accounts"]] == [("enterprise", "demo-enterprise"),
                                                                          ("authority", "demo-authority"),
                                                                          ("authority", "demo-approver"),
                                                                          ("holder", "demo-holder")]
        c = app.test_client()
        tokens = {}
        for a in data["accounts"]:
            r = c.post("/api/v1/auth/login", json={"username": a["username"], "password": a["password"]})
            assert r.status_code == 200 and r.json["role"] == a["role"]
            tokens[a["role"]] = {"Authorization": f"Bearer {r.json['access_token']}"}
        h = tokens["authority"]
        ent = c.post("/api/v1/auth/login", json={"username": "demo-enterprise",
                                                  "password": data["accounts"][0]["password"]}).json["access_token"]
        staff = c.get("/api/v1/enterprise/staff", headers={"Authorization": f"Bearer {ent}"}).json
        assert staff["total"] > 6 and any(s["warnings"] for s in staff["staff"])      # a long roster, with warnings
        assert c.get(f"/api/v1/enterprise/warnings?uscc={staff['enterprise']['uscc']}", headers=h).status_code == 200
        # the demo holder renews through the workflow, confirmed by the demo enterprise
        holder = tokens["holder"]
        number = c.get("/api/v1/lookup?q=赵延续").json["results"][0]["registration_number"]
        a = c.post("/api/v1/applications", headers=holder, json={"type": "renewal", "registration_number": number,
                                                                  "cpd_commitment": True})
        assert a.status_code == 201, a.json
        a = c.post(f"/api/v1/applications/{a.json['id']}/submit", headers=holder).json
        a = c.post(f"/api/v1/applications/{a['id']}/confirm", headers={"Authorization": f"Bearer {ent}"}).json
        if a["state"] == "confirmed":       # a province with a review queue
            a = c.post(f"/api/v1/applications/{a['id']}/decide", headers=h, json={"decision": "approve"}).json
        assert a["state"] == "approved" and a["result"]["copy_id"], a
    finally:
        dispose(app)
