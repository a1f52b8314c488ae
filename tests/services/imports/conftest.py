"""Imports need committed data (each batch commits): files written to the test's tmp dir, run through the real
runner on the module's database."""
from __future__ import annotations

import pytest

from backend.services.imports.batches import ImportSettings, create_batch
from backend.services.imports.runner import run_import
from tests import import_files


@pytest.fixture()
def run(session, svc, tmp_path):
    """run(kind, rows or bytes, dry_run=False, suffix='.csv', batch_rows=5000) -> the finished batch."""
    def go(kind, data, *, dry_run=False, suffix=".csv", batch_rows=5000, encoding="utf-8-sig"):
        if not isinstance(data, bytes):
            lines = import_files.table(kind, data)
            data = import_files.as_xlsx(lines) if suffix == ".xlsx" else import_files.as_csv(lines, encoding)
        path = tmp_path / f"{kind}-{len(list(tmp_path.iterdir()))}{suffix}"
        path.write_bytes(data)
        settings = ImportSettings(batch_rows=batch_rows)
        b = create_batch(session, svc.clock, settings, kind=kind, file_name=path.name, size=len(data), sha256=None,
                         dry_run=dry_run, actor="test:import")
        session.commit()
        return run_import(session, svc.catalogue, svc.clock, settings, b.id, path, actor="test:import")
    return go


@pytest.fixture()
def world(run, svc):
    """A small register imported: its rows by kind."""
    reg = import_files.register(4, today=svc.clock.today())
    for kind in ("enterprises", "persons", "qualifications", "registrations"):
        b = run(kind, reg[kind])
        assert (b.state, b.inserted, b.refused) == ("done", 4, 0), (kind, b.error, b.refused)
    return reg
