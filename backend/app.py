"""The application factory. create_app() is a list of steps (config, logging, extensions, services,
blueprints, error handlers, commands, first-start initialisation); each step is a small function below or in
its own module.
"""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from flask.sessions import SessionInterface

from backend.config import PROJECT_ROOT, load_config


class NoCookieSessions(SessionInterface):
    """The API authenticates with bearer tokens and never uses Flask's cookie session: no cookie is read or
    signed (Flask's default builds a signing serializer on every request, a tenth of a verification)."""

    def open_session(self, app, request):
        return None            # Flask then uses its NullSession, which refuses any write

    def save_session(self, app, session, response):
        return None


def create_app(config: dict | None = None) -> Flask:
    instance = (config or {}).get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH") or str(PROJECT_ROOT / "instance")
    app = Flask("backend", instance_path=instance, static_folder=None)
    app.json.ensure_ascii = False          # Chinese as UTF-8, not \u escapes
    app.json.sort_keys = False             # the order the code builds (sorting every answer costs on the hot path)
    app.session_interface = NoCookieSessions()   # bearer tokens, never a session cookie
    from backend.api.web import AppPathConverter
    app.url_map.converters["apppath"] = AppPathConverter
    app.config.update(load_config(app.instance_path))
    app.config.update(config or {})
    if "DEMO_DEFAULT" not in (config or {}):
        # Demo data only on the embedded default: SQLite, however the URI was given.
        app.config["DEMO_DEFAULT"] = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    from backend.startup import resolve_defaults
    resolve_defaults(app.config)                        # AUTO_INIT, LOCAL_SECRETS, PDF_DEMO_CA, LOG_FORMAT
    engine_options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        engine_options.pop("pool_pre_ping", None)      # no pre-ping round trip for a local file
    engine_options.setdefault("hide_parameters", True)  # SQL parameters (ID numbers, phones) never in a log
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # a server that accepts the connection and then says nothing: 503 after this, not a hung worker
        engine_options.setdefault("connect_args", {"connect_timeout": app.config.get("DATABASE_CONNECT_TIMEOUT", 5)})
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    from backend.logs import register_logging
    register_logging(app)                               # first: its request hooks run before the limiter's
    from backend.metrics import parse_networks, register_metrics
    register_metrics(app)                               # requests by route and status, latency (GET /metrics)
    app.extensions["jz.metrics_allow"] = parse_networks(app.config["METRICS_ALLOW"])
    from backend.api.compression import register_compression
    register_compression(app)                           # brotli or gzip for JSON and text answers
    from backend.bootstrap import ensure_secrets
    ensure_secrets(app)
    register_extensions(app)
    from backend.sqlite_transactions import register_sqlite_transactions
    register_sqlite_transactions(app)                  # BEGIN IMMEDIATE for writes, before any connection
    register_services(app)
    register_blueprints(app)
    register_proxy(app)
    from backend.api.errors import register_errorhandlers
    register_errorhandlers(app)
    from backend.cli import register_commands
    register_commands(app)
    if app.config["AUTO_INIT"]:
        from backend.bootstrap import initialize
        initialize(app)
    else:
        from backend.bootstrap import prepare_files
        prepare_files(app)
    return app


def register_proxy(app: Flask) -> None:
    """Behind PROXY_HOPS reverse proxies: the client's address and scheme from exactly that many entries of
    X-Forwarded-For and X-Forwarded-Proto, counted from the right (werkzeug's ProxyFix); what a client wrote
    further left is ignored. 0 (the default): no proxy is trusted, the peer's address is the client's. Rate
    limits, the lockout of logins and the audit trail all key on that address. X-Forwarded-Host is never
    believed (a proxy that does not set it would pass the client's through): PUBLIC_BASE_URL names the host."""
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops < 0:
        raise ValueError("PROXY_HOPS must be 0 or more")
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)


def register_extensions(app: Flask) -> None:
    from backend.bootstrap import MIGRATIONS_DIR
    from backend.extensions import db, limiter, migrate
    db.init_app(app)
    from backend.read_replica import register_read_replica
    register_read_replica(app)                          # DATABASE_READ_URL: lookups and verifications there
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    limiter.init_app(app)


def register_services(app: Flask) -> None:
    from backend.crypto.keys import KeyStore
    from backend.services.clock import Clock
    from backend.services.issuance.signing_settings import PdfSigningSettings
    from backend.services.kinds import load_catalogue
    from backend.services.settings import IssuerSettings
    app.extensions["jz.keystore"] = KeyStore(app.config["KEY_DIR"], key_file=app.config.get("SIGNING_KEY_FILE"),
                                             create=bool(app.config["LOCAL_SECRETS"]))
    app.extensions["jz.catalogue"] = load_catalogue(app.config.get("KINDS_FILE"))
    from backend.services.sitecheck.errors import RolesFileInvalid
    from backend.services.sitecheck.roles import load_roles
    try:                                     # site roles (issue 14): a bad file stops the start, every problem named
        app.extensions["jz.roles"] = load_roles(app.config.get("ROLES_FILE"), app.extensions["jz.catalogue"])
    except RolesFileInvalid as e:
        from backend.startup import StartupRefused
        raise StartupRefused([(f"ROLES_FILE 无效(docs/site-checks.md):{e}",
                               f"ROLES_FILE is not valid (docs/site-checks.md): {e.path}, problems listed above")]) from None
    app.extensions["jz.settings"] = IssuerSettings.from_config(app.config)
    app.extensions["jz.clock"] = app.config.get("CLOCK") or Clock(app.config["TIMEZONE"])
    app.extensions["jz.pdf_signing"] = PdfSigningSettings.from_config(app.config)
    from backend.services.verification.document_trust import trust_from_config
    app.extensions["jz.pdf_trust"] = trust_from_config(app.config, app.instance_path)


def register_blueprints(app: Flask) -> None:
    from backend.api import (
        applications,
        auth_api,
        certificates,
        enterprise,
        holder,
        lookup,
        meta,
        onboarding,
        pwa_support,
        qualifications,
        registry,
        verify,
        web,
    )
    for bp in (meta.bp, verify.bp, lookup.bp, registry.bp, certificates.bp, auth_api.bp, enterprise.bp,
               applications.bp, qualifications.bp, holder.bp, onboarding.bp, pwa_support.bp, web.bp):
        app.register_blueprint(bp)
    from backend.api import admin_register  # the authority console's register (issue 13)
    app.register_blueprint(admin_register.bp)
    from backend.api import admin_actions  # the authority's actions and four-eyes approvals (issue 13)
    app.register_blueprint(admin_actions.bp)
    from backend.api import admin_dashboard  # the province at a glance (issue 13)
    app.register_blueprint(admin_dashboard.bp)
    from backend.api import admin_imports  # the authority's imports of the register (issue 13)
    app.register_blueprint(admin_imports.bp)
    from backend.api import sitecheck  # site roles, inspection records and their verification (issue 14)
    app.register_blueprint(sitecheck.bp)
    from backend.api import notices  # holders' and enterprises' notices (issue 14)
    app.register_blueprint(notices.bp)
    from backend.api.spec import bind
    bind(app)                          # the OpenAPI document is generated from these routes
