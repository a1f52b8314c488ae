"""The core commands: keys rotate/list, issue, seed-demo, init-db (run through Flask's CLI runner)."""
import json
from pathlib import Path

import pytest

from backend.extensions import db
from tests import factories as f
from tests.conftest import dispose, make_app


@pytest.fixture()
def own_app(tmp_path):
    app = make_app(tmp_path)
    yield app
    dispose(app)


def test_keys_rotate_keeps_old_public_keys(own_app):
    runner = own_app.test_cli_runner()
    before = own_app.extensions["jz.keystore"].get().current_kid
    res = runner.invoke(args=["keys", "rotate"])
    assert res.exit_code == 0 and before in res.output
    listed = runner.invoke(args=["keys", "list"]).output
    assert f"{before}  (retired)" in listed and "(current)" in listed
    jwks = own_app.test_client().get("/.well-known/jwks.json").json
    assert len(jwks["keys"]) == 2 and jwks["keys"][0]["kid"] != before
    assert not (Path(own_app.config["KEY_DIR"]) / f"{before}.key.pem").exists()


def test_issue_command(own_app):
    e = own_app.extensions
    with own_app.app_context():
        reg = f.registration(db.session, e["jz.catalogue"], e["jz.clock"])
        db.session.commit()
        number = reg.registration_number
    runner = own_app.test_cli_runner()
    res = runner.invoke(args=["issue", number])
    assert res.exit_code == 0 and "/V#" in res.output
    qr = res.output.strip().splitlines()[-1]
    assert own_app.test_client().post("/api/v1/verify", json={"qr": qr}).json["verdict"] == "valid"
    assert runner.invoke(args=["issue", "苏000000000000"]).exit_code == 1


def test_seed_demo_writes_samples(own_app):
    res = own_app.test_cli_runner().invoke(args=["seed-demo", "--persons", "300"])
    assert res.exit_code == 0, res.output
    data = json.loads((Path(own_app.instance_path) / "demo-samples.json").read_text())
    labels = {s["label"] for s in data["samples"]}
    assert {"valid", "expired", "lapsed", "superseded", "suspended", "revoked"} <= labels
    c = own_app.test_client()
    for s in data["samples"]:
        assert (Path(own_app.instance_path) / s["png"]).exists()
        assert c.post("/api/v1/verify", json={"qr": s["qr"]}).json["verdict"] == s["label"]


def test_init_db_is_idempotent(own_app):
    runner = own_app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert runner.invoke(args=["init-db"]).exit_code == 0
