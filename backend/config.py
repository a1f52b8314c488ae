"""Settings: defaults here, then the environment, then the mapping given to create_app().

The embedded default (no DATABASE_URL) is SQLite under instance/, with demo data: the "demo default".
"""
from __future__ import annotations

import json
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _bool(name: str, default: bool) -> bool:
    v = os.environ.get(name)
    return default if v is None else v.strip().lower() in ("1", "true", "yes", "on")


def _opt_bool(name: str) -> bool | None:
    """A switch whose default depends on the database (create_app: on for the SQLite demo, off on PostgreSQL)."""
    v = os.environ.get(name)
    return None if v is None or not v.strip() else v.strip().lower() in ("1", "true", "yes", "on")


def secret_env(name: str) -> str | None:
    """A secret from the environment, or from the file named by `<NAME>_FILE` (how Docker and Kubernetes secrets
    are mounted: /run/secrets/<name>), its surrounding whitespace stripped. Both set: the variable wins."""
    v = os.environ.get(name)
    if v:
        return v
    path = os.environ.get(f"{name}_FILE")
    if not path:
        return None
    try:
        return Path(path).read_text(encoding="utf-8").strip() or None
    except OSError as e:
        raise SecretFileError(name, path, e) from None


class SecretFileError(RuntimeError):
    def __init__(self, name: str, path: str, err: OSError):
        super().__init__(f"{name}_FILE={path} 无法读取 / cannot be read: {err.strerror or err}")


def _json(name: str, default):
    v = os.environ.get(name)
    return default if not v else json.loads(v)


def _limiter_storage(redis_url: str | None) -> str:
    """Flask-Limiter's storage URI. REDIS_URL in redis-py's spelling; a unix socket (`unix:///path`, what
    scripts/run.sh starts) is `redis+unix:///path` to the `limits` library."""
    if not redis_url:
        return os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    if redis_url.startswith("unix://"):
        return "redis+" + redis_url
    return redis_url


def default_base_url(host: str | None = None, port: str | int | None = None) -> str:
    """The origin printed in QR codes when PUBLIC_BASE_URL is not set: this machine on the port the app serves
    (gunicorn's bound address, backend/gunicorn_conf.py; else $PORT, as scripts/run.sh binds it; else 5000).
    A wildcard address is no place a phone can open: 127.0.0.1 then, and PUBLIC_BASE_URL for anything else."""
    host = host or "127.0.0.1"
    if host in ("0.0.0.0", "::", "[::]", "*"):
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port or os.environ.get('PORT') or 5000}"


def normalized_url(url: str | None) -> str | None:
    """A database URL: postgres:// and postgresql:// as SQLAlchemy's psycopg 3 URL; anything else as given."""
    if url and url.startswith("postgres://"):           # the old Heroku-style scheme
        url = "postgresql://" + url[len("postgres://"):]
    if url and url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def load_config(instance_path: str) -> dict:
    inst = Path(instance_path)
    db_url = normalized_url(secret_env("DATABASE_URL"))
    redis_url = secret_env("REDIS_URL")
    return {
        "SQLALCHEMY_DATABASE_URI": db_url or f"sqlite:///{inst / 'jianzheng.db'}",
        "DEMO_DEFAULT": db_url is None,
        # Read-only views (lookup, verify, photo links, status list) on a replica: backend/read_replica.py.
        "DATABASE_READ_URL": normalized_url(secret_env("DATABASE_READ_URL")),
        "KEY_DIR": os.environ.get("KEY_DIR", str(inst / "keys")),
        "PUBLIC_BASE_URL": (os.environ.get("PUBLIC_BASE_URL") or default_base_url()).rstrip("/"),
        "TOKEN_ISSUER": os.environ.get("TOKEN_ISSUER", "JZ"),
        "ISSUER_USCC": os.environ.get("ISSUER_USCC", "11100000000013338W"),
        "ISSUER_NAME": os.environ.get("ISSUER_NAME", "建证演示发证机关"),
        "ISSUER_NAME_EN": os.environ.get("ISSUER_NAME_EN", "Jianzheng demo issuing authority"),
        "TIMEZONE": os.environ.get("TIMEZONE", "Asia/Shanghai"),
        "KINDS_FILE": os.environ.get("KINDS_FILE"),
        "DAILY_COPY_LIMIT": _int("DAILY_COPY_LIMIT", 2),
        "COPY_USAGE_DAYS": _int("COPY_USAGE_DAYS", 180),
        "STATUS_LIST_TTL": _int("STATUS_LIST_TTL", 3600),
        "STATUS_LIST_MIN_SIZE": _int("STATUS_LIST_MIN_SIZE", 131072),
        "PHOTO_URL_TTL": _int("PHOTO_URL_TTL", 600),
        "LOOKUP_PAGE_SIZE": 20,
        "LOOKUP_MAX_PAGES": 30,
        "REDIS_URL": redis_url,                                      # /readyz asks it
        "RATELIMIT_STORAGE_URI": _limiter_storage(redis_url),
        "LOOKUP_RATE_LIMIT": os.environ.get("LOOKUP_RATE_LIMIT", "60/minute;600/hour"),
        "VERIFY_RATE_LIMIT": os.environ.get("VERIFY_RATE_LIMIT", "600/minute"),
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        # Redis gone: keep serving, with per-process counters until it is back (a 500 on every limited route
        # would be worse than limits that briefly hold per worker)
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 12 * 1024 * 1024),
        "IMAGE_MAX_BYTES": _int("IMAGE_MAX_BYTES", 10 * 1024 * 1024),
        "IMAGE_MAX_PIXELS": _int("IMAGE_MAX_PIXELS", 40_000_000),
        "IMAGE_DECODE_BUDGET_MS": _int("IMAGE_DECODE_BUDGET_MS", 2500),   # a photo with no code stops here
        "JSON_MAX_STRING": 4096,
        # the first-start work in every app process (migrations, keys, demo data): unset = on for the SQLite demo,
        # off on PostgreSQL, where the one-shot `flask --app backend db upgrade` migrates (docs/operations.md)
        "AUTO_INIT": _opt_bool("AUTO_INIT"),
        # make SECRET_KEY, AUTH_SECRET, ADMIN_TOKEN and the signing key under instance/ when not given: unset =
        # on for the SQLite demo; off on PostgreSQL, where each replica would make its own (backend/startup.py)
        "LOCAL_SECRETS": _opt_bool("LOCAL_SECRETS"),
        # the ES256 signing key as a PEM file (a mounted secret) instead of the one under KEY_DIR
        "SIGNING_KEY_FILE": os.environ.get("SIGNING_KEY_FILE"),
        # without PDF_SIGNING_KEY, a demo CA signs the certificate PDFs: unset = on for the SQLite demo only
        "PDF_DEMO_CA": _opt_bool("PDF_DEMO_CA"),
        "DEMO_PERSONS": _int("DEMO_PERSONS", 10_000),
        "ADMIN_TOKEN": secret_env("ADMIN_TOKEN"),
        "SECRET_KEY": secret_env("SECRET_KEY"),
        "JSON_AS_ASCII": False,
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO").upper(),      # the app's loggers (backend.*)
        # one JSON object per line ("json") or the readable line ("text"); unset: text on the SQLite demo, else json
        "LOG_FORMAT": (os.environ.get("LOG_FORMAT") or "").strip().lower() or None,
        # the reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed (werkzeug's ProxyFix):
        # 0 = none, the peer's address is the client's; 1 = one proxy (the compose stack's nginx)
        "PROXY_HOPS": _int("PROXY_HOPS", 0),
        # who may read /metrics: these networks (CIDRs, comma-separated), or anyone with METRICS_TOKEN as a bearer
        "METRICS_ALLOW": os.environ.get("METRICS_ALLOW", "127.0.0.1/32,::1/128"),
        "METRICS_TOKEN": secret_env("METRICS_TOKEN"),
        "READYZ_TIMEOUT": float(os.environ.get("READYZ_TIMEOUT", 2)),     # seconds per dependency asked
        "API_VALIDATE_RESPONSES": _bool("API_VALIDATE_RESPONSES", False),  # every JSON answer against its model
        # accounts (issue 4): HS256 access tokens with a secret of their own, never the certificate key
        "AUTH_SECRET": secret_env("AUTH_SECRET"),                      # else instance/auth-secret
        "AUTH_TOKEN_TTL": _int("AUTH_TOKEN_TTL", 8 * 3600),
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10/minute"),
        "LOGIN_MAX_FAILURES": _int("LOGIN_MAX_FAILURES", 5),
        "LOGIN_LOCK_MINUTES": _int("LOGIN_LOCK_MINUTES", 15),
        # the authority's dashboard: chart groups computed on this many threads, a connection each
        "DASHBOARD_WORKERS": _int("DASHBOARD_WORKERS", min(4, os.cpu_count() or 1)),
        # the contractors' warnings, bulk check and daily digest
        "WARNING_NOTICE_DAYS": _int("WARNING_NOTICE_DAYS", 90),
        "AGE_CAP_NOTICE_DAYS": _int("AGE_CAP_NOTICE_DAYS", 365),
        "BULK_MAX_BYTES": _int("BULK_MAX_BYTES", 5 * 1024 * 1024),
        "BULK_MAX_ROWS": _int("BULK_MAX_ROWS", 10_000),
        "BULK_XLSX_MAX_UNPACKED": _int("BULK_XLSX_MAX_UNPACKED", 64 * 1024 * 1024),   # against zip bombs
        "BULK_RESULT_HOURS": _int("BULK_RESULT_HOURS", 24),
        "BULK_RATE_LIMIT": os.environ.get("BULK_RATE_LIMIT", "60/hour"),     # a check costs seconds of CPU
        # a holder's live code (动态二维码): each lives TTL s (<= 120), the screen fetches a new one every REFRESH s
        "PRESENTATION_TTL": _int("PRESENTATION_TTL", 90),
        "PRESENTATION_REFRESH": _int("PRESENTATION_REFRESH", 45),
        "PRESENTATION_RATE_LIMIT": os.environ.get("PRESENTATION_RATE_LIMIT", "10/minute;300/hour"),   # per account
        # ID numbers one account may have looked up by bulk checks in a day (two full files): no enumeration
        "BULK_ID_CHECKS_PER_DAY": _int("BULK_ID_CHECKS_PER_DAY", 20_000),
        # the authority's imports of the existing register (docs/import.md)
        "IMPORT_MAX_BYTES": _int("IMPORT_MAX_BYTES", 200 * 1024 * 1024),
        "IMPORT_BATCH_ROWS": _int("IMPORT_BATCH_ROWS", 5000),           # rows per transaction
        "IMPORT_STALE_SECONDS": _int("IMPORT_STALE_SECONDS", 120),      # no heartbeat this long: interrupted
        "IMPORT_XLSX_MAX_UNPACKED": _int("IMPORT_XLSX_MAX_UNPACKED", 4 * 1024 * 1024 * 1024),
        "SMTP_HOST": os.environ.get("SMTP_HOST"),
        "SMTP_PORT": _int("SMTP_PORT", 587),
        "SMTP_USER": os.environ.get("SMTP_USER"),
        "SMTP_PASSWORD": secret_env("SMTP_PASSWORD"),
        "SMTP_FROM": os.environ.get("SMTP_FROM"),
        # "auto": STARTTLS when the server offers it; "true": required (no mail without it); "false": never.
        # Port 465 speaks TLS from the start whatever this says.
        "SMTP_STARTTLS": os.environ.get("SMTP_STARTTLS", "auto"),
        # the notices (services/notices): closing-soon days before the renewal window ends; e-mails for notices
        # at most this many days old (an SMTP server set up later does not send a backlog)
        "NOTICE_CLOSING_DAYS": _json("NOTICE_CLOSING_DAYS", [14, 3]),
        "NOTICE_MAIL_MAX_AGE_DAYS": _int("NOTICE_MAIL_MAX_AGE_DAYS", 7),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # SQLite: how long a write waits for the write lock before the answer is 503 (sqlite_transactions.py)
        "SQLITE_BUSY_TIMEOUT_MS": _int("SQLITE_BUSY_TIMEOUT_MS", 5000),
        # the registration workflows (issue 5), per province of the employer (GB/T 2260 code) with a default:
        # instant rule-based decisions (Heilongjiang's 智慧审批) or a review queue for authority staff (Guangdong)
        "DECISION_MODE": _json("DECISION_MODE", {"default": "auto", "44": "review"}),
        # the renewal window [opens, closes] in days before expiry, overriding the kind's (Beijing: [90, 30])
        "RENEWAL_WINDOW": _json("RENEWAL_WINDOW", {}),
        # Heilongjiang handles a change of employer as 注销 + 重新注册
        "EMPLOYER_CHANGE_MODE": _json("EMPLOYER_CHANGE_MODE", {"default": "change", "23": "cancel_and_reregister"}),
        "RULES_FILE": os.environ.get("RULES_FILE"),
        "ROLES_FILE": os.environ.get("ROLES_FILE"),     # site roles (docs/site-checks.md); default backend/data/roles.json
        "APPLICATION_FILE_MAX_BYTES": _int("APPLICATION_FILE_MAX_BYTES", 5 * 1024 * 1024),
        "APPLICATION_MAX_FILES": _int("APPLICATION_MAX_FILES", 10),
        # the certificate PDF (issue 10): the authority's signing key and certificate (a PEM pair, or one PKCS#12
        # file), its seal image, a timestamp server for PAdES B-T, the fonts. No key: the demo CA and seal made
        # on first start in PDF_SIGNING_DIR. The password is read from the environment only.
        "PDF_SIGNING_KEY": os.environ.get("PDF_SIGNING_KEY"),
        "PDF_SIGNING_CERT": os.environ.get("PDF_SIGNING_CERT"),
        "PDF_SIGNING_CHAIN": os.environ.get("PDF_SIGNING_CHAIN"),
        "PDF_SIGNING_PASSWORD": secret_env("PDF_SIGNING_PASSWORD"),
        "PDF_SIGNING_DIR": os.environ.get("PDF_SIGNING_DIR", str(inst / "pdf-signing")),
        "PDF_SEAL_IMAGE": os.environ.get("PDF_SEAL_IMAGE"),
        "PDF_TIMESTAMP_URL": os.environ.get("PDF_TIMESTAMP_URL"),
        "PDF_FONTS": os.environ.get("PDF_FONTS", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc:"
                                                 "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
        # checking a certificate PDF (POST /api/v1/verify/image): whose signature counts, and the check's limits.
        # PDF_TRUST_ROOTS: PEM files separated by ":" (unset: on the demo default, the demo CA under instance/)
        "PDF_TRUST_ROOTS": os.environ.get("PDF_TRUST_ROOTS"),
        "PDF_CRL": os.environ.get("PDF_CRL"),                            # a CRL file or an http(s) URL
        "PDF_CRL_REFRESH": _int("PDF_CRL_REFRESH", 3600),                 # seconds between fetches of a CRL URL
        "PDF_CHECK_MAX_PAGES": _int("PDF_CHECK_MAX_PAGES", 4),
        "PDF_CHECK_MAX_SIDE_PT": _int("PDF_CHECK_MAX_SIDE_PT", 3370),     # A0's long side, in points
        "PDF_CHECK_DPI": _int("PDF_CHECK_DPI", 200),
        "PDF_CHECK_MAX_PIXELS": _int("PDF_CHECK_MAX_PIXELS", 8_000_000),  # page 1 rendered in grey, at most
        "PDF_CHECK_MAX_IMAGE_PIXELS": _int("PDF_CHECK_MAX_IMAGE_PIXELS", 10_000_000),   # its images together
        "PDF_CHECK_SECONDS": float(os.environ.get("PDF_CHECK_SECONDS", 4)),
    }
