"""flask import: the four templates in order, a summary line, a dry run, a report file, a failure's exit code."""
import csv
import io

import pytest
from openpyxl import load_workbook

from tests import import_files


@pytest.fixture(scope="module")
def runner(app):
    return app.test_cli_runner()


def write(tmp_path, kind, rows, name=None):
    p = tmp_path / (name or f"{kind}.csv")
    p.write_bytes(import_files.as_csv(import_files.table(kind, rows)))
    return str(p)


def test_import_in_order_with_summary_and_report(runner, tmp_path):
    reg = import_files.register(3)
    for kind in ("enterprises", "persons", "qualifications"):
        out = runner.invoke(args=["import", kind, write(tmp_path, kind, reg[kind])])
        assert out.exit_code == 0, out.output
        assert "inserted=3" in out.output and "refused=0" in out.output
    bad = {**reg["registrations"][0], "registration_number": "京2"}
    path = write(tmp_path, "registrations", reg["registrations"] + [bad])
    out = runner.invoke(args=["import", "registrations", path, "--dry-run", "--report", str(tmp_path / "r.csv")])
    assert out.exit_code == 0 and "dry run" in out.output and "inserted=3" in out.output and "refused=1" in out.output
    lines = list(csv.reader(io.StringIO((tmp_path / "r.csv").read_text("utf-8-sig"))))
    assert lines[1][:4] == ["5", "京2", "registration_number", "format"]
    out = runner.invoke(args=["import", "registrations", path, "--report", str(tmp_path / "r.xlsx")])
    assert "inserted=3" in out.output and "unchanged=0" in out.output
    ws = load_workbook(tmp_path / "r.xlsx").active
    assert [c.value for c in ws[2]][:3] == [5, "京2", "registration_number"]
    out = runner.invoke(args=["import", "registrations", path])
    assert "inserted=0" in out.output and "unchanged=3" in out.output


def test_a_bad_header_exits_1_naming_the_columns(runner, tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("身份证号,名字\n", encoding="utf-8")
    out = runner.invoke(args=["import", "persons", str(p)])
    assert out.exit_code == 1 and "bad_header" in out.output and "名字" in out.output
