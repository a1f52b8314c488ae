"""flask import <enterprises|persons|qualifications|registrations> FILE [--dry-run] [--report PATH]: the import of
the existing register from the command line (docs/import.md), with a progress bar on stderr and a summary."""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import click
from flask import Flask, current_app

from backend.extensions import db
from backend.services.imports.templates import KINDS


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def register_import_command(app: Flask) -> None:
    @app.cli.command("import")
    @click.argument("kind", type=click.Choice(KINDS))
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--dry-run", is_flag=True, help="Check every row and store nothing")
    @click.option("--report", type=click.Path(dir_okay=False, path_type=Path),
                  help="Write the refused rows there (.csv or .xlsx)")
    def import_cmd(kind: str, file: Path, dry_run: bool, report: Path | None):
        """Import a CSV (UTF-8 or GB18030) or XLSX file in the template of KIND (docs/import.md)."""
        from backend.services.imports.batches import ImportSettings, create_batch
        from backend.services.imports.report import write_report
        from backend.services.imports.runner import run_import
        ext = current_app.extensions
        catalogue, clock = ext["jz.catalogue"], ext["jz.clock"]
        settings = ImportSettings.from_config(current_app.config)
        session = db.session
        b = create_batch(session, clock, settings, kind=kind, file_name=file.name, size=file.stat().st_size,
                         sha256=_sha256(file), dry_run=dry_run, actor="cli:import")
        session.commit()
        state = {"bar": None, "shown": 0}

        def progress(done: int, total: int | None):
            if state["bar"] is None:
                state["bar"] = click.progressbar(length=max(total or done, 1), label=f"导入 / import {kind}",
                                                 file=sys.stderr, show_pos=True, show_eta=True)
                state["bar"].__enter__()
            bar = state["bar"]
            if done > bar.length:
                bar.length = done
            bar.update(done - state["shown"])
            state["shown"] = done

        try:
            b = run_import(session, catalogue, clock, settings, b.id, file, actor="cli:import", progress=progress)
        finally:
            if state["bar"] is not None:
                state["bar"].__exit__(None, None, None)
        if report is not None:
            write_report(session, b, report)
            click.echo(f"报告 / report: {report}", err=True)
        what = "试运行(未存储)/ dry run (nothing stored)" if b.dry_run else "导入 / import"
        click.echo(f"{what}: {b.kind} {b.state}; rows={b.rows_done} inserted={b.inserted} updated={b.updated} "
                   f"unchanged={b.unchanged} refused={b.refused} seconds={b.seconds:.1f} batch={b.id}")
        if b.state != "done":
            err = b.error or {}
            click.echo(f"{err.get('code')}: {err.get('message')} / {err.get('message_en')} {err.get('details') or ''}",
                       err=True)
            sys.exit(1)
