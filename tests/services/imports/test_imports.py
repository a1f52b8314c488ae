"""Imports through the real runner: a good file in, the same file again (nothing changes), changed rows
(updated, copies superseded, audited), every rule's refusal with its line and field, GB18030 and XLSX, a dry
run that stores nothing, and header errors."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select

from backend.models import AuditEvent, CertificateCopy, Enterprise, Person, Qualification, Registration
from backend.services.imports.errors import ImportHeaderError
from backend.services.imports.reader import open_source
from backend.services.issuance.copies import issue_copy
from tests import import_files


def audit_count(session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent))


def reg_of(session, number) -> Registration:
    session.expire_all()
    return session.scalar(select(Registration).where(Registration.registration_number == number))


def test_a_good_file_goes_in_with_the_registry_facts(session, world):
    row = world["registrations"][0]
    reg = reg_of(session, row["registration_number"])
    assert reg.person.id_number == row["id_number"] and reg.enterprise.uscc == row["enterprise_uscc"]
    assert reg.status == "active" and reg.province_code == "11" and reg.seal_counter == 1
    [spec] = reg.specialties
    assert (spec.specialty_code, spec.valid_from.isoformat(), spec.valid_until.isoformat(), spec.status) == \
        ("JZ", row["valid_from"], row["valid_until"], "active")
    p = reg.person
    assert p.birth_date == dt.date(int(p.id_number[6:10]), int(p.id_number[10:12]), int(p.id_number[12:14]))
    assert p.sex == ("M" if int(p.id_number[16]) % 2 else "F")
    q = session.scalar(select(Qualification).where(Qualification.person_id == p.id))
    assert (q.kind_code, q.specialty_code, q.issued_on) == ("JZS2", "JZ", dt.date(2015, 6, 30))


def test_the_same_file_again_changes_nothing(session, run, world):
    before = audit_count(session)
    for kind in ("enterprises", "persons", "qualifications", "registrations"):
        b = run(kind, world[kind])
        assert (b.state, b.inserted, b.updated, b.unchanged, b.refused) == ("done", 0, 0, 4, 0), kind
    session.expire_all()
    assert audit_count(session) == before + 4          # the four batch events, nothing else
    events = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(4)).all()
    assert {e.action for e in events} == {"import.batch"}


def test_a_changed_row_updates_supersedes_and_audits(session, run, world, svc):
    row, other = world["registrations"][0], world["registrations"][1]
    copy = issue_copy(session, svc.ring, svc.catalogue, svc.settings, svc.clock, row["registration_number"], "test")
    session.commit()
    moved = {**row, "enterprise_uscc": other["enterprise_uscc"], "seal_counter": "02"}
    b = run("registrations", [moved] + world["registrations"][1:])
    assert (b.inserted, b.updated, b.unchanged, b.refused) == (0, 1, 3, 0)
    reg = reg_of(session, row["registration_number"])
    assert reg.enterprise.uscc == other["enterprise_uscc"] and reg.seal_counter == 2 and reg.version == 2
    assert session.get(CertificateCopy, copy.id).status == "superseded"
    ev = session.scalars(select(AuditEvent).where(AuditEvent.action == "registration.import",
                                                  AuditEvent.entity_id == row["registration_number"])).all()[-1]
    assert ev.data["changes"]["enterprise"] == {"from": ev.data["changes"]["enterprise_id"]["from"],
                                                "to": other["enterprise_uscc"]}
    assert ev.data["changes"]["seal_counter"] == {"from": 1, "to": 2} and ev.data["import_batch"] == b.id
    batch_ev = session.scalars(select(AuditEvent).where(AuditEvent.action == "import.batch")
                               .order_by(AuditEvent.id.desc())).first()
    assert (batch_ev.entity_id, batch_ev.data["updated"], batch_ev.data["unchanged"]) == (str(b.id), 1, 3)
    # a new name: the person's record changes and every copy of theirs is superseded, as a change of name does
    p = world["persons"][1]
    copy2 = issue_copy(session, svc.ring, svc.catalogue, svc.settings, svc.clock, other["registration_number"], "t")
    session.commit()
    b = run("persons", [{**p, "name": "王新名"}])
    assert (b.updated, b.unchanged) == (1, 0)
    session.expire_all()
    assert session.scalar(select(Person.name).where(Person.id_number == p["id_number"])) == "王新名"
    assert session.get(CertificateCopy, copy2.id).status == "superseded"
    # an ended status revokes the copies, as registry.set_status does
    copy3 = issue_copy(session, svc.ring, svc.catalogue, svc.settings, svc.clock, other["registration_number"], "t")
    session.commit()
    b = run("registrations", [{**other, "status": "注销", "status_reason": "单位申请"}])
    assert b.updated == 1
    session.expire_all()
    assert session.get(CertificateCopy, copy3.id).status == "revoked"
    assert {s.status for s in reg_of(session, other["registration_number"]).specialties} == {"cancelled"}


def test_enterprise_and_qualification_changes(session, run, world):
    e = world["enterprises"][2]
    b = run("enterprises", [{**e, "status": "破产", "short_name": "新简称"}])
    assert (b.updated, b.unchanged) == (1, 0)
    session.expire_all()
    ent = session.scalar(select(Enterprise).where(Enterprise.uscc == e["uscc"]))
    assert (ent.status, ent.short_name) == ("bankrupt", "新简称")
    q = world["qualifications"][2]
    b = run("qualifications", [{**q, "certificate_no": "Q-NEW"}, {**q, "specialty": "市政公用工程"}])
    assert (b.inserted, b.updated) == (1, 1)


def refusals(batch, session):
    from backend.services.imports.batches import rejects
    return {line: [(p["field"], p["code"]) for p in problems] for line, _key, problems in rejects(session, batch.id)}


def test_each_rule_refuses_its_row_with_line_and_field(session, run, world, svc):
    good = world["registrations"][2]
    ent_b = world["enterprises"][3]["uscc"]
    bad_id = good["id_number"][:17] + ("0" if good["id_number"][17] != "0" else "1")
    today = svc.clock.today()
    rows = [
        {**good, "id_number": bad_id},                                                      # 2 check character
        {**good, "enterprise_uscc": good["enterprise_uscc"][:17] + "0"
         if good["enterprise_uscc"][17] != "0" else good["enterprise_uscc"][:17] + "1"},   # 3 credit code
        {**good, "registration_number": "京21115"},                                          # 4 number format
        {**good, "kind": "XYZ"},                                                             # 5 kind
        {**good, "specialties": "不存在的专业"},                                               # 6 specialty
        {**good, "valid_from": "2024-02-30"},                                                # 7 date
        {**good, "valid_until": (today + dt.timedelta(days=3000)).isoformat()},              # 8 period
        {**good, "id_number": import_files.register(1)["persons"][0]["id_number"]},          # 9 person unknown
        {**good, "enterprise_uscc": import_files.register(1)["enterprises"][0]["uscc"]},     # 10 enterprise unknown
        {**good, "specialties": "市政公用工程"},                                               # 11 no qualification
        {**good, "registration_number": "京2111516" + "99999", "kind": "JZS2",
         "enterprise_uscc": ent_b},                                                          # 12 another employer
        {**good, "registration_number": "京2111516" + "99998"},                               # 13 same kind twice
        {**good, "status": "未知"},                                                           # 14 status
    ]
    b = run("registrations", rows)
    got = refusals(b, session)
    assert b.refused == 13 and b.inserted == 0
    assert got[2] == [("id_number", "checksum")]
    assert got[3] == [("enterprise_uscc", "checksum")]
    assert got[4] == [("registration_number", "format")]
    assert ("kind", "choice") in got[5]
    assert got[6] == [("specialties", "choice")]
    assert got[7] == [("valid_from", "date")]
    assert got[8] == [("valid_until", "period")]
    assert got[9] == [("id_number", "person_not_found")]
    assert got[10] == [("enterprise_uscc", "enterprise_not_found")]
    assert got[11] == [("specialties", "qualification_missing")]
    assert got[12] == [("enterprise_uscc", "employer_conflict")]
    assert got[13] == [("kind", "already_registered")]
    assert got[14] == [("status", "choice")]


def test_person_rows_checked_against_their_id_number(session, run):
    p = import_files.register(1)["persons"][0]
    b = run("persons", [{**p, "sex": "男" if p["id_number"][16] in "02468" else "女"},
                        {**p, "birth_date": "1900-01-01"}, {**p, "phone": "12345"}, {**p, "name": "<b>x</b>"},
                        {**p, "id_number": "1234567890.0"}])
    got = refusals(b, session)
    assert got == {2: [("sex", "mismatch")], 3: [("birth_date", "mismatch")], 4: [("phone", "format")],
                   5: [("name", "format")], 6: [("id_number", "excel_number")]}


@pytest.mark.parametrize("form", ["gb18030", "xlsx"])
def test_gb18030_and_xlsx(session, run, form):
    reg = import_files.register(2)
    if form == "xlsx":
        b = run("enterprises", reg["enterprises"], suffix=".xlsx")
        assert (b.file_type, b.inserted) == ("xlsx", 2)
    else:
        b = run("enterprises", reg["enterprises"], encoding="gb18030")
        assert (b.file_type, b.encoding, b.inserted) == ("csv", "gb18030", 2)
    session.expire_all()
    names = set(session.scalars(select(Enterprise.name).where(Enterprise.uscc.in_([e["uscc"] for e in reg["enterprises"]]))))
    assert names == {e["name"] for e in reg["enterprises"]}


def test_a_dry_run_checks_everything_and_stores_nothing(session, run):
    reg = import_files.register(3)
    before = audit_count(session)
    bad = {**reg["enterprises"][0], "uscc": "91110108551385082A"}
    b = run("enterprises", reg["enterprises"] + reg["enterprises"][:1] + [bad], dry_run=True, batch_rows=2)
    assert (b.state, b.dry_run, b.inserted, b.unchanged, b.refused) == ("done", True, 3, 1, 1)
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Enterprise)
                          .where(Enterprise.uscc.in_([e["uscc"] for e in reg["enterprises"]]))) == 0
    assert audit_count(session) == before


def test_batches_of_one_row_give_the_same_answer(session, run):
    reg = import_files.register(3)
    for kind in ("enterprises", "persons", "qualifications"):
        run(kind, reg[kind], batch_rows=1)
    b = run("registrations", reg["registrations"] * 2, batch_rows=1)
    assert (b.inserted, b.unchanged, b.refused, b.rows_done) == (3, 3, 0, 6)


def test_header_errors_name_the_columns(session, run, tmp_path):
    lines = import_files.table("persons", [], header=["身份证号", "名字", "性别"])
    path = tmp_path / "p.csv"
    path.write_bytes(import_files.as_csv(lines))
    with pytest.raises(ImportHeaderError) as e:
        open_source(path, "persons")
    assert e.value.details["missing"] == ["姓名(name)"] and e.value.details["unknown"] == ["名字"]
    b = run("persons", import_files.as_csv(lines))
    assert b.state == "failed" and b.error["code"] == "bad_header" and "名字" in b.error["message"]
    # the English keys name the columns too
    ok = import_files.table("persons", import_files.register(1)["persons"], header=["id_number", "name", "sex",
                                                                                      "birth_date", "phone"])
    assert run("persons", import_files.as_csv(ok)).inserted == 1


def test_unreadable_files_fail_the_batch(run):
    b = run("persons", b"\xff\xfe\x00\x00garbage" + bytes(range(256)) * 10)
    assert b.state == "failed" and b.error["code"] in ("unsupported_media_type", "bad_header")
    b = run("persons", b"PK\x03\x04not a zip", suffix=".xlsx")
    assert b.state == "failed" and b.error["code"] == "unsupported_media_type"


def test_settings_from_config():
    from backend.services.imports.batches import ImportSettings
    s = ImportSettings.from_config({"IMPORT_MAX_BYTES": 10, "IMPORT_BATCH_ROWS": 7})
    assert dataclasses.astuple(s)[:2] == (10, 7)


def test_reading_ahead_hands_on_the_reader_s_error():
    from backend.services.imports.runner import ahead

    def rows():
        yield 1
        raise ValueError("broken file")
    got = []
    with pytest.raises(ValueError, match="broken file"):
        for x in ahead(rows()):
            got.append(x)
    assert got == [1]


def test_a_crash_mid_import_leaves_the_batch_failed_never_done(session, run, monkeypatch):
    from backend.services.imports import kinds_basic

    def boom(self, ctx, items):
        raise RuntimeError("worker died")
    monkeypatch.setattr(kinds_basic.EnterpriseBatch, "apply", boom)
    with pytest.raises(RuntimeError):
        run("enterprises", import_files.register(2)["enterprises"])
    session.expire_all()
    from backend.models import ImportBatch
    b = session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc())).first()
    assert b.state == "failed" and b.error["code"] == "internal_error" and b.finished_at is not None
