"""The demo leaves work in the authority's queues (issue 13): renewals waiting for a decision in a province
that decides by review, photo and signature uploads waiting, 挂证 signals; and the dashboard counts them."""
from sqlalchemy import func, select

from backend.config import load_config
from backend.demo.first_start import seed_and_samples
from backend.extensions import db
from backend.models import Application, ImageSubmission
from backend.services.dashboard.charts import ChartContext, applications, decision_time, signals
from backend.services.workflows.types import State
from tests.conftest import dispose, make_app


def test_the_default_demo_leaves_work_in_the_queues(tmp_path):
    app = make_app(tmp_path, DEMO_DEFAULT=True)
    try:
        seed_and_samples(app, load_config(str(tmp_path))["DEMO_PERSONS"])       # the default demo size (10,000)
        with app.app_context():
            s = db.session
            waiting = s.scalars(select(Application).where(Application.state.in_(State.PENDING_DECISION))).all()
            assert len(waiting) >= 3
            assert {a.decision_mode for a in waiting} == {"review"}
            assert {a.enterprise.province_code for a in waiting} <= {"44"}       # DECISION_MODE's review province
            uploads = s.scalar(select(func.count()).select_from(ImageSubmission).where(ImageSubmission.state == "pending"))
            assert uploads >= 1
            c = ChartContext(s, app.extensions["jz.catalogue"], app.extensions["jz.clock"])
            assert applications(c)["pending_decision"] == len(waiting)
            assert sum(r["count"] for r in signals(c)["rows"]) > 0
            assert any(r["decided"] and r["median_hours"] is not None for r in decision_time(c)["rows"])
    finally:
        dispose(app)
