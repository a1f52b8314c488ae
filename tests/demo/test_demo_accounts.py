"""Demo accounts: an enterprise account for the largest enterprise, two authority accounts (four-eyes), fresh
passwords."""
from sqlalchemy import func, select

from backend.demo.samples import make_demo_accounts
from backend.demo.seed import seed_registry
from backend.models import Registration
from backend.services.accounts.logins import authenticate


def test_demo_accounts(session, svc):
    seed_registry(session, svc.catalogue, svc.clock, 300, seed=5)
    first = make_demo_accounts(session)
    assert [(a["role"], a["username"]) for a in first] == [("enterprise", "demo-enterprise"),
                                                           ("authority", "demo-authority"),
                                                           ("authority", "demo-approver")]
    ent_account = authenticate(session, svc.clock, "demo-enterprise", first[0]["password"])
    biggest = session.execute(select(Registration.enterprise_id, func.count()).group_by(Registration.enterprise_id)
                              .order_by(func.count().desc())).first()
    counts = dict(session.execute(select(Registration.enterprise_id, func.count()).group_by(Registration.enterprise_id)).all())
    assert counts[ent_account.enterprise_id] == biggest[1]
    again = make_demo_accounts(session)                 # e.g. demo-samples.json was deleted: new passwords
    assert again[1]["password"] != first[1]["password"]
    assert authenticate(session, svc.clock, "demo-authority", again[1]["password"]).role == "authority"
