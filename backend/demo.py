"""Demo data on the embedded default: seeded once, with instance/demo-samples.json for each verdict."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from .extensions import db
from .models import Registration


def seed_and_samples(app: Flask, persons: int, *, seed: int = 2026, samples: bool = True, progress: bool = False):
    from .services.demo_data import seed_registry
    from .services.demo_samples import make_samples
    ext = app.extensions
    t0 = time.monotonic()
    with app.app_context():
        n = seed_registry(db.session, ext["jz.catalogue"], ext["jz.clock"], persons, seed=seed, progress=progress)
        print(f"已生成演示数据 / demo data: {n} registrations in {time.monotonic() - t0:.1f} s", file=sys.stderr)
        if samples:
            out = Path(app.instance_path) / "demo-samples.json"
            data = make_samples(db.session, ext["jz.keystore"].get(), ext["jz.catalogue"], ext["jz.settings"],
                                ext["jz.clock"], Path(app.instance_path))
            out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def ensure_demo(app: Flask) -> None:
    with app.app_context():
        have = db.session.scalar(select(func.count()).select_from(select(Registration.id).limit(1).subquery()))
    if not have:
        seed_and_samples(app, app.config["DEMO_PERSONS"])
    elif not (Path(app.instance_path) / "demo-samples.json").exists():
        with app.app_context():
            from .services.demo_samples import make_samples
            ext = app.extensions
            data = make_samples(db.session, ext["jz.keystore"].get(), ext["jz.catalogue"], ext["jz.settings"],
                                ext["jz.clock"], Path(app.instance_path))
            (Path(app.instance_path) / "demo-samples.json").write_text(json.dumps(data, ensure_ascii=False, indent=1))
