"""A holder's own registrations and copies, and who may have a copy: someone else's answers as an unknown one."""
import pytest

from backend.models import CopyStatus
from backend.services.issuance import copies
from backend.services.issuance.errors import CopyNotFound, OwnRegistrationNotFound
from tests import factories as f


def _issue(session, svc, reg, clock=None):
    return copies.issue_copy(session, svc.ring, svc.catalogue, svc.settings, clock or svc.clock,
                             reg.registration_number, "test")


def test_own_registrations_carry_their_newest_current_copy(session, svc):
    reg = f.registration(session, svc.catalogue, svc.clock)
    other = f.registration(session, svc.catalogue, svc.clock, p=reg.person, ent=reg.enterprise, kind="AQB",
                           specialties=("B",))
    assert copies.own_registrations(session, reg.person_id) == [(reg, None), (other, None)]
    _issue(session, svc, reg)
    newer = _issue(session, svc, reg)
    assert copies.own_registrations(session, reg.person_id) == [(reg, newer), (other, None)]
    newer.status = CopyStatus.SUPERSEDED
    assert copies.own_registrations(session, reg.person_id)[0][1].version == 1


def test_a_copy_of_someone_elses_registration_is_not_found(session, svc):
    mine, theirs = f.registration(session, svc.catalogue, svc.clock), f.registration(session, svc.catalogue, svc.clock)
    c = copies.issue_own_copy(session, svc.ring, svc.catalogue, svc.settings, svc.clock, mine.registration_number,
                              mine.person_id, "test")
    assert c.registration_id == mine.id
    for number in (theirs.registration_number, "nope"):
        with pytest.raises(OwnRegistrationNotFound) as e:
            copies.issue_own_copy(session, svc.ring, svc.catalogue, svc.settings, svc.clock, number, mine.person_id,
                                  "test")
        assert (e.value.code, e.value.message) == ("registration_not_found", "未找到您的该项注册")


@pytest.mark.parametrize("role,mine,entitled", [
    ("authority", False, True), ("holder", True, True), ("holder", False, False), ("enterprise", True, True),
    ("enterprise", False, False), ("inspector", True, False)])
def test_who_may_have_a_copy(session, svc, role, mine, entitled):
    reg = f.registration(session, svc.catalogue, svc.clock)
    c = _issue(session, svc, reg)
    who = {"person_id": reg.person_id if mine else -1, "enterprise_id": reg.enterprise_id if mine else -1}
    if entitled:
        assert copies.entitled_copy(session, c.public_id, role=role, **who) is c
    else:
        with pytest.raises(CopyNotFound):
            copies.entitled_copy(session, c.public_id, role=role, **who)
    with pytest.raises(CopyNotFound):
        copies.entitled_copy(session, "zzzzzzzz", role="authority", person_id=None, enterprise_id=None)
