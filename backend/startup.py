"""What the app must be given before it starts, and the defaults that depend on the database. No Flask: the
gunicorn settings (backend/gunicorn_conf.py) ask the same questions in the master process, before any worker.

The demo default (SQLite under instance/) makes its secrets and keys on first start and migrates in every
process. A database other than SQLite means production, possibly many replicas behind a proxy: a secret made by
one replica would not be known to the next (a login or a photo link made by one fails on the other), and
every worker migrating at once is a race. So there, unless explicitly switched on:
* LOCAL_SECRETS is off: SECRET_KEY and AUTH_SECRET must be given (the environment, or `<NAME>_FILE`, a mounted
  secret), and the ES256 signing key must exist already: SIGNING_KEY_FILE, or a KEY_DIR (a shared volume) that
  holds one (`python -m backend.crypto.keys init` makes it, once). ADMIN_TOKEN is optional: unset, there is no
  admin token (people log in with accounts; `flask --app backend accounts create` makes the first).
* PDF_DEMO_CA is off: without PDF_SIGNING_KEY the certificate PDFs would be signed by a demo CA that each
  replica makes for itself; the app refuses instead.
* AUTO_INIT is off: the workers never migrate; `flask --app backend db upgrade` does, once (an advisory lock),
  and /readyz says "not ready" until the schema is at the code's head.
"""
from __future__ import annotations

import os
from pathlib import Path

AUTH_SECRET_MIN_BYTES = 32
SWITCHES = ("AUTO_INIT", "LOCAL_SECRETS", "PDF_DEMO_CA")


class StartupRefused(RuntimeError):
    """The app cannot start as configured. Its message lists every problem, in Chinese and English."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__(refusal_text(problems))


def refusal_text(problems: list[tuple[str, str]]) -> str:
    lines = [f"  - {zh}\n    {en}" for zh, en in problems]
    return ("建证拒绝启动,请先修正以下设置(docs/operations.md)/ Jianzheng refuses to start: fix these settings "
            "first (docs/operations.md):\n" + "\n".join(lines))


def is_demo_database(uri: str) -> bool:
    return uri.startswith("sqlite")


def resolve_defaults(cfg) -> None:
    """The switches left unset (None) take the database's default: on for SQLite, off otherwise; LOG_FORMAT
    text on SQLite, json otherwise. `cfg` is a dict or Flask's config, changed in place."""
    demo = is_demo_database(cfg["SQLALCHEMY_DATABASE_URI"])
    for name in SWITCHES:
        if cfg.get(name) is None:
            cfg[name] = demo
    if not cfg.get("LOG_FORMAT"):
        cfg["LOG_FORMAT"] = "text" if demo else "json"


def signing_key_problem(cfg) -> tuple[str, str] | None:
    """Where the ES256 signing key comes from, when it may not be made here: SIGNING_KEY_FILE, else KEY_DIR."""
    path = cfg.get("SIGNING_KEY_FILE")
    if path:
        from backend.crypto.keys import read_key_file
        try:
            read_key_file(path)
        except (OSError, ValueError) as e:
            return (f"SIGNING_KEY_FILE={path} 不是可读的 P-256 私钥(PEM):{e}",
                    f"SIGNING_KEY_FILE={path} is not a readable P-256 private key (PEM): {e}")
        return None
    key_dir = Path(cfg["KEY_DIR"])
    current = key_dir / "current"
    try:
        kid = current.read_text().strip()
        has_key = (key_dir / f"{kid}.key.pem").is_file() and os.access(key_dir / f"{kid}.key.pem", os.R_OK)
    except OSError:
        has_key = False
    if has_key:
        return None
    return (f"没有签名密钥:KEY_DIR={key_dir} 中没有密钥,也未设置 SIGNING_KEY_FILE。所有副本须共用同一把密钥:挂载共享的"
            f"密钥目录(先运行一次 `python -m backend.crypto.keys init`),或以 SIGNING_KEY_FILE 指定 PEM 私钥",
            f"no signing key: KEY_DIR={key_dir} holds none and SIGNING_KEY_FILE is not set. Every replica must use "
            f"the same key: mount a shared key directory (run `python -m backend.crypto.keys init` once) or name a "
            f"PEM private key in SIGNING_KEY_FILE")


def refusals(cfg) -> list[tuple[str, str]]:
    """Every reason not to start, as (Chinese, English); empty when all is well. After resolve_defaults."""
    problems: list[tuple[str, str]] = []
    auth = cfg.get("AUTH_SECRET")
    if auth and len(auth.encode()) < AUTH_SECRET_MIN_BYTES:
        problems.append((f"AUTH_SECRET 至少需要 {AUTH_SECRET_MIN_BYTES} 字节(HS256 密钥)",
                         f"AUTH_SECRET must be at least {AUTH_SECRET_MIN_BYTES} bytes (an HS256 key)"))
    if not cfg["LOCAL_SECRETS"]:
        why_zh, why_en = "所有副本须共用同一个值", "every replica must share one value"
        if not cfg.get("SECRET_KEY"):
            problems.append((f"未设置 SECRET_KEY(或 SECRET_KEY_FILE):签署照片链接,{why_zh}",
                             f"SECRET_KEY (or SECRET_KEY_FILE) is not set: it signs photo links and {why_en}"))
        if not auth:
            problems.append((f"未设置 AUTH_SECRET(或 AUTH_SECRET_FILE,至少 {AUTH_SECRET_MIN_BYTES} 字节):签署登录令牌,"
                             f"{why_zh}",
                             f"AUTH_SECRET (or AUTH_SECRET_FILE, at least {AUTH_SECRET_MIN_BYTES} bytes) is not set: "
                             f"it signs login tokens and {why_en}"))
    if not cfg["LOCAL_SECRETS"] or cfg.get("SIGNING_KEY_FILE"):
        problem = signing_key_problem(cfg)
        if problem:
            problems.append(problem)
    if not cfg["PDF_DEMO_CA"] and not cfg.get("PDF_SIGNING_KEY"):
        problems.append(("未设置 PDF_SIGNING_KEY:证书 PDF 须由发证机关的密钥签名。仅供试用时可设 PDF_DEMO_CA=1,由演示 CA 签名",
                         "PDF_SIGNING_KEY is not set: certificate PDFs must be signed with the issuing authority's "
                         "key. For a trial only, PDF_DEMO_CA=1 lets a demo CA sign them"))
    return problems


def check(cfg) -> None:
    """resolve_defaults, then raise StartupRefused if anything is missing."""
    resolve_defaults(cfg)
    problems = refusals(cfg)
    if problems:
        raise StartupRefused(problems)
