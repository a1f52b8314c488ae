"""The demo's 入库登记: plausible signature images (drawn strokes, approved through the real review), and a few
uploads waiting in the authority's queue, which the demo authority can decide."""
import io
import json

import numpy as np
from PIL import Image
from sqlalchemy import select

from backend.demo.first_start import seed_and_samples
from backend.demo.images import signature_mask, signature_strokes
from backend.demo.onboarding import make_demo_onboarding
from backend.extensions import db
from backend.models import ImageSubmission, Person
from tests.conftest import dispose, make_app


def test_signatures_are_drawn_from_the_seed_not_a_font():
    a, b = signature_strokes("王建国:110105197805120971", 3), signature_strokes("王建国:110105197805120971", 3)
    assert a == b and a != signature_strokes("王建国:110105197805120972", 3)        # deterministic, per person
    assert len({profile for _, profile, _ in a}) >= 2 and len(a) >= 6               # strokes with pressure
    mask = np.asarray(signature_mask("王建国:1", 3))
    assert mask.shape[1] > mask.shape[0] and 0.02 < (mask > 128).mean() < 0.3        # ink across, mostly paper
    assert len(np.unique(mask)) > 50                                                 # antialiased edges


def test_demo_signatures_and_review_queue(tmp_path):
    app = make_app(tmp_path, DEMO_DEFAULT=True)
    try:
        seed_and_samples(app, 200, seed=3)
        with app.app_context():
            s = db.session
            samples = s.scalars(select(Person).where(Person.phone.in_(("13900000000", "13900000001")))).all()
            assert len(samples) == 7 and all(p.signature for p in samples)      # six samples and the demo holder
            for p in samples:
                im = Image.open(io.BytesIO(p.signature))
                assert (im.format, im.mode, im.height) == ("PNG", "RGBA", 150)
            subs = s.scalars(select(ImageSubmission)).all()
            approved = [x for x in subs if x.state == "approved"]
            pending = sorted(x.kind for x in subs if x.state == "pending")
            assert pending == ["photo", "photo", "signature", "signature"]
            assert len(approved) >= 7 + 10 and all(x.kind == "signature" for x in approved)
            assert make_demo_onboarding(s, app.extensions["jz.clock"]) == {"signed": 0, "queued": 0}   # idempotent
            accounts = {a["username"]: a for a in json.loads(
                (tmp_path / "demo-samples.json").read_text(encoding="utf-8"))["accounts"]}
        c = app.test_client()
        token = c.post("/api/v1/auth/login", json={"username": "demo-authority",
                                                   "password": accounts["demo-authority"]["password"]}).json["access_token"]
        h = {"Authorization": f"Bearer {token}"}
        queue = c.get("/api/v1/image-submissions?state=pending", headers=h).json
        assert queue["total"] == 4
        first = queue["submissions"][0]
        assert c.get(first["image_url"], headers=h).status_code == 200
        done = c.post(f"/api/v1/image-submissions/{first['id']}/decide", headers=h, json={"decision": "approve"})
        assert done.status_code == 200 and done.json["decided_by"] == "authority:demo-authority"
    finally:
        dispose(app)
