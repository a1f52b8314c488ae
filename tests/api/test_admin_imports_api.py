"""POST /api/v1/admin/imports and its batch, report and templates: an upload runs in a thread of the app (joined
here), its progress and counts read back, the report downloaded as CSV and XLSX; clear 4xx for a wrong kind, an
unreadable file, wrong headers, a file too large."""
from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from tests import import_files
from tests.api.helpers import assert_error_shape


def upload(app, mc, admin, kind, data: bytes, *, name="f.csv", dry_run=None, wait=True):
    form = {"kind": kind, "file": (io.BytesIO(data), name)}
    if dry_run is not None:
        form["dry_run"] = dry_run
    r = mc.post("/api/v1/admin/imports", headers=admin, data=form, content_type="multipart/form-data")
    if r.status_code == 202 and wait:
        app.extensions["jz.import_threads"][r.json["id"]].join(60)
        return mc.get(f"/api/v1/admin/imports/{r.json['id']}", headers=admin)
    return r


def csv_of(kind, rows):
    return import_files.as_csv(import_files.table(kind, rows))


def test_upload_progress_counts_and_report(app, mc, admin):
    reg = import_files.register(3)
    for kind in ("enterprises", "persons", "qualifications"):
        r = upload(app, mc, admin, kind, csv_of(kind, reg[kind]))
        assert r.status_code == 200 and r.json["state"] == "done", r.json
        assert r.json["counts"] == {"inserted": 3, "updated": 0, "unchanged": 0, "refused": 0}
    bad = {**reg["registrations"][0], "registration_number": "京2X", "valid_from": "2020-13-01"}
    data = import_files.as_xlsx(import_files.table("registrations", reg["registrations"] + [bad]))
    r = upload(app, mc, admin, "registrations", data, name="regs.xlsx", dry_run="true")
    b = r.json
    assert (b["state"], b["dry_run"], b["file_type"], b["rows_done"], b["rows_total"]) == ("done", True, "xlsx", 4, 4)
    assert b["counts"] == {"inserted": 3, "updated": 0, "unchanged": 0, "refused": 1}
    [row] = b["refused_rows"]
    assert row["line"] == 5 and [p["field"] for p in row["problems"]] == ["registration_number", "valid_from"]
    assert all(p["message"] and p["message_en"] for p in row["problems"])
    rep = mc.get(b["links"]["csv"], headers=admin)
    assert rep.status_code == 200 and rep.headers["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(rep.data.decode("utf-8-sig"))))
    assert lines[1][:4] == ["5", "京2X", "registration_number;valid_from", "format;date"]
    rep = mc.get(b["links"]["xlsx"], headers=admin)
    ws = load_workbook(io.BytesIO(rep.data)).active
    assert [c.value for c in ws[2]][:3] == [5, "京2X", "registration_number;valid_from"]
    r = upload(app, mc, admin, "registrations", data, name="regs.xlsx")      # for real now
    assert r.json["counts"]["inserted"] == 3 and r.json["dry_run"] is False
    listed = mc.get("/api/v1/admin/imports", headers=admin).json["batches"]
    assert listed[0]["id"] == r.json["id"] and listed[1]["dry_run"] is True


def test_templates_download(mc, admin):
    r = mc.get("/api/v1/admin/import-templates/registrations?format=csv", headers=admin)
    head = next(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert r.status_code == 200 and head[:3] == ["注册编号", "身份证号", "证书类别"]
    r = mc.get("/api/v1/admin/import-templates/persons?format=xlsx", headers=admin)
    ws = load_workbook(io.BytesIO(r.data)).active
    assert [c.value for c in ws[1]][:2] == ["身份证号", "姓名"] and ws["A2"].value == "110105198503120020"
    r = mc.get("/api/v1/admin/import-templates/nope", headers=admin)
    assert r.status_code == 404 and r.json["error"] == "unknown_import_kind"


def test_clear_errors(app, mc, admin):
    r = upload(app, mc, admin, "people", b"x")
    assert r.status_code == 422 and "kind" in r.json["details"]["fields"]
    r = upload(app, mc, admin, "persons", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, name="old.xls")
    assert r.status_code == 415 and r.json["error"] == "unsupported_media_type"
    r = upload(app, mc, admin, "persons", "身份证号,名字,生日\n".encode())
    assert r.status_code == 422 and r.json["error"] == "bad_header"
    assert r.json["details"]["missing"] == ["姓名(name)"] and r.json["details"]["unknown"] == ["名字", "生日"]
    assert "名字" in r.json["message"] and "名字" in r.json["message_en"]
    r = upload(app, mc, admin, "persons", b"")
    assert r.status_code == 422 and r.json["error"] == "empty_file"
    app.config["IMPORT_MAX_BYTES"] = 100
    try:
        r = upload(app, mc, admin, "persons", b"a" * 200)
        assert r.status_code == 413 and r.json["error"] == "file_too_large"
    finally:
        app.config["IMPORT_MAX_BYTES"] = 200 * 1024 * 1024
    r = mc.get("/api/v1/admin/imports/999999", headers=admin)
    assert_error_shape(r, 404, "import_not_found")


def test_a_batch_without_heartbeat_shows_interrupted(app, mc, admin):
    import datetime as dt

    from backend.extensions import db
    from backend.models import ImportBatch
    with app.app_context():
        b = ImportBatch(kind="persons", state="running", dry_run=False, file_name="x.csv", size_bytes=1,
                        created_by="test", created_at=dt.datetime(2020, 1, 1), heartbeat_at=dt.datetime(2020, 1, 1))
        db.session.add(b)
        db.session.commit()
        bid = b.id
    assert mc.get(f"/api/v1/admin/imports/{bid}", headers=admin).json["state"] == "interrupted"
    # the next import records it, and is not refused as if that one were still running
    r = upload(app, mc, admin, "enterprises", csv_of("enterprises", import_files.register(1)["enterprises"]))
    assert r.json["state"] == "done"
    with app.app_context():
        assert db.session.get(ImportBatch, bid).state == "interrupted"
