"""The dossiers: a person's with copies current and superseded and the audit trail of everything that touched
them; an enterprise's with counts, signals and staff."""
from __future__ import annotations

import datetime as dt

import pytest

from backend.models import CopyStatus
from backend.services.enterprise.staff_warnings import WarningSettings
from backend.services.errors import NotFound
from backend.services.issuance import copies as issuance
from backend.services.register.dossiers import enterprise_dossier, person_dossier
from backend.services.registry import enterprises, persons, registrations
from tests import factories as f


@pytest.fixture()
def holder(session, svc):
    ent = enterprises.create_enterprise(session, svc.catalogue, name="档案测试建设有限公司", uscc=f.uscc(), actor="t")
    other = enterprises.create_enterprise(session, svc.catalogue, name="档案另一建设有限公司", uscc=f.uscc(), actor="t")
    p = persons.create_person(session, name="档案甲", id_number=f.id_number(dt.date(1985, 5, 6), "M"), actor="t")
    reg = registrations.create_registration(session, svc.catalogue, svc.clock, person_id=p.id, enterprise_uscc=ent.uscc,
                                            kind_code="JZS2", specialties=["JZ"], actor="t")
    issuance.issue_copy(session, svc.ring, svc.catalogue, svc.settings, svc.clock, reg.registration_number, "t")
    registrations.change_employer(session, svc.clock, reg.registration_number, other.uscc, "t")   # supersedes it
    issuance.issue_copy(session, svc.ring, svc.catalogue, svc.settings, svc.clock, reg.registration_number, "t")
    session.flush()
    return {"person": p, "reg": reg, "ent": ent, "other": other}


def test_the_person_dossier_holds_everything_and_its_trail(session, svc, holder):
    d = person_dossier(session, svc.catalogue, svc.clock, holder["person"].id)
    assert d["person"]["id_number"] == holder["person"].id_number          # in full
    (reg,) = d["registrations"]
    assert reg["employer"]["uscc"] == holder["other"].uscc
    assert [c["status"] for c in reg["copies"]] == [CopyStatus.CURRENT, CopyStatus.SUPERSEDED]   # newest first
    assert reg["specialties"][0]["code"] == "JZ" and reg["specialties"][0]["days_left"] > 0
    actions = [e["action"] for e in d["audit"]["events"]]
    for a in ("person.create", "registration.create", "copy.issue", "registration.change_employer", "copies.supersede"):
        assert a in actions, a
    assert d["audit"]["total"] == len(d["audit"]["events"])
    ids = [e["id"] for e in d["audit"]["events"]]
    assert ids == sorted(ids, reverse=True)
    assert d["signals"] == [] and d["applications"] == [] and d["submissions"] == []


def test_someone_elses_events_stay_out_of_the_trail(session, svc, holder):
    stranger = persons.create_person(session, name="档案乙", id_number=f.id_number(dt.date(1986, 7, 8), "F"), actor="t")
    d = person_dossier(session, svc.catalogue, svc.clock, holder["person"].id)
    assert not [e for e in d["audit"]["events"] if e["entity_type"] == "person" and e["entity_id"] == str(stranger.id)]


def test_the_enterprise_dossier_counts_its_staff(session, svc, holder):
    d = enterprise_dossier(session, svc.catalogue, svc.clock, WarningSettings(), holder["other"].uscc)
    assert d["enterprise"]["status"] == "active" and d["counts"]["registrations"] == 1 and d["counts"]["held"] == 1
    assert d["staff"]["entries"][0]["person_id"] == holder["person"].id
    assert d["counts"]["by_kind"] == [{"kind": "JZS2", "name": "二级注册建造师", "name_en": "Registered Constructor, Grade II",
                                       "count": 1}]
    assert [e["action"] for e in d["audit"]["events"]] == ["enterprise.create"]
    empty = enterprise_dossier(session, svc.catalogue, svc.clock, WarningSettings(), holder["ent"].uscc)
    assert empty["counts"]["registrations"] == 0 and empty["staff"]["entries"] == []


def test_unknown_records_are_404(session, svc):
    with pytest.raises(NotFound):
        person_dossier(session, svc.catalogue, svc.clock, 10**9)
    with pytest.raises(NotFound):
        enterprise_dossier(session, svc.catalogue, svc.clock, WarningSettings(), "91320000000000000X")
