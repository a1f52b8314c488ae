"""The daily job and the audit check from the command line (flask --app backend lapse / audit-verify)."""
import pytest
from sqlalchemy import select, text

from backend.extensions import db
from backend.models import AuditEvent
from tests import factories as f
from tests.conftest import dispose, make_app


@pytest.fixture()
def own_app(tmp_path):
    app = make_app(tmp_path)
    yield app
    dispose(app)


def test_lapse_command_cancels_registrations_of_a_bankrupt_employer(own_app):
    e = own_app.extensions
    with own_app.app_context():
        reg = f.registration(db.session, e["jz.catalogue"], e["jz.clock"])
        reg.enterprise.status = "bankrupt"
        db.session.commit()
        number = reg.registration_number
    res = own_app.test_cli_runner().invoke(args=["lapse"])
    assert res.exit_code == 0 and "employer_cancelled=1" in res.output, res.output
    with own_app.app_context():
        ev = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "registration.cancel",
                                                        AuditEvent.entity_id == number))
        assert ev.actor == "cli:lapse" and "bankrupt" in ev.data["reason"]


def test_audit_verify_names_the_first_broken_event(own_app):
    e = own_app.extensions
    with own_app.app_context():
        for _ in range(2):
            f.registration(db.session, e["jz.catalogue"], e["jz.clock"])
        db.session.commit()
        ids = db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()
    runner = own_app.test_cli_runner()
    ok = runner.invoke(args=["audit-verify"])
    assert ok.exit_code == 0 and f"{len(ids)} events" in ok.output
    victim = ids[2]
    with own_app.app_context():
        db.session.execute(text("UPDATE audit_events SET data = '{}' WHERE id = :i"), {"i": victim})
        db.session.commit()
    bad = runner.invoke(args=["audit-verify"])
    assert bad.exit_code == 1 and f"event {victim}" in bad.output, bad.output
    with own_app.app_context():        # a removed event: the one after it no longer links
        db.session.execute(text("DELETE FROM audit_events WHERE id = :i"), {"i": victim})
        db.session.commit()
    gone = runner.invoke(args=["audit-verify"])
    assert gone.exit_code == 1 and f"event {ids[3]}" in gone.output, gone.output
