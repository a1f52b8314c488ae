import datetime as dt

from sqlalchemy import update

from backend.models import Registration
from backend.services.registry import registrations
from tests import factories as f


def test_serials_continue_and_ignore_longer_numbers_of_the_same_prefix(session, svc):
    ent = f.enterprise(session, svc.catalogue, region="110105")
    first = f.registration(session, svc.catalogue, svc.clock, ent=ent, kind="JZS1", specialties=("JZ",))
    prefix = first.registration_number[:-5]
    # A 17-character number of Beijing's newer format starting with the same characters.
    other = f.registration(session, svc.catalogue, svc.clock, ent=ent, kind="JZS1", specialties=("JZ",))
    session.execute(update(Registration).where(Registration.id == other.id)
                    .values(registration_number=prefix + "999999999"))
    third = f.registration(session, svc.catalogue, svc.clock, ent=ent, kind="JZS1", specialties=("JZ",))
    assert len(third.registration_number) == 13
    assert int(third.registration_number[-5:]) == int(first.registration_number[-5:]) + 1


def test_change_employer_moves_every_kind_together(session, svc):
    p = f.person(session, birth=dt.date(1980, 1, 1))
    ent = f.enterprise(session, svc.catalogue)
    a = f.registration(session, svc.catalogue, svc.clock, p=p, ent=ent)
    b = f.registration(session, svc.catalogue, svc.clock, p=p, ent=ent, kind="AQB", specialties=("B",))
    new = f.enterprise(session, svc.catalogue)
    registrations.change_employer(session, svc.clock, a.registration_number, new.uscc, "test")
    session.refresh(b)
    assert a.enterprise_id == b.enterprise_id == new.id
