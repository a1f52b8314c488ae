"""Demo data on the embedded default: seeded once, with instance/demo-samples.json for each verdict."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from backend.extensions import db
from backend.models import Registration


def _add_accounts(app: Flask, data: dict) -> None:
    """Demo logins only on the demo default (seed-demo may also run against a real database)."""
    if app.config["DEMO_DEFAULT"]:
        from backend.demo.samples import make_demo_accounts, make_demo_holder
        ext = app.extensions
        data["accounts"] = make_demo_accounts(db.session) + [
            make_demo_holder(db.session, ext["jz.catalogue"], ext["jz.clock"])]   # to try 延续 and 增项


def _demo_applications(app: Flask) -> dict:
    from backend.demo.applications import make_demo_applications
    from backend.services.workflows.rules import load_rulebook
    from backend.services.workflows.types import WorkflowContext, WorkflowPolicy
    ext = app.extensions
    ctx = WorkflowContext(catalogue=ext["jz.catalogue"], clock=ext["jz.clock"], policy=WorkflowPolicy.from_config(app.config),
                          rulebook=load_rulebook(app.config.get("RULES_FILE")), ring=ext["jz.keystore"].get(),
                          settings=ext["jz.settings"])
    return make_demo_applications(db.session, ctx)


def _write_samples(app: Flask) -> None:
    """Samples for each verdict, then the daily job once, so the registry agrees with the verdicts
    (the "lapsed" sample is recorded as 失效 as the job would do overnight)."""
    from backend.demo.onboarding import make_demo_onboarding
    from backend.demo.samples import make_samples
    from backend.services.workflows.lapse import run_lapse
    ext = app.extensions
    data = make_samples(db.session, ext["jz.keystore"].get(), ext["jz.catalogue"], ext["jz.settings"],
                        ext["jz.clock"], Path(app.instance_path))
    run_lapse(db.session, ext["jz.catalogue"], ext["jz.clock"], actor="demo:lapse")
    db.session.commit()
    make_demo_onboarding(db.session, ext["jz.clock"])     # signatures, and uploads in the review queue
    _demo_applications(app)                                # renewals in the authority's review queue
    _add_accounts(app, data)
    (Path(app.instance_path) / "demo-samples.json").write_text(json.dumps(data, ensure_ascii=False, indent=1),
                                                               encoding="utf-8")


def seed_and_samples(app: Flask, persons: int, *, seed: int = 2026, samples: bool = True, progress: bool = False):
    from backend.demo.seed import seed_registry
    ext = app.extensions
    t0 = time.monotonic()
    with app.app_context():
        n = seed_registry(db.session, ext["jz.catalogue"], ext["jz.clock"], persons, seed=seed, progress=progress)
        print(f"已生成演示数据 / demo data: {n} registrations in {time.monotonic() - t0:.1f} s", file=sys.stderr)
        if samples:
            _write_samples(app)


def ensure_demo(app: Flask) -> None:
    with app.app_context():
        have = db.session.scalar(select(func.count()).select_from(select(Registration.id).limit(1).subquery()))
    if not have:
        seed_and_samples(app, app.config["DEMO_PERSONS"])
    elif not (Path(app.instance_path) / "demo-samples.json").exists():
        with app.app_context():
            _write_samples(app)
