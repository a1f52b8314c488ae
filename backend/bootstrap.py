"""First start: instance secrets, database schema (Alembic), signing keys, the certificate PDF's signing
identity and, on the demo default, demo data. Safe to run from several processes at once (a file lock; on
PostgreSQL the migrations also take an advisory lock, migrations/env.py) and on every start (idempotent).
In production (AUTO_INIT and LOCAL_SECRETS off, backend/startup.py) only the checks and prepare_files run."""
from __future__ import annotations

import fcntl
import logging
import os
import secrets
import sys
from contextlib import contextmanager
from pathlib import Path

from flask import Flask

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
log = logging.getLogger(__name__)


@contextmanager
def instance_lock(app: Flask, name: str = ".init.lock"):
    with open(Path(app.instance_path) / name, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def keep_private(path: Path, mode: int) -> None:
    """chmod what holds secrets or personal data (the instance folder 0700; the database, keys, secrets and
    demo logins 0600), whatever the umask was when it was made. A folder mounted from elsewhere and owned by
    someone else keeps its mode: that is its owner's business."""
    try:
        if path.exists() and path.stat().st_uid == os.geteuid() and path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
    except OSError:
        pass


def _secret_file(app: Flask, name: str, nbytes: int) -> str:
    path = Path(app.instance_path) / name
    with instance_lock(app, ".secrets.lock"):
        if not path.exists():
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(nbytes))
    return path.read_text().strip()


def ensure_secrets(app: Flask) -> None:
    """The secrets given (the environment, `<NAME>_FILE`), else, with LOCAL_SECRETS (the demo default), made
    once under instance/. In production (LOCAL_SECRETS off) backend/startup.py has refused to start without
    SECRET_KEY and AUTH_SECRET; an unset ADMIN_TOKEN there means no admin token at all."""
    from backend.startup import check
    check(app.config)                     # StartupRefused: a clear message, and gunicorn exits non-zero
    keep_private(Path(app.instance_path), 0o700)
    if app.config["LOCAL_SECRETS"]:
        if not app.config.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = _secret_file(app, "secret-key", 32)
        if not app.config.get("ADMIN_TOKEN"):
            app.config["ADMIN_TOKEN"] = _secret_file(app, "admin-token", 24)
        if not app.config.get("AUTH_SECRET"):
            app.config["AUTH_SECRET"] = _secret_file(app, "auth-secret", 32)   # signs account access tokens
    app.config.setdefault("DOCS_DIR", str(Path(__file__).resolve().parent / "static" / "docs"))
    app.config.setdefault("PWA_DIR", str(Path(__file__).resolve().parent.parent / "pwa"))


def upgrade_schema(app: Flask) -> None:
    import flask_migrate
    with app.app_context():
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))


def _private_files(app: Flask) -> None:
    inst = Path(app.instance_path)
    for name in ("secret-key", "admin-token", "auth-secret", "demo-samples.json"):
        keep_private(inst / name, 0o600)
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///"):
        db = Path(uri[len("sqlite:///"):])
        for f in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            keep_private(f, 0o600)
    keys = Path(app.config["KEY_DIR"])
    keep_private(keys, 0o700)
    for f in keys.glob("*.key.pem"):
        keep_private(f, 0o600)
    pdf = Path(app.config["PDF_SIGNING_DIR"])
    keep_private(pdf, 0o700)
    for f in (*pdf.glob("*.pem"), pdf / "seal.png"):
        keep_private(f, 0o600)


def prepare_pdf_signing(app: Flask) -> None:
    """The certificate PDF's signing identity: without PDF_SIGNING_KEY, the demo CA, the authority's signing
    certificate and its seal under PDF_SIGNING_DIR (services/issuance/signing_settings.py)."""
    from backend.crypto.pdf_pki import load_identity
    from backend.services.issuance.signing_settings import prepare
    settings = app.extensions["jz.pdf_signing"]
    prepare(settings)
    if settings.demo and not app.config["DEMO_DEFAULT"]:
        log.warning("证书 PDF 由本地演示 CA 签名,请设置 PDF_SIGNING_KEY / certificate PDFs are signed by the local "
                    "demo CA: set PDF_SIGNING_KEY")
    if not settings.demo:      # a wrong path or password: said now, not on the first download
        try:
            load_identity(*settings.files()[:3], settings.password)
        except (OSError, ValueError, TypeError) as e:
            log.error("PDF 签名密钥无法读取,证书 PDF 将无法下载 / the PDF signing key cannot be read, certificate PDFs "
                      "will fail: %s", e)


def prepare_files(app: Flask) -> None:
    """What every start needs whether or not it migrates: the demo CA when it signs (PDF_DEMO_CA, made once,
    under its own lock) and the private modes of what is under instance/."""
    with instance_lock(app):
        prepare_pdf_signing(app)
        _private_files(app)


def initialize(app: Flask) -> None:
    from backend.crypto.keys import ensure_keys
    with instance_lock(app):
        upgrade_schema(app)
        if app.config["LOCAL_SECRETS"] and not app.config.get("SIGNING_KEY_FILE"):
            ensure_keys(app.config["KEY_DIR"])
        prepare_pdf_signing(app)
        _private_files(app)
        if app.config["DEMO_DEFAULT"] and app.config["DEMO_PERSONS"] > 0:
            from backend.demo.first_start import ensure_demo
            ensure_demo(app)
            inst = Path(app.instance_path)
            _private_files(app)
            print(f"演示样例 / demo samples: {inst / 'demo-samples.json'}\n"
                  f"管理令牌 / admin token (Authorization: Bearer …): {inst / 'admin-token'}", file=sys.stderr)
