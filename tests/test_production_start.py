"""Production start (issue 12, items 2 and 3): on a database other than SQLite the app refuses to start without
the secrets and the signing key every replica must share, and without the PDF signing key unless the demo CA is
asked for; secrets may come from `<NAME>_FILE`; the SQLite demo still makes everything on first start. Most of
these need no database server: the refusal comes before any connection."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from backend import create_app
from backend.crypto import keys
from backend.startup import StartupRefused
from tests.conftest import dispose, make_app

ROOT = Path(__file__).resolve().parent.parent
PG_NOWHERE = "postgresql+psycopg://jz@127.0.0.1:1/nowhere"       # never connected to: the refusal comes first
SECRET, AUTH = "s" * 40, "a" * 40
SETTINGS = ("DATABASE_URL", "SECRET_KEY", "AUTH_SECRET", "ADMIN_TOKEN", "SIGNING_KEY_FILE", "KEY_DIR", "AUTO_INIT",
            "LOCAL_SECRETS", "PDF_DEMO_CA", "PDF_SIGNING_KEY", "LOG_FORMAT", "INSTANCE_PATH")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"{name}_FILE", raising=False)


def pem_key(path: Path) -> Path:
    key = ec.generate_private_key(ec.SECP256R1())
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return path


def production(tmp_path, **cfg):
    return create_app({"INSTANCE_PATH": str(tmp_path / "inst"), "SQLALCHEMY_DATABASE_URI": PG_NOWHERE, **cfg})


def test_production_without_secrets_refuses_naming_each_in_both_languages(tmp_path):
    with pytest.raises(StartupRefused) as e:
        production(tmp_path)
    text = str(e.value)
    assert text.startswith("建证拒绝启动") and "Jianzheng refuses to start" in text
    for name in ("SECRET_KEY", "AUTH_SECRET", "SIGNING_KEY_FILE", "PDF_SIGNING_KEY", "PDF_DEMO_CA=1"):
        assert name in text
    assert "所有副本须共用同一个值" in text and "every replica must share one value" in text
    assert len(e.value.problems) == 4
    inst = tmp_path / "inst"
    assert not (inst / "secret-key").exists() and not (inst / "auth-secret").exists()   # nothing made per replica
    assert not (inst / "keys" / "current").exists()


def test_production_with_shared_secrets_starts_and_makes_nothing_of_its_own(tmp_path):
    key_dir = tmp_path / "shared-keys"
    keys.ensure_keys(key_dir)                                       # the shared volume, made once
    app = production(tmp_path, SECRET_KEY=SECRET, AUTH_SECRET=AUTH, KEY_DIR=str(key_dir), PDF_DEMO_CA=True)
    assert app.config["AUTO_INIT"] is False and app.config["LOCAL_SECRETS"] is False   # production defaults
    assert app.config["LOG_FORMAT"] == "json"
    assert app.config["ADMIN_TOKEN"] is None                        # none given: no admin token at all
    inst = tmp_path / "inst"
    assert not any((inst / n).exists() for n in ("secret-key", "auth-secret", "admin-token"))
    assert app.extensions["jz.keystore"].get().current_kid == (key_dir / "current").read_text().strip()


def test_a_short_auth_secret_is_refused(tmp_path):
    with pytest.raises(StartupRefused, match="at least 32 bytes"):
        production(tmp_path, SECRET_KEY=SECRET, AUTH_SECRET="short", PDF_DEMO_CA=True)


def test_secrets_and_signing_key_from_files_as_docker_secrets_mount_them(tmp_path, monkeypatch):
    (tmp_path / "secret_key").write_text(SECRET + "\n")
    (tmp_path / "auth_secret").write_text(AUTH)
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "secret_key"))
    monkeypatch.setenv("AUTH_SECRET_FILE", str(tmp_path / "auth_secret"))
    monkeypatch.setenv("SIGNING_KEY_FILE", str(pem_key(tmp_path / "signing.pem")))
    monkeypatch.setenv("PDF_DEMO_CA", "1")
    app = production(tmp_path, KEY_DIR=str(tmp_path / "no-such-dir"))
    assert (app.config["SECRET_KEY"], app.config["AUTH_SECRET"]) == (SECRET, AUTH)   # stripped of the newline
    ring = app.extensions["jz.keystore"].get()
    expected = keys.thumbprint(keys.read_key_file(tmp_path / "signing.pem").public_key())[:keys.KID_LENGTH]
    assert ring.current_kid == expected and list(ring.public_keys) == [expected]
    assert not (tmp_path / "no-such-dir").exists()                  # nothing made beside it


def test_a_signing_key_file_keeps_the_retired_keys_of_key_dir_verifying(tmp_path):
    key_dir = tmp_path / "keys"
    keys.ensure_keys(key_dir)
    old = (key_dir / "current").read_text().strip()
    ring = keys.load_key_file(pem_key(tmp_path / "new.pem"), key_dir)
    assert ring.current_kid != old and set(ring.public_keys) == {old, ring.current_kid}


@pytest.mark.parametrize("content,why", [("not a key", "P-256"), (None, "cannot be read")])
def test_a_bad_secret_or_key_file_is_refused(tmp_path, monkeypatch, content, why):
    if why == "P-256":
        (tmp_path / "bad.pem").write_text(content)
        with pytest.raises(StartupRefused, match="SIGNING_KEY_FILE"):
            production(tmp_path, SECRET_KEY=SECRET, AUTH_SECRET=AUTH, PDF_DEMO_CA=True,
                       SIGNING_KEY_FILE=str(tmp_path / "bad.pem"))
    else:
        from backend.config import SecretFileError
        monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "missing"))
        with pytest.raises(SecretFileError, match="SECRET_KEY_FILE=.*cannot be read"):
            production(tmp_path)


def test_an_rsa_key_is_no_signing_key(tmp_path):
    from cryptography.hazmat.primitives.asymmetric import rsa
    k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (tmp_path / "rsa.pem").write_bytes(k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    with pytest.raises(ValueError, match="P-256"):
        keys.read_key_file(tmp_path / "rsa.pem")


def test_the_demo_ca_on_production_needs_an_explicit_opt_in(tmp_path):
    key_dir = tmp_path / "keys"
    keys.ensure_keys(key_dir)
    with pytest.raises(StartupRefused) as e:
        production(tmp_path, SECRET_KEY=SECRET, AUTH_SECRET=AUTH, KEY_DIR=str(key_dir))
    assert [p[1].split(":")[0] for p in e.value.problems] == ["PDF_SIGNING_KEY is not set"]


def test_local_secrets_opt_in_makes_them_on_production_too(tmp_path):
    """One instance on PostgreSQL (and the test suite's PostgreSQL pass): LOCAL_SECRETS=1, PDF_DEMO_CA=1."""
    app = production(tmp_path, LOCAL_SECRETS=True, PDF_DEMO_CA=True)
    inst = tmp_path / "inst"
    assert app.config["SECRET_KEY"] == (inst / "secret-key").read_text().strip()
    assert app.config["ADMIN_TOKEN"] == (inst / "admin-token").read_text().strip()


def test_the_sqlite_demo_still_makes_everything_on_first_start(tmp_path):
    app = make_app(tmp_path, LOCAL_SECRETS=None, PDF_DEMO_CA=None, AUTO_INIT=None,
                   SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/demo.db")    # SQLite in the PostgreSQL pass too
    try:
        assert app.config["AUTO_INIT"] and app.config["LOCAL_SECRETS"] and app.config["PDF_DEMO_CA"]
        assert app.config["LOG_FORMAT"] == "text"
        for name in ("secret-key", "auth-secret", "admin-token"):
            assert (tmp_path / name).read_text().strip()
        assert (tmp_path / "keys" / "current").exists() and (tmp_path / "pdf-signing" / "ca.cert.pem").exists()
    finally:
        dispose(app)


def test_keys_init_command_makes_the_shared_key_once(tmp_path):
    key_dir = tmp_path / "keys"
    env = {**os.environ, "KEY_DIR": str(key_dir)}
    runs = [subprocess.run([sys.executable, "-m", "backend.crypto.keys", "init"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=60) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr
    kid = (key_dir / "current").read_text().strip()
    assert kid in runs[0].stdout and kid in runs[1].stdout and len(list(key_dir.glob("*.key.pem"))) == 1
    bad = subprocess.run([sys.executable, "-m", "backend.crypto.keys"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 2 and "usage" in bad.stderr


def test_gunicorn_master_refuses_before_any_worker(tmp_path):
    """The master asks the same questions: one bilingual message, exit status 1, no worker started."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS and not k.endswith("_FILE")}
    env.update(DATABASE_URL=PG_NOWHERE.replace("+psycopg", ""), INSTANCE_PATH=str(tmp_path / "inst"))
    r = subprocess.run([str(ROOT / ".venv/bin/gunicorn"), "-c", "python:backend.gunicorn_conf", "--bind",
                        "127.0.0.1:0", "backend:create_app()"], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 1
    assert "建证拒绝启动" in r.stderr and "SECRET_KEY" in r.stderr and "AUTH_SECRET" in r.stderr
    assert "Booting worker" not in r.stderr


def test_rotating_a_key_given_as_a_file_is_refused_with_the_way_to_do_it(tmp_path, monkeypatch):
    app = make_app(tmp_path, SIGNING_KEY_FILE=str(pem_key(tmp_path / "k.pem")))
    try:
        r = app.test_cli_runner().invoke(args=["keys", "rotate"])
        assert r.exit_code == 1 and "SIGNING_KEY_FILE" in r.output
    finally:
        dispose(app)
